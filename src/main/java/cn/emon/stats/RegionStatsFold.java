package cn.emon.stats;

import cn.emon.db.Sql;
import cn.emon.db.Upsert;
import cn.emon.db.Upsert.Type;
import cn.emon.household.Alert;
import cn.emon.household.Household;
import cn.emon.household.Household.AlertChange;
import cn.emon.household.HouseholdSummary;
import cn.emon.readmodel.Fold;
import cn.emon.readmodel.JournalEntry;
import cn.emon.region.RegionCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds a group of a slice's events into the region statistics: the last summary of each
 * household ({@code household_summary}) and the per-county counters. A new summary applies as the
 * delta before → after (the event carries both); alerts count on raise, acknowledge and resolve.
 * Deltas are summed in memory over the group and written as one upsert per table.
 *
 * <p>Counter rows are keyed by slice as well as county: a household's events reach one slice
 * only, so each slice's projection is the only writer of its rows.
 */
public final class RegionStatsFold implements Fold {

  private static final Upsert SUMMARY = summary(true);
  /** For summaries the previous release stored, which do not say whether a helper is assigned. */
  private static final Upsert LEGACY_SUMMARY = summary(false);

  private static Upsert summary(boolean withHelper) {
    Upsert.Builder b = Upsert.into("household_summary")
        .key("household_id", Type.TEXT)
        .set("slice", Type.INT)
        .set("region_code", Type.TEXT)
        .set("county_code", Type.TEXT)
        .set("deep_poverty", Type.BOOLEAN)
        .set("closed", Type.BOOLEAN)
        .set("labour_capable", Type.INT)
        .set("zero_employment", Type.BOOLEAN)
        .set("employed", Type.TEXT)
        .set("updated_at", Type.BIGINT);
    return withHelper ? b.set("helper_assigned", Type.BOOLEAN).build() : b.build();
  }
  private static final Upsert HOUSEHOLDS = counters("region_households", List.of("county_code"),
      List.of("households", "labour_capable", "zero_employment"));
  private static final Upsert EMPLOYMENT = counters("region_employment", List.of("county_code", "channel", "work_scope"),
      List.of("members"));
  private static final Upsert YEARS = counters("region_employment_years", List.of("county_code", "start_year"),
      List.of("members"));
  private static final Upsert ALERTS = counters("region_alerts", List.of("county_code", "alert_type", "severity"),
      List.of("open_count", "acknowledged_count", "raised_total", "acknowledged_total", "resolved_total",
          "resolve_millis_total"));

  private static Upsert counters(String table, List<String> keys, List<String> counters) {
    Upsert.Builder b = Upsert.into(table);
    for (String k : keys) {
      b.key(k, k.equals("start_year") ? Type.INT : Type.TEXT);
    }
    b.key("slice", Type.INT);
    for (String counter : counters) {
      b.add(counter, Type.BIGINT);
    }
    return b.build();
  }

  @Override
  public String name() {
    return "stats";
  }

  /** The group's sums, per counter table, keyed by the table's key columns without the slice. */
  private static final class Deltas {
    final Map<List<Object>, long[]> households = new HashMap<>();
    final Map<List<Object>, long[]> employment = new HashMap<>();
    final Map<List<Object>, long[]> years = new HashMap<>();
    final Map<List<Object>, long[]> alerts = new HashMap<>();

    void count(HouseholdSummary s, int sign) {
      if (s == null || s.closed()) {
        return; // a closed household is out of monitoring: it counts nowhere
      }
      String county = RegionCode.of(s.regionCode()).county();
      long[] h = households.computeIfAbsent(List.of(county), k -> new long[3]);
      h[0] += sign;
      h[1] += (long) sign * s.labourCapable();
      h[2] += s.zeroEmployment() ? sign : 0;
      for (HouseholdSummary.Employment e : s.employed()) {
        employment.computeIfAbsent(List.of(county, e.channel().name(), e.scope().name()), k -> new long[1])[0] += sign;
        years.computeIfAbsent(List.of(county, e.startYear()), k -> new long[1])[0] += sign;
      }
    }

    void count(AlertChange change) {
      Alert a = change.alert();
      long[] row = alerts.computeIfAbsent(List.of(a.countyCode(), a.type().name(), a.severity().wireName()),
          k -> new long[6]);
      switch (change.kind()) {
        case RAISED -> {
          row[0]++; // open
          row[2]++; // raised
        }
        case ACKNOWLEDGED -> {
          row[1]++; // acknowledged now
          row[3]++; // acknowledged in all
        }
        case RESOLVED -> {
          row[0]--;
          if (a.acknowledgedAt() != null) {
            row[1]--;
          }
          row[4]++;
          row[5] += Math.max(0, a.resolvedAt().toEpochMilli() - a.raisedAt().toEpochMilli());
        }
        case ESCALATED -> { } // the counters of escalation are the notification routing's
      }
    }
  }

