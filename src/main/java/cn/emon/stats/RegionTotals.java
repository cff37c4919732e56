package cn.emon.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of one region: a county as read from the read model, or the sum of counties
 * (prefecture, province, national). Mutable while being summed; read-only afterwards.
 */
final class RegionTotals {

  /** Alert counts of one type and severity. */
  static final class AlertCounts {
    long open;
    long acknowledged;
    long raised;
    long acknowledgedTotal;
    long resolved;
    long resolveMillis;

    void add(AlertCounts o) {
      open += o.open;
      acknowledged += o.acknowledged;
      raised += o.raised;
      acknowledgedTotal += o.acknowledgedTotal;
      resolved += o.resolved;
      resolveMillis += o.resolveMillis;
    }
  }

  long households;
  long labourCapable;
  long zeroEmployment;
  /** channel → work scope → employed members. */
  final Map<String, Map<String, Long>> employment = new TreeMap<>();
  /** start year of the active placement → employed members. */
  final Map<Integer, Long> employedByStartYear = new TreeMap<>();
  /** alert type → severity → counts. */
  final Map<String, Map<String, AlertCounts>> alerts = new TreeMap<>();
  /** year → target (people to employ). */
  final Map<Integer, Long> targets = new TreeMap<>();

  void addEmployed(String channel, String scope, long n) {
    employment.computeIfAbsent(channel, k -> new TreeMap<>()).merge(scope, n, Long::sum);
  }

  AlertCounts alerts(String type, String severity) {
    return alerts.computeIfAbsent(type, k -> new TreeMap<>()).computeIfAbsent(severity, k -> new AlertCounts());
  }

  void add(RegionTotals o) {
    households += o.households;
    labourCapable += o.labourCapable;
    zeroEmployment += o.zeroEmployment;
    o.employment.forEach((channel, scopes) -> scopes.forEach((scope, n) -> addEmployed(channel, scope, n)));
    o.employedByStartYear.forEach((year, n) -> employedByStartYear.merge(year, n, Long::sum));
    o.alerts.forEach((type, bySeverity) -> bySeverity.forEach((severity, c) -> alerts(type, severity).add(c)));
    o.targets.forEach((year, n) -> targets.merge(year, n, Long::sum));
  }

  long employed() {
    return employment.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
  }

  Map<String, Long> employedByChannel() {
    Map<String, Long> out = new TreeMap<>();
    employment.forEach((channel, scopes) -> scopes.values().forEach(n -> out.merge(channel, n, Long::sum)));
    return out;
  }

  Map<String, Long> employedByScope() {
    Map<String, Long> out = new TreeMap<>();
    employment.values().forEach(scopes -> scopes.forEach((scope, n) -> out.merge(scope, n, Long::sum)));
    return out;
  }

  Map<String, Long> openAlertsByType() {
    Map<String, Long> out = new TreeMap<>();
    alerts.forEach((type, bySeverity) -> bySeverity.values().forEach(c -> out.merge(type, c.open, Long::sum)));
    return out;
  }

  long openAlerts() {
    return openAlertsByType().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Members employed now whose active placement started in {@code year}. */
  long achieved(int year) {
    return employedByStartYear.getOrDefault(year, 0L);
  }

  /** Whether anything is there to show: households, employment, open alerts or a target. */
  boolean hasData() {
    return households != 0 || employed() != 0 || openAlerts() != 0 || !targets.isEmpty();
  }
}
