package cn.emon.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One alert change as a delivery carries it: {@code type} is {@code alert.raised},
 * {@code alert.acknowledged}, {@code alert.resolved} or {@code alert.escalated}, {@code at} when it happened, and
 * {@code alert} the alert JSON of CONTRACT §4 as it stood after the change.
 */
record AlertChange(String type, Instant at, JsonNode alert) {

  static final String RAISED = "alert.raised";
  static final String ACKNOWLEDGED = "alert.acknowledged";
  static final String RESOLVED = "alert.resolved";
  static final String ESCALATED = "alert.escalated";

  String text(String field) {
    JsonNode v = alert.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  boolean resolved() {
    return RESOLVED.equals(type) || "resolved".equals(text("status"));
  }
}
