package cn.emon.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one subscription's requests look: where they go and what their body is. One class per
 * format; every request is signed with the Standard Webhooks headers whatever the format.
 */
sealed interface PayloadFormat permits StandardFormat, AlertmanagerApiFormat, AlertmanagerWebhookFormat {

  /** The name in the subscription's {@code format} field. */
  String wireName();

  /** The URL requests go to, from the subscription's URL. */
  default String target(String url) {
    return url;
  }

  /** The body for one alert change, rendered at {@code now} (the moment of the attempt). */
  byte[] body(String subscriptionId, AlertChange change, Instant now);

  /** The body of a test delivery ({@code POST /webhooks/{id}/test}). */
  byte[] testBody(String subscriptionId, Instant now);

  /** Every format, by wire name. */
  static Map<String, PayloadFormat> all(WebhookSettings settings) {
    return Map.of(
        StandardFormat.NAME, new StandardFormat(),
        AlertmanagerApiFormat.NAME, new AlertmanagerApiFormat(settings),
        AlertmanagerWebhookFormat.NAME, new AlertmanagerWebhookFormat(settings));
  }

  static List<String> names() {
    return List.of(StandardFormat.NAME, AlertmanagerApiFormat.NAME, AlertmanagerWebhookFormat.NAME);
  }

  static Optional<String> known(String name) {
    return names().contains(name) ? Optional.of(name) : Optional.empty();
  }
}
