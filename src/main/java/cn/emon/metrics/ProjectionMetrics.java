package cn.emon.metrics;

import cn.emon.readmodel.JournalEntry;
import cn.emon.readmodel.ReadModelListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;


/**
 * {@code emon_projection_lag_seconds}: age of the newest event a projection has just applied;
 * {@code emon_projection_failures_total}: restarts of a failing slice;
 * {@code emon_projection_group_events}: events per transaction;
 * {@code emon_projection_fold_seconds}: each fold's time per group.
 */
public final class ProjectionMetrics implements ReadModelListener {

  private final Gauge lag;
  private final Counter failures;
  private final Histogram groupSize;
  private final Histogram foldSeconds;
  private final Clock clock;
  private final String projection;

  public ProjectionMetrics(PrometheusRegistry registry, Clock clock, String projection) {
    this.lag = Gauge.builder()
        .name("emon_projection_lag_seconds")
        .help("Seconds between storing an event and a projection applying it, at the last batch")
        .labelNames("projection")
        .register(registry);
    this.failures = Counter.builder()
        .name("emon_projection_failures_total")
        .help("Times a projection slice failed and restarted from its last offset (a poison event repeats)")
        .labelNames("projection", "slice")
        .register(registry);
    this.groupSize = Histogram.builder()
        .name("emon_projection_group_events")
        .help("Events a projection folded in one transaction")
        .classicUpperBounds(1, 10, 50, 100, 200, 500, 1000)
        .labelNames("projection")
        .register(registry);
    this.foldSeconds = Histogram.builder()
        .name("emon_projection_fold_seconds")
        .help("Time one fold (alerts, deadlines, stats, webhook-outbox …) took over one group")
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
        .labelNames("projection", "fold")
        .register(registry);
    this.clock = clock;
    this.projection = projection;
    this.lag.labelValues(projection).set(0);
  }

  @Override
  public void failed(String projectionKey, Throwable cause) {
    failures.labelValues(projection, projectionKey).inc();
  }

  @Override
  public void applied(List<JournalEntry> entries) {
    if (!entries.isEmpty()) {
      long newest = entries.get(entries.size() - 1).timestamp();
      lag.labelValues(projection).set(Math.max(0, clock.millis() - newest) / 1000.0);
      groupSize.labelValues(projection).observe(entries.size());
    }
  }

  @Override
  public void folded(String fold, long nanos, int entries) {
    foldSeconds.labelValues(projection, fold).observe(nanos / 1e9);
  }
}
