package cn.emon.readmodel;

import cn.emon.household.Alert;
import cn.emon.household.Household;
import cn.emon.household.HouseholdSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one group of a slice's events into the region statistics: the last summary of each
 * household ({@code household_summary}) and the per-county counters. A new summary applies as the
 * delta old → new; alerts count on raise, acknowledge and resolve. Deltas are summed in memory
 * over the group and written once at {@link #flush}, inside the projection's transaction.
 *
 * <p>Counter rows are keyed by slice as well as county: a household's events reach one slice
 * only, so each slice's projection is the only writer of its rows and update-then-insert is safe.
 */
final class RegionStatsFold {

  /** The part of a summary the counters see, as stored in {@code household_summary}. */
  private record Stored(String regionCode, boolean deepPovertyArea, boolean closed, int labourCapable,
      boolean zeroEmployment, String employed, Boolean helperAssigned) {

    static Stored of(HouseholdSummary s) {
      StringBuilder employed = new StringBuilder();
      for (HouseholdSummary.Employment e : s.employed()) {
        employed.append(employed.length() == 0 ? "" : ",")
            .append(e.channel().name()).append('/').append(e.scope().name()).append('/').append(e.startYear());
      }
      return new Stored(s.regionCode(), s.deepPovertyArea(), s.closed(), s.labourCapable(),
          s.zeroEmployment(), employed.toString(), s.helperAssigned());
    }

    String county() {
      return countyOf(regionCode);
    }
  }

  private final int slice;
  /** household id → its summary as of the events folded so far (null: none yet). */
  private final Map<String, Stored> summaries = new HashMap<>();
  private final Map<String, Stored> changed = new HashMap<>();
  private final Map<String, Long> updatedAt = new HashMap<>();
  private final Map<List<Object>, long[]> households = new HashMap<>();
  private final Map<List<Object>, long[]> employment = new HashMap<>();
  private final Map<List<Object>, long[]> years = new HashMap<>();
  private final Map<List<Object>, long[]> alerts = new HashMap<>();
  /** Households that got a helper in this group. */
  private final java.util.Set<String> helped = new java.util.HashSet<>();

  RegionStatsFold(int slice) {
    this.slice = slice;
  }

  static String countyOf(String regionCode) {
    return regionCode.length() >= 6 ? regionCode.substring(0, 6) : regionCode;
  }

  /** Adds what one event changes; events of one household must come in journal order. */
  void apply(Connection c, Household.Event event, long timestamp) throws SQLException {
    if (event instanceof Household.SummaryChanged e) {
      Stored next = Stored.of(e.summary());
      Stored previous = summaries.containsKey(e.householdId()) ? summaries.get(e.householdId())
          : load(c, e.householdId());
      count(previous, -1);
      count(next, +1);
      summaries.put(e.householdId(), next);
      changed.put(e.householdId(), next);
      updatedAt.put(e.householdId(), timestamp);
    } else if (event instanceof Household.HelperAssigned e) {
      // Summaries stored before helperAssigned existed do not say it; the event does (a helper is
      // never unassigned).
      helped.add(e.householdId());
    } else if (event instanceof Household.AlertRaised e) {
      long[] row = alertRow(e.alert());
      row[0]++; // open
      row[2]++; // raised
    } else if (event instanceof Household.AlertAcknowledged e) {
      long[] row = alertRow(e.alert());
      row[1]++; // acknowledged now
      row[3]++; // acknowledged in all
    } else if (event instanceof Household.AlertResolved e) {
      Alert a = e.alert();
      long[] row = alertRow(a);
      row[0]--;
      if (a.acknowledgedAt() != null) {
        row[1]--;
      }
      row[4]++;
      row[5] += Math.max(0, e.at().toEpochMilli() - a.raisedAt().toEpochMilli());
    }
  }

  private void count(Stored s, int sign) {
    if (s == null || s.closed()) {
      return; // a closed household is out of monitoring: it counts nowhere
    }
    String county = s.county();
    long[] h = households.computeIfAbsent(List.of(county), k -> new long[3]);
    h[0] += sign;
    h[1] += (long) sign * s.labourCapable();
    h[2] += s.zeroEmployment() ? sign : 0;
    if (s.employed().isEmpty()) {
      return;
    }
    for (String entry : s.employed().split(",")) {
      String[] parts = entry.split("/");
      employment.computeIfAbsent(List.of(county, parts[0], parts[1]), k -> new long[1])[0] += sign;
      years.computeIfAbsent(List.of(county, Integer.parseInt(parts[2])), k -> new long[1])[0] += sign;
    }
  }

  private long[] alertRow(Alert a) {
    return alerts.computeIfAbsent(List.of(a.countyCode(), a.type().name(), a.severity().wireName()),
        k -> new long[6]);
  }

  private Stored load(Connection c, String householdId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT region_code, deep_poverty, closed, labour_capable,"
        + " zero_employment, employed FROM household_summary WHERE household_id = ?")) {
      ps.setString(1, householdId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Stored(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getInt(4),
            rs.getBoolean(5), rs.getString(6), null) : null;
      }
    }
  }

  /** Writes the summed deltas and the households' last summaries. */
  void flush(Connection c) throws SQLException {
    for (Map.Entry<String, Stored> e : changed.entrySet()) {
      saveSummary(c, e.getKey(), e.getValue(), updatedAt.get(e.getKey()));
    }
    if (!helped.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE household_summary SET helper_assigned = TRUE WHERE household_id = ?")) {
        for (String householdId : helped) {
          ps.setString(1, householdId);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    add(c, "region_households", List.of("county_code"),
        List.of("households", "labour_capable", "zero_employment"), households);
    add(c, "region_employment", List.of("county_code", "channel", "work_scope"), List.of("members"), employment);
    add(c, "region_employment_years", List.of("county_code", "start_year"), List.of("members"), years);
    add(c, "region_alerts", List.of("county_code", "alert_type", "severity"),
        List.of("open_count", "acknowledged_count", "raised_total", "acknowledged_total", "resolved_total",
            "resolve_millis_total"), alerts);
  }

  private void saveSummary(Connection c, String householdId, Stored s, long at) throws SQLException {
    // A summary stored before helperAssigned existed leaves the column as it is (V7 filled it).
    try (PreparedStatement ps = c.prepareStatement("UPDATE household_summary SET region_code = ?,"
        + " county_code = ?, deep_poverty = ?, closed = ?, labour_capable = ?, zero_employment = ?, employed = ?,"
        + " updated_at = ?, helper_assigned = COALESCE(?, helper_assigned) WHERE household_id = ?")) {
      bindSummary(ps, s, at);
      ps.setObject(9, s.helperAssigned(), java.sql.Types.BOOLEAN);
      ps.setString(10, householdId);
      if (ps.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO household_summary (region_code, county_code,"
        + " deep_poverty, closed, labour_capable, zero_employment, employed, updated_at, helper_assigned,"
        + " household_id, slice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindSummary(ps, s, at);
      ps.setBoolean(9, Boolean.TRUE.equals(s.helperAssigned()));
      ps.setString(10, householdId);
      ps.setInt(11, slice);
      ps.executeUpdate();
    }
  }

  private static void bindSummary(PreparedStatement ps, Stored s, long at) throws SQLException {
    ps.setString(1, s.regionCode());
    ps.setString(2, s.county());
    ps.setBoolean(3, s.deepPovertyArea());
    ps.setBoolean(4, s.closed());
    ps.setInt(5, s.labourCapable());
    ps.setBoolean(6, s.zeroEmployment());
    ps.setString(7, s.employed());
    ps.setLong(8, at);
  }

  /**
   * Adds each delta row to its counter row: update, or insert when the slice has no row yet for
   * that key. Rows whose deltas are all zero are skipped.
   */
  private void add(Connection c, String table, List<String> keys, List<String> counters,
      Map<List<Object>, long[]> deltas) throws SQLException {
    List<Map.Entry<List<Object>, long[]>> pending = new ArrayList<>();
    for (Map.Entry<List<Object>, long[]> e : deltas.entrySet()) {
      for (long d : e.getValue()) {
        if (d != 0) {
          pending.add(e);
          break;
        }
      }
    }
    if (pending.isEmpty()) {
      return;
    }
    String where = " WHERE slice = ?" + keys.stream().map(k -> " AND " + k + " = ?").reduce("", String::concat);
    String set = String.join(", ", counters.stream().map(k -> k + " = " + k + " + ?").toList());
    List<Map.Entry<List<Object>, long[]>> missing = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + set + where)) {
      for (Map.Entry<List<Object>, long[]> e : pending) {
        int i = bindCounters(ps, 1, e.getValue());
        ps.setInt(i++, slice);
        bindKeys(ps, i, e.getKey());
        if (ps.executeUpdate() == 0) {
          missing.add(e);
        }
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String columns = String.join(", ", counters) + ", slice, " + String.join(", ", keys);
    String marks = String.join(", ", java.util.Collections.nCopies(counters.size() + 1 + keys.size(), "?"));
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
      for (Map.Entry<List<Object>, long[]> e : missing) {
        int i = bindCounters(ps, 1, e.getValue());
        ps.setInt(i++, slice);
        bindKeys(ps, i, e.getKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static int bindCounters(PreparedStatement ps, int from, long[] values) throws SQLException {
    int i = from;
    for (long v : values) {
      ps.setLong(i++, v);
    }
    return i;
  }

  private static void bindKeys(PreparedStatement ps, int from, List<Object> key) throws SQLException {
    int i = from;
    for (Object k : key) {
      ps.setObject(i++, k);
    }
  }
}
