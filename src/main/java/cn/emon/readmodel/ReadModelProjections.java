package cn.emon.readmodel;

import cn.emon.db.HikariJdbcSession;
import cn.emon.household.Household;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Runs the read-model projection, one instance per journal tag slice, spread over the cluster by
 * ShardedDaemonProcess. Exactly-once: each group of events and its offset commit together. It is
 * the only reader of the journal: every feature's fold of the events (the alerts table, the deadline
 * index, the region statistics, the webhook outbox …) runs in the same transaction over the whole
 * group, so they move in step and each event is read and deserialized once.
 */
public final class ReadModelProjections {

  public static final String NAME = "readmodel";

  private ReadModelProjections() {}

  /** @param folds the features' folds, each made fresh per projection instance, applied in this order */
  public static void init(ActorSystem<?> system, DataSource dataSource, ReadModelSettings settings,
      ReadModelListener listener, List<Supplier<Fold>> folds) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        "projection-" + NAME,
        Household.SLICES,
        slice -> ProjectionBehavior.create(projection(system, dataSource, settings, listener, folds, slice)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  static GroupedProjection<Offset, EventEnvelope<Household.Event>> projection(ActorSystem<?> system,
      DataSource dataSource, ReadModelSettings settings, ReadModelListener listener,
      List<Supplier<Fold>> folds, int slice) {
    String tag = Household.TAGS.get(slice);
    SourceProvider<Offset, EventEnvelope<Household.Event>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(
            ProjectionId.of(NAME, tag),
            source,
            () -> new HikariJdbcSession(dataSource),
            () -> new FoldAll(tag, folds.stream().map(Supplier::get).toList(), listener),
            system)
        .withGroup(settings.batchSize(), settings.groupWait())
        .withStatusObserver(new FailureObserver(listener));
  }

  /** The journal ordering of an event of the read journal (its offset). */
  static long offsetOf(EventEnvelope<Household.Event> envelope) {
    return ((Sequence) envelope.offset()).value();
  }

  /**
   * Applies every fold to the group in one connection and transaction, then tells the listener.
   * First it moves the slice's row in {@code readmodel_applied} from before the group to its end,
   * counting the group's events: when a hand-over lets a slice run on two nodes at once, the
   * instance that lags waits on that row for the other's commit, finds the group applied and fails
   * (the slice restarts from the stored offset), so nothing is folded twice.
   */
  static final class FoldAll extends JdbcHandler<List<EventEnvelope<Household.Event>>, HikariJdbcSession> {
    private final String slice;
    private final List<Fold> folds;
    private final ReadModelListener listener;

    FoldAll(String slice, List<Fold> folds, ReadModelListener listener) {
      this.slice = slice;
      this.folds = folds;
      this.listener = listener;
    }

    @Override
    public void process(HikariJdbcSession session, List<EventEnvelope<Household.Event>> envelopes) throws Exception {
      if (envelopes.isEmpty()) {
        return;
      }
      List<JournalEntry> entries = new ArrayList<>(envelopes.size());
      for (EventEnvelope<Household.Event> env : envelopes) {
        entries.add(JournalEntry.of(env));
      }
      session.withConnection(c -> {
        fence(c, entries.get(0).ordering(), entries.get(entries.size() - 1).ordering(), entries.size());
        for (Fold fold : folds) {
          long started = System.nanoTime();
          fold.apply(c, entries);
          listener.folded(fold.name(), System.nanoTime() - started, entries.size());
        }
        return null;
      });
      listener.applied(entries);
    }

    private void fence(Connection c, long first, long last, int events) throws SQLException {
      // One statement when all is well: the row lock makes a concurrent instance wait for this
      // transaction, and the condition, checked again after the wait, refuses it the group.
      try (PreparedStatement ps = c.prepareStatement("UPDATE readmodel_applied SET applied_through = ?,"
          + " events_applied = events_applied + ? WHERE slice = ? AND applied_through < ?")) {
        ps.setLong(1, last);
        ps.setLong(2, events);
        ps.setString(3, slice);
        ps.setLong(4, first);
        if (ps.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT applied_through FROM readmodel_applied WHERE slice = ? FOR UPDATE")) {
        ps.setString(1, slice);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            throw new AlreadyApplied(slice, rs.getLong(1), first);
          }
        }
      }
      // A slice's first group inserts its row; a concurrent first insert fails on the key and that
      // instance restarts.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO readmodel_applied (slice, applied_through,"
          + " events_applied, counted_from) VALUES (?, ?, ?, 0)")) {
        ps.setString(1, slice);
        ps.setLong(2, last);
        ps.setLong(3, events);
        ps.executeUpdate();
      }
    }
  }

  /** Another instance of the slice has applied the group: this one restarts from the stored offset. */
  static final class AlreadyApplied extends IllegalStateException {
    AlreadyApplied(String slice, long stored, long first) {
      super("slice " + slice + " has applied through offset " + stored + ", past this group's first offset "
          + first + ": another instance applied it");
    }
  }

  /**
   * Makes a failing slice loud: a poison event stops the slice (it restarts with back-off from its
   * committed offset and fails again) and is never skipped, so it is logged and counted.
   */
  private static final class FailureObserver extends StatusObserver<EventEnvelope<Household.Event>> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReadModelProjections.class);
    private final ReadModelListener listener;

    FailureObserver(ReadModelListener listener) {
      this.listener = listener;
    }

    @Override
    public void failed(ProjectionId id, Throwable cause) {
      // The class only: messages of serialization and SQL errors can carry stored values.
      log.error("Projection {} of slice {} failed with {}; it restarts from its last offset, skipping nothing",
          id.name(), id.key(), cause.getClass().getName());
      listener.failed(id.key(), cause);
    }

    @Override
    public void started(ProjectionId id) {}

    @Override
    public void stopped(ProjectionId id) {}

    @Override
    public void beforeProcess(ProjectionId id, EventEnvelope<Household.Event> envelope) {}

    @Override
    public void afterProcess(ProjectionId id, EventEnvelope<Household.Event> envelope) {}

    @Override
    public void offsetProgress(ProjectionId id, EventEnvelope<Household.Event> envelope) {}

    @Override
    public void error(ProjectionId id, EventEnvelope<Household.Event> envelope, Throwable cause,
        HandlerRecoveryStrategy strategy) {}
  }
}
