package cn.emon.webhook;

import cn.emon.household.Household;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * Sends the outbox of one journal slice: one worker per slice, spread over the cluster by
 * ShardedDaemonProcess, so every (subscription, household) has a single sender in the cluster.
 * It polls the table for due deliveries that head their (subscription, household) chain and sends
 * each asynchronously; the next delivery of a chain becomes due only once the one before it is
 * recorded delivered or given up, which keeps order. In-flight requests are bounded per
 * subscription and per worker, so one slow receiver holds only its own share. Everything that
 * matters is in the tables: a restarted worker resumes from them (a request whose outcome was not
 * recorded is sent again, with the same {@code webhook-id}).
 *
 * <p>For alertmanager-api subscriptions the worker also re-sends the slice's open alerts every
 * {@code alertmanager-resend}. While a re-send of a subscription is loaded and in flight, that
 * subscription's deliveries wait, so a re-sent "firing" never overtakes a queued resolution.
 */
final class Dispatcher extends AbstractBehavior<Dispatcher.Command> {

  /** The worker's messages. */
  sealed interface Command {}

  private enum Poll implements Command { INSTANCE }

  private enum Resend implements Command { INSTANCE }

  private record Polled(List<DeliveryStore.Due> due, Throwable failure) implements Command {}

  private record Settled(String deliveryId, String subscriptionId, DeliveryStore.Outcome outcome, Throwable failure)
      implements Command {}

  private record ResendLoaded(Map<Subscription, List<AlertChange>> open, Throwable failure) implements Command {}

  private record ResendDone(String subscriptionId, boolean sent) implements Command {}

  /** Alerts per re-send request. */
  private static final int RESEND_CHUNK = 500;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the workers share. */
  record Parts(SubscriptionStore subscriptions, DeliveryStore deliveries, WebhookSender sender,
      Map<String, PayloadFormat> formats, WebhookSettings settings, WebhookMetrics metrics, Clock clock) {}

