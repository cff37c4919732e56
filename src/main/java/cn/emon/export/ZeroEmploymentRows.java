package cn.emon.export;

import cn.emon.query.RegionFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The zero-employment households of a region from the read model: {@code household_summary}
 * (kept by the projection) with the household's unresolved ZERO_EMPLOYMENT alert, by region code
 * and household id. Blocking: call on the export dispatcher.
 */
final class ZeroEmploymentRows {

  /** One household of the list. The alert is null while the read model has not caught up with it. */
  record Row(String householdId, String regionCode, String countyCode, long labourCapable,
      boolean helperAssigned, boolean deepPoverty, Instant zeroSince, String alertId) {}

  /** Receives the rows one at a time. */
  @FunctionalInterface
  interface Sink {
    void accept(Row row) throws Exception;
  }

  private final DataSource dataSource;

  ZeroEmploymentRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void stream(RegionFilter regions, int fetchSize, Sink sink) throws Exception {
    if (regions.isEmpty()) {
      return;
    }
    StringBuilder sql = new StringBuilder(
        "SELECT s.household_id, s.region_code, s.county_code, s.labour_capable, s.helper_assigned,"
            + " s.deep_poverty, a.raised_at, a.alert_id"
            + " FROM household_summary s LEFT JOIN alerts a ON a.household_id = s.household_id"
            + " AND a.alert_type = 'ZERO_EMPLOYMENT' AND a.status IN ('open', 'acknowledged')"
            + " WHERE s.zero_employment = TRUE AND s.closed = FALSE");
    List<Object> args = new ArrayList<>();
    regions.appendTo(sql, args, "s.region_code", "s.county_code");
    sql.append(" ORDER BY s.region_code, s.household_id");
    try (Connection c = dataSource.getConnection()) {
      // pgjdbc reads with a cursor (fetchSize rows at a time) only inside a transaction.
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        ps.setFetchSize(fetchSize);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long raisedAt = rs.getLong("raised_at");
            Instant zeroSince = rs.wasNull() ? null : Instant.ofEpochMilli(raisedAt);
            sink.accept(new Row(rs.getString("household_id"), rs.getString("region_code"),
                rs.getString("county_code"), rs.getLong("labour_capable"), rs.getBoolean("helper_assigned"),
                rs.getBoolean("deep_poverty"), zeroSince, rs.getString("alert_id")));
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    }
  }
}
