package cn.emon.alerting;

import java.util.Locale;

/** Alert severity, lowest first, so {@code compareTo} orders by urgency. */
public enum Severity {
  WARNING,
  HIGH,
  CRITICAL;

  /** The lower-case wire name used in alert JSON and webhook labels. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity fromWireName(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
