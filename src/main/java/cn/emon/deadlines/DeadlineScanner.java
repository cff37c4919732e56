package cn.emon.deadlines;

import cn.emon.household.Household;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Wakes households whose deadline has come. One scanner per journal slice, spread over the
 * cluster by ShardedDaemonProcess; each reads the durable deadline index kept by the read-model
 * projection and sends {@code CheckDeadlines} to the due households. Nothing depends on an
 * in-memory timer surviving: a restarted node resumes from the table, and passivated households
 * are woken only when due.
 */
public final class DeadlineScanner {

  /** The scanner's messages. */
  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Scanned(int woken, Throwable failure) implements Command {}

  private DeadlineScanner() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, Clock clock, DeadlineSettings settings) {
    ShardedDaemonProcess.get(system).init(Command.class, "deadline-scanner", Household.SLICES,
        slice -> create(slice, dataSource, clock, settings),
        ShardedDaemonProcessSettings.create(system), Optional.empty());
  }

  static Behavior<Command> create(int slice, DataSource dataSource, Clock clock, DeadlineSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorSystem<?> system = ctx.getSystem();
      Executor jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
      ClusterSharding sharding = ClusterSharding.get(system);
      timers.startSingleTimer(Tick.INSTANCE, Duration.ofMillis(200));
      return Behaviors.receive(Command.class)
          .onMessage(Tick.class, t -> {
            ctx.pipeToSelf(scan(slice, dataSource, clock, settings, jdbc, sharding, system),
                (woken, failure) -> new Scanned(woken == null ? 0 : woken, failure));
            return Behaviors.same();
          })
          .onMessage(Scanned.class, s -> {
            if (s.failure() != null) {
              ctx.getLog().warn("Deadline scan of slice {} failed: {}", slice, s.failure().getClass().getSimpleName());
            } else if (s.woken() > 0) {
              ctx.getLog().debug("Deadline scan of slice {} woke {} households", slice, s.woken());
            }
            // A full batch means more may be due: go again soon.
            Duration next = s.woken() >= settings.batchSize() ? Duration.ofMillis(500) : settings.scanInterval();
            timers.startSingleTimer(Tick.INSTANCE, next);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static CompletionStage<Integer> scan(int slice, DataSource dataSource, Clock clock,
      DeadlineSettings settings, Executor jdbc, ClusterSharding sharding, ActorSystem<?> system) {
    long now = clock.millis();
    return CompletableFuture.supplyAsync(() -> due(dataSource, slice, now, settings.batchSize()), jdbc)
        .thenCompose(households -> Source.from(households)
            .mapAsyncUnordered(settings.parallelism(), id -> sharding
                .entityRefFor(Household.ENTITY_TYPE_KEY, id)
                .<Done>ask(Household.CheckDeadlines::new, Duration.ofSeconds(15)))
            .runWith(Sink.ignore(), system)
            .thenApply(done -> households.size()));
  }

  static List<String> due(DataSource dataSource, int slice, long now, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT household_id FROM deadlines WHERE slice = ? AND due_at <= ? ORDER BY due_at LIMIT " + limit)) {
      ps.setInt(1, slice);
      ps.setLong(2, now);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("deadline query failed: " + e.getClass().getSimpleName(), e);
    }
  }
}
