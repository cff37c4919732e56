package cn.emon.alerting;

import java.util.Comparator;

/**
 * Identifies one alert condition: the same key never has two open alerts. ZERO_EMPLOYMENT and
 * NO_HELPER are per household, TRAINING_PENDING per member, PLACEMENT_LAPSED per member and placement.
 */
public record AlertKey(AlertType type, String memberId, String placementId) {

  public static final Comparator<AlertKey> ORDER = Comparator
      .comparing(AlertKey::type)
      .thenComparing(AlertKey::memberId, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(AlertKey::placementId, Comparator.nullsFirst(Comparator.naturalOrder()));

  public static AlertKey household(AlertType type) {
    return new AlertKey(type, null, null);
  }
}
