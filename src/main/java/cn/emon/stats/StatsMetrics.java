package cn.emon.stats;

import cn.emon.alerting.AlertType;
import cn.emon.alerting.Channel;
import cn.emon.alerting.WorkScope;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business metrics of CONTRACT §6, read from the read model at scrape time so that every
 * node reports the same cluster-wide numbers. One read serves the scrapes of
 * {@code emon.stats.metrics-cache}.
 *
 * <p>{@code emon_alerts_raised_total}, {@code _acknowledged_total} and {@code _resolved_total} are
 * counters kept in the read model too: the projection adds to them in the transaction that stores
 * its offset, so each alert change counts exactly once, survives restarts, and does not depend on
 * which node ran the projection. They never decrease.
 *
 * <p>Labels carry region codes, names, types and channels only — never household ids.
 */
public final class StatsMetrics implements MultiCollector {

  private static final Logger log = LoggerFactory.getLogger(StatsMetrics.class);

  static final List<String> ALERT_TYPES = Arrays.stream(AlertType.values()).map(Enum::name).toList();
  static final List<String> CHANNELS = Arrays.stream(Channel.values()).map(Enum::name).toList();
  static final List<String> SCOPES = Arrays.stream(WorkScope.values()).map(Enum::name).toList();

  private final StatsRepository stats;
  private final Regions regions;
  private final long cacheNanos;
  private MetricSnapshots cached;
  private long readAt;

  public StatsMetrics(StatsRepository stats, Regions regions, StatsSettings settings) {
    this.stats = stats;
    this.regions = regions;
    this.cacheNanos = settings.metricsCache().toNanos();
  }

  public static StatsMetrics register(PrometheusRegistry registry, StatsRepository stats, Regions regions,
      StatsSettings settings) {
    StatsMetrics metrics = new StatsMetrics(stats, regions, settings);
    registry.register(metrics);
    return metrics;
  }

  @Override
  public synchronized MetricSnapshots collect() {
    long now = System.nanoTime();
    if (cached == null || now - readAt >= cacheNanos) {
      try {
        cached = snapshots(stats.counties(""));
        readAt = now;
      } catch (Exception e) {
        // Keep serving the last read (its read-time gauge shows its age) rather than fail the scrape.
        log.warn("Region statistics could not be read for /metrics: {}", e.getClass().getSimpleName());
        if (cached == null) {
          return new MetricSnapshots();
        }
      }
    }
    return cached;
  }

