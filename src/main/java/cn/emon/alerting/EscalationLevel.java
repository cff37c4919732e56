package cn.emon.alerting;

import java.util.Locale;

/**
 * How far up the administrative hierarchy an alert that stays open and unacknowledged has climbed
 * (CONTRACT §7, {@code emon.escalation.steps}): to the county office, then the prefecture's, then the
 * province's. Ordered: a later level is further.
 */
public enum EscalationLevel {
  COUNTY, PREFECTURE, PROVINCE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EscalationLevel fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