  static void init(ActorSystem<?> system, Parts parts) {
    ShardedDaemonProcess.get(system).init(Command.class, "webhook-dispatcher", Household.SLICES,
        slice -> Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Dispatcher(ctx, timers, slice, parts))),
        ShardedDaemonProcessSettings.create(system), Optional.empty());
  }

  private final int slice;
  private final Parts parts;
  private final WebhookSettings settings;
  private final TimerScheduler<Command> timers;
  private final Executor jdbc;
  private final Set<String> inFlight = new HashSet<>();
  private final Map<String, Integer> inFlightBySubscription = new HashMap<>();
  private final Set<String> settledWhilePolling = new HashSet<>();
  private final Set<String> resending = new HashSet<>();
  private boolean polling;
  private boolean pollAgain;
  private boolean loadingResend;

  private Dispatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers, int slice, Parts parts) {
    super(ctx);
    this.slice = slice;
    this.parts = parts;
    this.settings = parts.settings();
    this.timers = timers;
    this.jdbc = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
    timers.startSingleTimer(Poll.INSTANCE, Duration.ofMillis(200));
    Duration resend = settings.alertmanagerResend();
    timers.startTimerWithFixedDelay(Resend.INSTANCE, min(resend, Duration.ofSeconds(2)), resend);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Poll.class, p -> onPoll())
        .onMessage(Polled.class, this::onPolled)
        .onMessage(Settled.class, this::onSettled)
        .onMessage(Resend.class, r -> onResend())
        .onMessage(ResendLoaded.class, this::onResendLoaded)
        .onMessage(ResendDone.class, this::onResendDone)
        .build();
  }

  private Behavior<Command> onPoll() {
    if (polling) {
      pollAgain = true;
      return this;
    }
    polling = true;
    // Subscriptions that can take no more now are left out of the query, so they use no rows.
    Set<String> excluded = new HashSet<>(resending);
    inFlightBySubscription.forEach((subscription, n) -> {
      if (n >= settings.maxInFlightPerSubscription()) {
        excluded.add(subscription);
      }
    });
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> parts.deliveries().due(slice, parts.clock().instant(),
            settings.maxInFlightPerSubscription(), settings.maxInFlight(), excluded), jdbc),
        Polled::new);
    return this;
  }

  private Behavior<Command> onPolled(Polled polled) {
    polling = false;
    if (polled.failure() != null) {
      getContext().getLog().warn("Webhook outbox poll of slice {} failed: {}", slice,
          causeOf(polled.failure()));
    } else {
      for (DeliveryStore.Due due : polled.due()) {
        if (mayStart(due)) {
          start(due);
        }
      }
    }
    // A delivery settled while the query ran may show up in it still pending: never resend it.
    settledWhilePolling.clear();
    if (pollAgain) {
      pollAgain = false;
      getContext().getSelf().tell(Poll.INSTANCE);
    } else {
      timers.startSingleTimer(Poll.INSTANCE, settings.pollInterval());
    }
    return this;
  }

  private boolean mayStart(DeliveryStore.Due due) {
    String subscription = due.subscription().id();
    return !inFlight.contains(due.deliveryId())
        && !settledWhilePolling.contains(due.deliveryId())
        && !resending.contains(subscription)
        && !(loadingResend && due.subscription().format().equals(AlertmanagerApiFormat.NAME))
        && inFlight.size() < settings.maxInFlight()
        && inFlightBySubscription.getOrDefault(subscription, 0) < settings.maxInFlightPerSubscription();
  }

  private void start(DeliveryStore.Due due) {
    Subscription s = due.subscription();
    inFlight.add(due.deliveryId());
    inFlightBySubscription.merge(s.id(), 1, Integer::sum);
    PayloadFormat format = parts.formats().get(s.format());
    CompletionStage<DeliveryStore.Outcome> outcome = parts.sender()
        .send(format.target(s.url()), s.secret(), due.messageId(),
            format.body(s.id(), due.change(), parts.clock().instant()))
        .thenApplyAsync(attempt -> parts.deliveries().record(due, attempt, parts.clock().instant()), jdbc);
    getContext().pipeToSelf(outcome, (o, failure) -> new Settled(due.deliveryId(), s.id(), o, failure));
  }

  private Behavior<Command> onSettled(Settled settled) {
    inFlight.remove(settled.deliveryId());
    inFlightBySubscription.computeIfPresent(settled.subscriptionId(), (k, n) -> n > 1 ? n - 1 : null);
    if (polling) {
      settledWhilePolling.add(settled.deliveryId());
    }
    if (settled.failure() != null) {
      // Not recorded: the delivery stays due and is sent again (at least once).
      getContext().getLog().warn("Webhook attempt of slice {} could not be recorded: {}", slice,
          causeOf(settled.failure()));
    } else {
      parts.metrics().outcome(settled.outcome());
    }
    return onPoll();
  }

  private Behavior<Command> onResend() {
    if (loadingResend || !resending.isEmpty()) {
      return this;
    }
    loadingResend = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(this::loadResend, jdbc), ResendLoaded::new);
    return this;
  }

  private Map<Subscription, List<AlertChange>> loadResend() {
    List<Subscription> subscriptions = parts.subscriptions().list().stream()
        .filter(s -> s.enabled() && s.format().equals(AlertmanagerApiFormat.NAME)).toList();
    Map<Subscription, List<AlertChange>> bySubscription = new HashMap<>();
    if (subscriptions.isEmpty()) {
      return bySubscription;
    }
    List<AlertChange> open = parts.deliveries().openAlerts(slice);
    for (Subscription s : subscriptions) {
      List<AlertChange> matching = open.stream().filter(s::matches).toList();
      if (!matching.isEmpty()) {
        bySubscription.put(s, matching);
      }
    }
    return bySubscription;
  }

  private Behavior<Command> onResendLoaded(ResendLoaded loaded) {
    loadingResend = false;
    if (loaded.failure() != null) {
      getContext().getLog().warn("Alertmanager re-send of slice {} could not load: {}", slice,
          causeOf(loaded.failure()));
      return this;
    }
    AlertmanagerApiFormat format = (AlertmanagerApiFormat) parts.formats().get(AlertmanagerApiFormat.NAME);
    loaded.open().forEach((s, alerts) -> {
      resending.add(s.id());
      CompletionStage<Boolean> sent = CompletableFuture.completedFuture(true);
      for (int from = 0; from < alerts.size(); from += RESEND_CHUNK) {
        List<AlertChange> chunk = alerts.subList(from, Math.min(alerts.size(), from + RESEND_CHUNK));
        sent = sent.thenCompose(ok -> parts.sender()
            .send(format.target(s.url()), s.secret(), resendMessageId(),
                format.resendBody(new ArrayList<>(chunk), parts.clock().instant()))
            .thenApply(attempt -> ok && attempt.delivered()));
      }
      getContext().pipeToSelf(sent, (ok, failure) -> new ResendDone(s.id(), failure == null && ok));
    });
    return this;
  }

  private Behavior<Command> onResendDone(ResendDone done) {
    resending.remove(done.subscriptionId());
    parts.metrics().resend(done.sent());
    return onPoll();
  }

  /** The class of the root cause: exception messages may carry values. */
  private static String causeOf(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName();
  }

  private static String resendMessageId() {
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    return "msg_resend_" + HexFormat.of().formatHex(id);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
