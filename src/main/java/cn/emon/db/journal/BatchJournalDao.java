package cn.emon.db.journal;

import cn.emon.db.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.PostgresProfile;

/**
 * The journal's data access, as pekko-persistence-jdbc's own DAO but for two things it does one
 * round trip per row:
 * <ul>
 *   <li><b>Writes</b>: the plugin gathers the rows of every household persisting at the time into
 *   one transaction ({@code jdbc-journal.batchSize}), then inserts them with one
 *   {@code INSERT … RETURNING} each (Slick's returning insert never batches). Here a group is one
 *   insert of all its journal rows and one of all its tag rows. Each household's rows keep their
 *   order (orderings ascend with sequence numbers: checked), and a group commits or fails whole,
 *   so each {@code persist} stays atomic.</li>
 *   <li><b>Highest sequence number</b> (asked once per household recovery): asks made while one
 *   query runs are answered together by the next, one query for many households — a bulk
 *   import recovers thousands of new households at once.</li>
 * </ul>
 * Reads for replay are the plugin's. Blocking JDBC runs on {@code emon.journal-dispatcher}, with
 * connections from the journal's own pool.
 */
public final class BatchJournalDao extends DefaultJournalDao {

  private static final String COLUMNS = "deleted, persistence_id, sequence_number, writer, write_timestamp,"
      + " adapter_manifest, event_ser_id, event_ser_manifest, event_payload, meta_ser_id, meta_ser_manifest,"
      + " meta_payload";
  /** PostgreSQL: every row of a group in one statement of arrays; one text, prepared once. */
  private static final String PG_INSERT = "INSERT INTO event_journal (" + COLUMNS + ") SELECT " + COLUMNS
      + " FROM unnest(CAST(? AS boolean[]), CAST(? AS varchar[]), CAST(? AS bigint[]), CAST(? AS varchar[]),"
      + " CAST(? AS bigint[]), CAST(? AS varchar[]), CAST(? AS int[]), CAST(? AS varchar[]), CAST(? AS bytea[]),"
      + " CAST(? AS int[]), CAST(? AS varchar[]), CAST(? AS bytea[])) WITH ORDINALITY AS r(" + COLUMNS + ", n)"
      + " ORDER BY n RETURNING ordering, persistence_id, sequence_number";
  private static final String PG_TAGS = "INSERT INTO event_tag (event_id, tag)"
      + " SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS varchar[]))";
  private static final String H2_INSERT = "INSERT INTO event_journal (" + COLUMNS + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String H2_TAGS = "INSERT INTO event_tag (event_id, tag) VALUES (?, ?)";
  private static final int HIGHEST_PER_QUERY = 256;

  /** One row to write, in plain Java. */
  private record Row(JournalPekkoSerializationRow row, List<String> tags) {}

  /** A recovery waiting for its household's highest sequence number. */
  private record HighestAsk(String persistenceId, CompletableFuture<Object> answer) {}

  private final JdbcBackend.JdbcDatabaseDef database;
  private final boolean postgres;
  private final Executor jdbc;
  private final ConcurrentLinkedQueue<HighestAsk> highestAsks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean highestRunning = new AtomicBoolean();

