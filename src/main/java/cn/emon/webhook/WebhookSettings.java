package cn.emon.webhook;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/** Settings of webhook delivery ({@code emon.webhooks}). */
public record WebhookSettings(
    List<Duration> retrySchedule,
    Duration disableAfter,
    Duration requestTimeout,
    List<String> allowTargets,
    Duration alertmanagerResend,
    Duration pollInterval,
    int maxInFlightPerSubscription,
    int maxInFlight,
    int maxResponseBytes,
    Duration maxRetryAfter,
    String externalUrl) {

  public WebhookSettings {
    if (retrySchedule.isEmpty()) {
      throw new IllegalArgumentException("emon.webhooks.retry-schedule: needs at least one delay");
    }
    if (maxInFlightPerSubscription < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("emon.webhooks.max-in-flight*: must be at least 1");
    }
    retrySchedule = List.copyOf(retrySchedule);
    allowTargets = List.copyOf(allowTargets);
  }

  /** {@code externalUrlFallback} stands in when {@code external-url} is empty. */
  public static WebhookSettings from(Config webhooks, String externalUrlFallback) {
    String external = webhooks.getString("external-url").trim();
    return new WebhookSettings(
        webhooks.getDurationList("retry-schedule"),
        webhooks.getDuration("disable-after"),
        webhooks.getDuration("request-timeout"),
        webhooks.getStringList("allow-targets"),
        webhooks.getDuration("alertmanager-resend"),
        webhooks.getDuration("poll-interval"),
        webhooks.getInt("max-in-flight-per-subscription"),
        webhooks.getInt("max-in-flight"),
        (int) Math.min(Integer.MAX_VALUE, webhooks.getBytes("max-response-bytes")),
        webhooks.getDuration("max-retry-after"),
        external.isEmpty() ? externalUrlFallback : external.replaceAll("/+$", ""));
  }

  /** How long an alertmanager-api alert stays firing in Alertmanager without another send. */
  public Duration alertmanagerHold() {
    return alertmanagerResend.multipliedBy(4);
  }
}
