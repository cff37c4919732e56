package cn.emon.webhook;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.placementStarted;
import static cn.emon.testing.Events.registered;
import static cn.emon.testing.Events.today;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The alertmanager-api format against a real Alertmanager (Debian's {@code prometheus-alertmanager},
 * started here on a free loopback port): a raised alert is listed firing in Alertmanager's own
 * {@code GET /api/v2/alerts} with Alertmanager's fingerprint, stays firing across re-sends, and is
 * no longer active once resolved — also after further re-sends. Skipped when the binary is absent,
 * unless {@code EMON_TEST_REQUIRE_PG} is set (CI), where it fails instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookAlertmanagerTest {

  static final String ADMIN = "dev-admin-token";
  static final Duration RESEND = Duration.ofSeconds(2);

  Process alertmanager;
  Path dir;
  ApiClient am;
  int amPort;
  TestServer server;
  ApiClient api;

  static Optional<Path> binary() {
    return Stream.concat(Stream.of(System.getenv("PATH").split(File.pathSeparator)), Stream.of("/usr/bin"))
        .flatMap(d -> Stream.of(Path.of(d, "prometheus-alertmanager"), Path.of(d, "alertmanager")))
        .filter(Files::isExecutable).findFirst();
  }

  @BeforeAll
  void start() throws Exception {
    Optional<Path> bin = binary();
    if (bin.isEmpty()) {
      String message = "prometheus-alertmanager not installed (apt-get install prometheus-alertmanager)";
      if (System.getenv("EMON_TEST_REQUIRE_PG") != null) {
        throw new IllegalStateException(message + " but EMON_TEST_REQUIRE_PG is set");
      }
      assumeTrue(false, message + ": Alertmanager test skipped");
    }
    dir = Files.createTempDirectory("emon-am");
    Files.writeString(dir.resolve("am.yml"), """
        route:
          receiver: blackhole
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: blackhole
        """);
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      amPort = s.getLocalPort();
    }
    alertmanager = new ProcessBuilder(bin.get().toString(),
        "--web.listen-address=127.0.0.1:" + amPort, "--storage.path=" + dir.resolve("data"),
        "--config.file=" + dir.resolve("am.yml"), "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(dir.resolve("am.log").toFile()).start();
    am = new ApiClient("http://127.0.0.1:" + amPort);
    Await.until(Duration.ofSeconds(30), "Alertmanager ready", () -> am.get("/-/ready", null).status() == 200);

    server = TestServer.h2(Map.of(
        "emon.webhooks.allow-targets", List.of("127.0.0.1/32"),
        "emon.webhooks.alertmanager-resend", RESEND.toMillis() + "ms",
        "emon.webhooks.poll-interval", "100ms"));
    api = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (alertmanager != null) {
      alertmanager.destroy();
      alertmanager.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      alertmanager.destroyForcibly();
    }
  }

  /** The alerts Alertmanager lists (active, silenced, inhibited) with this alert id. */
  List<JsonNode> amAlerts(String alertId) {
    String filter = URLEncoder.encode("alert_id=\"" + alertId + "\"", StandardCharsets.UTF_8);
    JsonNode list = am.get("/api/v2/alerts?filter=" + filter, null).json();
    java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
    list.forEach(out::add);
    return out;
  }

  String openAlertOf(String household) {
    String[] id = new String[1];
    Await.until(Duration.ofSeconds(15), "alert of " + household, () -> {
      JsonNode alerts = api.get("/api/v1/alerts?householdId=" + household, ADMIN).json().get("alerts");
      if (alerts.isEmpty()) {
        return false;
      }
      id[0] = alerts.get(0).get("alertId").asText();
      return true;
    });
    return id[0];
  }

  double resendsSent() {
    Matcher m = Pattern.compile("emon_webhook_alertmanager_resends_total\\{outcome=\"sent\"} ([0-9.]+)")
        .matcher(api.get("/metrics", null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void alertmanagerListsTheAlertFiringAndNoLongerAfterResolution() throws IOException {
    String region = "522726" + String.format("%03d", (int) (Math.random() * 1000));
    ApiClient.Response sub = api.post("/api/v1/webhooks", ADMIN, "application/json",
        "{\"url\":\"http://127.0.0.1:" + amPort + "/\",\"format\":\"alertmanager-api\",\"regions\":[\"" + region + "\"]}");
    assertThat(sub.status()).as(sub.body()).isEqualTo(201);

    String resolving = region + "-r-" + UUID.randomUUID().toString().substring(0, 6);
    String staying = region + "-s-" + UUID.randomUUID().toString().substring(0, 6);
    api.ingest(registered(resolving, region, true, member("m1", "ORDINARY", false)),
        registered(staying, region, false, member("m1", "WEAK", false)));
    String alertId = openAlertOf(resolving);
    String otherId = openAlertOf(staying);

    Await.until(Duration.ofSeconds(20), "firing in Alertmanager", () -> amAlerts(alertId).size() == 1
        && amAlerts(alertId).get(0).get("status").get("state").asText().equals("active"));
    JsonNode firing = amAlerts(alertId).get(0);
    JsonNode labels = firing.get("labels");
    assertThat(labels.get("alertname").asText()).isEqualTo("ZERO_EMPLOYMENT");
    assertThat(labels.get("severity").asText()).isEqualTo("critical");
    assertThat(labels.get("household").asText()).isEqualTo(resolving);
    assertThat(labels.get("county").asText()).isEqualTo("522726");
    assertThat(labels.get("region").asText()).isEqualTo(region);
    assertThat(firing.get("annotations").get("summary").asText()).contains("零就业户");
    assertThat(firing.get("receivers").get(0).get("name").asText()).isEqualTo("blackhole");
    Map<String, String> labelMap = new TreeMap<>();
    labels.fields().forEachRemaining(e -> labelMap.put(e.getKey(), e.getValue().asText()));
    assertThat(firing.get("fingerprint").asText()).as("our fingerprint is Alertmanager's")
        .isEqualTo(AlertmanagerLabels.fingerprint(labelMap));
    Instant firstEnd = Instant.parse(firing.get("endsAt").asText());
    assertThat(firstEnd).isAfter(Instant.now());

    // Re-sends push endsAt forward, so Alertmanager never times the open alert out.
    Await.until(Duration.ofSeconds(20), "endsAt moved forward by a re-send", () ->
        Instant.parse(amAlerts(alertId).get(0).get("endsAt").asText()).isAfter(firstEnd));

    api.ingest(placementStarted(resolving, "m1", "p1", today()));
    Await.until(Duration.ofSeconds(20), "no longer active in Alertmanager", () -> amAlerts(alertId).isEmpty());
    double sent = resendsSent();
    Await.until(Duration.ofSeconds(20), "two more re-sends (of the alert still open)", () -> resendsSent() >= sent + 2);
    assertThat(amAlerts(alertId)).as("a re-send never brings a resolved alert back").isEmpty();
    assertThat(amAlerts(otherId)).hasSize(1);
  }
}
