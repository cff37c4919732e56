package cn.emon.household;

import cn.emon.CborSerializable;
import cn.emon.alerting.AlertKey;
import cn.emon.alerting.AlertType;
import cn.emon.alerting.EscalationLevel;
import cn.emon.alerting.Severity;
import cn.emon.region.RegionCode;
import java.time.Instant;

/**
 * One alert as the household entity holds it ({@code escalation} and {@code escalatedAt} are null
 * until it is escalated, and in alerts stored before escalation existed). The id is {@code <householdId>~<n>}, n counting the
 * household's alerts from 1, so an acknowledgement finds its entity without a lookup.
 */
public record Alert(
    String alertId,
    AlertType type,
    Severity severity,
    AlertStatus status,
    String householdId,
    String memberId,
    String placementId,
    String regionCode,
    Instant raisedAt,
    Instant acknowledgedAt,
    String acknowledgedBy,
    Instant resolvedAt,
    String summary,
    EscalationLevel escalation,
    Instant escalatedAt) implements CborSerializable {

  public static final char ID_SEPARATOR = '~';

  public static String idFor(String householdId, long n) {
    return householdId + ID_SEPARATOR + n;
  }

  /** The household id inside an alert id, or null when the id is not one of ours. */
  public static String householdOf(String alertId) {
    int at = alertId.lastIndexOf(ID_SEPARATOR);
    return at > 0 ? alertId.substring(0, at) : null;
  }

  public AlertKey key() {
    return new AlertKey(type, memberId, placementId);
  }

  public String countyCode() {
    return RegionCode.of(regionCode).county();
  }

  /** A newly raised alert: open, not escalated. */
  public static Alert raised(String alertId, AlertType type, Severity severity, String householdId, String memberId,
      String placementId, String regionCode, Instant at, String summary) {
    return new Alert(alertId, type, severity, AlertStatus.OPEN, householdId, memberId, placementId, regionCode, at,
        null, null, null, summary, null, null);
  }

  public Alert acknowledged(String by, Instant at) {
    return new Alert(alertId, type, severity, AlertStatus.ACKNOWLEDGED, householdId, memberId,
        placementId, regionCode, raisedAt, at, by, resolvedAt, summary, escalation, escalatedAt);
  }

  public Alert resolved(Instant at) {
    return new Alert(alertId, type, severity, AlertStatus.RESOLVED, householdId, memberId,
        placementId, regionCode, raisedAt, acknowledgedAt, acknowledgedBy, at, summary, escalation, escalatedAt);
  }

  public Alert escalated(EscalationLevel level, Instant at) {
    return new Alert(alertId, type, severity, status, householdId, memberId, placementId, regionCode, raisedAt,
        acknowledgedAt, acknowledgedBy, resolvedAt, summary, level, at);
  }
}
