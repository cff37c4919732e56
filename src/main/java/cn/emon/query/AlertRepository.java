package cn.emon.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads the {@code alerts} table kept by the read-model projection. Blocking: call on the JDBC dispatcher. */
public final class AlertRepository {

  private static final String COLUMNS = "alert_id, alert_type, severity, status, household_id, member_id,"
      + " placement_id, region_code, county_code, raised_at, acknowledged_at, acknowledged_by, resolved_at, summary,"
      + " escalation, escalated_at";

  private final DataSource dataSource;

  public AlertRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Alerts matching the query within the caller's region scope, newest first, one page. */
  List<AlertView> find(AlertQuery q, List<String> scope) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.status() != null) {
      sql.append(" AND status = ?");
      args.add(q.status());
    }
    if (q.type() != null) {
      sql.append(" AND alert_type = ?");
      args.add(q.type());
    }
    if (q.region() != null) {
      sql.append(" AND region_code LIKE ?");
      args.add(q.region() + "%");
    }
    if (q.householdId() != null) {
      sql.append(" AND household_id = ?");
      args.add(q.householdId());
    }
    if (q.since() != null) {
      sql.append(" AND raised_at >= ?");
      args.add(q.since().toEpochMilli());
    }
    appendScope(sql, args, scope);
    if (q.cursorRaisedAt() != null) {
      sql.append(" AND (raised_at < ? OR (raised_at = ? AND alert_id < ?))");
      args.add(q.cursorRaisedAt());
      args.add(q.cursorRaisedAt());
      args.add(q.cursorAlertId());
    }
    sql.append(" ORDER BY raised_at DESC, alert_id DESC LIMIT ").append(q.limit() + 1);
    return query(sql.toString(), args);
  }

  private static void appendScope(StringBuilder sql, List<Object> args, List<String> scope) {
    if (!scope.isEmpty()) {
      sql.append(" AND (");
      for (int i = 0; i < scope.size(); i++) {
        sql.append(i == 0 ? "" : " OR ").append("region_code LIKE ?");
        args.add(scope.get(i) + "%");
      }
      sql.append(")");
    }
  }

  private List<AlertView> query(String sql, List<Object> args) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<AlertView> alerts = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          alerts.add(row(rs));
        }
      }
      return alerts;
    }
  }

  /**
   * Open and acknowledged alerts within the caller's region scope whose region starts with
   * {@code region} (null: any), oldest first, at most {@code limit}.
   */
  public List<AlertView> findOpen(String region, List<String> scope, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE status IN ('open', 'acknowledged')");
    List<Object> args = new ArrayList<>();
    if (region != null) {
      sql.append(" AND region_code LIKE ?");
      args.add(region + "%");
    }
    appendScope(sql, args, scope);
    sql.append(" ORDER BY raised_at, alert_id LIMIT ").append(limit);
    return query(sql.toString(), args);
  }

  public Optional<AlertView> get(String alertId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE alert_id = ?")) {
      ps.setString(1, alertId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  private static AlertView row(ResultSet rs) throws SQLException {
    return new AlertView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
        instant(rs, 10), instant(rs, 11), rs.getString(12), instant(rs, 13), rs.getString(14), rs.getString(15),
        instant(rs, 16));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
