package cn.emon.readmodel;

import cn.emon.db.Upsert;
import cn.emon.db.Upsert.Type;
import cn.emon.household.Alert;
import cn.emon.household.Household.AlertChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds alert changes into the {@code alerts} table: one row per alert, as the entity holds it after
 * its last change in the group, written in one upsert per group. {@code raised_ordering} (the journal
 * ordering of the raise, which the reconciliation counts by) is set when the row is new and kept after.
 */
public final class AlertsFold implements Fold {

  private static final Upsert ALERTS = Upsert.into("alerts")
      .key("alert_id", Type.TEXT)
      .set("household_id", Type.TEXT)
      .set("alert_type", Type.TEXT)
      .set("severity", Type.TEXT)
      .set("status", Type.TEXT)
      .set("member_id", Type.TEXT)
      .set("placement_id", Type.TEXT)
      .set("region_code", Type.TEXT)
      .set("county_code", Type.TEXT)
      .set("raised_at", Type.BIGINT)
      .set("acknowledged_at", Type.BIGINT)
      .set("acknowledged_by", Type.TEXT)
      .set("resolved_at", Type.BIGINT)
      .set("summary", Type.TEXT)
      .keep("raised_ordering", Type.BIGINT)
      .set("updated_at", Type.BIGINT)
      .set("escalation", Type.TEXT)
      .set("escalated_at", Type.BIGINT)
      .build();

  @Override
  public String name() {
    return "alerts";
  }

  @Override
  public void apply(Connection c, List<JournalEntry> entries) throws SQLException {
    Map<String, Object[]> rows = new LinkedHashMap<>();
    for (JournalEntry e : entries) {
      for (AlertChange change : e.changes().alerts()) {
        Alert a = change.alert();
        Object[] previous = rows.get(a.alertId());
        long raisedOrdering = previous != null ? (Long) previous[14] : e.ordering();
        rows.put(a.alertId(), new Object[] {a.alertId(), a.householdId(), a.type().name(), a.severity().wireName(),
            a.status().wireName(), a.memberId(), a.placementId(), a.regionCode(), a.countyCode(),
            a.raisedAt().toEpochMilli(), millis(a.acknowledgedAt()), a.acknowledgedBy(), millis(a.resolvedAt()),
            a.summary(), raisedOrdering, e.timestamp(), a.escalation() == null ? null : a.escalation().wireName(),
            millis(a.escalatedAt())});
      }
    }
    ALERTS.execute(c, rows.values());
  }

  private static Long millis(java.time.Instant at) {
    return at == null ? null : at.toEpochMilli();
  }
}
