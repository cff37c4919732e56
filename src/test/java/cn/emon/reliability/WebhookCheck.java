package cn.emon.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.WebhookReceiver;
import cn.emon.testing.WebhookReceiver.Received;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhooks through a fault test: a receiver on loopback subscribed (standard format) before the
 * load; afterwards every alert change the read model shows for the acknowledged households must
 * have reached it at least once, signed, the raise before the resolution. Duplicates are allowed
 * (at-least-once: a request whose outcome a crash lost is sent again) and counted.
 */
final class WebhookCheck implements AutoCloseable {

  private static final String ADMIN = "dev-admin-token";
  static final String REGION = "522701";

  private final WebhookReceiver receiver;
  private final String secret;

  private WebhookCheck(WebhookReceiver receiver, String secret) {
    this.receiver = receiver;
    this.secret = secret;
  }

  /** Starts a receiver and subscribes it to every alert change. */
  static WebhookCheck subscribe(ApiClient api) throws IOException {
    WebhookReceiver receiver = WebhookReceiver.start();
    ApiClient.Response sub = api.post("/api/v1/webhooks", ADMIN, "application/json",
        "{\"url\":\"" + receiver.url("/fault") + "\",\"format\":\"standard\"}");
    if (sub.status() != 201) {
      receiver.close();
      throw new AssertionError("subscribing the receiver: " + sub.status() + " " + sub.body());
    }
    return new WebhookCheck(receiver, sub.json().get("secret").asText());
  }

  WebhookReceiver receiver() {
    return receiver;
  }

  /**
   * Waits up to {@code bound} for every alert change of {@code households} (as the alerts API
   * shows them) to arrive, then checks signatures and order; returns a one-line account.
   * What the read model must show is pinned first: each household's registration (two labour-capable
   * members, nobody employed) raised one ZERO_EMPLOYMENT alert and its placement resolved it.
   */
  String verifyAtLeastOnce(ApiClient api, Set<String> households, Duration bound) {
    Map<String, List<JsonNode>> alerts = new HashMap<>();
    Await.until(Duration.ofSeconds(60), "the read model shows each household's alert raised and resolved", () -> {
      alerts.clear();
      alertsOf(api).forEach(a -> alerts.computeIfAbsent(a.get("householdId").asText(), k -> new ArrayList<>()).add(a));
      return households.stream().allMatch(h -> alerts.getOrDefault(h, List.of()).stream().anyMatch(a ->
          a.get("type").asText().equals("ZERO_EMPLOYMENT") && a.get("status").asText().equals("resolved")));
    });
    Set<String> expected = new HashSet<>();
    for (String h : households) {
      for (JsonNode a : alerts.get(h)) {
        String id = a.get("alertId").asText();
        expected.add("alert.raised " + id);
        if (a.hasNonNull("acknowledgedAt")) {
          expected.add("alert.acknowledged " + id);
        }
        if (a.hasNonNull("resolvedAt")) {
          expected.add("alert.resolved " + id);
        }
      }
    }
    long waitStarted = System.nanoTime();
    try {
      Await.until(bound, expected.size() + " alert changes delivered", () -> delivered().containsAll(expected));
    } catch (AssertionError e) {
      Set<String> missing = new HashSet<>(expected);
      missing.removeAll(delivered());
      throw new AssertionError(e.getMessage() + ": " + missing.size() + " missing, e.g. "
          + missing.stream().limit(5).toList(), e);
    }
    long drainMillis = Duration.ofNanos(System.nanoTime() - waitStarted).toMillis();

    List<Received> received = receiver.received();
    assertThat(received).as("every delivery is signed with the subscription's secret")
        .allMatch(r -> r.signature() != null && r.signedWith(secret));
    // Order per household: a change becomes due only after the one before it was delivered.
    Map<String, Integer> firstArrival = new HashMap<>();
    for (int i = 0; i < received.size(); i++) {
      firstArrival.putIfAbsent(line(received.get(i).json()), i);
    }
    for (String change : expected) {
      if (change.startsWith("alert.resolved ")) {
        String raised = "alert.raised " + change.substring("alert.resolved ".length());
        assertThat(firstArrival.get(raised)).as(raised + " arrives before its resolution")
            .isLessThan(firstArrival.get(change));
      }
    }
    long distinctIds = received.stream().map(Received::id).distinct().count();
    long distinctChanges = received.stream().map(r -> line(r.json())).distinct().count();
    assertThat(distinctIds).as("one webhook-id per change, stable across retries").isEqualTo(distinctChanges);
    return String.format("webhooks: %d changes of %d households delivered at least once (%d requests, %d duplicates,"
        + " all signed), drained %d ms after the load", expected.size(), households.size(), received.size(),
        received.size() - distinctIds, drainMillis);
  }

  /** Every change received with a 2xx answer, as "type alertId". */
  private Set<String> delivered() {
    Set<String> got = new HashSet<>();
    for (Received r : receiver.received()) {
      if (r.answered() / 100 == 2) {
        got.add(line(r.json()));
      }
    }
    return got;
  }

  private static String line(JsonNode body) {
    return body.get("type").asText() + " " + body.get("data").get("alertId").asText();
  }

  /** Every alert of the region, all statuses, through the pages of the alerts API. */
  static List<JsonNode> alertsOf(ApiClient api) {
    List<JsonNode> all = new ArrayList<>();
    api.alertPages("region=" + REGION + "&limit=1000", "dev-read-token")
        .forEach(page -> page.json().get("alerts").forEach(all::add));
    return all;
  }

  @Override
  public void close() {
    receiver.close();
  }
}
