package cn.emon.webhook;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook metrics: attempts by outcome and their latency (this process), and the outbox
 * backlog and disabled subscriptions (read from the tables at scrape, so every node reports the
 * cluster's value).
 */
final class WebhookMetrics {

  private static final Logger log = LoggerFactory.getLogger(WebhookMetrics.class);

  private final Counter deliveries;
  private final Histogram latency;
  private final Counter resends;

  WebhookMetrics(PrometheusRegistry registry, LongSupplier backlog, LongSupplier disabled) {
    deliveries = Counter.builder()
        .name("emon_webhook_deliveries_total")
        .help("Webhook delivery attempts by outcome: delivered (2xx), retrying (will be tried again), failed (given up)")
        .labelNames("outcome")
        .register(registry);
    for (String outcome : new String[] {"delivered", "retrying", "failed"}) {
      deliveries.labelValues(outcome);
    }
    latency = Histogram.builder()
        .name("emon_webhook_delivery_latency_seconds")
        .help("Time from sending a webhook request to its response headers, or to giving up on it")
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
        .register(registry);
    resends = Counter.builder()
        .name("emon_webhook_alertmanager_resends_total")
        .help("Periodic re-sends of open alerts to alertmanager-api subscriptions by outcome (sent, failed)")
        .labelNames("outcome")
        .register(registry);
    GaugeWithCallback.builder()
        .name("emon_webhook_outbox_backlog")
        .help("Webhook deliveries not yet delivered or given up (pending), over all subscriptions")
        .callback(cb -> read("backlog", backlog, cb))
        .register(registry);
    GaugeWithCallback.builder()
        .name("emon_webhook_subscriptions_disabled")
        .help("Webhook subscriptions disabled by a 410 answer or by failing longer than disable-after")
        .callback(cb -> read("disabled subscriptions", disabled, cb))
        .register(registry);
  }

  private static void read(String what, LongSupplier value, GaugeWithCallback.Callback cb) {
    try {
      cb.call(value.getAsLong());
    } catch (RuntimeException e) {
      // The database is away: leave the sample out rather than report a wrong number.
      log.debug("Webhook {} gauge unavailable: {}", what, e.getClass().getSimpleName());
    }
  }

  void outcome(DeliveryStore.Outcome outcome) {
    switch (outcome) {
      case DELIVERED -> deliveries.labelValues("delivered").inc();
      case RETRYING -> deliveries.labelValues("retrying").inc();
      case FAILED -> deliveries.labelValues("failed").inc();
      case STALE -> { }
    }
  }

  void latency(long millis) {
    latency.observe(millis / 1000.0);
  }

  void resend(boolean sent) {
    resends.labelValues(sent ? "sent" : "failed").inc();
  }
}