  MetricSnapshots snapshots(Map<String, RegionTotals> counties) {
    Gauges households = new Gauges("emon_households", "Households under monitoring (not closed)");
    Gauges labourCapable = new Gauges("emon_labour_capable_members",
        "Labour-capable members (SKILLED, ORDINARY, WEAK) of households under monitoring");
    Gauges zero = new Gauges("emon_zero_employment_households",
        "Households with a labour-capable member and nobody employed (零就业户)");
    Gauges employed = new Gauges("emon_members_employed",
        "Members holding an active placement, by channel and work scope");
    Gauges open = new Gauges("emon_alerts_open", "Alerts open or acknowledged");
    Gauges acknowledged = new Gauges("emon_alerts_open_acknowledged", "Alerts acknowledged and not yet resolved");
    Gauges info = new Gauges("emon_region_info", "Region names of the counties with data (value 1), for joins");
    Gauges provinceInfo = new Gauges("emon_province_info", "Province names (value 1), for joins");
    Gauges prefectureInfo = new Gauges("emon_prefecture_info", "Prefecture names (value 1), for joins");
    Gauges target = new Gauges("emon_employment_target", "Annual target: people to employ in the year");
    Gauges achieved = new Gauges("emon_employment_target_achieved",
        "Members employed now whose active placement started in the year");
    Gauges progress = new Gauges("emon_employment_target_progress_ratio", "achieved / target");
    Map<String, double[]> byType = new TreeMap<>(); // raised, acknowledged, resolved, resolve seconds
    TreeSet<String> provinces = new TreeSet<>();
    TreeSet<String> prefectures = new TreeSet<>();

    counties.forEach((county, t) -> {
      String province = county.substring(0, 2);
      String prefecture = county.substring(0, 4);
      provinces.add(province);
      prefectures.add(prefecture);
      info.add(1, "county", county, "name", name(county), "prefecture", prefecture, "province", province);
      households.add(t.households, "province", province, "county", county);
      labourCapable.add(t.labourCapable, "province", province, "county", county);
      zero.add(t.zeroEmployment, "province", province, "county", county);
      t.employment.forEach((channel, scopes) -> scopes.forEach((scope, n) ->
          employed.add(n, "county", county, "channel", channel, "scope", scope)));
      t.alerts.forEach((type, bySeverity) -> bySeverity.forEach((severity, c) -> {
        open.add(c.open, "type", type, "severity", severity, "county", county);
        acknowledged.add(c.acknowledged, "type", type, "severity", severity, "county", county);
        double[] totals = byType.computeIfAbsent(type, k -> new double[5]);
        totals[0] += c.raised;
        totals[1] += c.acknowledgedTotal;
        totals[2] += c.resolved;
        totals[3] += c.resolveMillis / 1000.0;
      }));
      TreeSet<Integer> years = new TreeSet<>(t.targets.keySet());
      years.addAll(t.employedByStartYear.keySet());
      for (int year : years) {
        String y = Integer.toString(year);
        Long goal = t.targets.get(year);
        achieved.add(t.achieved(year), "county", county, "year", y);
        if (goal != null) {
          target.add(goal, "county", county, "year", y);
          Double ratio = StatsViews.progress(goal, t.achieved(year));
          if (ratio != null) {
            progress.add(ratio, "county", county, "year", y);
          }
        }
      }
    });
    provinces.forEach(p -> provinceInfo.add(1, "province", p, "name", name(p)));
    prefectures.forEach(p -> prefectureInfo.add(1, "prefecture", p, "name", name(p), "province", p.substring(0, 2)));

    List<MetricSnapshot> out = new ArrayList<>();
    for (Gauges g : List.of(households, labourCapable, zero, employed, open, acknowledged, info, provinceInfo,
        prefectureInfo, target, achieved, progress)) {
      out.add(g.build());
    }
    out.add(counter("emon_alerts_raised", "Alerts raised, as folded from the journal", byType, 0));
    out.add(counter("emon_alerts_acknowledged", "Alert acknowledgements, as folded from the journal", byType, 1));
    out.add(counter("emon_alerts_resolved", "Alerts resolved, as folded from the journal", byType, 2));
    SummarySnapshot.Builder resolution = SummarySnapshot.builder().name("emon_alert_resolution_seconds")
        .help("Time from raising to resolving, of resolved alerts (sum and count)");
    byType.forEach((type, v) -> resolution.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
        .count((long) v[2]).sum(v[3]).labels(Labels.of("type", type)).build()));
    out.add(resolution.build());
    out.add(GaugeSnapshot.builder().name("emon_stats_read_timestamp_seconds")
        .help("When the region statistics behind these metrics were read")
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(System.currentTimeMillis() / 1000.0).build())
        .build());
    return new MetricSnapshots(out);
  }

  private String name(String code) {
    String name = regions.name(code);
    return name == null ? "" : name;
  }

  private static CounterSnapshot counter(String name, String help, Map<String, double[]> byType, int index) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    for (String type : ALERT_TYPES) {
      double[] v = byType.get(type);
      b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(v == null ? 0 : v[index])
          .labels(Labels.of("type", type)).build());
    }
    return b.build();
  }

  /** One gauge family being filled. */
  private static final class Gauges {
    private final GaugeSnapshot.Builder builder;

    Gauges(String name, String help) {
      builder = GaugeSnapshot.builder().name(name).help(help);
    }

    void add(double value, String... labels) {
      builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
    }

    GaugeSnapshot build() {
      return builder.build();
    }
  }
}
