package cn.emon.ingest;

import cn.emon.ErrorCode;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.http.HttpServer;
import cn.emon.http.JsonSupport;
import cn.emon.http.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;

/**
 * {@code POST /api/v1/events}: CloudEvents, one or a batch, in JSON structured mode, or one event
 * in binary content mode ({@code ce-*} headers, {@code data} as the body) when the request carries
 * {@code ce-specversion}. Both modes end in the same decoder and the same {@link IngestService}.
 */
public final class IngestRoutes extends ApiDirectives {

  private static final Set<String> SINGLE = Set.of("cloudevents+json");
  private static final Set<String> BATCH = Set.of("cloudevents-batch+json");
  private static final String CE_PREFIX = "ce-";

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
                    ? complete(Problems.response(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                        "Content-Encoding: only identity is accepted", List.of()))
                    : extractRequest(request -> completeWithFuture(handle(request, principal)))))));
  }

  /**
   * Validates one event in structured form exactly as this endpoint does, against the server's
   * clock: for features that turn other input into events (the register import).
   */
  public Decoded decode(JsonNode event) {
    return decoder.decode(event, clock.instant());
  }

  /**
   * Stores decoded events as one request of this endpoint would, answering per event in order;
   * fails with a 503 {@link ApiException} (possibly thrown at once) when storage or admission
   * refuses, after which the same events may be sent again.
   */
  public CompletionStage<IngestResponse> ingest(List<Decoded> events, Principal principal) {
    return service.ingest(events, principal);
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request, Principal principal) {
    long started = System.nanoTime();
    HttpEntity entity = request.entity();
    Map<String, String> binary = binaryAttributes(request);
    MediaType mediaType = entity.getContentType().mediaType();
    boolean application = mediaType.mainType().equals("application");
    boolean json = application && mediaType.subType().equals("json");
    boolean single = application && SINGLE.contains(mediaType.subType());
    boolean batch = application && BATCH.contains(mediaType.subType());
    if (binary != null) {
      if (!json && !entity.isKnownEmpty()) {
        throw new ApiException(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
            "Content-Type: binary content mode (ce-specversion) takes data as application/json");
      }
    } else if (!json && !single && !batch) {
      throw new ApiException(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
          "Content-Type: expected application/json, application/cloudevents+json or "
              + "application/cloudevents-batch+json (or ce-* headers for binary content mode)");
    }
    return entity.withSizeLimit(settings.maxBodyBytes())
        .toStrict(settings.uploadTimeout().toMillis(), materializer)
        .exceptionally(t -> {
          Throwable cause = t.getCause() != null ? t.getCause() : t;
          if (cause instanceof TimeoutException) {
            throw new ApiException(408, ErrorCode.REQUEST_TIMEOUT, "Request Timeout", "body: not received in time");
          }
          throw t instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(t);
        })
        .thenCompose(strict -> {
          byte[] bytes = strict.getData().toArray();
          boolean isBatch;
          List<JsonNode> nodes = new ArrayList<>();
          if (binary != null) {
            JsonNode data = bytes.length == 0 ? null : JsonSupport.parse(bytes);
            nodes.add(CloudEventDecoder.fromBinary(binary, data, entity.getContentType().toString()));
            isBatch = false;
          } else {
            isBatch = structured(JsonSupport.parse(bytes), single, batch, nodes);
          }
          List<Decoded> decoded = new ArrayList<>(nodes.size());
          for (JsonNode n : nodes) {
            decoded.add(decoder.decode(n, clock.instant()));
          }
          return service.ingest(decoded, principal).thenApply(response -> {
            IngestResponse.Result only = response.results().get(0);
            if (!isBatch && ErrorCode.REGION_FORBIDDEN.wireName().equals(only.code())) {
              throw ApiException.regionForbidden(only.error().substring("forbidden: ".length()));
            }
            return JsonSupport.ok(response);
          });
        })
        .whenComplete((r, t) -> metrics.latency.observe((System.nanoTime() - started) / 1e9))
        .exceptionally(HttpServer::toResponse);
  }

  /** Splits a structured-mode body into its events; true when it is a batch. */
  private boolean structured(JsonNode body, boolean single, boolean batch, List<JsonNode> nodes) {
    if (body.isArray()) {
      if (single) {
        throw ApiException.invalidBody("body: application/cloudevents+json takes one event object");
      }
      if (body.size() > settings.maxBatch()) {
        throw new ApiException(413, ErrorCode.BATCH_TOO_LARGE, "Content Too Large",
            "body: a batch holds at most " + settings.maxBatch() + " events");
      }
      body.forEach(nodes::add);
      return true;
    }
    if (body.isObject()) {
      if (batch) {
        throw ApiException.invalidBody("body: application/cloudevents-batch+json takes a JSON array");
      }
      nodes.add(body);
      return false;
    }
    throw ApiException.invalidBody("body: must be an event object or an array of events");
  }

  /**
   * The {@code ce-*} headers by attribute name (lower case, prefix removed) when the request is
   * in binary content mode, i.e. carries {@code ce-specversion}; null in structured mode.
   */
  private static Map<String, String> binaryAttributes(HttpRequest request) {
    Map<String, String> attributes = null;
    for (HttpHeader h : request.getHeaders()) {
      if (h.lowercaseName().equals("ce-specversion")) {
        attributes = new LinkedHashMap<>();
      }
    }
    if (attributes == null) {
      return null;
    }
    for (HttpHeader h : request.getHeaders()) {
      String name = h.lowercaseName();
      if (name.startsWith(CE_PREFIX) && name.length() > CE_PREFIX.length()) {
        String attribute = name.substring(CE_PREFIX.length()).toLowerCase(Locale.ROOT);
        if (attributes.put(attribute, h.value()) != null) {
          throw ApiException.badRequest(ErrorCode.FIELD_INVALID, name + ": header given more than once");
        }
      }
    }
    return attributes;
  }
}
