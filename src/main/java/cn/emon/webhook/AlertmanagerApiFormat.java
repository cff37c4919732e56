package cn.emon.webhook;

import cn.emon.http.JsonSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code alertmanager-api}: POST {@code <url>/api/v2/alerts} with Alertmanager's postable-alert
 * list, as Prometheus sends it. A firing alert's {@code endsAt} lies {@code 4 ×
 * emon.webhooks.alertmanager-resend} after the attempt, and the dispatcher re-sends every open
 * alert each interval, so Alertmanager never times an open alert out; a resolved alert carries
 * {@code endsAt} = its resolve time, which ends it in Alertmanager at once.
 */
final class AlertmanagerApiFormat implements PayloadFormat {

  static final String NAME = "alertmanager-api";

  private final WebhookSettings settings;

  AlertmanagerApiFormat(WebhookSettings settings) {
    this.settings = settings;
  }

  @Override
  public String wireName() {
    return NAME;
  }

  @Override
  public String target(String url) {
    return url.replaceAll("/+$", "") + "/api/v2/alerts";
  }

  @Override
  public byte[] body(String subscriptionId, AlertChange change, Instant now) {
    return JsonSupport.write(List.of(postable(change, now)));
  }

  /** One request re-sending open alerts, all firing until {@code now + 4 × resend}. */
  byte[] resendBody(List<AlertChange> open, Instant now) {
    List<Map<String, Object>> alerts = new ArrayList<>(open.size());
    for (AlertChange change : open) {
      alerts.add(postable(change, now));
    }
    return JsonSupport.write(alerts);
  }

  private Map<String, Object> postable(AlertChange change, Instant now) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("labels", AlertmanagerLabels.labels(change));
    alert.put("annotations", AlertmanagerLabels.annotations(change));
    alert.put("startsAt", change.text("raisedAt"));
    alert.put("endsAt", change.resolved() && change.text("resolvedAt") != null
        ? change.text("resolvedAt") : now.plus(settings.alertmanagerHold()).toString());
    alert.put("generatorURL", settings.externalUrl() + "/api/v1/alerts/" + change.text("alertId"));
    return alert;
  }

  /** A test alert that is resolved on arrival, so Alertmanager stores it but notifies nobody. */
  @Override
  public byte[] testBody(String subscriptionId, Instant now) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("labels", Map.of("alertname", "EmonWebhookTest", "subscription", subscriptionId));
    alert.put("annotations", Map.of("summary", "Test delivery from Employment Monitor"));
    alert.put("startsAt", now.toString());
    alert.put("endsAt", now.toString());
    return JsonSupport.write(List.of(alert));
  }
}
