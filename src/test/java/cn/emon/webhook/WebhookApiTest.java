package cn.emon.webhook;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import cn.emon.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The subscription API on the embedded H2 database: admin only, input checked field by field,
 * every blocked target form answered 422, the filters applied by the outbox. The allow-list holds
 * only the host name {@code localhost}, so every address literal stays blocked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookApiTest {

  static final String ADMIN = "dev-admin-token";

  TestServer server;
  ApiClient api;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.h2(Map.of(
        "emon.webhooks.allow-targets", List.of("localhost"),
        "emon.webhooks.poll-interval", "100ms"));
    api = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  ApiClient.Response create(String body) {
    return api.post("/api/v1/webhooks", ADMIN, "application/json", body);
  }

  static void assertProblem(ApiClient.Response r, int status, String detailStart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("detail").asText()).startsWith(detailStart);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/", "http://[::1]:8080/hook", "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/", "http://2130706433/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/",
      "http://0177.0.0.1/", "http://192.168.0.10:9093/", "http://[fd00:ec2::254]/"})
  void refusesBlockedTargetsWith422(String url) {
    ApiClient.Response r = create("{\"url\":\"" + url + "\",\"format\":\"standard\"}");
    assertProblem(r, 422, "url: ");
    assertThat(r.json().get("detail").asText()).doesNotContain(url);
  }

  @Test
  void onlyAdminsManageWebhooks() {
    assertThat(api.get("/api/v1/webhooks", null).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/webhooks", "dev-read-token").status()).isEqualTo(403);
    assertThat(api.post("/api/v1/webhooks", "dev-ingest-token", "application/json", "{}").status()).isEqualTo(403);
    assertThat(api.get("/api/v1/webhooks", ADMIN).status()).isEqualTo(200);
  }

  @Test
  void namesTheFieldAtFault() {
    assertProblem(create("{}"), 400, "url: required");
    assertProblem(create("[1]"), 400, "body: must be a JSON object");
    assertProblem(create("{\"url\":"), 400, "body: malformed JSON");
    assertProblem(create("{\"url\":\"http://localhost/\",\"format\":\"standard\",\"colour\":1}"), 400, "body: unknown field");
    assertProblem(create("{\"url\":\"ftp://localhost/\",\"format\":\"standard\"}"), 400, "url: must be an absolute http");
    assertProblem(create("{\"url\":\"http://u:p@localhost/\",\"format\":\"standard\"}"), 400, "url: user info");
    assertProblem(create("{\"url\":\"http://localhost/\"}"), 400, "format: required");
    assertProblem(create("{\"url\":\"http://localhost/\",\"format\":\"slack\"}"), 400, "format: must be one of");
    assertProblem(create("{\"url\":\"http://localhost/\",\"format\":\"standard\",\"types\":[\"NOPE\"]}"), 400, "types: ");
    assertProblem(create("{\"url\":\"http://localhost/\",\"format\":\"standard\",\"regions\":[\"52a\"]}"), 400, "regions: ");
    assertProblem(create("{\"url\":\"http://localhost/\",\"format\":\"standard\",\"regions\":\"52\"}"), 400, "regions: ");
    assertProblem(create("{\"url\":\"http://localhost/\",\"format\":\"standard\",\"minSeverity\":\"low\"}"), 400,
        "minSeverity: ");
    assertProblem(create("{\"url\":\"http://localhost/\",\"format\":\"standard\",\"secret\":\"hunter2\"}"), 400,
        "secret: ");
    assertProblem(create("{\"url\":\"http://unknown-host.invalid/\",\"format\":\"standard\"}"), 422,
        "url: the host does not resolve");
  }

  @Test
  void createsListsShowsAndDeletes() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    ApiClient.Response created = create("{\"url\":\"http://localhost:9/hook\",\"format\":\"alertmanager-webhook\","
        + "\"secret\":\"" + secret + "\",\"types\":[\"ZERO_EMPLOYMENT\",\"NO_HELPER\"],\"regions\":[\"5227\"],"
        + "\"minSeverity\":\"high\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode sub = created.json();
    String id = sub.get("id").asText();
    assertThat(created.header("Location")).isEqualTo("/api/v1/webhooks/" + id);
    assertThat(sub.get("secret").asText()).isEqualTo(secret);
    assertThat(sub.get("format").asText()).isEqualTo("alertmanager-webhook");
    assertThat(sub.get("types")).hasSize(2);
    assertThat(sub.get("minSeverity").asText()).isEqualTo("high");
    assertThat(sub.get("enabled").asBoolean()).isTrue();

    ApiClient.Response generated = create("{\"url\":\"http://localhost:9/other\",\"format\":\"standard\"}");
    assertThat(generated.json().get("secret").asText()).startsWith("whsec_").hasSize(6 + 44);

    JsonNode list = api.get("/api/v1/webhooks", ADMIN).json().get("webhooks");
    assertThat(list.findValuesAsText("id")).contains(id, generated.json().get("id").asText());
    assertThat(list.findValues("secret")).as("secrets are shown only once").isEmpty();
    JsonNode one = api.get("/api/v1/webhooks/" + id, ADMIN).json();
    assertThat(one.has("secret")).isFalse();
    assertThat(one.get("pendingDeliveries").asInt()).isZero();
    assertThat(one.has("disabledReason")).isFalse();
    assertThat(api.get("/api/v1/webhooks/" + id + "/deliveries", ADMIN).json().get("deliveries")).isEmpty();
    assertProblem(api.get("/api/v1/webhooks/" + id + "/deliveries?limit=0", ADMIN), 400, "limit: ");

    assertThat(api.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/webhooks/" + id)).DELETE(), ADMIN)
        .status()).isEqualTo(204);
    assertProblem(api.get("/api/v1/webhooks/" + id, ADMIN), 404, "webhook: no such subscription");
    assertProblem(api.post("/api/v1/webhooks/" + id + "/enable", ADMIN, "application/json", ""), 404, "webhook: ");
    assertProblem(api.post("/api/v1/webhooks/wh_nope/test", ADMIN, "application/json", ""), 404, "webhook: ");
    assertProblem(api.get("/api/v1/webhooks/wh_nope/deliveries", ADMIN), 404, "webhook: ");
  }

  @Test
  void deliversOnlyWhatTheFiltersMatch() throws Exception {
    try (WebhookReceiver rx = WebhookReceiver.start(InetAddress.getByName("localhost"), 0)) {
      String county = "522723";
      String region = county + String.format("%03d", (int) (Math.random() * 1000));
      ApiClient.Response sub = create("{\"url\":\"http://localhost:" + rx.port() + "/only-critical\","
          + "\"format\":\"standard\",\"types\":[\"ZERO_EMPLOYMENT\"],\"regions\":[\"" + region + "\"],"
          + "\"minSeverity\":\"critical\"}");
      assertThat(sub.status()).as(sub.body()).isEqualTo(201);
      String high = region + "-h-" + UUID.randomUUID().toString().substring(0, 6);
      String critical = region + "-c-" + UUID.randomUUID().toString().substring(0, 6);
      String elsewhere = "522725001-" + UUID.randomUUID().toString().substring(0, 6);
      api.ingest(registered(high, region, false, member("m1", "ORDINARY", false)),
          registered(elsewhere, "522725001", true, member("m1", "ORDINARY", false)),
          registered(critical, region, true, member("m1", "ORDINARY", false)));
      Await.until(Duration.ofSeconds(15), "the critical alert delivered", () -> !rx.received().isEmpty());
      JsonNode data = rx.received().get(0).json().get("data");
      assertThat(data.get("householdId").asText()).isEqualTo(critical);
      assertThat(data.get("severity").asText()).isEqualTo("critical");
      Await.until(Duration.ofSeconds(10), "delivery recorded", () -> api.get("/api/v1/webhooks/"
          + sub.json().get("id").asText() + "/deliveries", ADMIN).json().get("deliveries").size() == 1);
      assertThat(rx.received()).hasSize(1);
    }
  }
}
