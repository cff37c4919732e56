package cn.emon.household;

import java.util.Locale;

/** Lifecycle of an alert: open → acknowledged → resolved, or open → resolved. */
public enum AlertStatus {
  OPEN,
  ACKNOWLEDGED,
  RESOLVED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
