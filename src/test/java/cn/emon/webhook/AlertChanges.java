package cn.emon.webhook;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.WebhookReceiver.Received;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The alert changes a household's history holds and a receiver got, as "type alertId" lines. */
final class AlertChanges {

  private AlertChanges() {}

  /** The household's alert changes in journal order, read from its history (retried while it answers 503). */
  static List<String> ofHousehold(ApiClient api, String household) {
    List<String> changes = new ArrayList<>();
    Await.until(Duration.ofSeconds(60), "history of " + household, () -> {
      ApiClient.Response r = api.get("/api/v1/households/" + household + "/events", "dev-read-token");
      if (r.status() != 200) {
        return false;
      }
      changes.clear();
      r.json().get("events").forEach(e -> {
        if (e.get("type").asText().startsWith("alert.")) {
          changes.add(e.get("type").asText() + " " + e.get("event").get("alert").get("alertId").asText());
        }
      });
      return true;
    });
    return changes;
  }

  /**
   * What a receiver accepted (2xx) of standard-format deliveries, per household in arrival order;
   * a repeat of the same change (at-least-once after a crash) counts once.
   */
  static Map<String, List<String>> delivered(List<Received> received) {
    return received.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).map(Received::json)
        .collect(Collectors.groupingBy(AlertChanges::household, Collectors.mapping(AlertChanges::line,
            Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().distinct().toList()))));
  }

  private static String household(JsonNode body) {
    return body.get("data").get("householdId").asText();
  }

  private static String line(JsonNode body) {
    return body.get("type").asText() + " " + body.get("data").get("alertId").asText();
  }
}
