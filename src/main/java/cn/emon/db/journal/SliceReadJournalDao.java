package cn.emon.db.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.ReadJournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.scaladsl.Source;
import scala.Option;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.util.Failure;
import scala.util.Success;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The read journal's data access, as pekko-persistence-jdbc's own but for its tag query. The plugin
 * bounds a poll on {@code event_journal.ordering} only; PostgreSQL does not carry an inequality
 * across the join, so every poll read the slice's whole {@code event_tag} index from its first row:
 * the cost grew with the journal's age. Here the bounds are on {@code event_tag.event_id}, which the
 * {@code (tag, event_id)} index serves, so a poll reads what is new. Everything else, and above all
 * the plugin's gap handling (the highest ordering without gaps comes from its journal-sequence actor,
 * so a slow commit is never skipped), stays the plugin's.
 */
public final class SliceReadJournalDao extends DefaultReadJournalDao {

  private static final String EVENTS_BY_TAG = "SELECT j.ordering, j.deleted, j.persistence_id, j.sequence_number,"
      + " j.writer, j.write_timestamp, j.adapter_manifest, j.event_payload, j.event_ser_id, j.event_ser_manifest,"
      + " j.meta_payload, j.meta_ser_id, j.meta_ser_manifest"
      + " FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
      + " WHERE t.tag = ? AND t.event_id > ? AND t.event_id <= ? AND j.deleted = FALSE"
      + " ORDER BY t.event_id LIMIT ?";

  private final JdbcBackend.JdbcDatabaseDef database;
  private final Serialization serialization;
  private final Executor jdbc;

  public SliceReadJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, ReadJournalConfig config,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, config, serialization, ec, mat);
    this.database = db;
    this.serialization = serialization;
    this.jdbc = mat.system().dispatchers().lookup("emon.journal-dispatcher");
    if (!config.eventJournalTableConfiguration().tableName().equals("event_journal")
        || !config.eventTagTableConfiguration().tableName().equals("event_tag")) {
      throw new IllegalStateException("jdbc-read-journal: this DAO reads the default tables event_journal and event_tag");
    }
  }

  @Override
  public Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(String tag, long offset,
      long maxOffset, long max) {
    CompletableFuture<List<Try<Tuple3<PersistentRepr, Set<String>, Object>>>> rows =
        CompletableFuture.supplyAsync(() -> query(tag, offset, maxOffset, max), jdbc);
    return org.apache.pekko.stream.javadsl.Source.completionStage(rows)
        .<Try<Tuple3<PersistentRepr, Set<String>, Object>>>mapConcat(list -> list)
        .asScala();
  }

  private List<Try<Tuple3<PersistentRepr, Set<String>, Object>>> query(String tag, long offset, long maxOffset,
      long max) {
    List<Try<Tuple3<PersistentRepr, Set<String>, Object>>> out = new ArrayList<>();
    try (Connection c = database.source().createConnection();
        PreparedStatement ps = c.prepareStatement(EVENTS_BY_TAG)) {
      ps.setString(1, tag);
      ps.setLong(2, offset);
      ps.setLong(3, maxOffset);
      ps.setLong(4, Math.min(max, Integer.MAX_VALUE));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(deserialize(rowOf(rs)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("eventsByTag query failed: SQLState " + e.getSQLState(), e);
    }
    return out;
  }

  private Try<Tuple3<PersistentRepr, Set<String>, Object>> deserialize(JournalPekkoSerializationRow row) {
    Try<Tuple2<PersistentRepr, Object>> read = PekkoSerialization.fromRow(serialization, row);
    if (read.isFailure()) {
      return new Failure<>(read.failed().get());
    }
    Tuple2<PersistentRepr, Object> t = read.get();
    return new Success<>(new Tuple3<>(t._1(), scala.collection.immutable.Set$.MODULE$.<String>empty(), t._2()));
  }

  private static JournalPekkoSerializationRow rowOf(ResultSet rs) throws SQLException {
    int metaSerId = rs.getInt(12);
    Option<Object> metaSerIdOption = rs.wasNull() ? Option.empty() : Option.apply(metaSerId);
    return new JournalPekkoSerializationRow(rs.getLong(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4),
        rs.getString(5), rs.getLong(6), rs.getString(7), rs.getBytes(8), rs.getInt(9), rs.getString(10),
        Option.apply(rs.getBytes(11)), metaSerIdOption, Option.apply(rs.getString(13)));
  }
}
