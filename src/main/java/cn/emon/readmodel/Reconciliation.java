package cn.emon.readmodel;

import cn.emon.db.PeriodicJdbcTask;
import cn.emon.household.Household;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the journal with the read model. Every AlertRaised of a slice at or below that slice's
 * committed offset must have its row in {@code alerts}; a difference means an
 * event was skipped (the read journal gives up on an ordering gap after max-tries) or applied
 * twice. Reported as {@code emon_readmodel_reconciliation_difference} and a warning. Counts are
 * kept incrementally over ordering ranges, so each run reads only what is new.
 */
public final class Reconciliation {

  private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
  private static final String ALERT_RAISED_MANIFEST = Household.AlertRaised.class.getName();

  private final DataSource dataSource;
  private final Gauge difference;
  private final long[] checkedUpTo = new long[Household.SLICES];
  private long journalCount;
  private long tableCount;

  public Reconciliation(DataSource dataSource, PrometheusRegistry registry) {
    this.dataSource = dataSource;
    this.difference = Gauge.builder()
        .name("emon_readmodel_reconciliation_difference")
        .help("AlertRaised events in the journal minus rows in the alerts table, up to the projection's lowest offset")
        .labelNames("table")
        .register(registry);
    this.difference.labelValues("alerts").set(0);
  }

  /** Runs {@link #check()} every interval, on this node. */
  public static void start(ActorSystem<?> system, Reconciliation reconciliation, java.time.Duration interval) {
    PeriodicJdbcTask.start(system, "readmodel-reconciliation", "Read-model reconciliation", interval,
        reconciliation::check);
  }

  /**
   * Brings the counts of every slice up to that slice's committed offset and returns the
   * difference. Slices are compared separately because a quiet slice's offset lags the others.
   */
  public synchronized long check() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      for (int slice = 0; slice < Household.SLICES; slice++) {
        String tag = Household.TAGS.get(slice);
        long upTo = committedOffset(c, tag);
        if (upTo > checkedUpTo[slice]) {
          // Both counts of a range are taken before either is added: a query that fails between them
          // (the database gone mid-check) must leave the range to be counted again whole.
          long inJournal = count(c, "SELECT count(*) FROM event_journal j JOIN event_tag t ON t.event_id = j.ordering"
              + " WHERE t.tag = ? AND j.ordering > ? AND j.ordering <= ?"
              + " AND j.event_ser_manifest = '" + ALERT_RAISED_MANIFEST + "'", tag, checkedUpTo[slice], upTo);
          long inTable = count(c, "SELECT count(*) FROM alerts a JOIN event_tag t ON t.event_id = a.raised_ordering"
              + " WHERE t.tag = ? AND a.raised_ordering > ? AND a.raised_ordering <= ?", tag, checkedUpTo[slice], upTo);
          journalCount += inJournal;
          tableCount += inTable;
          checkedUpTo[slice] = upTo;
        }
      }
      long diff = journalCount - tableCount;
      difference.labelValues("alerts").set(diff);
      if (diff != 0) {
        log.warn("Read model differs from the journal: {} AlertRaised events have no alerts row", diff);
      }
      return diff;
    }
  }

  /** AlertRaised events counted in the journal so far. */
  public synchronized long journalAlerts() {
    return journalCount;
  }

  private static long committedOffset(Connection c, String tag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT current_offset FROM pekko_projection_offset_store"
        + " WHERE projection_name = ? AND projection_key = ?")) {
      ps.setString(1, ReadModelProjections.NAME);
      ps.setString(2, tag);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Long.parseLong(rs.getString(1)) : 0;
      }
    }
  }

  private static long count(Connection c, String sql, String tag, long from, long to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tag);
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
