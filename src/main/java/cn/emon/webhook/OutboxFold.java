package cn.emon.webhook;

import cn.emon.household.Alert;
import cn.emon.household.Household;
import cn.emon.http.JsonSupport;
import cn.emon.query.AlertView;
import cn.emon.readmodel.ReadModelProjections;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Turns each alert change of a slice into one delivery row per matching enabled subscription,
 * with the alert JSON fixed as it stood then, and keeps the slice's open alerts for the
 * alertmanager-api re-send. Runs inside the read-model projection's transaction, which also
 * stores the offset: each change is queued exactly once, in step with the alerts table.
 * Subscriptions see changes stored after they were created only.
 */
final class OutboxFold implements ReadModelProjections.Fold {

  private final WebhookSettings settings;
  private final Clock clock;

  OutboxFold(WebhookSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void apply(Connection c, List<EventEnvelope<Household.Event>> envelopes) throws SQLException {
    List<Subscription> subscriptions = null;
    for (EventEnvelope<Household.Event> env : envelopes) {
      AlertChange change = changeOf(env.event());
      if (change == null) {
        continue;
      }
      Alert alert = alertOf(env.event());
      keepOpenAlerts(c, alert, change);
      if (subscriptions == null) {
        subscriptions = SubscriptionStore.enabled(c);
      }
      for (Subscription s : subscriptions) {
        if (s.matches(alert) && s.createdAt().toEpochMilli() <= env.timestamp()) {
          enqueue(c, s, env, alert, change);
        }
      }
    }
  }

  private static AlertChange changeOf(Household.Event event) {
    if (event instanceof Household.AlertRaised e) {
      return change(AlertChange.RAISED, e.alert().raisedAt(), e.alert());
    } else if (event instanceof Household.AlertAcknowledged e) {
      return change(AlertChange.ACKNOWLEDGED, e.at(), e.alert());
    } else if (event instanceof Household.AlertResolved e) {
      return change(AlertChange.RESOLVED, e.at(), e.alert());
    }
    return null;
  }

  private static AlertChange change(String type, Instant at, Alert alert) {
    return new AlertChange(type, at, JsonSupport.WRITER.valueToTree(AlertView.of(alert)));
  }

  private static Alert alertOf(Household.Event event) {
    if (event instanceof Household.AlertRaised e) {
      return e.alert();
    } else if (event instanceof Household.AlertAcknowledged e) {
      return e.alert();
    }
    return ((Household.AlertResolved) event).alert();
  }

  private static void keepOpenAlerts(Connection c, Alert alert, AlertChange change) throws SQLException {
    Sql.update(c, "DELETE FROM webhook_open_alerts WHERE alert_id = ?", alert.alertId());
    if (!change.resolved()) {
      Sql.update(c, "INSERT INTO webhook_open_alerts (alert_id, slice, household_id, payload) VALUES (?, ?, ?, ?)",
          alert.alertId(), Household.sliceOf(alert.householdId()), alert.householdId(), payload(change));
    }
  }

  private void enqueue(Connection c, Subscription s, EventEnvelope<Household.Event> env, Alert alert,
      AlertChange change) throws SQLException {
    String hash = stableHash(s.id() + "|" + alert.householdId() + "|" + env.sequenceNr());
    long now = clock.millis();
    // Guarded insert: a replayed group (never expected with exactly-once) adds nothing twice.
    Sql.update(c, "INSERT INTO webhook_deliveries (delivery_id, message_id, subscription_id, slice, household_id,"
            + " seq, alert_id, event_type, event_at, payload, status, attempts, schedule_step, next_attempt_at,"
            + " created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ? FROM (SELECT 1 AS one) x"
            + " WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries WHERE delivery_id = ?)",
        "dlv_" + hash, "msg_" + hash, s.id(), Household.sliceOf(alert.householdId()), alert.householdId(),
        env.sequenceNr(), alert.alertId(), change.type(), change.at().toEpochMilli(), payload(change),
        DeliveryStore.PENDING, now + settings.retrySchedule().get(0).toMillis(), now, "dlv_" + hash);
  }

  private static String payload(AlertChange change) {
    return new String(JsonSupport.write(change.alert()), StandardCharsets.UTF_8);
  }

  /** 32 hex digits of SHA-256: the same message id whenever the same change reaches the same subscription. */
  static String stableHash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
