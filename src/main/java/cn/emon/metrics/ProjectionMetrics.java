package cn.emon.metrics;

import cn.emon.household.Household;
import cn.emon.readmodel.ReadModelListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * {@code emon_projection_lag_seconds}: age of the newest event a projection has just applied;
 * {@code emon_projection_failures_total}: restarts of a failing slice.
 */
public final class ProjectionMetrics implements ReadModelListener {

  private final Gauge lag;
  private final Counter failures;
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
    this.clock = clock;
    this.projection = projection;
    this.lag.labelValues(projection).set(0);
  }

  @Override
  public void failed(String projectionKey, Throwable cause) {
    failures.labelValues(projection, projectionKey).inc();
  }

  @Override
  public void applied(List<EventEnvelope<Household.Event>> envelopes) {
    if (!envelopes.isEmpty()) {
      long newest = envelopes.get(envelopes.size() - 1).timestamp();
      lag.labelValues(projection).set(Math.max(0, clock.millis() - newest) / 1000.0);
    }
  }
}
