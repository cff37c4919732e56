package cn.emon.webhook;

import cn.emon.auth.Authenticator;
import cn.emon.readmodel.Fold;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Webhooks (CONTRACT §5): the outbox fold the read-model projection runs ({@link #outbox}), and
 * ({@link #init}) the per-slice dispatcher, the webhook metrics and the {@code /webhooks} routes.
 */
public final class Webhooks {

  private Webhooks() {}

  /** Queues alert changes for delivery, in the read-model projection's transaction. */
  public static Supplier<Fold> outbox(WebhookSettings settings, Clock clock) {
    return () -> new OutboxFold(settings, clock);
  }

  public static Route init(ActorSystem<?> system, DataSource dataSource, PrometheusRegistry registry, Clock clock,
      WebhookSettings settings, Authenticator authenticator) {
    Executor jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
    SubscriptionStore subscriptions = new SubscriptionStore(dataSource);
    DeliveryStore deliveries = new DeliveryStore(dataSource, settings);
    WebhookMetrics metrics = new WebhookMetrics(registry, deliveries::countPending, subscriptions::countDisabled);
    TargetPolicy policy = new TargetPolicy(settings.allowTargets());
    Executor resolver = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.webhooks.resolver-dispatcher"));
    WebhookSender sender = new WebhookSender(system, settings, policy, clock, metrics, resolver);
    Map<String, PayloadFormat> formats = PayloadFormat.all(settings);

    Dispatcher.init(system, new Dispatcher.Parts(subscriptions, deliveries, sender, formats, settings, metrics, clock));
    return new WebhookRoutes(authenticator, subscriptions, deliveries, sender, policy, formats, clock, jdbc).route();
  }
}
