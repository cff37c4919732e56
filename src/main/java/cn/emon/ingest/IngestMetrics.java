package cn.emon.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Ingest counters and latency, registered on the injected registry. */
final class IngestMetrics {

  final Counter ingested;
  final Histogram latency;

  IngestMetrics(PrometheusRegistry registry) {
    ingested = Counter.builder()
        .name("emon_events_ingested_total")
        .help("Events posted to /api/v1/events by type and outcome (accepted, duplicate, rejected)")
        .labelNames("type", "outcome")
        .register(registry);
    latency = Histogram.builder()
        .name("emon_ingest_latency_seconds")
        .help("Time from receiving an ingest request to answering it")
        .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
  }

  void count(String type, String outcome) {
    String t = type != null && CloudEventDecoder.TYPES.contains(type) ? type : "unknown";
    ingested.labelValues(t, outcome).inc();
  }
}
