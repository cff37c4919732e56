package cn.emon.webhook;

import cn.emon.db.Upsert;
import cn.emon.db.Upsert.Type;
import cn.emon.household.Alert;
import cn.emon.household.Household;
import cn.emon.http.JsonSupport;
import cn.emon.query.AlertView;
import cn.emon.readmodel.Fold;
import cn.emon.readmodel.JournalEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns each alert change of a slice into one delivery row per matching enabled subscription,
 * with the alert JSON fixed as it stood then, and keeps the slice's open alerts for the
 * alertmanager-api re-send. Runs inside the read-model projection's transaction, which also
 * stores the offset: each change is queued exactly once, in step with the alerts table; a group
 * is written in one insert per table. Subscriptions see changes stored after they were created only.
 *
 * <p>A delivery's {@code seq} is the change's position in its household's history: the event's
 * sequence number × 1000 + the change's index in the event (one stored event carries every alert
 * change its input caused; a household has at most 100 members, so far fewer than 1000 changes).
 * The dispatcher sends one (subscription, household)'s deliveries in that order.
 */
final class OutboxFold implements Fold {

  static final int CHANGES_PER_EVENT = 1000;

  private static final Upsert DELIVERIES = Upsert.into("webhook_deliveries")
      .key("delivery_id", Type.TEXT)
      .keep("message_id", Type.TEXT)
      .keep("subscription_id", Type.TEXT)
      .keep("slice", Type.INT)
      .keep("household_id", Type.TEXT)
      .keep("seq", Type.BIGINT)
      .keep("alert_id", Type.TEXT)
      .keep("event_type", Type.TEXT)
      .keep("event_at", Type.BIGINT)
      .keep("payload", Type.TEXT)
      .keep("status", Type.TEXT)
      .keep("attempts", Type.INT)
      .keep("schedule_step", Type.INT)
      .keep("next_attempt_at", Type.BIGINT)
      .keep("created_at", Type.BIGINT)
      .build();
  private static final Upsert OPEN_ALERTS = Upsert.into("webhook_open_alerts")
      .key("alert_id", Type.TEXT)
      .set("slice", Type.INT)
      .set("household_id", Type.TEXT)
      .set("payload", Type.TEXT)
      .build();

  private final WebhookSettings settings;
  private final Clock clock;

  OutboxFold(WebhookSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "webhook-outbox";
  }

  @Override
  public void apply(Connection c, List<JournalEntry> entries) throws SQLException {
    List<Subscription> subscriptions = null;
    List<Object[]> deliveries = new ArrayList<>();
    Map<String, Object[]> open = new LinkedHashMap<>();
    List<String> closed = new ArrayList<>();
    long now = clock.millis();
    for (JournalEntry e : entries) {
      List<Household.AlertChange> changes = e.changes().alerts();
      for (int i = 0; i < changes.size(); i++) {
        Alert alert = changes.get(i).alert();
        AlertChange change = changeOf(changes.get(i));
        String payload = payload(change);
        if (change.resolved()) {
          open.remove(alert.alertId());
          closed.add(alert.alertId());
        } else {
          closed.remove(alert.alertId());
          open.put(alert.alertId(), new Object[] {alert.alertId(), Household.sliceOf(alert.householdId()),
              alert.householdId(), payload});
        }
        if (subscriptions == null) {
          subscriptions = SubscriptionStore.enabled(c);
        }
        long position = e.sequenceNr() * CHANGES_PER_EVENT + i;
        for (Subscription s : subscriptions) {
          if (s.matches(alert) && s.createdAt().toEpochMilli() <= e.timestamp()) {
            String hash = stableHash(s.id() + "|" + alert.householdId() + "|" + position);
            deliveries.add(new Object[] {"dlv_" + hash, "msg_" + hash, s.id(), Household.sliceOf(alert.householdId()),
                alert.householdId(), position, alert.alertId(), change.type(), change.at().toEpochMilli(), payload,
                DeliveryStore.PENDING, 0, 0, now + settings.retrySchedule().get(0).toMillis(), now});
          }
        }
      }
    }
    // Guarded insert: a replayed group (never expected with exactly-once) adds nothing twice.
    DELIVERIES.execute(c, deliveries);
    Upsert.deleteWhereIn(c, "webhook_open_alerts", "alert_id", closed);
    OPEN_ALERTS.execute(c, open.values());
  }

  private static AlertChange changeOf(Household.AlertChange change) {
    Alert a = change.alert();
    return switch (change.kind()) {
      case RAISED -> change(AlertChange.RAISED, a.raisedAt(), a);
      case ACKNOWLEDGED -> change(AlertChange.ACKNOWLEDGED, a.acknowledgedAt(), a);
      case RESOLVED -> change(AlertChange.RESOLVED, a.resolvedAt(), a);
      case ESCALATED -> change(AlertChange.ESCALATED, a.escalatedAt(), a);
    };
  }

  private static AlertChange change(String type, Instant at, Alert alert) {
    return new AlertChange(type, at, JsonSupport.WRITER.valueToTree(AlertView.of(alert)));
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
