package cn.emon.webhook;

import cn.emon.alerting.Severity;
import cn.emon.household.Alert;
import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription: where alert changes go, in which format, signed with which secret, and
 * which alerts it wants ({@code types} and {@code regions} empty = all; {@code minSeverity} null =
 * all). {@code failingSince} is the first failed attempt since the last success.
 */
record Subscription(
    String id,
    String url,
    String secret,
    String format,
    List<String> types,
    List<String> regions,
    Severity minSeverity,
    boolean enabled,
    String disabledReason,
    Instant disabledAt,
    Instant failingSince,
    Instant createdAt) {

  /** Whether this subscription wants changes of {@code alert}. */
  boolean matches(Alert alert) {
    return matches(alert.type().name(), alert.regionCode(), alert.severity());
  }

  /** Whether this subscription wants changes of the alert in {@code change}. */
  boolean matches(AlertChange change) {
    return matches(change.text("type"), change.text("regionCode"), Severity.fromWireName(change.text("severity")));
  }

  private boolean matches(String type, String regionCode, Severity severity) {
    return (types.isEmpty() || types.contains(type))
        && (regions.isEmpty() || regions.stream().anyMatch(regionCode::startsWith))
        && (minSeverity == null || severity.compareTo(minSeverity) >= 0);
  }
}
