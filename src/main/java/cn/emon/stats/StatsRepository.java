package cn.emon.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Reads the region statistics the read-model projection keeps, summed over tag slices, and
 * writes annual targets. Blocking: call on the JDBC dispatcher.
 */
public final class StatsRepository {

  private final DataSource dataSource;

  public StatsRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A stored target. */
  record Target(String countyCode, int year, long target, long updatedAt, String updatedBy) {}

  /** The totals of every county whose code starts with {@code prefix} ("" for all), by code. */
  Map<String, RegionTotals> counties(String prefix) throws SQLException {
    Map<String, RegionTotals> out = new TreeMap<>();
    String like = prefix + "%";
    // Without a prefix, no row filter (LIKE '%' costs a comparison per row); the constant
    // condition keeps the one parameter.
    String where = prefix.isEmpty() ? " WHERE ? = '%'" : " WHERE county_code LIKE ?";
    try (Connection c = dataSource.getConnection()) {
      query(c, "SELECT county_code, SUM(households), SUM(labour_capable), SUM(zero_employment)"
          + " FROM region_households" + where + " GROUP BY county_code", like, rs -> {
            RegionTotals t = county(out, rs.getString(1));
            t.households = rs.getLong(2);
            t.labourCapable = rs.getLong(3);
            t.zeroEmployment = rs.getLong(4);
          });
      query(c, "SELECT county_code, channel, work_scope, SUM(members) FROM region_employment"
          + where + " GROUP BY county_code, channel, work_scope", like,
          rs -> county(out, rs.getString(1)).addEmployed(rs.getString(2), rs.getString(3), rs.getLong(4)));
      query(c, "SELECT county_code, start_year, SUM(members) FROM region_employment_years"
          + where + " GROUP BY county_code, start_year", like,
          rs -> county(out, rs.getString(1)).employedByStartYear.put(rs.getInt(2), rs.getLong(3)));
      query(c, "SELECT county_code, alert_type, severity, SUM(open_count), SUM(acknowledged_count),"
          + " SUM(raised_total), SUM(acknowledged_total), SUM(resolved_total), SUM(resolve_millis_total)"
          + " FROM region_alerts" + where + " GROUP BY county_code, alert_type, severity", like, rs -> {
            RegionTotals.AlertCounts a = county(out, rs.getString(1)).alerts(rs.getString(2), rs.getString(3));
            a.open = rs.getLong(4);
            a.acknowledged = rs.getLong(5);
            a.raised = rs.getLong(6);
            a.acknowledgedTotal = rs.getLong(7);
            a.resolved = rs.getLong(8);
            a.resolveMillis = rs.getLong(9);
          });
      query(c, "SELECT county_code, target_year, target FROM region_targets" + where, like,
          rs -> county(out, rs.getString(1)).targets.put(rs.getInt(2), rs.getLong(3)));
    }
    return out;
  }

  /** Households of one county at zero employment now, by id, at most {@code limit}. */
  List<String> zeroEmploymentHouseholds(String countyCode, int limit) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT household_id FROM household_summary WHERE county_code = ? AND zero_employment AND NOT closed"
            + " ORDER BY household_id LIMIT " + limit)) {
      ps.setString(1, countyCode);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * Sets a county's target for a year. Update-then-insert; a concurrent first insert of the same
   * key makes the insert fail, and the update then wins.
   */
  Target putTarget(String countyCode, int year, long target, String by, long at) throws SQLException {
    String update = "UPDATE region_targets SET target = ?, updated_at = ?, updated_by = ?"
        + " WHERE county_code = ? AND target_year = ?";
    String insert = "INSERT INTO region_targets (target, updated_at, updated_by, county_code, target_year)"
        + " VALUES (?, ?, ?, ?, ?)";
    try (Connection c = dataSource.getConnection()) {
      if (writeTarget(c, update, countyCode, year, target, by, at) == 0) {
        try {
          writeTarget(c, insert, countyCode, year, target, by, at);
        } catch (SQLException e) {
          if (e.getSQLState() == null || !e.getSQLState().startsWith("23")
              || writeTarget(c, update, countyCode, year, target, by, at) == 0) {
            throw e;
          }
        }
      }
    }
    return new Target(countyCode, year, target, at, by);
  }

  private static int writeTarget(Connection c, String sql, String countyCode, int year, long target, String by,
      long at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, target);
      ps.setLong(2, at);
      ps.setString(3, by);
      ps.setString(4, countyCode);
      ps.setInt(5, year);
      return ps.executeUpdate();
    }
  }

  private static RegionTotals county(Map<String, RegionTotals> out, String code) {
    return out.computeIfAbsent(code, k -> new RegionTotals());
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private static void query(Connection c, String sql, String arg, RowReader reader) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    }
  }
}
