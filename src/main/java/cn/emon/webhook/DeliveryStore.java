package cn.emon.webhook;

import cn.emon.http.JsonSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The outbox: {@code webhook_deliveries} with their {@code webhook_attempts}, and the open alerts
 * the alertmanager-api re-send reads. Blocking: call on the JDBC dispatcher.
 */
final class DeliveryStore {

  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";

  /** What recording an attempt did to its delivery. */
  enum Outcome {
    /** 2xx: done. */
    DELIVERED,
    /** Will be tried again (also when the subscription was disabled and the delivery waits). */
    RETRYING,
    /** The retry schedule is used up: given up. */
    FAILED,
    /** The row changed meanwhile (deleted, retried by hand or sent by another worker): nothing recorded. */
    STALE
  }

  /** A delivery due now, with its subscription. */
  record Due(String deliveryId, String messageId, String householdId, AlertChange change, int attempts,
      int scheduleStep, Subscription subscription) {}

  /** One attempt as {@code GET /webhooks/{id}/deliveries} shows it. */
  record AttemptView(Instant at, Integer statusCode, String error, long latencyMs) {}

  /** One delivery as {@code GET /webhooks/{id}/deliveries} shows it. */
  record DeliveryView(String deliveryId, String messageId, String alertId, String householdId, String type,
      String status, Instant createdAt, Instant nextAttemptAt, List<AttemptView> attempts) {}

  private final DataSource dataSource;
  private final WebhookSettings settings;

  DeliveryStore(DataSource dataSource, WebhookSettings settings) {
    this.dataSource = dataSource;
    this.settings = settings;
  }

  /**
   * Deliveries of {@code slice} due at {@code now} whose subscription is enabled and not in
   * {@code excluded}, that head their (subscription, household) chain (no earlier delivery of the
   * chain is still pending): at most {@code perSubscription} per subscription, so a subscription
   * with a large backlog never crowds the others out of the {@code limit}.
   */
  List<Due> due(int slice, Instant now, int perSubscription, int limit, Set<String> excluded) {
    List<Object> args = new ArrayList<>(List.of(PENDING, slice, now.toEpochMilli(), true, PENDING));
    StringBuilder notIn = new StringBuilder();
    if (!excluded.isEmpty()) {
      notIn.append(" AND d.subscription_id NOT IN (").append(String.join(", ", Collections.nCopies(excluded.size(), "?")))
          .append(")");
      args.addAll(excluded);
    }
    args.add(perSubscription);
    return Sql.transaction(dataSource, c -> Sql.query(c,
        "SELECT * FROM (SELECT d.delivery_id, d.message_id, d.household_id, d.event_type, d.event_at, d.payload,"
            + " d.attempts, d.schedule_step, d.next_attempt_at, d.seq, s.id, s.url, s.secret, s.format, s.types,"
            + " s.regions, s.min_severity, s.enabled, s.disabled_reason, s.disabled_at, s.failing_since, s.created_at,"
            + " ROW_NUMBER() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.seq) AS rank_in_sub"
            + " FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id"
            + " WHERE d.status = ? AND d.slice = ? AND d.next_attempt_at <= ? AND s.enabled = ?"
            + " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id"
            + " AND e.household_id = d.household_id AND e.status = ? AND e.seq < d.seq)" + notIn
            + ") due WHERE rank_in_sub <= ? ORDER BY next_attempt_at, seq LIMIT " + limit,
        rs -> new Due(rs.getString("delivery_id"), rs.getString("message_id"), rs.getString("household_id"),
            new AlertChange(rs.getString("event_type"), Instant.ofEpochMilli(rs.getLong("event_at")),
                json(rs.getString("payload"))),
            rs.getInt("attempts"), rs.getInt("schedule_step"), SubscriptionStore.row(rs)),
        args.toArray()));
  }

  /**
   * Records one attempt and moves its delivery on: delivered on 2xx; waiting for {@code enable}
   * when the receiver answered 410 (which disables the subscription); otherwise the next step of
   * the retry schedule (or the receiver's Retry-After), or given up when the schedule is used up.
   * A subscription failing for longer than {@code disable-after} is disabled. One transaction.
   */
  Outcome record(Due due, Attempt attempt, Instant now) {
    return Sql.transaction(dataSource, c -> {
      long nowMs = now.toEpochMilli();
      int step = due.scheduleStep();
      String status = PENDING;
      long next = nowMs;
      Long finished = null;
      String disable = null;
      if (attempt.delivered()) {
        status = DELIVERED;
        finished = nowMs;
      } else if (attempt.gone()) {
        disable = "the receiver answered 410 Gone";
      } else if (++step >= settings.retrySchedule().size()) {
        status = FAILED;
        finished = nowMs;
      } else {
        Duration delay = attempt.retryAfter() != null
            ? min(attempt.retryAfter(), settings.maxRetryAfter()) : settings.retrySchedule().get(step);
        next = nowMs + delay.toMillis();
      }
      int changed = Sql.update(c, "UPDATE webhook_deliveries SET status = ?, attempts = ?, schedule_step = ?,"
              + " next_attempt_at = ?, finished_at = ? WHERE delivery_id = ? AND status = ? AND attempts = ?",
          status, due.attempts() + 1, step, next, finished, due.deliveryId(), PENDING, due.attempts());
      if (changed == 0) {
        return Outcome.STALE;
      }
      Sql.update(c, "INSERT INTO webhook_attempts (delivery_id, attempt_no, attempted_at, status_code, error,"
              + " latency_ms) VALUES (?, ?, ?, ?, ?, ?)",
          due.deliveryId(), due.attempts() + 1, attempt.startedAt().toEpochMilli(), attempt.statusCode(),
          attempt.error(), attempt.latencyMs());
      String subscription = due.subscription().id();
      if (attempt.delivered()) {
        // Conditional, so a healthy subscription's row is not written (and locked) by every delivery.
        Sql.update(c, "UPDATE webhook_subscriptions SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL",
            subscription);
        return Outcome.DELIVERED;
      }
      Sql.update(c, "UPDATE webhook_subscriptions SET failing_since = ? WHERE id = ? AND failing_since IS NULL",
          nowMs, subscription);
      if (disable == null) {
        List<Long> since = Sql.query(c, "SELECT failing_since FROM webhook_subscriptions WHERE id = ?",
            rs -> rs.getLong(1), subscription);
        if (!since.isEmpty() && nowMs - since.get(0) >= settings.disableAfter().toMillis()) {
          disable = "deliveries failing since " + Instant.ofEpochMilli(since.get(0))
              + ", longer than emon.webhooks.disable-after (" + settings.disableAfter() + ")";
        }
      }
      if (disable != null) {
        Sql.update(c, "UPDATE webhook_subscriptions SET enabled = ?, disabled_reason = ?, disabled_at = ?"
            + " WHERE id = ? AND enabled = ?", false, disable, nowMs, subscription, true);
      }
      return status.equals(FAILED) ? Outcome.FAILED : Outcome.RETRYING;
    });
  }

