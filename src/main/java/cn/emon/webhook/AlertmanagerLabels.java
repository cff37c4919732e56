package cn.emon.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Labels and annotations of an alert as both Alertmanager formats show it, and Alertmanager's
 * own fingerprint of a label set (FNV-1a 64 over the sorted names and values, each followed by
 * the byte 0xff, printed as 16 hex digits), so a relay sees the fingerprint Alertmanager would.
 */
final class AlertmanagerLabels {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private AlertmanagerLabels() {}

  /** {@code alertname} (the alert type), {@code severity}, {@code household}, {@code county}, {@code region}, {@code alert_id}. */
  static Map<String, String> labels(AlertChange change) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", change.text("type"));
    labels.put("severity", change.text("severity"));
    labels.put("household", change.text("householdId"));
    labels.put("county", change.text("countyCode"));
    labels.put("region", change.text("regionCode"));
    labels.put("alert_id", change.text("alertId"));
    labels.values().removeIf(v -> v == null);
    return labels;
  }

  /** {@code summary} (Chinese and English) and the alert's {@code status} in this server. */
  static Map<String, String> annotations(AlertChange change) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put("summary", change.text("summary"));
    annotations.put("status", change.text("status"));
    annotations.values().removeIf(v -> v == null);
    return annotations;
  }

  /** Alertmanager's fingerprint of a label set. */
  static String fingerprint(Map<String, String> labels) {
    long hash = FNV_OFFSET;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      hash = add(hash, e.getKey().getBytes(StandardCharsets.UTF_8));
      hash = add(hash, new byte[] {(byte) 0xff});
      hash = add(hash, e.getValue().getBytes(StandardCharsets.UTF_8));
      hash = add(hash, new byte[] {(byte) 0xff});
    }
    return String.format("%016x", hash);
  }

  private static long add(long hash, byte[] bytes) {
    long h = hash;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }
}
