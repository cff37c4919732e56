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
 * The machine's raw limit for the journal in events/s: plain JDBC writing the minimal durable
 * record of the events the server took — one {@code event_journal} row and one {@code event_tag}
 * row per input event — into a scratch copy of the journal schema, per transaction one batch of
 * journal rows with {@code RETURNING ordering}, then one batch of their tag rows, in batches of
 * {@code --batch} events on {@code --connections} connections.
 *
 * <p>The rows are the server's own for the input events of the batched phases (journal orderings
 * {@code --from-ordering} to {@code --to-ordering}, every kind but the derived ones of
 * {@link PhaseCost#DERIVED_MANIFESTS}), read back from its journal: the same persistence ids,
 * payloads and tags. They are written in rounds, each round's sequence numbers shifted by a
 * billion, until at least {@code --min-events} are written, so the run lasts long enough to be
 * steady. With {@code --db-url} (the scratch database) the writes' PostgreSQL cost is measured.
 */
final class RawJournalInsert {

  private static final String INSERT_JOURNAL = "INSERT INTO event_journal (persistence_id, sequence_number,"
      + " deleted, writer, write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload,"
      + " meta_ser_id, meta_ser_manifest, meta_payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_TAG = "INSERT INTO event_tag (event_id, tag) VALUES (?, ?)";

  private record Row(String persistenceId, long sequenceNumber, String writer, long writeTimestamp,
      String adapterManifest, int serId, String serManifest, byte[] payload, String tag) {
    Row shifted(long by) {
      return new Row(persistenceId, sequenceNumber + by, writer, writeTimestamp, adapterManifest, serId, serManifest,
          payload, tag);
    }
  }

  private RawJournalInsert() {}

  static int run(Map<String, String> o) throws Exception {
    String source = o.get("source-url");
    String target = o.get("target-url");
    int connections = Integer.parseInt(o.getOrDefault("connections", "8"));
    int batch = Integer.parseInt(o.getOrDefault("batch", "100"));
    long fromOrdering = Long.parseLong(o.getOrDefault("from-ordering", "0"));
    long toOrdering = Long.parseLong(o.getOrDefault("to-ordering", Long.toString(Long.MAX_VALUE)));
    int minEvents = Integer.parseInt(o.getOrDefault("min-events", "200000"));
    String label = o.getOrDefault("label", "raw");
    requireLoopback(source);
    requireLoopback(target);
    List<Row> input = load(source, fromOrdering, toOrdering);
    if (input.isEmpty()) {
      System.err.println("raw: no input events in the source journal's orderings " + fromOrdering + " to " + toOrdering);
      return 1;
    }
    int rounds = (minEvents + input.size() - 1) / input.size();
    List<Row> rows = new ArrayList<>(rounds * input.size());
    for (int round = 0; round < Math.max(1, rounds); round++) {
      for (Row r : input) {
        rows.add(round == 0 ? r : r.shifted(round * 1_000_000_000L));
      }
    }
    long payloadBytes = 0;
    for (Row r : input) {
      payloadBytes += r.payload().length;
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
    PhaseCost cost = PhaseCost.begin(o, label, false);
    long clientCpu0 = clientCpuMillis();
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
    long clientCpu = clientCpuMillis() - clientCpu0;
    int costed = Bench.finish(cost);
    for (Connection c : pool) {
      c.close();
    }
    if (failure.get() != null) {
      System.err.println("raw: " + failure.get());
      return 1;
    }
    // One journal row (with its tag row) per event: rows/s equals events/s here; it is kept, as
    // the figure earlier runs reported, for the trend.
    Bench.result(label + ".input_events", input.size());
    Bench.result(label + ".rounds", rounds);
    Bench.result(label + ".payload_bytes_avg", (double) payloadBytes / input.size());
    Bench.result(label + ".events", rows.size());
    Bench.result(label + ".rows", rows.size());
    Bench.result(label + ".seconds", seconds);
    Bench.result(label + ".events_per_s", rows.size() / seconds);
    Bench.result(label + ".rows_per_s", rows.size() / seconds);
    Bench.result(label + ".client_cpu_s", clientCpu / 1e3);
    return costed;
  }

  /** Only PostgreSQL on this machine is written to. */
  static void requireLoopback(String url) {
    if (url == null || !url.matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost)(:\\d+)?/.*")) {
      throw new IllegalArgumentException("loopback PostgreSQL URLs required, not " + url);
    }
  }

  private static long clientCpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
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

  private static List<Row> load(String url, long fromOrdering, long toOrdering) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(PhaseCost.MARK + "SELECT j.persistence_id, j.sequence_number,"
          + " j.writer, j.write_timestamp, j.adapter_manifest, j.event_ser_id, j.event_ser_manifest, j.event_payload,"
          + " t.tag FROM event_journal j JOIN event_tag t ON t.event_id = j.ordering"
          + " WHERE j.ordering > ? AND j.ordering <= ? AND j." + PhaseCost.NOT_DERIVED + " ORDER BY j.ordering")) {
        ps.setFetchSize(5000);
        ps.setLong(1, fromOrdering);
        ps.setLong(2, toOrdering);
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
