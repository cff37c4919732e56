package cn.emon.webhook;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.placementEnded;
import static cn.emon.testing.Events.placementStarted;
import static cn.emon.testing.Events.registered;
import static cn.emon.testing.Events.today;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import cn.emon.testing.WebhookReceiver;
import cn.emon.testing.WebhookReceiver.Answer;
import cn.emon.testing.WebhookReceiver.Received;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhook delivery end to end on PostgreSQL: alerts raised through the ingest API reach real
 * receivers over HTTP, signed, in order per household, retried with the same webhook-id, and
 * every failure mode of the contract (500, 410, 429 + Retry-After, no answer, a schedule used up,
 * failing longer than disable-after) does what CONTRACT §5 says. Each test has its own region so
 * its subscription sees only its own alerts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryTest {

  static final String ADMIN = "dev-admin-token";
  static final Duration SOON = Duration.ofSeconds(15);

  TestServer server;
  ApiClient api;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.postgres(Map.of(
        "emon.webhooks.retry-schedule", List.of("0s", "1s", "1s"),
        "emon.webhooks.allow-targets", List.of("127.0.0.1/32"),
        "emon.webhooks.poll-interval", "100ms",
        "emon.webhooks.max-in-flight", 4,
        "emon.webhooks.disable-after", "4s"));
    api = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static String region() {
    return "522722" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
  }

  JsonNode subscribe(String url, String format, String region) {
    ApiClient.Response r = api.post("/api/v1/webhooks", ADMIN, "application/json",
        "{\"url\":\"" + url + "\",\"format\":\"" + format + "\",\"regions\":[\"" + region + "\"]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  String household(String region) {
    String h = region + "-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient.Response r = api.ingest(registered(h, region, false, member("m1", "ORDINARY", false)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
    return h;
  }

  static List<Received> delivered(WebhookReceiver rx) {
    return rx.received().stream().filter(r -> r.answered() >= 200 && r.answered() < 300).toList();
  }

  JsonNode subscription(String id) {
    return api.get("/api/v1/webhooks/" + id, ADMIN).json();
  }

  List<JsonNode> deliveries(String id) {
    List<JsonNode> list = new ArrayList<>();
    api.get("/api/v1/webhooks/" + id + "/deliveries", ADMIN).json().get("deliveries").forEach(list::add);
    return list;
  }

  @Test
  void signsEveryAttemptKeepsTheIdOnRetryAndDeliversRaisedAcknowledgedResolved() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start()) {
      AtomicInteger n = new AtomicInteger();
      rx.answering(r -> Answer.status(n.getAndIncrement() == 0 ? 500 : 200));
      String region = region();
      JsonNode sub = subscribe(rx.url("/hook"), "standard", region);
      String secret = sub.get("secret").asText();
      assertThat(secret).startsWith("whsec_");
      String h = household(region);

      Await.until(SOON, "alert.raised delivered after a 500", () -> delivered(rx).size() >= 1);
      List<Received> first = rx.received();
      assertThat(first.get(0).answered()).isEqualTo(500);
      assertThat(first.get(1).answered()).isEqualTo(200);
      assertThat(first.get(1).id()).as("the same webhook-id on the retry").isEqualTo(first.get(0).id());
      JsonNode raised = first.get(1).json();
      assertThat(raised.get("type").asText()).isEqualTo("alert.raised");
      String alertId = raised.get("data").get("alertId").asText();
      assertThat(raised.get("data").get("householdId").asText()).isEqualTo(h);
      assertThat(raised.get("data").get("status").asText()).isEqualTo("open");
      assertThat(raised.get("data").get("summary").asText()).contains("零就业户");

      assertThat(api.post("/api/v1/alerts/" + alertId + "/acknowledge", "dev-read-token", "application/json",
          "{\"by\":\"caseworker-1\"}").status()).isEqualTo(200);
      Await.until(SOON, "alert.acknowledged delivered", () -> delivered(rx).size() >= 2);
      assertThat(api.ingest(placementStarted(h, "m1", "p1", today())).status()).isEqualTo(200);
      Await.until(SOON, "alert.resolved delivered", () -> delivered(rx).size() >= 3);

      List<Received> ok = delivered(rx);
      assertThat(ok).extracting(r -> r.json().get("type").asText())
          .containsExactly("alert.raised", "alert.acknowledged", "alert.resolved");
      assertThat(ok).extracting(r -> r.json().get("data").get("alertId").asText()).containsOnly(alertId);
      assertThat(ok).extracting(r -> r.json().get("data").get("status").asText())
          .containsExactly("open", "acknowledged", "resolved");
      assertThat(ok.get(1).json().get("data").get("acknowledgedBy").asText()).isEqualTo("caseworker-1");
      assertThat(ok).extracting(Received::id).doesNotHaveDuplicates();
      for (Received r : rx.received()) {
        assertThat(r.path()).isEqualTo("/hook");
        assertThat(r.signedWith(secret)).as("signature of " + r.id()).isTrue();
        assertThat(Math.abs(Long.parseLong(r.timestamp()) - Instant.now().getEpochSecond())).isLessThan(300);
        assertThat(r.signedWith("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))).isFalse();
      }

      Await.until(SOON, "three deliveries recorded delivered", () -> deliveries(sub.get("id").asText()).stream()
          .filter(d -> d.get("status").asText().equals("delivered")).count() == 3);
      List<JsonNode> list = deliveries(sub.get("id").asText());
      assertThat(list).hasSize(3);
      JsonNode raisedDelivery = list.stream().filter(d -> d.get("type").asText().equals("alert.raised")).findFirst()
          .orElseThrow();
      assertThat(raisedDelivery.get("messageId").asText()).isEqualTo(first.get(0).id());
      assertThat(raisedDelivery.get("alertId").asText()).isEqualTo(alertId);
      assertThat(raisedDelivery.get("attempts")).hasSize(2);
      assertThat(raisedDelivery.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(500);
      assertThat(raisedDelivery.get("attempts").get(1).get("statusCode").asInt()).isEqualTo(200);
      assertThat(raisedDelivery.get("attempts").get(1).has("latencyMs")).isTrue();
      assertThat(raisedDelivery.get("attempts").get(1).has("at")).isTrue();
    }
  }

  @Test
  void keepsOrderPerHouseholdThroughFailures() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start()) {
      // The first attempt of about half the messages fails: a later change of the same household
      // must wait for the retry of the earlier one.
      Set<String> seen = ConcurrentHashMap.newKeySet();
      rx.answering(r -> seen.add(r.id()) && Math.floorMod(r.id().hashCode(), 2) == 0
          ? Answer.status(500) : Answer.status(200));
      String region = region();
      subscribe(rx.url("/ordered"), "standard", region);
      LocalDate today = LocalDate.parse(today());
      List<String> households = new ArrayList<>();
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String h = region + "-o" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
        households.add(h);
        events.add(registered(h, region, false, member("m1", "ORDINARY", false)));
        events.add(placementStarted(h, "m1", "p1", today.minusDays(10).toString()));
        events.add(placementEnded(h, "p1", today.toString()));
        events.add(placementStarted(h, "m1", "p2", today.toString()));
      }
      assertThat(api.ingest(events.toArray(String[]::new)).json().get("accepted").asInt()).isEqualTo(20);

      Map<String, List<String>> expected = new ConcurrentHashMap<>();
      for (String h : households) {
        expected.put(h, AlertChanges.ofHousehold(api, h));
        assertThat(expected.get(h)).hasSizeGreaterThanOrEqualTo(4);
      }
      int total = expected.values().stream().mapToInt(List::size).sum();
      Await.until(Duration.ofSeconds(60), total + " changes delivered", () -> delivered(rx).size() >= total);
      Map<String, List<String>> got = AlertChanges.delivered(rx.received());
      assertThat(got).as("each household's changes, in the order they were delivered").isEqualTo(expected);
      assertThat(rx.received()).anyMatch(r -> r.answered() == 500);
    }
  }

  @Test
  void goneDisablesTheSubscriptionAndEnableDeliversWhatWaited() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start()) {
      AtomicBoolean gone = new AtomicBoolean(true);
      rx.answering(r -> Answer.status(gone.get() ? 410 : 200));
      String region = region();
      String id = subscribe(rx.url("/gone"), "standard", region).get("id").asText();
      household(region);

      Await.until(SOON, "subscription disabled by 410", () -> !subscription(id).get("enabled").asBoolean());
      JsonNode disabled = subscription(id);
      assertThat(disabled.get("disabledReason").asText()).contains("410");
      assertThat(disabled.get("disabledAt").asText()).isNotEmpty();
      assertThat(disabled.get("pendingDeliveries").asInt()).isEqualTo(1);
      assertThat(rx.received()).hasSize(1);
      String messageId = rx.received().get(0).id();
      assertThat(deliveries(id).get(0).get("status").asText()).isEqualTo("pending");
      assertThat(api.get("/metrics", null).body()).containsPattern("emon_webhook_subscriptions_disabled [1-9]");

      gone.set(false);
      ApiClient.Response enabled = api.post("/api/v1/webhooks/" + id + "/enable", ADMIN, "application/json", "");
      assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
      assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
      assertThat(enabled.json().has("disabledReason")).isFalse();
      Await.until(SOON, "the waiting delivery arrives after enable", () -> delivered(rx).size() == 1);
      assertThat(delivered(rx).get(0).id()).isEqualTo(messageId);
      Await.until(SOON, "delivery recorded", () -> deliveries(id).get(0).get("status").asText().equals("delivered"));
    }
  }

  @Test
  void honoursRetryAfterOverTheSchedule() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start()) {
      AtomicInteger n = new AtomicInteger();
      // The schedule would retry after 1 s; the receiver asks for 2 s.
      rx.answering(r -> n.getAndIncrement() == 0
          ? new Answer(429, Map.of("Retry-After", "2"), false) : Answer.status(200));
      String region = region();
      subscribe(rx.url("/busy"), "standard", region);
      household(region);
      Await.until(SOON, "delivered after Retry-After", () -> delivered(rx).size() == 1);
      List<Received> all = rx.received();
      assertThat(all.get(0).answered()).isEqualTo(429);
      assertThat(all.get(1).id()).isEqualTo(all.get(0).id());
      long waitedMs = (all.get(1).atNanos() - all.get(0).atNanos()) / 1_000_000;
      assertThat(waitedMs).as("the next attempt is not before Retry-After").isGreaterThanOrEqualTo(2000);
    }
  }

  @Test
  void aReceiverThatNeverAnswersDoesNotHoldUpAnother() throws Exception {
    try (WebhookReceiver silent = WebhookReceiver.start(); WebhookReceiver healthy = WebhookReceiver.start()) {
      silent.answering(r -> Answer.hang());
      String region = region();
      String silentId = subscribe(silent.url("/silent"), "standard", region).get("id").asText();
      subscribe(healthy.url("/healthy"), "standard", region);
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        events.add(registered(region + "-s" + i + "-" + UUID.randomUUID().toString().substring(0, 6), region, false,
            member("m1", "ORDINARY", false)));
      }
      assertThat(api.ingest(events.toArray(String[]::new)).json().get("accepted").asInt()).isEqualTo(16);
      Await.until(Duration.ofSeconds(30), "all 16 raised at the healthy receiver", () -> delivered(healthy).size() == 16);
      Instant healthyDone = delivered(healthy).stream().map(Received::at).max(Instant::compareTo).orElseThrow();
      assertThat(silent.received()).as("the silent receiver was tried meanwhile").isNotEmpty()
          .allMatch(r -> r.answered() == -1);
      // The silent receiver's attempts end in timeouts after request-timeout (10 s): the healthy
      // receiver had everything before the first of them ended.
      List<JsonNode> timeouts = new ArrayList<>();
      Await.until(Duration.ofSeconds(40), "timeouts recorded", () -> {
        timeouts.clear();
        deliveries(silentId).forEach(d -> d.get("attempts").forEach(a -> {
          if (a.path("error").asText().startsWith("timeout")) {
            timeouts.add(a);
          }
        }));
        return !timeouts.isEmpty();
      });
      Instant firstTimeoutEnded = timeouts.stream()
          .map(a -> Instant.parse(a.get("at").asText()).plusMillis(a.get("latencyMs").asLong()))
          .min(Instant::compareTo).orElseThrow();
      assertThat(timeouts.get(0).get("latencyMs").asLong()).isGreaterThanOrEqualTo(10_000);
      assertThat(healthyDone).as("healthy deliveries did not wait for the silent receiver").isBefore(firstTimeoutEnded);
    }
  }

  @Test
  void givesUpAfterTheScheduleRetriesByHandAndDisablesAfterFailingTooLong() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start()) {
      rx.answering(r -> Answer.status(500));
      String region = region();
      String id = subscribe(rx.url("/broken"), "standard", region).get("id").asText();
      household(region);
      Await.until(SOON, "given up after 3 attempts", () -> {
        List<JsonNode> d = deliveries(id);
        return d.size() == 1 && d.get(0).get("status").asText().equals("failed");
      });
      JsonNode failed = deliveries(id).get(0);
      assertThat(failed.get("attempts")).hasSize(3);
      assertThat(rx.received()).hasSize(3).extracting(Received::id).containsOnly(failed.get("messageId").asText());
      assertThat(subscription(id).get("failingSince").asText()).isNotEmpty();
      assertThat(subscription(id).get("enabled").asBoolean()).isTrue();
      assertThat(api.get("/metrics", null).body()).containsPattern("emon_webhook_deliveries_total\\{outcome=\"failed\"} [1-9]");

      ApiClient.Response retry = api.post("/api/v1/webhooks/" + id + "/deliveries/"
          + failed.get("deliveryId").asText() + "/retry", ADMIN, "application/json", "");
      assertThat(retry.status()).as(retry.body()).isEqualTo(202);
      assertThat(retry.json().get("status").asText()).isEqualTo("pending");
      Await.until(SOON, "disabled after failing longer than disable-after (4 s)",
          () -> !subscription(id).get("enabled").asBoolean());
      assertThat(subscription(id).get("disabledReason").asText()).contains("disable-after");
      assertThat(rx.received().size()).isGreaterThan(3);
      assertThat(api.post("/api/v1/webhooks/" + id + "/deliveries/dlv_00000000000000000000000000000000/retry",
          ADMIN, "application/json", "").status()).isEqualTo(404);
    }
  }

  @Test
  void alertmanagerWebhookBodyIsWhatAlertmanagerSendsItsReceivers() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start()) {
      String region = region();
      JsonNode sub = subscribe(rx.url("/relay"), "alertmanager-webhook", region);
      String h = household(region);
      Await.until(SOON, "firing notification", () -> delivered(rx).size() == 1);
      api.ingest(placementStarted(h, "m1", "p1", today()));
      Await.until(SOON, "resolved notification", () -> delivered(rx).size() == 2);
      JsonNode firing = delivered(rx).get(0).json();
      JsonNode resolved = delivered(rx).get(1).json();
      assertThat(firing.get("version").asText()).isEqualTo("4");
      assertThat(firing.get("status").asText()).isEqualTo("firing");
      assertThat(firing.get("receiver").asText()).isNotEmpty();
      assertThat(firing.get("groupKey").asText()).startsWith("{}:{");
      assertThat(firing.get("externalURL").asText()).startsWith("http://");
      JsonNode alert = firing.get("alerts").get(0);
      assertThat(alert.get("status").asText()).isEqualTo("firing");
      assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("ZERO_EMPLOYMENT");
      assertThat(alert.get("labels").get("household").asText()).isEqualTo(h);
      assertThat(alert.get("labels").get("county").asText()).isEqualTo("522722");
      assertThat(alert.get("labels").get("severity").asText()).isEqualTo("high");
      assertThat(alert.get("annotations").get("summary").asText()).contains("Zero-employment");
      assertThat(alert.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
      assertThat(alert.get("generatorURL").asText()).contains("/api/v1/alerts/");
      assertThat(alert.get("fingerprint").asText()).matches("[0-9a-f]{16}");
      assertThat(firing.get("commonLabels")).isEqualTo(alert.get("labels"));
      JsonNode end = resolved.get("alerts").get(0);
      assertThat(resolved.get("status").asText()).isEqualTo("resolved");
      assertThat(end.get("status").asText()).isEqualTo("resolved");
      assertThat(end.get("fingerprint").asText()).isEqualTo(alert.get("fingerprint").asText());
      assertThat(Instant.parse(end.get("endsAt").asText())).isAfterOrEqualTo(Instant.parse(end.get("startsAt").asText()));
      for (Received r : rx.received()) {
        assertThat(r.signedWith(sub.get("secret").asText())).isTrue();
      }
    }
  }

  @Test
  void sendsASignedTestDeliveryOnRequest() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start()) {
      JsonNode sub = subscribe(rx.url("/test"), "standard", region());
      ApiClient.Response r = api.post("/api/v1/webhooks/" + sub.get("id").asText() + "/test", ADMIN,
          "application/json", "");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("delivered").asBoolean()).isTrue();
      assertThat(r.json().get("statusCode").asInt()).isEqualTo(200);
      Received got = rx.received().get(0);
      assertThat(got.id()).isEqualTo(r.json().get("messageId").asText());
      assertThat(got.json().get("type").asText()).isEqualTo("webhook.test");
      assertThat(got.signedWith(sub.get("secret").asText())).isTrue();
    }
  }

  @Test
  void exposesTheWebhookMetrics() {
    String metrics = api.get("/metrics", null).body();
    assertThat(metrics).contains("emon_webhook_deliveries_total{outcome=\"delivered\"}",
        "emon_webhook_delivery_latency_seconds_bucket", "emon_webhook_outbox_backlog ",
        "emon_webhook_subscriptions_disabled ", "emon_projection_lag_seconds{projection=\"readmodel\"}");
    Set<String> names = new HashSet<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("# TYPE emon_webhook")) {
        names.add(line.split(" ")[2]);
      }
    }
    assertThat(names).contains("emon_webhook_deliveries_total", "emon_webhook_delivery_latency_seconds",
        "emon_webhook_outbox_backlog", "emon_webhook_subscriptions_disabled");
  }
}
