package cn.emon.webhook;

import cn.emon.http.JsonSupport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code alertmanager-webhook}: the version-4 body Alertmanager itself POSTs to webhook
 * receivers, one alert per request, so relays written for Alertmanager (DingTalk, WeCom …)
 * consume it unchanged. {@code endsAt} is {@code 0001-01-01T00:00:00Z} while firing, as
 * Alertmanager sends it, and the resolve time once resolved; {@code fingerprint} is
 * Alertmanager's hash of the labels, stable for the alert.
 */
final class AlertmanagerWebhookFormat implements PayloadFormat {

  static final String NAME = "alertmanager-webhook";
  static final String RECEIVER = "employment-monitor";
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final WebhookSettings settings;

  AlertmanagerWebhookFormat(WebhookSettings settings) {
    this.settings = settings;
  }

  @Override
  public String wireName() {
    return NAME;
  }

  @Override
  public byte[] body(String subscriptionId, AlertChange change, Instant now) {
    Map<String, String> labels = AlertmanagerLabels.labels(change);
    Map<String, String> annotations = AlertmanagerLabels.annotations(change);
    boolean resolved = change.resolved();
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("status", resolved ? "resolved" : "firing");
    alert.put("labels", labels);
    alert.put("annotations", annotations);
    alert.put("startsAt", change.text("raisedAt"));
    alert.put("endsAt", resolved && change.text("resolvedAt") != null ? change.text("resolvedAt") : ZERO_TIME);
    alert.put("generatorURL", settings.externalUrl() + "/api/v1/alerts/" + change.text("alertId"));
    alert.put("fingerprint", AlertmanagerLabels.fingerprint(labels));
    Map<String, String> groupLabels = new LinkedHashMap<>();
    groupLabels.put("alert_id", labels.get("alert_id"));
    groupLabels.put("alertname", labels.get("alertname"));
    return JsonSupport.write(envelope(resolved ? "resolved" : "firing", groupLabels, labels, annotations, alert));
  }

  @Override
  public byte[] testBody(String subscriptionId, Instant now) {
    Map<String, String> labels = Map.of("alertname", "EmonWebhookTest", "subscription", subscriptionId);
    Map<String, String> annotations = Map.of("summary", "Test delivery from Employment Monitor");
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("status", "firing");
    alert.put("labels", labels);
    alert.put("annotations", annotations);
    alert.put("startsAt", now.toString());
    alert.put("endsAt", ZERO_TIME);
    alert.put("generatorURL", settings.externalUrl());
    alert.put("fingerprint", AlertmanagerLabels.fingerprint(labels));
    return JsonSupport.write(envelope("firing", Map.of("alertname", "EmonWebhookTest"), labels, annotations, alert));
  }

  private Map<String, Object> envelope(String status, Map<String, String> groupLabels, Map<String, String> labels,
      Map<String, String> annotations, Map<String, Object> alert) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", "4");
    body.put("groupKey", "{}:{" + groupLabels.entrySet().stream()
        .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(", ")) + "}");
    body.put("truncatedAlerts", 0);
    body.put("status", status);
    body.put("receiver", RECEIVER);
    body.put("groupLabels", groupLabels);
    body.put("commonLabels", labels);
    body.put("commonAnnotations", annotations);
    body.put("externalURL", settings.externalUrl());
    body.put("alerts", List.of(alert));
    return body;
  }
}
