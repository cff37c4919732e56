package cn.emon.readmodel;

import cn.emon.household.Alert;
import cn.emon.household.Household;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Folds a group of journal events into the {@code alerts} and {@code deadlines} tables and the
 * region statistics ({@link RegionStatsFold}). Runs inside the projection's transaction, which
 * also stores the offset: each event is applied once.
 */
final class AlertTableFold implements ReadModelProjections.Fold {

  @Override
  public void apply(Connection c, List<EventEnvelope<Household.Event>> envelopes) throws SQLException {
    RegionStatsFold stats = null;
    for (EventEnvelope<Household.Event> env : envelopes) {
      apply(c, env.event(), ReadModelProjections.offsetOf(env), env.timestamp());
      if (stats == null) {
        stats = new RegionStatsFold(Household.sliceOf(env.event().householdId()));
      }
      stats.apply(c, env.event(), env.timestamp());
    }
    if (stats != null) {
      stats.flush(c);
    }
  }

  private static void apply(Connection c, Household.Event event, long ordering, long timestamp)
      throws SQLException {
    if (event instanceof Household.AlertRaised e) {
      insertAlert(c, e.alert(), ordering, timestamp);
    } else if (event instanceof Household.AlertAcknowledged e) {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ?"
              + " WHERE alert_id = ? AND status = 'open'")) {
        ps.setLong(1, e.at().toEpochMilli());
        ps.setString(2, e.by());
        ps.setLong(3, timestamp);
        ps.setString(4, e.alertId());
        ps.executeUpdate();
      }
    } else if (event instanceof Household.AlertResolved e) {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE alerts SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE alert_id = ?")) {
        ps.setLong(1, e.at().toEpochMilli());
        ps.setLong(2, timestamp);
        ps.setString(3, e.alertId());
        ps.executeUpdate();
      }
    } else if (event instanceof Household.DeadlineScheduled e) {
      scheduleDeadline(c, e.householdId(), e.dueAt());
    }
  }

  private static void insertAlert(Connection c, Alert a, long ordering, long timestamp) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO alerts (alert_id, household_id, alert_type, severity, status, member_id, placement_id,"
            + " region_code, county_code, raised_at, summary, raised_ordering, updated_at)"
            + " VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, a.alertId());
      ps.setString(2, a.householdId());
      ps.setString(3, a.type().name());
      ps.setString(4, a.severity().wireName());
      ps.setString(5, a.memberId());
      ps.setString(6, a.placementId());
      ps.setString(7, a.regionCode());
      ps.setString(8, a.countyCode());
      ps.setLong(9, a.raisedAt().toEpochMilli());
      ps.setString(10, a.summary());
      ps.setLong(11, ordering);
      ps.setLong(12, timestamp);
      ps.executeUpdate();
    }
  }

  private static void scheduleDeadline(Connection c, String householdId, Instant dueAt) throws SQLException {
    if (dueAt == null) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM deadlines WHERE household_id = ?")) {
        ps.setString(1, householdId);
        ps.executeUpdate();
      }
      return;
    }
    // Update-then-insert is portable across H2 and PostgreSQL; a household's events reach one
    // slice only, so no other writer races this row.
    try (PreparedStatement ps = c.prepareStatement("UPDATE deadlines SET due_at = ? WHERE household_id = ?")) {
      ps.setLong(1, dueAt.toEpochMilli());
      ps.setString(2, householdId);
      if (ps.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO deadlines (household_id, slice, due_at) VALUES (?, ?, ?)")) {
      ps.setString(1, householdId);
      ps.setInt(2, Household.sliceOf(householdId));
      ps.setLong(3, dueAt.toEpochMilli());
      ps.executeUpdate();
    }
  }
}