  public BatchJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.database = db;
    this.postgres = profile instanceof PostgresProfile;
    this.jdbc = mat.system().dispatchers().lookup("emon.journal-dispatcher");
    if (!journalConfig.eventJournalTableConfiguration().tableName().equals("event_journal")
        || !journalConfig.eventTagTableConfiguration().tableName().equals("event_tag")) {
      throw new IllegalStateException("jdbc-journal: this DAO writes the default tables event_journal and event_tag");
    }
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> xs) {
    List<Row> rows = new ArrayList<>(xs.size());
    for (Tuple2<JournalPekkoSerializationRow, Set<String>> x : CollectionConverters.asJava(xs)) {
      rows.add(new Row(x._1(), new ArrayList<>(CollectionConverters.asJava(x._2()))));
    }
    return FutureConverters.asScala(CompletableFuture.supplyAsync(() -> {
      try (Connection c = database.source().createConnection()) {
        write(c, rows);
        return BoxedUnit.UNIT;
      } catch (SQLException e) {
        throw new JournalWriteFailed(e);
      }
    }, jdbc));
  }

  private void write(Connection c, List<Row> rows) throws SQLException {
    c.setAutoCommit(false);
    try {
      long[] orderings = postgres ? insertPostgres(c, rows) : insertH2(c, rows);
      checkOrder(rows, orderings);
      List<long[]> ids = new ArrayList<>();
      List<String> tags = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        for (String tag : rows.get(i).tags()) {
          ids.add(new long[] {orderings[i]});
          tags.add(tag);
        }
      }
      if (!tags.isEmpty()) {
        if (postgres) {
          try (PreparedStatement ps = c.prepareStatement(PG_TAGS)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.stream().map(a -> a[0]).toArray(Long[]::new)));
            ps.setArray(2, c.createArrayOf("varchar", tags.toArray(String[]::new)));
            ps.executeUpdate();
          }
        } else {
          try (PreparedStatement ps = c.prepareStatement(H2_TAGS)) {
            for (int i = 0; i < tags.size(); i++) {
              ps.setLong(1, ids.get(i)[0]);
              ps.setString(2, tags.get(i));
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** The orderings PostgreSQL gave the rows, in the rows' order. */
  private static long[] insertPostgres(Connection c, List<Row> rows) throws SQLException {
    int n = rows.size();
    Boolean[] deleted = new Boolean[n];
    String[] pids = new String[n];
    Long[] seqs = new Long[n];
    String[] writers = new String[n];
    Long[] timestamps = new Long[n];
    String[] adapters = new String[n];
    Integer[] serIds = new Integer[n];
    String[] manifests = new String[n];
    byte[][] payloads = new byte[n][];
    Integer[] metaSerIds = new Integer[n];
    String[] metaManifests = new String[n];
    byte[][] metaPayloads = new byte[n][];
    Map<String, Integer> index = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      JournalPekkoSerializationRow r = rows.get(i).row();
      deleted[i] = r.deleted();
      pids[i] = r.persistenceId();
      seqs[i] = r.sequenceNumber();
      writers[i] = r.writer();
      timestamps[i] = r.writeTimestamp();
      adapters[i] = r.adapterManifest();
      serIds[i] = r.eventSerId();
      manifests[i] = r.eventSerManifest();
      payloads[i] = r.eventPayload();
      metaSerIds[i] = r.metaSerId().isDefined() ? (Integer) r.metaSerId().get() : null;
      metaManifests[i] = r.metaSerManifest().isDefined() ? r.metaSerManifest().get() : null;
      metaPayloads[i] = r.metaPayload().isDefined() ? r.metaPayload().get() : null;
      index.put(key(r.persistenceId(), r.sequenceNumber()), i);
    }
    long[] orderings = new long[n];
    try (PreparedStatement ps = c.prepareStatement(PG_INSERT)) {
      Object[][] columns = {deleted, pids, seqs, writers, timestamps, adapters, serIds, manifests, payloads,
          metaSerIds, metaManifests, metaPayloads};
      String[] types = {"boolean", "varchar", "bigint", "varchar", "bigint", "varchar", "int4", "varchar", "bytea",
          "int4", "varchar", "bytea"};
      for (int k = 0; k < columns.length; k++) {
        Array array = c.createArrayOf(types[k], columns[k]);
        ps.setArray(k + 1, array);
      }
      int returned = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Integer i = index.get(key(rs.getString(2), rs.getLong(3)));
          if (i == null) {
            throw new SQLException("journal insert returned a row it was not given");
          }
          orderings[i] = rs.getLong(1);
          returned++;
        }
      }
      if (returned != n) {
        throw new SQLException("journal insert returned " + returned + " of " + n + " rows");
      }
    }
    return orderings;
  }

  private static long[] insertH2(Connection c, List<Row> rows) throws SQLException {
    long[] orderings = new long[rows.size()];
    try (PreparedStatement ps = c.prepareStatement(H2_INSERT, new String[] {"ordering"})) {
      for (Row row : rows) {
        JournalPekkoSerializationRow r = row.row();
        ps.setBoolean(1, r.deleted());
        ps.setString(2, r.persistenceId());
        ps.setLong(3, r.sequenceNumber());
        ps.setString(4, r.writer());
        ps.setLong(5, r.writeTimestamp());
        ps.setString(6, r.adapterManifest());
        ps.setInt(7, r.eventSerId());
        ps.setString(8, r.eventSerManifest());
        ps.setBytes(9, r.eventPayload());
        Sql.bind(ps, 10, r.metaSerId().isDefined() ? r.metaSerId().get() : null, Types.INTEGER);
        Sql.bind(ps, 11, r.metaSerManifest().isDefined() ? r.metaSerManifest().get() : null, Types.VARCHAR);
        if (r.metaPayload().isDefined()) {
          ps.setBytes(12, r.metaPayload().get());
        } else {
          ps.setNull(12, Types.BLOB);
        }
        ps.addBatch();
      }
      ps.executeBatch();
      int i = 0;
      try (ResultSet keys = ps.getGeneratedKeys()) {
        while (keys.next()) {
          orderings[i++] = keys.getLong(1);
        }
      }
      if (i != rows.size()) {
        throw new SQLException("journal insert returned " + i + " of " + rows.size() + " orderings");
      }
    }
    return orderings;
  }

  /** Within one household, later sequence numbers must get later orderings: projections fold in ordering. */
  private static void checkOrder(List<Row> rows, long[] orderings) throws SQLException {
    Map<String, long[]> last = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      JournalPekkoSerializationRow r = rows.get(i).row();
      long[] prev = last.get(r.persistenceId());
      if (prev != null && (r.sequenceNumber() > prev[0]) != (orderings[i] > prev[1])) {
        throw new SQLException("journal orderings out of sequence within one household");
      }
      last.put(r.persistenceId(), new long[] {r.sequenceNumber(), orderings[i]});
    }
  }

  private static String key(String persistenceId, long sequenceNr) {
    return persistenceId + '\u0000' + sequenceNr;
  }

  @Override
  public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
    CompletableFuture<Object> answer = new CompletableFuture<>();
    highestAsks.add(new HighestAsk(persistenceId, answer));
    drainHighest();
    return FutureConverters.asScala(answer);
  }

  private void drainHighest() {
    if (!highestAsks.isEmpty() && highestRunning.compareAndSet(false, true)) {
      jdbc.execute(() -> {
        try {
          answerHighest();
        } finally {
          highestRunning.set(false);
          drainHighest();
        }
      });
    }
  }

  /** Answers the asks waiting now, {@value #HIGHEST_PER_QUERY} households per query. */
  private void answerHighest() {
    List<HighestAsk> asks = new ArrayList<>();
    for (HighestAsk a; asks.size() < HIGHEST_PER_QUERY && (a = highestAsks.poll()) != null; ) {
      asks.add(a);
    }
    if (asks.isEmpty()) {
      return;
    }
    try (Connection c = database.source().createConnection()) {
      java.util.Set<String> ids = new java.util.HashSet<>();
      asks.forEach(a -> ids.add(a.persistenceId()));
      Map<String, Long> highest = new HashMap<>();
      for (Map.Entry<String, Long> e : Sql.whereIn(c,
          "SELECT persistence_id, max(sequence_number) FROM event_journal WHERE", "persistence_id", ids,
          "GROUP BY persistence_id", rs -> Map.entry(rs.getString(1), rs.getLong(2)))) {
        highest.put(e.getKey(), e.getValue());
      }
      asks.forEach(a -> a.answer().complete(highest.getOrDefault(a.persistenceId(), 0L)));
    } catch (SQLException | RuntimeException e) {
      asks.forEach(a -> a.answer().completeExceptionally(e));
    }
  }

  /** A journal write that failed; the message holds no stored values (pgjdbc's detail is off). */
  static final class JournalWriteFailed extends RuntimeException {
    JournalWriteFailed(SQLException cause) {
      super("journal write failed: SQLState " + cause.getSQLState(), cause);
    }
  }
}
