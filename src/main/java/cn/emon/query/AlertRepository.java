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
import org.postgresql.PGStatement;

/** Reads the {@code alerts} table kept by the read-model projection. Blocking: call on the JDBC dispatcher. */
public final class AlertRepository {

  private static final String COLUMNS = "alert_id, alert_type, severity, status, household_id, member_id,"
      + " placement_id, region_code, county_code, raised_at, acknowledged_at, acknowledged_by, resolved_at, summary,"
      + " escalation, escalated_at";
  /** Newest first; (raised_at, alert_id) is unique, so a cursor on it pages without gaps or repeats. */
  private static final String NEWEST_FIRST = " ORDER BY raised_at DESC, alert_id DESC";

  /** Receives the rows of a streamed read one at a time. */
  @FunctionalInterface
  public interface RowSink {
    void accept(AlertView alert) throws Exception;
  }

  private final DataSource dataSource;

  public AlertRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Alerts matching the query within the caller's region scope, newest first, one page (and one more). */
  List<AlertView> find(AlertQuery q, List<String> scope) throws SQLException {
    RegionFilter regions = RegionFilter.of(q.filter().region(), scope);
    if (regions.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    where(sql, args, q.filter(), regions);
    if (q.cursorRaisedAt() != null) {
      // A row comparison, not "a < x OR (a = x AND b < y)": PostgreSQL uses it as a bound of the
      // (status, raised_at, alert_id) index scan, so a deep page costs what the first one does.
      sql.append(" AND (raised_at, alert_id) < (?, ?)");
      args.add(q.cursorRaisedAt());
      args.add(q.cursorAlertId());
    }
    sql.append(NEWEST_FIRST).append(" LIMIT ").append(q.limit() + 1);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql.toString(), args)) {
      return collect(ps);
    }
  }

  /**
   * Streams every alert matching {@code filter} within {@code scope}, newest first, to {@code sink},
   * reading {@code fetchSize} rows from the database at a time (a cursor on PostgreSQL), so the
   * number of rows never shows in memory.
   */
  public void stream(AlertFilter filter, List<String> scope, int fetchSize, RowSink sink) throws Exception {
    RegionFilter regions = RegionFilter.of(filter.region(), scope);
    if (regions.isEmpty()) {
      return;
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    where(sql, args, filter, regions);
    sql.append(NEWEST_FIRST);
    try (Connection c = dataSource.getConnection()) {
      // pgjdbc reads with a cursor (fetchSize rows at a time) only inside a transaction.
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = prepare(c, sql.toString(), args)) {
        ps.setFetchSize(fetchSize);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sink.accept(row(rs));
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private static void where(StringBuilder sql, List<Object> args, AlertFilter f, RegionFilter regions) {
    if (f.status() != null) {
      sql.append(" AND status = ?");
      args.add(f.status());
    }
    if (f.type() != null) {
      sql.append(" AND alert_type = ?");
      args.add(f.type());
    }
    if (f.severity() != null) {
      sql.append(" AND severity = ?");
      args.add(f.severity());
    }
    regions.appendTo(sql, args, "region_code", "county_code");
    if (f.householdId() != null) {
      sql.append(" AND household_id = ?");
      args.add(f.householdId());
    }
    if (f.since() != null) {
      sql.append(" AND raised_at >= ?");
      args.add(f.since().toEpochMilli());
    }
  }

  /**
   * Prepares a read whose best plan depends on its values. PostgreSQL plans a statement prepared
   * on the server once for all values after five executions; for a region range that plan cannot
   * tell a province holding every alert (scan in page order, stop after a page) from a county
   * holding few (fetch them and sort), and picks one for both. Kept unnamed, each execution is
   * planned for its own values, for well under a millisecond.
   */
  private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    if (ps.isWrapperFor(PGStatement.class)) {
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
    return ps;
  }

  private static List<AlertView> collect(PreparedStatement ps) throws SQLException {
    List<AlertView> alerts = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        alerts.add(row(rs));
      }
    }
    return alerts;
  }

  /**
   * Open and acknowledged alerts within the caller's region scope whose region starts with
   * {@code region} (null: any), oldest first, at most {@code limit}.
   */
  public List<AlertView> findOpen(String region, List<String> scope, int limit) throws SQLException {
    RegionFilter regions = RegionFilter.of(region, scope);
    if (regions.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE status IN ('open', 'acknowledged')");
    List<Object> args = new ArrayList<>();
    regions.appendTo(sql, args, "region_code", "county_code");
    sql.append(" ORDER BY raised_at, alert_id LIMIT ").append(limit);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql.toString(), args)) {
      return collect(ps);
    }
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
    return new AlertView(rs.getString("alert_id"), rs.getString("alert_type"), rs.getString("severity"),
        rs.getString("status"), rs.getString("household_id"), rs.getString("member_id"),
        rs.getString("placement_id"), rs.getString("region_code"), rs.getString("county_code"),
        instant(rs, "raised_at"), instant(rs, "acknowledged_at"), rs.getString("acknowledged_by"),
        instant(rs, "resolved_at"), rs.getString("summary"), rs.getString("escalation"), instant(rs, "escalated_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