  /** The subscription's deliveries, newest first, each with its attempts. */
  List<DeliveryView> list(String subscriptionId, int limit) {
    return Sql.transaction(dataSource, c -> {
      List<DeliveryView> rows = Sql.query(c, "SELECT delivery_id, message_id, alert_id, household_id, event_type,"
              + " status, created_at, next_attempt_at FROM webhook_deliveries WHERE subscription_id = ?"
              + " ORDER BY created_at DESC, seq DESC, delivery_id LIMIT " + limit,
          DeliveryStore::view, subscriptionId);
      return withAttempts(c, rows);
    });
  }

  /** Makes a delivery pending and due now, from the start of the schedule; empty when unknown. */
  Optional<DeliveryView> retry(String subscriptionId, String deliveryId, Instant now) {
    return Sql.transaction(dataSource, c -> {
      if (Sql.update(c, "UPDATE webhook_deliveries SET status = ?, schedule_step = 0, next_attempt_at = ?,"
          + " finished_at = NULL WHERE delivery_id = ? AND subscription_id = ?",
          PENDING, now.toEpochMilli(), deliveryId, subscriptionId) == 0) {
        return Optional.<DeliveryView>empty();
      }
      return withAttempts(c, Sql.query(c, "SELECT delivery_id, message_id, alert_id, household_id, event_type,"
          + " status, created_at, next_attempt_at FROM webhook_deliveries WHERE delivery_id = ?",
          DeliveryStore::view, deliveryId)).stream().findFirst();
    });
  }

  /** Deliveries not yet delivered or given up, over all subscriptions. */
  long countPending() {
    return Sql.transaction(dataSource, c ->
        Sql.count(c, "SELECT count(*) FROM webhook_deliveries WHERE status = ?", PENDING));
  }

  /** Pending deliveries of one subscription. */
  long countPending(String subscriptionId) {
    return Sql.transaction(dataSource, c -> Sql.count(c,
        "SELECT count(*) FROM webhook_deliveries WHERE subscription_id = ? AND status = ?", subscriptionId, PENDING));
  }

  /** The open alerts of a slice as the outbox projection has seen them. */
  List<AlertChange> openAlerts(int slice) {
    return Sql.transaction(dataSource, c -> Sql.query(c,
        "SELECT payload FROM webhook_open_alerts WHERE slice = ? ORDER BY alert_id",
        rs -> new AlertChange(AlertChange.RAISED, Instant.EPOCH, json(rs.getString(1))), slice));
  }

  private static DeliveryView view(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    return new DeliveryView(rs.getString("delivery_id"), rs.getString("message_id"), rs.getString("alert_id"),
        rs.getString("household_id"), rs.getString("event_type"), status,
        Instant.ofEpochMilli(rs.getLong("created_at")),
        status.equals(PENDING) ? Instant.ofEpochMilli(rs.getLong("next_attempt_at")) : null, new ArrayList<>());
  }

  private static List<DeliveryView> withAttempts(Connection c, List<DeliveryView> rows) throws SQLException {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<String, DeliveryView> byId = new LinkedHashMap<>();
    rows.forEach(r -> byId.put(r.deliveryId(), r));
    String marks = String.join(", ", Collections.nCopies(rows.size(), "?"));
    Map<String, List<AttemptView>> attempts = new HashMap<>();
    Sql.query(c, "SELECT delivery_id, attempted_at, status_code, error, latency_ms FROM webhook_attempts"
            + " WHERE delivery_id IN (" + marks + ") ORDER BY delivery_id, attempt_no",
        rs -> {
          Long code = Sql.longOrNull(rs, "status_code");
          attempts.computeIfAbsent(rs.getString("delivery_id"), k -> new ArrayList<>()).add(new AttemptView(
              Instant.ofEpochMilli(rs.getLong("attempted_at")), code == null ? null : code.intValue(),
              rs.getString("error"), rs.getLong("latency_ms")));
          return null;
        },
        byId.keySet().toArray());
    byId.values().forEach(d -> d.attempts().addAll(attempts.getOrDefault(d.deliveryId(), List.of())));
    return rows;
  }

  static JsonNode json(String payload) {
    try {
      return JsonSupport.READER.readTree(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
