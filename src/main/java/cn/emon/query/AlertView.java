package cn.emon.query;

import cn.emon.household.Alert;
import java.time.Instant;

/**
 * The alert JSON of CONTRACT §4 (and §7: {@code escalation}, {@code escalatedAt} once escalated). No
 * personal names: households and members appear by id.
 */
public record AlertView(
    String alertId,
    String type,
    String severity,
    String status,
    String householdId,
    String memberId,
    String placementId,
    String regionCode,
    String countyCode,
    Instant raisedAt,
    Instant acknowledgedAt,
    String acknowledgedBy,
    Instant resolvedAt,
    String summary,
    String escalation,
    Instant escalatedAt) {

  public static AlertView of(Alert a) {
    return new AlertView(a.alertId(), a.type().name(), a.severity().wireName(), a.status().wireName(),
        a.householdId(), a.memberId(), a.placementId(), a.regionCode(), a.countyCode(), a.raisedAt(),
        a.acknowledgedAt(), a.acknowledgedBy(), a.resolvedAt(), a.summary(),
        a.escalation() == null ? null : a.escalation().wireName(), a.escalatedAt());
  }
}
