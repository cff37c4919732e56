package cn.emon.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of the journal tables current where autovacuum does not
 * (it may be off, or behind during a bulk import). The read journal's eventsByTag query joins
 * {@code event_journal} and {@code event_tag} with the ordering range on {@code event_journal}
 * only; without statistics on {@code event_tag.tag} the planner hashes every row of the slice's
 * tag on each poll, so every poll of every projection costs time proportional to the whole
 * journal. With statistics it walks the ordering range and probes {@code event_tag}'s key.
 *
 * <p>Uses autovacuum's own rule — ANALYZE a table once more than 10% of its rows (and at least
 * 1000) changed since the last analyze — so where autovacuum keeps up this finds nothing to do.
 */
public final class JournalStatistics {

  private static final Logger log = LoggerFactory.getLogger(JournalStatistics.class);
  private static final List<String> TABLES = List.of("event_journal", "event_tag");
  private static final long MIN_CHANGED = 1000;

  private final DataSource dataSource;

  public JournalStatistics(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Checks every {@code interval}, on this node. */
  public static void start(ActorSystem<?> system, JournalStatistics statistics, Duration interval) {
    PeriodicJdbcTask.start(system, "journal-statistics", "Journal statistics", interval, statistics::refresh);
  }

  /** Analyzes the journal tables that changed enough since their last analyze; returns how many. */
  public synchronized int refresh() throws SQLException {
    int analyzed = 0;
    try (Connection c = dataSource.getConnection()) {
      for (String table : TABLES) {
        long live;
        long changed;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT n_live_tup, n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = ?")) {
          ps.setString(1, table);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              continue;
            }
            live = rs.getLong(1);
            changed = rs.getLong(2);
          }
        }
        if (changed >= MIN_CHANGED && changed > live / 10) {
          try (Statement st = c.createStatement()) {
            st.execute("ANALYZE " + table);
          }
          analyzed++;
          log.info("Analyzed {} for the query planner ({} of {} rows changed since the last analyze)",
              table, changed, live);
        }
      }
    }
    return analyzed;
  }
}
