package cn.emon.webhook;

import cn.emon.ErrorCode;
import cn.emon.alerting.AlertType;
import cn.emon.alerting.Severity;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.http.JsonSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code /api/v1/webhooks/**} (admin role): create, list, show, delete and re-enable
 * subscriptions, list their deliveries with every attempt, retry a delivery by hand, and send a
 * signed test delivery. Target URLs are checked by {@link TargetPolicy} (422 when refused).
 */
final class WebhookRoutes extends ApiDirectives {

  private static final Pattern ID = Pattern.compile("wh_[0-9a-f]{24}");
  private static final Pattern DELIVERY_ID = Pattern.compile("dlv_[0-9a-f]{32}");
  private static final Pattern REGION = Pattern.compile("[0-9]{1,12}");
  private static final Set<String> FIELDS = Set.of("url", "secret", "format", "types", "regions", "minSeverity");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_URL = 2000;

  /** A subscription as the API shows it; {@code secret} only in the answer to its creation. */
  record SubscriptionView(String id, String url, String format, List<String> types, List<String> regions,
      String minSeverity, boolean enabled, String disabledReason, Instant disabledAt, Instant failingSince,
      Instant createdAt, Long pendingDeliveries, String secret) {

    static SubscriptionView of(Subscription s, Long pending, String secret) {
      return new SubscriptionView(s.id(), s.url(), s.format(), s.types(), s.regions(),
          s.minSeverity() == null ? null : s.minSeverity().wireName(), s.enabled(), s.disabledReason(),
          s.disabledAt(), s.failingSince(), s.createdAt(), pending, secret);
    }
  }

  private final SubscriptionStore subscriptions;
  private final DeliveryStore deliveries;
  private final WebhookSender sender;
  private final TargetPolicy policy;
  private final Map<String, PayloadFormat> formats;
  private final Clock clock;
  private final Executor jdbc;

  WebhookRoutes(Authenticator authenticator, SubscriptionStore subscriptions, DeliveryStore deliveries,
      WebhookSender sender, TargetPolicy policy, Map<String, PayloadFormat> formats, Clock clock, Executor jdbc) {
    super(authenticator);
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
    this.sender = sender;
    this.policy = policy;
    this.formats = formats;
    this.clock = clock;
    this.jdbc = jdbc;
  }

  Route route() {
    return pathPrefix("webhooks", () -> authorized(Principal::isAdmin, "manage webhooks", p -> concat(
        pathEnd(() -> concat(
            get(() -> blocking(() -> JsonSupport.ok(Map.of("webhooks", subscriptions.list().stream()
                .map(s -> SubscriptionView.of(s, null, null)).toList())))),
            post(() -> withSizeLimit(64 * 1024, () -> entity(Unmarshaller.entityToByteArray(),
                body -> blocking(() -> create(body))))))),
        pathPrefix(id -> concat(
            pathEnd(() -> concat(
                get(() -> blocking(() -> JsonSupport.ok(SubscriptionView.of(existing(id),
                    deliveries.countPending(id), null)))),
                delete(() -> blocking(() -> {
                  if (!ID.matcher(id).matches() || !subscriptions.delete(id)) {
                    throw noSuchSubscription();
                  }
                  return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
                })))),
            pathPrefix("deliveries", () -> concat(
                pathEnd(() -> get(() -> parameterOptional("limit", limit ->
                    blocking(() -> deliveriesOf(id, limit))))),
                pathPrefix(deliveryId -> path("retry", () -> post(() -> blocking(() -> retry(id, deliveryId))))))),
            path("enable", () -> post(() -> blocking(() -> enable(id)))),
            path("test", () -> post(() -> completeWithFuture(test(id)))))))));
  }

  private Route blocking(Supplier<HttpResponse> work) {
    return completeWithFuture(CompletableFuture.supplyAsync(work, jdbc));
  }

  private Subscription existing(String id) {
    if (!ID.matcher(id).matches()) {
      throw noSuchSubscription();
    }
    return subscriptions.find(id).orElseThrow(WebhookRoutes::noSuchSubscription);
  }

  private static ApiException noSuchSubscription() {
    return ApiException.notFound("webhook: no such subscription");
  }

