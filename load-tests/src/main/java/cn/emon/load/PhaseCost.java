package cn.emon.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * What one phase cost the machine and the database, measured from inside the phase's own JVM so
 * no tool start falls into the window. {@link #begin} snapshots the server's and PostgreSQL's CPU
 * and the bench database's counters and resets its {@code pg_stat_statements}; {@link #workDone}
 * notes the projections' backlog when the load stops; {@link #end} waits until every projection
 * has caught up, then prints the deltas as {@code RESULT} lines. The window is the work plus the
 * catch-up, so a phase is charged for the read-model work its events cause.
 *
 * <p>Options: {@code --db-url} (the bench database, loopback; without it there is no meter),
 * {@code --server-pid}, {@code --hz} (clock ticks of {@code /proc}, {@code getconf CLK_TCK}),
 * {@code --top N} (that many statements by total time), {@code --catch-up true|false},
 * {@code --catch-up-seconds S}, {@code --settle-ms} (the wait before the database counters are
 * read, default 1100).
 *
 * <p>Every statement of the meter starts with {@link #MARK} and is left out of the statement figures.
 */
final class PhaseCost implements AutoCloseable {

  static final String MARK = "/* emon-bench */ ";

  /** Journal rows today's release writes as consequences of an input event (issue 12): not input. */
  static final List<String> DERIVED_MANIFESTS = List.of(
      "cn.emon.household.Household$AlertRaised",
      "cn.emon.household.Household$AlertResolved",
      "cn.emon.household.Household$AlertAcknowledged",
      "cn.emon.household.Household$SummaryChanged",
      "cn.emon.household.Household$DeadlineScheduled");

  static final String NOT_DERIVED = "event_ser_manifest NOT IN ('" + String.join("', '", DERIVED_MANIFESTS) + "')";

  /** The projections' read of the journal: names both tables, has a LIMIT, writes nothing. */
  private static final String POLL = "query ILIKE '%event_journal%' AND query ILIKE '%event_tag%'"
      + " AND query ILIKE '%limit%' AND query !~* '^\\s*(insert|update|delete)'";

  private static final String OURS = "dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
      + " AND query NOT LIKE '%emon-bench%'";

  /** Each journal tag and its projection offset; the tags found by a skip scan of event_tag's (tag, event_id) index. */
  private static final String SLICES = "WITH RECURSIVE tags(tag) AS ("
      + " SELECT min(tag) FROM event_tag"
      + " UNION ALL SELECT (SELECT min(e.tag) FROM event_tag e WHERE e.tag > tags.tag) FROM tags WHERE tags.tag IS NOT NULL)"
      + " SELECT t.tag, coalesce(o.current_offset::bigint, 0) AS done FROM tags t"
      + " LEFT JOIN pekko_projection_offset_store o ON o.projection_name = 'readmodel' AND o.projection_key = t.tag"
      + " WHERE t.tag IS NOT NULL";

  private static final String[] DB_COUNTERS =
      {"xact_commit", "xact_rollback", "tup_inserted", "tup_updated", "tup_deleted", "tup_returned", "tup_fetched"};

  private final String label;
  private final Connection c;
  private final Machine machine;
  private final long serverPid;
  private final int top;
  private final boolean catchUp;
  private final long catchUpNanos;
  private final boolean journal;
  private final long settleMillis;
  private String pgss;
  private long dealloc0;
  private long statements;
  private final long startNanos = System.nanoTime();
  private long workDoneNanos;
  private long serverCpu0;
  private long pgCpu0;
  private Map<Long, Long> backends0;
  private long[] db0;
  private long ordering0;

  private PhaseCost(String label, Connection c, Map<String, String> o, boolean journal) {
    this.label = label;
    this.c = c;
    this.machine = new Machine(Long.parseLong(o.getOrDefault("hz", "100")));
    this.serverPid = Long.parseLong(o.getOrDefault("server-pid", "0"));
    this.top = Integer.parseInt(o.getOrDefault("top", "0"));
    this.catchUp = journal && Boolean.parseBoolean(o.getOrDefault("catch-up", "true"));
    this.catchUpNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("catch-up-seconds", "900")));
    this.journal = journal;
    this.settleMillis = Long.parseLong(o.getOrDefault("settle-ms", "1100"));
  }

  /**
   * Starts a meter of the database at {@code --db-url}, or returns null without one.
   *
   * @param journal whether the database is the server's (with projections to wait for)
   */
  static PhaseCost begin(Map<String, String> o, String label, boolean journal) throws SQLException {
    String url = o.get("db-url");
    if (url == null) {
      return null;
    }
    RawJournalInsert.requireLoopback(url);
    Connection c = DriverManager.getConnection(url);
    c.setAutoCommit(true);
    PhaseCost p = new PhaseCost(label, c, o, journal);
    p.start();
    return p;
  }

  private void start() throws SQLException {
    try (ResultSet rs = query(
        "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)")) {
      pgss = "ok";
      dealloc0 = dealloc();
    } catch (SQLException e) {
      pgss = "n/a (pg_stat_statements not loaded)";
    }
    if (journal) {
      ordering0 = longOf("SELECT coalesce(max(ordering), 0) FROM event_journal");
    }
    db0 = dbCounters();
    backends0 = machine.cpuMillis(backendPids());
    pgCpu0 = machine.postgresCpuMillis();
    serverCpu0 = serverPid > 0 ? machine.cpuMillis(serverPid) : 0;
  }

  /** The load has stopped: notes the journal rows the projections have still to fold. */
  void workDone() throws SQLException {
    workDoneNanos = System.nanoTime();
    if (catchUp) {
      long backlog = 0;
      Map<String, Long> done = new LinkedHashMap<>();
      try (ResultSet rs = query(SLICES)) {
        while (rs.next()) {
          done.put(rs.getString(1), rs.getLong(2));
        }
      }
      for (Map.Entry<String, Long> slice : done.entrySet()) {
          try (PreparedStatement ps = c.prepareStatement(MARK
              + "SELECT count(*) FROM event_tag WHERE tag = ? AND event_id > ?")) {
            ps.setString(1, slice.getKey());
            ps.setLong(2, slice.getValue());
            statements++;
            try (ResultSet n = ps.executeQuery()) {
              n.next();
              backlog += n.getLong(1);
            }
          }
      }
      Bench.result(label + ".backlog_rows", backlog);
    }
  }

  /** Waits for the projections, prints the phase's figures; 1 when the projections did not catch up. */
  int end() throws Exception {
    if (workDoneNanos == 0) {
      workDone();
    }
    int status = 0;
    if (catchUp) {
      boolean caughtUp = false;
      while (System.nanoTime() - workDoneNanos < catchUpNanos) {
        if (lagging() == 0) {
          caughtUp = true;
          break;
        }
        Thread.sleep(50);
      }
      Bench.result(label + ".catch_up_s", (System.nanoTime() - workDoneNanos) / 1e9);
      if (!caughtUp) {
        System.err.println(label + ": the projections did not catch up within the time allowed");
        status = 1;
      }
    }
    long pgCpu = machine.postgresCpuMillis();
    long serverCpu = serverPid > 0 ? machine.cpuMillis(serverPid) : 0;
    Map<Long, Long> backends = machine.cpuMillis(backendPids());
    Bench.result(label + ".window_s", (System.nanoTime() - startNanos) / 1e9);
    if (serverPid > 0) {
      Bench.result(label + ".server_cpu_s", (serverCpu - serverCpu0) / 1e3);
    }
    if (pgCpu > 0) {
      Bench.result(label + ".pg_cpu_s", (pgCpu - pgCpu0) / 1e3);
      long db = 0;
      for (Map.Entry<Long, Long> b : backends.entrySet()) {
        db += b.getValue() - backends0.getOrDefault(b.getKey(), 0L);
      }
      Bench.result(label + ".pg_db_cpu_s", db / 1e3);
    } else {
      Bench.result(label + ".pg_cpu_s", "n/a (no postgres process visible)");
    }
    statementFigures();
    if (journal) {
      journalFigures();
    }
    // PostgreSQL 15 backends flush their database counters when idle, at most once a second.
    Thread.sleep(settleMillis);
    long[] db1 = dbCounters();
    for (int i = 0; i < DB_COUNTERS.length; i++) {
      long delta = db1[i] - db0[i];
      // The meter's own statements run in autocommit: one transaction each.
      Bench.result(label + ".db." + DB_COUNTERS[i], i == 0 ? delta - statements : delta);
    }
    return status;
  }

  private void statementFigures() throws SQLException {
    Bench.result(label + ".pgss", pgss);
    if (!pgss.equals("ok")) {
      return;
    }
    // Entries evicted (pg_stat_statements.max reached, by any database's statements) are not counted.
    Bench.result(label + ".pgss_evictions", dealloc() - dealloc0);
    try (ResultSet rs = query("SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0)"
        + " FROM pg_stat_statements WHERE " + OURS)) {
      rs.next();
      Bench.result(label + ".pg_calls", rs.getLong(1));
      Bench.result(label + ".pg_exec_ms", rs.getDouble(2));
    }
    try (ResultSet rs = query("SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0),"
        + " coalesce(sum(rows), 0) FROM pg_stat_statements WHERE " + OURS + " AND " + POLL)) {
      rs.next();
      Bench.result(label + ".poll_calls", rs.getLong(1));
      Bench.result(label + ".poll_ms", rs.getDouble(2));
      Bench.result(label + ".poll_rows", rs.getLong(3));
    }
    if (top > 0) {
      try (ResultSet rs = query("SELECT calls, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 120)"
          + " FROM pg_stat_statements WHERE " + OURS + " ORDER BY total_exec_time DESC LIMIT " + top)) {
        int n = 0;
        while (rs.next()) {
          Bench.result(label + ".top." + ++n, rs.getLong(1) + "|" + String.format(Locale.ROOT, "%.1f", rs.getDouble(2))
              + "|" + rs.getLong(3) + "|" + rs.getString(4));
        }
      }
    }
  }

  /** The journal rows the phase wrote, in all and by kind. */
  private void journalFigures() throws SQLException {
    long rows = 0;
    long input = 0;
    StringJoiner kinds = new StringJoiner(", ");
    try (ResultSet rs = query("SELECT event_ser_manifest, count(*) FROM event_journal WHERE ordering > "
        + ordering0 + " GROUP BY 1 ORDER BY 2 DESC, 1")) {
      while (rs.next()) {
        String manifest = rs.getString(1);
        long n = rs.getLong(2);
        rows += n;
        input += DERIVED_MANIFESTS.contains(manifest) ? 0 : n;
        kinds.add(manifest.substring(manifest.lastIndexOf('.') + 1) + " " + n);
      }
    }
    Bench.result(label + ".journal_from", ordering0);
    Bench.result(label + ".journal_to", longOf("SELECT coalesce(max(ordering), 0) FROM event_journal"));
    Bench.result(label + ".journal_rows", rows);
    Bench.result(label + ".journal_input_rows", input);
    Bench.result(label + ".journal_kinds", kinds.toString());
  }

  /** Slices whose projection offset is behind the slice's newest journal row. */
  private long lagging() throws SQLException {
    try (ResultSet rs = query("SELECT count(*) FROM (" + SLICES + ") s"
        + " WHERE (SELECT max(event_id) FROM event_tag e WHERE e.tag = s.tag) > s.done")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long dealloc() throws SQLException {
    return longOf("SELECT dealloc FROM pg_stat_statements_info");
  }

  private List<Long> backendPids() throws SQLException {
    List<Long> pids = new ArrayList<>();
    try (ResultSet rs = query("SELECT pid FROM pg_stat_activity"
        + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
      while (rs.next()) {
        pids.add(rs.getLong(1));
      }
    }
    return pids;
  }

  private long[] dbCounters() throws SQLException {
    try (ResultSet rs = query("SELECT " + String.join(", ", DB_COUNTERS)
        + " FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      long[] v = new long[DB_COUNTERS.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = rs.getLong(i + 1);
      }
      return v;
    }
  }

  private long longOf(String sql) throws SQLException {
    try (ResultSet rs = query(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A query of the meter: marked, counted; the result set closes its statement. */
  private ResultSet query(String sql) throws SQLException {
    Statement st = c.createStatement();
    st.closeOnCompletion();
    statements++;
    return st.executeQuery(MARK + sql);
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
