package cn.emon.db;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database task run every {@code interval} on this node, on the blocking dispatcher so a slow
 * database never holds an actor thread. A failure is logged by exception class only (messages of
 * SQL errors can carry stored values) and the next run tries again.
 */
public final class PeriodicJdbcTask {

  private static final Logger log = LoggerFactory.getLogger(PeriodicJdbcTask.class);

  /** The work of one run. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  private PeriodicJdbcTask() {}

  /**
   * @param name the system actor's name
   * @param what how the log names the task, e.g. "Read-model reconciliation"
   */
  public static void start(ActorSystem<?> system, String name, String what, Duration interval, Task task) {
    Behavior<Object> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Executor jdbc = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig("emon.blocking-dispatcher"));
      timers.startTimerWithFixedDelay(name, interval, interval);
      return Behaviors.receiveMessage(tick -> {
        CompletableFuture.runAsync(() -> runQuietly(what, task), jdbc);
        return Behaviors.same();
      });
    }));
    system.systemActorOf(behavior, name, Props.empty());
  }

  private static void runQuietly(String what, Task task) {
    try {
      task.run();
    } catch (Exception e) {
      log.warn("{} could not run: {}", what, e.getClass().getSimpleName());
    }
  }
}