  private HttpResponse create(byte[] body) {
    JsonNode json = JsonSupport.parse(body);
    if (!json.isObject()) {
      throw ApiException.invalidBody("body: must be a JSON object");
    }
    json.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        throw ApiException.invalidField("body: unknown field; allowed are url, secret, format, types, regions, minSeverity");
      }
    });
    String url = text(json, "url", MAX_URL, true);
    try {
      TargetPolicy.parse(url);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(e.getMessage());
    }
    String secret = text(json, "secret", 200, false);
    if (secret != null) {
      try {
        WebhookSignature.key(secret);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidField(e.getMessage()
            + " (whsec_ followed by the base64 of 24 to 64 random bytes)");
      }
    }
    String format = text(json, "format", 64, true);
    if (PayloadFormat.known(format).isEmpty()) {
      throw ApiException.invalidField("format: must be one of " + String.join(", ", PayloadFormat.names()));
    }
    List<String> types = list(json, "types", t -> Arrays.stream(AlertType.values()).anyMatch(a -> a.name().equals(t)),
        "types: each must be one of " + Arrays.toString(AlertType.values()));
    List<String> regions = list(json, "regions", r -> REGION.matcher(r).matches(),
        "regions: each must be a region-code prefix of 1 to 12 digits");
    String minSeverity = text(json, "minSeverity", 16, false);
    if (minSeverity != null && Arrays.stream(Severity.values()).noneMatch(s -> s.wireName().equals(minSeverity))) {
      throw ApiException.invalidField("minSeverity: must be one of warning, high, critical");
    }
    checkTarget(url);
    String granted = secret != null ? secret : WebhookSignature.newSecret();
    Subscription s = new Subscription(newId(), url, granted, format, types, regions,
        minSeverity == null ? null : Severity.fromWireName(minSeverity), true, null, null, null,
        clock.instant());
    subscriptions.insert(s);
    return JsonSupport.json(201, SubscriptionView.of(s, 0L, granted))
        .addHeader(HttpHeader.parse("Location", "/api/v1/webhooks/" + s.id()));
  }

  private void checkTarget(String url) {
    try {
      policy.check(url);
    } catch (TargetPolicy.RefusedTarget e) {
      throw ApiException.unprocessable(ErrorCode.TARGET_REFUSED, e.getMessage());
    }
  }

  private HttpResponse deliveriesOf(String id, Optional<String> limitParam) {
    int limit = 100;
    if (limitParam.isPresent()) {
      String l = limitParam.get();
      if (!l.matches("[0-9]{1,4}") || Integer.parseInt(l) < 1 || Integer.parseInt(l) > 1000) {
        throw ApiException.invalidParameter("limit: must be a whole number from 1 to 1000");
      }
      limit = Integer.parseInt(l);
    }
    existing(id);
    return JsonSupport.ok(Map.of("deliveries", deliveries.list(id, limit)));
  }

  private HttpResponse retry(String id, String deliveryId) {
    existing(id);
    if (!DELIVERY_ID.matcher(deliveryId).matches()) {
      throw ApiException.notFound("delivery: no such delivery of this subscription");
    }
    return JsonSupport.json(202, deliveries.retry(id, deliveryId, clock.instant())
        .orElseThrow(() -> ApiException.notFound("delivery: no such delivery of this subscription")));
  }

  private HttpResponse enable(String id) {
    checkTarget(existing(id).url());
    Subscription s = subscriptions.enable(id, clock.instant()).orElseThrow(WebhookRoutes::noSuchSubscription);
    return JsonSupport.ok(SubscriptionView.of(s, deliveries.countPending(id), null));
  }

  private CompletionStage<HttpResponse> test(String id) {
    return CompletableFuture.supplyAsync(() -> {
      Subscription s = existing(id);
      checkTarget(s.url());
      return s;
    }, jdbc).thenCompose(s -> {
      PayloadFormat format = formats.get(s.format());
      String messageId = "msg_test_" + HexFormat.of().formatHex(randomBytes(12));
      return sender.send(format.target(s.url()), s.secret(), messageId, format.testBody(s.id(), clock.instant()))
          .thenApply(a -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("messageId", messageId);
            result.put("delivered", a.delivered());
            result.put("statusCode", a.statusCode());
            result.put("error", a.error());
            result.put("latencyMs", a.latencyMs());
            return JsonSupport.ok(result);
          });
    });
  }

  private static String text(JsonNode json, String field, int max, boolean required) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiException.missingField(field + ": required");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
      throw ApiException.invalidField(field + ": must be a non-empty string of at most " + max + " characters");
    }
    return v.asText().trim();
  }

  private static List<String> list(JsonNode json, String field, java.util.function.Predicate<String> valid,
      String problem) {
    JsonNode v = json.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray() || v.size() > 100) {
      throw ApiException.invalidField(field + ": must be an array of at most 100 strings");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode e : v) {
      if (!e.isTextual() || !valid.test(e.asText())) {
        throw ApiException.invalidField(problem);
      }
      out.add(e.asText());
    }
    return new ArrayList<>(out);
  }

  private static String newId() {
    return "wh_" + HexFormat.of().formatHex(randomBytes(12));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