  @Override
  public void apply(Connection c, List<JournalEntry> entries) throws SQLException {
    int slice = Household.sliceOf(entries.get(0).householdId());
    Map<String, HouseholdSummary> last = previousOfLegacy(c, entries);
    Map<String, Object[]> summaries = new LinkedHashMap<>();
    Set<String> helped = new HashSet<>();
    Deltas d = new Deltas();
    for (JournalEntry e : entries) {
      Household.Changes ch = e.changes();
      if (ch.summary() != null) {
        HouseholdSummary before = ch.summaryBeforeKnown() || !last.containsKey(ch.householdId())
            ? ch.summary().before() : last.get(ch.householdId());
        HouseholdSummary after = ch.summary().after();
        d.count(before, -1);
        d.count(after, +1);
        last.put(ch.householdId(), after);
        summaries.put(ch.householdId(), summaryRow(ch.householdId(), slice, after, e.timestamp()));
      }
      if (ch.input() instanceof Household.HelperAssigned) {
        // Summaries stored by the previous release do not say whether a helper is assigned; the
        // event does (a helper is never unassigned).
        helped.add(ch.householdId());
      }
      ch.alerts().forEach(d::count);
    }
    List<Object[]> withHelper = new ArrayList<>();
    List<Object[]> legacy = new ArrayList<>();
    for (Object[] row : summaries.values()) {
      if (row[row.length - 1] == null) {
        legacy.add(java.util.Arrays.copyOf(row, row.length - 1));
      } else {
        withHelper.add(row);
      }
    }
    SUMMARY.execute(c, withHelper);
    LEGACY_SUMMARY.execute(c, legacy);
    Upsert.updateWhereIn(c, "household_summary", "helper_assigned = TRUE", "household_id", helped);
    HOUSEHOLDS.execute(c, rows(d.households, slice));
    EMPLOYMENT.execute(c, rows(d.employment, slice));
    YEARS.execute(c, rows(d.years, slice));
    ALERTS.execute(c, rows(d.alerts, slice));
  }

  /**
   * What the read model last counted of the households whose first summary in the group was stored
   * by the previous release without its predecessor (one read for the group; none otherwise).
   */
  private static Map<String, HouseholdSummary> previousOfLegacy(Connection c, List<JournalEntry> entries)
      throws SQLException {
    Set<String> seen = new HashSet<>();
    Set<String> lookUp = new HashSet<>();
    for (JournalEntry e : entries) {
      if (e.changes().summary() != null && seen.add(e.householdId()) && !e.changes().summaryBeforeKnown()) {
        lookUp.add(e.householdId());
      }
    }
    Map<String, HouseholdSummary> found = new HashMap<>();
    if (lookUp.isEmpty()) {
      return found;
    }
    for (Map.Entry<String, HouseholdSummary> row : Sql.whereIn(c, "SELECT household_id, region_code, deep_poverty,"
        + " closed, labour_capable, zero_employment, employed, helper_assigned FROM household_summary WHERE",
        "household_id", lookUp, rs -> Map.entry(rs.getString(1), new HouseholdSummary(rs.getString(2),
            rs.getBoolean(3), rs.getBoolean(4), rs.getInt(5), rs.getBoolean(6), EmployedColumn.parse(rs.getString(7)),
            rs.getBoolean(8))))) {
      found.put(row.getKey(), row.getValue());
    }
    // A household the read model has never counted starts from nothing.
    lookUp.forEach(h -> found.putIfAbsent(h, null));
    return found;
  }

  private static Object[] summaryRow(String householdId, int slice, HouseholdSummary s, long at) {
    RegionCode region = RegionCode.of(s.regionCode());
    return new Object[] {householdId, slice, s.regionCode(), region.county(), s.deepPovertyArea(), s.closed(),
        s.labourCapable(), s.zeroEmployment(), EmployedColumn.format(s.employed()), at, s.helperAssigned()};
  }

  /** Counter rows whose deltas are not all zero, with the slice after the key. */
  private static List<Object[]> rows(Map<List<Object>, long[]> deltas, int slice) {
    List<Object[]> rows = new ArrayList<>();
    deltas.forEach((key, values) -> {
      for (long v : values) {
        if (v != 0) {
          Object[] row = new Object[key.size() + 1 + values.length];
          int i = 0;
          for (Object k : key) {
            row[i++] = k;
          }
          row[i++] = slice;
          for (long value : values) {
            row[i++] = value;
          }
          rows.add(row);
          return;
        }
      }
    });
    return rows;
  }
}
