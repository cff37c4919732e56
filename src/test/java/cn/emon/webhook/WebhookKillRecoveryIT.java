package cn.emon.webhook;

import static cn.emon.testing.Events.today;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.Canary;
import cn.emon.testing.CanaryScan;
import cn.emon.testing.ServerProcess;
import cn.emon.testing.TestServer;
import cn.emon.testing.WebhookReceiver;
import cn.emon.testing.WebhookReceiver.Received;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Delivery survives a crash: with the receiver down, alert changes pile up in the outbox (some
 * attempted, some perhaps not yet projected); the server is killed with SIGKILL; receiver and
 * server come back, and every change reaches the receiver, with the webhook-id it had before. The
 * events carry the canary values, which must appear in no webhook, log, metric or alert.
 */
class WebhookKillRecoveryIT {

  static final String ADMIN = "dev-admin-token";

  @Test
  void everyDeliveryArrivesAfterReceiverOutageAndKill9() throws Exception {
    long started = System.nanoTime();
    ServerProcess.jar();
    String db = TestServer.createPostgresDatabase();
    int receiverPort = ServerProcess.freePort();
    Map<String, String> props = new LinkedHashMap<>(WebhookReceiver.serverSettings());
    props.put("emon.db.url", db);
    try (ServerProcess server = ServerProcess.start(props);
        WebhookReceiver receiver = WebhookReceiver.start(java.net.InetAddress.getLoopbackAddress(), receiverPort)) {
      ApiClient api = server.client();
      ApiClient.Response sub = api.post("/api/v1/webhooks", ADMIN, "application/json",
          "{\"url\":\"" + receiver.url("/crash") + "\",\"format\":\"standard\"}");
      assertThat(sub.status()).as(sub.body()).isEqualTo(201);
      String id = sub.json().get("id").asText();
      String secret = sub.json().get("secret").asText();
      receiver.stop();

      List<String> households = new ArrayList<>();
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String h = "522727-k" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
        households.add(h);
        // Personal-looking values in every free-text or ignored field: none may reach a webhook or log.
        events.add(Canary.registered(h, "522727", Canary.member("m1", "ORDINARY")));
        if (i % 2 == 0) {
          events.add(Canary.placementStarted(h, "m1", "p1", today()));
        }
      }
      assertThat(api.ingest(events.subList(0, 20).toArray(String[]::new)).json().get("accepted").asInt()).isEqualTo(20);
      Await.until(Duration.ofSeconds(60), "deliveries waiting, attempted against the dead receiver", () -> {
        List<JsonNode> deliveries = new ArrayList<>();
        api.get("/api/v1/webhooks/" + id + "/deliveries?limit=1000", ADMIN).json().get("deliveries")
            .forEach(deliveries::add);
        return deliveries.size() >= 10 && deliveries.stream().anyMatch(d -> d.get("attempts").size() > 0
            && d.get("attempts").get(0).path("error").asText().equals("connection failed"));
      });
      Set<String> idsBeforeKill = new HashSet<>();
      api.get("/api/v1/webhooks/" + id + "/deliveries?limit=1000", ADMIN).json().get("deliveries")
          .forEach(d -> idsBeforeKill.add(d.get("messageId").asText()));
      // The rest is stored (acknowledged) just before the kill: part may not be projected yet.
      assertThat(api.ingest(events.subList(20, events.size()).toArray(String[]::new)).json().get("accepted").asInt())
          .isEqualTo(events.size() - 20);

      server.kill();
      receiver.restart();
      server.restart();

      Map<String, List<String>> expected = new LinkedHashMap<>();
      for (String h : households) {
        expected.put(h, AlertChanges.ofHousehold(api, h));
      }
      int total = expected.values().stream().mapToInt(List::size).sum();
      assertThat(total).isEqualTo(30);
      Await.until(Duration.ofSeconds(180), total + " changes delivered after the crash", () ->
          receiver.received().stream().filter(r -> r.answered() == 200).map(Received::id).distinct().count() >= total);
      // At least once: a request whose outcome the crash lost is sent again; order holds all the same.
      Map<String, List<String>> got = AlertChanges.delivered(receiver.received());
      assertThat(got).isEqualTo(expected);
      Set<String> received = receiver.received().stream().map(Received::id).collect(Collectors.toSet());
      assertThat(received).as("the webhook-ids queued before the kill are the ones delivered after it")
          .containsAll(idsBeforeKill);
      assertThat(receiver.received()).allMatch(r -> r.signedWith(secret));
      Await.until(Duration.ofSeconds(30), "outbox empty", () ->
          api.get("/api/v1/webhooks/" + id, ADMIN).json().get("pendingDeliveries").asInt() == 0);
      CanaryScan.ofServer(server, households.get(0), "522727").webhooks(receiver).assertClean();
      server.stop();
      System.out.printf("WebhookKillRecoveryIT receiver down, then kill -9 of the server: held: all %d changes"
          + " delivered in order with their webhook-ids, signed (%d requests); no canary leak; took %d s%n", total,
          receiver.received().size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
    } finally {
      TestServer.dropPostgresDatabase(db);
    }
  }
}
