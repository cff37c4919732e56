package cn.emon.readmodel;

import cn.emon.db.PeriodicJdbcTask;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the journal with the read model: every event of a slice at or below what the slice has
 * folded must have been folded, once. The projection counts the events it folds in the same
 * transaction ({@code readmodel_applied.events_applied}); this check counts the slice's journal rows
 * over the same range. A difference means an event was skipped (the read journal gives up on an
 * ordering gap after max-tries) or applied twice. Reported as
 * {@code emon_readmodel_reconciliation_difference{table="journal"}} and a warning. Journal counts are
 * kept incrementally over ordering ranges, so each run reads only what is new.
 */
public final class Reconciliation {

  private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

  private final DataSource dataSource;
  private final Gauge difference;
  /** Per slice tag: journal rows counted over (countedFrom, checkedThrough]. */
  private final Map<String, long[]> slices = new HashMap<>();
  private long journalEvents;

  public Reconciliation(DataSource dataSource, PrometheusRegistry registry) {
    this.dataSource = dataSource;
    this.difference = Gauge.builder()
        .name("emon_readmodel_reconciliation_difference")
        .help("Journal events minus events the read model folded, up to what each slice has folded")
        .labelNames("table")
        .register(registry);
    this.difference.labelValues("journal").set(0);
  }

  /** Runs {@link #check()} every interval, on this node. */
  public static void start(ActorSystem<?> system, Reconciliation reconciliation, java.time.Duration interval) {
    PeriodicJdbcTask.start(system, "readmodel-reconciliation", "Read-model reconciliation", interval,
        reconciliation::check);
  }

  /** Brings the journal counts of every slice up to what it has folded and returns the difference. */
  public synchronized long check() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      long diff = 0;
      long counted = 0;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT slice, applied_through, events_applied, counted_from FROM readmodel_applied");
          ResultSet rs = ps.executeQuery()) {
        List<long[]> rows = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        while (rs.next()) {
          tags.add(rs.getString(1));
          rows.add(new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        }
        for (int i = 0; i < tags.size(); i++) {
          long appliedThrough = rows.get(i)[0];
          long folded = rows.get(i)[1];
          long countedFrom = rows.get(i)[2];
          // slice[0]: counted through; slice[1]: journal rows in (countedFrom, slice[0]]
          long[] slice = slices.computeIfAbsent(tags.get(i), t -> new long[] {countedFrom, 0});
          if (appliedThrough > slice[0]) {
            // Counted before it is added: a query that fails (the database gone mid-check) leaves the
            // range to be counted again whole.
            long n = count(c, tags.get(i), slice[0], appliedThrough);
            slice[1] += n;
            slice[0] = appliedThrough;
          }
          diff += slice[1] - folded;
          counted += slice[1];
        }
      }
      journalEvents = counted;
      difference.labelValues("journal").set(diff);
      if (diff != 0) {
        log.warn("Read model differs from the journal: {} journal events not folded exactly once", diff);
      }
      return diff;
    }
  }

  /** Journal events counted so far, over every slice. */
  public synchronized long journalEvents() {
    return journalEvents;
  }

  private static long count(Connection c, String tag, long from, long to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM event_tag WHERE tag = ? AND event_id > ? AND event_id <= ?")) {
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
