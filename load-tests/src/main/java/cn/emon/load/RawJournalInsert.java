package cn.emon.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The machine's raw limit for the journal: plain JDBC writing the very rows the server wrote
 * (read back from its journal) into a scratch copy of the journal schema, the way
 * pekko-persistence-jdbc 1.1.1 writes them — per transaction one batch of journal rows with
 * {@code RETURNING ordering}, then one batch of their {@code event_tag} rows — in batches of
 * {@code --batch} rows on {@code --connections} connections.
 */
final class RawJournalInsert {

  private static final String INSERT_JOURNAL = "INSERT INTO event_journal (persistence_id, sequence_number,"
      + " deleted, writer, write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload,"
      + " meta_ser_id, meta_ser_manifest, meta_payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_TAG = "INSERT INTO event_tag (event_id, tag) VALUES (?, ?)";

  private record Row(String persistenceId, long sequenceNumber, String writer, long writeTimestamp,
      String adapterManifest, int serId, String serManifest, byte[] payload, String tag) {}

  private RawJournalInsert() {}

  static int run(Map<String, String> o) throws Exception {
    String source = o.get("source-url");
    String target = o.get("target-url");
    int connections = Integer.parseInt(o.getOrDefault("connections", "8"));
    int batch = Integer.parseInt(o.getOrDefault("batch", "100"));
    int limit = Integer.parseInt(o.getOrDefault("limit", "400000"));
    String label = o.getOrDefault("label", "raw");
    for (String url : List.of(source, target)) {
      if (url == null || !url.matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost)(:\\d+)?/.*")) {
        throw new IllegalArgumentException("--source-url and --target-url: loopback PostgreSQL URLs required");
      }
    }
    List<Row> rows = load(source, limit);
    if (rows.isEmpty()) {
      System.err.println("raw: the source journal is empty");
      return 1;
    }
    int batches = (rows.size() + batch - 1) / batch;
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Connection> pool = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Connection c = DriverManager.getConnection(target);
      c.setAutoCommit(false);
      pool.add(c);
    }
    long started = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (Connection c : pool) {
      Thread t = new Thread(() -> {
        int b;
        try (PreparedStatement journal = c.prepareStatement(INSERT_JOURNAL, new String[] {"ordering"});
            PreparedStatement tags = c.prepareStatement(INSERT_TAG)) {
          while ((b = next.getAndIncrement()) < batches && failure.get() == null) {
            write(c, journal, tags, rows.subList(b * batch, Math.min(rows.size(), (b + 1) * batch)));
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      });
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    for (Connection c : pool) {
      c.close();
    }
    if (failure.get() != null) {
      System.err.println("raw: " + failure.get());
      return 1;
    }
    Bench.result(label + ".rows", rows.size());
    Bench.result(label + ".seconds", seconds);
    Bench.result(label + ".rows_per_s", rows.size() / seconds);
    return 0;
  }

  private static void write(Connection c, PreparedStatement journal, PreparedStatement tags, List<Row> rows)
      throws SQLException {
    for (Row r : rows) {
      journal.setString(1, r.persistenceId());
      journal.setLong(2, r.sequenceNumber());
      journal.setBoolean(3, false);
      journal.setString(4, r.writer());
      journal.setLong(5, r.writeTimestamp());
      journal.setString(6, r.adapterManifest());
      journal.setInt(7, r.serId());
      journal.setString(8, r.serManifest());
      journal.setBytes(9, r.payload());
      journal.setNull(10, Types.INTEGER);
      journal.setNull(11, Types.VARCHAR);
      journal.setNull(12, Types.BINARY);
      journal.addBatch();
    }
    journal.executeBatch();
    int i = 0;
    try (ResultSet keys = journal.getGeneratedKeys()) {
      while (keys.next()) {
        tags.setLong(1, keys.getLong(1));
        tags.setString(2, rows.get(i++).tag());
        tags.addBatch();
      }
    }
    if (i != rows.size()) {
      throw new SQLException("expected " + rows.size() + " generated keys, got " + i);
    }
    tags.executeBatch();
    c.commit();
  }

  private static List<Row> load(String url, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT j.persistence_id, j.sequence_number, j.writer,"
          + " j.write_timestamp, j.adapter_manifest, j.event_ser_id, j.event_ser_manifest, j.event_payload, t.tag"
          + " FROM event_journal j JOIN event_tag t ON t.event_id = j.ordering ORDER BY j.ordering LIMIT ?")) {
        ps.setFetchSize(5000);
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getInt(6), rs.getString(7), rs.getBytes(8), rs.getString(9)));
          }
        }
      }
    }
    return rows;
  }
}
