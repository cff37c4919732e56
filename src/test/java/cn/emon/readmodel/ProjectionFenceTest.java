package cn.emon.readmodel;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.emon.db.HikariJdbcSession;
import cn.emon.household.Household;
import cn.emon.household.HouseholdSummary;
import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/**
 * Fault: during a hand-over one slice of the read-model projection runs on two nodes at once, both
 * holding the same group of events. Must hold: the group is folded once — the second instance
 * waits for the first one's commit, then finds the slice applied past the group and fails
 * (restarting from the stored offset) instead of counting the households again.
 */
class ProjectionFenceTest {

  @Test
  void aGroupAppliedByOneInstanceIsRefusedToTheOther() throws Exception {
    try (TestServer server = TestServer.postgres(Map.of())) {
      ApiClient api = server.client();
      DataSource ds = server.running().dependencies().dataSource();
      String known = "522701-fence0";
      api.ingest(registered(known, "522701", false, member("m1", "ORDINARY", false)));
      Await.until(Duration.ofSeconds(20), "the registration folded", () -> api.countyHouseholds("522701") == 1);

      // A group of the same slice beyond everything in the journal, so the live projection never meets it.
      String tag = Household.TAGS.get(Household.sliceOf(known));
      String twin = twinOf(known);
      long first = maxOrdering(ds) + 1000;
      HouseholdSummary summary = new HouseholdSummary("522701", false, false, 1, true, List.of(), false);
      List<EventEnvelope<Household.Event>> group = List.of(EventEnvelope.create(Sequence.apply(first),
          Household.persistenceIdOf(twin).id(), 1, new Household.SummaryChanged(twin, summary), System.currentTimeMillis()));

      ReadModelProjections.FoldAll one = new ReadModelProjections.FoldAll(tag, List.of(new AlertsFold(), new cn.emon.stats.RegionStatsFold()), ReadModelListener.NONE);
      ReadModelProjections.FoldAll other = new ReadModelProjections.FoldAll(tag, List.of(new AlertsFold(), new cn.emon.stats.RegionStatsFold()), ReadModelListener.NONE);
      HikariJdbcSession a = new HikariJdbcSession(ds);
      HikariJdbcSession b = new HikariJdbcSession(ds);
      try {
        storeOffset(a, tag, first); // as the projection does before its handler, in the same transaction
        one.process(a, group);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
          try {
            other.process(b, group);
            b.commit();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        // The second instance waits on the slice's row lock (PostgreSQL says so), never having finished.
        Await.until(Duration.ofSeconds(30), "the second instance waits for the first's lock", () -> {
          assertThat(second).as("the second instance finished without waiting for the first").isNotDone();
          return waitingOnLock(ds) > 0;
        });
        a.commit();
        assertThatThrownBy(() -> second.get(20, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(ReadModelProjections.AlreadyApplied.class);
        b.rollback();
      } finally {
        a.close();
        b.close();
      }
      assertThat(api.countyHouseholds("522701")).as("the twin household counted once").isEqualTo(2);
    }
  }

  /** True when the future is still running after {@code time}: bounded, it asserts a wait, not timing. */
  /** Sessions of this database waiting for a lock. */
  private static int waitingOnLock(DataSource ds) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String twinOf(String household) {
    for (int i = 1; ; i++) {
      String h = "522701-fence" + i;
      if (Household.sliceOf(h) == Household.sliceOf(household)) {
        return h;
      }
    }
  }

  private static long maxOrdering(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT max(ordering) FROM event_journal");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void storeOffset(HikariJdbcSession session, String tag, long offset) throws Exception {
    session.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE pekko_projection_offset_store SET current_offset = ?"
          + " WHERE projection_name = ? AND projection_key = ?")) {
        ps.setString(1, Long.toString(offset));
        ps.setString(2, ReadModelProjections.NAME);
        ps.setString(3, tag);
        assertThat(ps.executeUpdate()).as("the slice has an offset row").isEqualTo(1);
      }
      return null;
    });
  }
}
