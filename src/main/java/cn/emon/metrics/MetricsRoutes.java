package cn.emon.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics} in the Prometheus text format. Each feature registers its own collectors
 * on the shared registry; no household ids appear in any label.
 */
public final class MetricsRoutes extends AllDirectives {

  private static final ContentType TEXT_FORMAT = ContentTypes.create(
      MediaTypes.customWithFixedCharset("text", "plain", HttpCharsets.UTF_8,
          java.util.Map.of("version", "0.0.4"), false));

  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsRoutes(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /**
   * Scrapes on the blocking JDBC dispatcher: collectors of business gauges read the read model
   * (cached for a few seconds) and must not block the default dispatcher.
   */
  public Route route(java.util.concurrent.Executor blocking) {
    return path("metrics", () -> get(() -> completeWithFuture(
        java.util.concurrent.CompletableFuture.supplyAsync(this::scrape, blocking))));
  }

  private HttpResponse scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new IllegalStateException("metrics could not be written", e);
    }
    return HttpResponse.create().withEntity(HttpEntities.create(TEXT_FORMAT, out.toByteArray()));
  }
}
