package cn.emon.ingest;

import cn.emon.ErrorCode;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.http.HttpServer;
import cn.emon.http.JsonSupport;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/** {@code POST /api/v1/events}: CloudEvents, one or a batch, in JSON structured mode. */
public final class IngestRoutes extends ApiDirectives {

  private static final Set<String> SINGLE = Set.of("cloudevents+json");
  private static final Set<String> BATCH = Set.of("cloudevents-batch+json");

  private final IngestSettings settings;
  private final IngestService service;
  private final CloudEventDecoder decoder;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final Materializer materializer;

  public IngestRoutes(ActorSystem<?> system, Authenticator authenticator, IngestSettings settings,
      PrometheusRegistry registry, Clock clock) {
    super(authenticator);
    this.settings = settings;
    this.metrics = new IngestMetrics(registry);
    this.service = new IngestService(system, settings, metrics);
    this.decoder = new CloudEventDecoder(settings.maxClockSkew());
    this.clock = clock;
    this.materializer = Materializer.matFromSystem(system);
  }

  public Route route() {
    return path("events", () -> post(() ->
        authorized(Principal::mayIngest, "post events", principal ->
            optionalHeaderValueByName("Content-Encoding", encoding ->
                encoding.filter(e -> !e.equalsIgnoreCase("identity")).isPresent()
                    // Compressed bodies are refused rather than inflated: no decompression bombs.
                    ? complete(cn.emon.http.Problems.response(415, "Unsupported Media Type",
                        "Content-Encoding: only identity is accepted", java.util.List.of()))
                    : extractRequestEntity(entity -> completeWithFuture(handle(entity, principal)))))));
  }

  private CompletionStage<HttpResponse> handle(HttpEntity entity, Principal principal) {
    long started = System.nanoTime();
    MediaType mediaType = entity.getContentType().mediaType();
    boolean json = mediaType.mainType().equals("application") && mediaType.subType().equals("json");
    boolean single = mediaType.mainType().equals("application") && SINGLE.contains(mediaType.subType());
    boolean batch = mediaType.mainType().equals("application") && BATCH.contains(mediaType.subType());
    if (!json && !single && !batch) {
      throw new ApiException(415, "Unsupported Media Type", "Content-Type: expected application/json, "
          + "application/cloudevents+json or application/cloudevents-batch+json");
    }
    return entity.withSizeLimit(settings.maxBodyBytes())
        .toStrict(settings.uploadTimeout().toMillis(), materializer)
        .exceptionally(t -> {
          Throwable cause = t.getCause() != null ? t.getCause() : t;
          if (cause instanceof TimeoutException) {
            throw new ApiException(408, "Request Timeout", "body: not received in time");
          }
          throw t instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(t);
        })
        .thenCompose(strict -> {
          JsonNode body = JsonSupport.parse(strict.getData().toArray());
          List<JsonNode> nodes = new ArrayList<>();
          boolean isBatch;
          if (body.isArray()) {
            if (single) {
              throw ApiException.badRequest("body: application/cloudevents+json takes one event object");
            }
            if (body.size() > settings.maxBatch()) {
              throw new ApiException(413, "Content Too Large",
                  "body: a batch holds at most " + settings.maxBatch() + " events");
            }
            body.forEach(nodes::add);
            isBatch = true;
          } else if (body.isObject()) {
            if (batch) {
              throw ApiException.badRequest("body: application/cloudevents-batch+json takes a JSON array");
            }
            nodes.add(body);
            isBatch = false;
          } else {
            throw ApiException.badRequest("body: must be an event object or an array of events");
          }
          List<Decoded> decoded = new ArrayList<>(nodes.size());
          for (JsonNode n : nodes) {
            decoded.add(decoder.decode(n, clock.instant()));
          }
          return service.ingest(decoded, principal).thenApply(response -> {
            IngestResponse.Result only = response.results().get(0);
            if (!isBatch && ErrorCode.REGION_FORBIDDEN.wireName().equals(only.code())) {
              throw ApiException.forbidden(only.error().substring("forbidden: ".length()));
            }
            return JsonSupport.ok(response);
          });
        })
        .whenComplete((r, t) -> metrics.latency.observe((System.nanoTime() - started) / 1e9))
        .exceptionally(HttpServer::toResponse);
  }
}
