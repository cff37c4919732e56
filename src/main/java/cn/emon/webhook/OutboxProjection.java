package cn.emon.webhook;

import cn.emon.db.HikariJdbcSession;
import cn.emon.household.Household;
import cn.emon.readmodel.ReadModelListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * The {@code webhook-outbox} projection, one instance per journal slice spread over the cluster by
 * ShardedDaemonProcess. Exactly-once: each group of alert changes becomes delivery rows in the
 * transaction that stores the offset.
 */
final class OutboxProjection {

  static final String NAME = "webhook-outbox";

  private OutboxProjection() {}

  static void init(ActorSystem<?> system, DataSource dataSource, WebhookSettings settings, Clock clock,
      ReadModelListener listener) {
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        "projection-" + NAME,
        Household.SLICES,
        slice -> {
          String tag = Household.TAGS.get(slice);
          return ProjectionBehavior.create(JdbcProjection.groupedWithin(
                  ProjectionId.of(NAME, tag),
                  EventSourcedProvider.<Household.Event>eventsByTag(system, JdbcReadJournal.Identifier(), tag),
                  () -> new HikariJdbcSession(dataSource),
                  () -> new OutboxHandler(settings, clock, listener),
                  system)
              .withGroup(settings.batchSize(), Duration.ofMillis(50)));
        },
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }
}
