package cn.emon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A journal written by one release, for the next release to replay. {@link #main} runs a server of
 * the release checked out (embedded H2, a clock it moves by hand) through a scripted life of a few
 * households — every event type, duplicates, out-of-order times, an acknowledgement, deadline alerts
 * fired by moving the clock, a household long enough to be snapshotted — and writes to a folder:
 * the journal, tag and snapshot rows ({@code journal.jsonl}), and what the API and the deadline index
 * said at the end ({@code expected.json}). {@link #load} puts such a journal into an empty database
 * of a later release, which must then recover and project it identically.
 *
 * <pre>mvn -q test-compile exec:java ... or: java -cp target/test-classes:target/classes:… cn.emon.testing.JournalFixture DIR</pre>
 */
public final class JournalFixture {

  /** Where the scripted life begins: 10:00 in Asia/Shanghai. */
  public static final Instant T0 = Instant.parse("2026-11-02T02:00:00Z");
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  /** The households of the script. */
  public static final List<String> HOUSEHOLDS = List.of("522701-L001", "522701-L002", "522702-L003",
      "520402-L004", "522701-L005", "522701-L006", "522701-L007", "522702-L009", "522701-L010");
  /** The counties whose statistics the fixture records. */
  public static final List<String> PREFECTURES = List.of("5227", "5204");
  static final String READ = "dev-read-token";
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> TABLES = List.of("event_journal", "event_tag", "snapshot");

  private JournalFixture() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/journal-v1");
    Files.createDirectories(out);
    MutableClock clock = new MutableClock(T0);
    try (TestServer server = TestServer.h2(Map.of("emon.rules.deadline-scan-interval", "200ms"), clock)) {
      Instant end = script(server.client(), clock, server.dbUrl());
      try (Connection c = DriverManager.getConnection(server.dbUrl(), "sa", "")) {
        dumpJournal(c, out.resolve("journal.jsonl"));
        ObjectNode expected = expected(server.client(), c);
        expected.put("clock", end.toString());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("expected.json").toFile(), expected);
      }
    }
  }

  // --------------------------------------------------------------------------------- the script

  private static int ids;

  private static String event(MutableClock clock, String type, String household, String data) {
    String time = clock.instant().atOffset(ZoneOffset.ofHours(8)).toString();
    return Events.event("fx-" + (++ids), type, household, time, data);
  }

  private static String day(MutableClock clock, int offsetDays) {
    return LocalDate.ofInstant(clock.instant(), ZONE).plusDays(offsetDays).toString();
  }

  private static void post(ApiClient api, String... events) {
    ApiClient.Response r = api.ingest(events);
    if (r.status() != 200) {
      throw new AssertionError("ingest answered " + r.status() + ": " + r.body());
    }
  }

  private static Instant script(ApiClient api, MutableClock clock, String dbUrl) throws Exception {
    String reg1 = event(clock, "household.registered", "522701-L001", "{\"regionCode\":\"522701001\",\"deepPovertyArea\":true,"
        + "\"members\":[" + Events.member("m1", "ORDINARY", false) + "," + Events.member("m2", "LOST", false) + "]}");
    post(api, reg1);
    post(api, reg1); // a duplicate: answered duplicate, nothing stored
    post(api,
        event(clock, "household.registered", "522701-L002", "{\"regionCode\":\"522701\",\"members\":["
            + Events.member("m1", "SKILLED", true) + "," + Events.member("m2", "ORDINARY", false) + "]}"),
        event(clock, "placement.started", "522701-L002", "{\"memberId\":\"m2\",\"placementId\":\"p1\","
            + "\"channel\":\"WORKSHOP\",\"employer\":\"都匀竹编车间\",\"workRegionCode\":\"522701002\",\"startDate\":\""
            + day(clock, 0) + "\",\"expectedEndDate\":\"" + day(clock, 365) + "\",\"monthlyIncomeYuan\":2400}"));
    post(api,
        event(clock, "household.registered", "522702-L003", "{\"regionCode\":\"522702\",\"members\":["
            + Events.member("m1", "WEAK", false) + "]}"),
        event(clock, "placement.started", "522702-L003", "{\"memberId\":\"m1\",\"placementId\":\"p1\","
            + "\"channel\":\"PUBLIC_WELFARE_POST\",\"workRegionCode\":\"522702\",\"startDate\":\"" + day(clock, -30) + "\"}"),
        event(clock, "placement.verified", "522702-L003", "{\"placementId\":\"p1\",\"verifiedOn\":\"" + day(clock, -5) + "\"}"),
        event(clock, "placement.ended", "522702-L003", "{\"placementId\":\"p1\",\"endDate\":\"" + day(clock, -1)
            + "\",\"reason\":\"DISMISSED\"}"),
        event(clock, "helper.assigned", "522702-L003", "{\"helperId\":\"h-9\",\"helperName\":\"帮扶干部甲\"}"));
    post(api,
        event(clock, "household.registered", "520402-L004", "{\"regionCode\":\"520402\",\"deepPovertyArea\":false,"
            + "\"members\":[" + Events.member("m1", "ORDINARY", false) + "]}"),
        event(clock, "household.registered", "522701-L005", "{\"regionCode\":\"522701\",\"members\":["
            + Events.member("m1", "ORDINARY", false) + "]}"),
        event(clock, "household.closed", "522701-L005", "{\"reason\":\"moved\"}"),
        event(clock, "household.registered", "522701-L006", "{\"regionCode\":\"522701\",\"members\":["
            + Events.member("m1", "NONE", false) + "," + Events.member("m2", "ORDINARY", false) + "]}"),
        event(clock, "member.updated", "522701-L006", "{\"memberId\":\"m3\",\"laborCapacity\":\"SKILLED\",\"wantsTraining\":true}"),
        event(clock, "member.removed", "522701-L006", "{\"memberId\":\"m2\",\"reason\":\"married out\"}"),
        event(clock, "training.enrolled", "522701-L006", "{\"memberId\":\"m3\",\"programId\":\"tr-1\",\"startDate\":\""
            + day(clock, 0) + "\"}"),
        event(clock, "placement.started", "522702-L009", "{\"memberId\":\"m1\",\"placementId\":\"p1\","
            + "\"channel\":\"WORKSHOP\",\"startDate\":\"" + day(clock, 0) + "\"}")); // rejected: not registered
    // A household long enough to be snapshotted (every 100 journal rows): 70 verifications, each
    // moving its deadline.
    List<String> many = new ArrayList<>();
    many.add(event(clock, "household.registered", "522701-L007", "{\"regionCode\":\"522701003\",\"members\":["
        + Events.member("m1", "ORDINARY", false) + "]}"));
    many.add(event(clock, "placement.started", "522701-L007", "{\"memberId\":\"m1\",\"placementId\":\"p1\","
        + "\"channel\":\"LABOR_COOPERATION\",\"employer\":\"Ningbo plant\",\"workRegionCode\":\"330201\",\"startDate\":\""
        + day(clock, -100) + "\"}"));
    for (int d = -80; d < -10; d++) {
      many.add(event(clock, "placement.verified", "522701-L007", "{\"placementId\":\"p1\",\"verifiedOn\":\"" + day(clock, d) + "\"}"));
    }
    post(api, many.toArray(String[]::new));
    // Out of order: the end first, then a verification after the end, then an older end report.
    post(api,
        event(clock, "household.registered", "522702-L009", "{\"regionCode\":\"522702\",\"members\":["
            + Events.member("m1", "ORDINARY", false) + "]}"),
        event(clock, "placement.started", "522702-L009", "{\"memberId\":\"m1\",\"placementId\":\"p1\","
            + "\"channel\":\"LOCAL_ENTERPRISE\",\"startDate\":\"" + day(clock, -20) + "\"}"),
        event(clock, "placement.ended", "522702-L009", "{\"placementId\":\"p1\",\"endDate\":\"" + day(clock, -2)
            + "\",\"reason\":\"QUIT\"}"),
        event(clock, "placement.verified", "522702-L009", "{\"placementId\":\"p1\",\"verifiedOn\":\"" + day(clock, -1) + "\"}"),
        event(clock, "placement.ended", "522702-L009", "{\"placementId\":\"p1\",\"endDate\":\"" + day(clock, -3)
            + "\",\"reason\":\"SEASONAL\"}"));
    // A registration repeated with another region and members: the statistics move counties.
    post(api, event(clock, "household.registered", "522701-L010", "{\"regionCode\":\"522701\",\"members\":["
        + Events.member("m1", "ORDINARY", false) + "]}"));
    clock.advance(Duration.ofMinutes(5));
    post(api, event(clock, "household.registered", "522701-L010", "{\"regionCode\":\"522702004\",\"deepPovertyArea\":true,"
        + "\"members\":[" + Events.member("m1", "ORDINARY", false) + "," + Events.member("m2", "SKILLED", true) + "]}"));
    awaitProjected(dbUrl);

    // An acknowledgement.
    String alert = openAlert(api, "520402-L004", "ZERO_EMPLOYMENT");
    ApiClient.Response ack = api.post("/api/v1/alerts/" + alert + "/acknowledge", READ, "application/json",
        "{\"by\":\"county-office-520402\",\"note\":\"visited, looking for work\"}");
    if (ack.status() != 200) {
      throw new AssertionError("acknowledge answered " + ack.status());
    }

    // Deadlines: 8 days on NO_HELPER fires; 31 days on TRAINING_PENDING; 91 days on the unverified
    // placement lapses.
    clock.advance(Duration.ofDays(8));
    Await.until(Duration.ofSeconds(30), "NO_HELPER of 522701-L001", () -> hasAlert(api, "522701-L001", "NO_HELPER"));
    clock.advance(Duration.ofDays(23));
    Await.until(Duration.ofSeconds(30), "TRAINING_PENDING of 522701-L002",
        () -> hasAlert(api, "522701-L002", "TRAINING_PENDING"));
    post(api, event(clock, "helper.assigned", "522701-L001", "{\"helperId\":\"h-1\"}"),
        event(clock, "training.completed", "522701-L006", "{\"memberId\":\"m3\",\"programId\":\"tr-1\",\"endDate\":\""
            + day(clock, -1) + "\",\"certified\":true}"));
    clock.advance(Duration.ofDays(60));
    Await.until(Duration.ofSeconds(30), "PLACEMENT_LAPSED of 522701-L002",
        () -> hasAlert(api, "522701-L002", "PLACEMENT_LAPSED"));
    // Back to work: a re-verification and a new placement resolve lapses and zero employment.
    post(api, event(clock, "placement.verified", "522701-L002", "{\"placementId\":\"p1\",\"verifiedOn\":\""
            + day(clock, 0) + "\"}"),
        event(clock, "placement.started", "522701-L007", "{\"memberId\":\"m1\",\"placementId\":\"p2\","
            + "\"channel\":\"COMMUNITY_FACTORY\",\"workRegionCode\":\"522701003\",\"startDate\":\"" + day(clock, 0) + "\"}"));
    awaitProjected(dbUrl);
    return clock.instant();
  }

  private static boolean hasAlert(ApiClient api, String household, String type) {
    for (JsonNode a : api.get("/api/v1/alerts?householdId=" + household, READ).json().get("alerts")) {
      if (a.get("type").asText().equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static String openAlert(ApiClient api, String household, String type) {
    String[] id = new String[1];
    Await.until(Duration.ofSeconds(30), type + " of " + household, () -> {
      for (JsonNode a : api.get("/api/v1/alerts?status=open&householdId=" + household, READ).json().get("alerts")) {
        if (a.get("type").asText().equals(type)) {
          id[0] = a.get("alertId").asText();
          return true;
        }
      }
      return false;
    });
    return id[0];
  }

  /** Until every slice's projection offset has reached the slice's newest journal row. */
  public static void awaitProjected(String dbUrl) {
    Await.until(Duration.ofSeconds(60), "read model caught up with the journal", () -> {
      try (Connection c = DriverManager.getConnection(dbUrl, dbUrl.startsWith("jdbc:h2:") ? "sa" : null,
          dbUrl.startsWith("jdbc:h2:") ? "" : null); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT t.tag, max(t.event_id),"
              + " (SELECT max(o.current_offset) FROM pekko_projection_offset_store o WHERE o.projection_key = t.tag)"
              + " FROM event_tag t GROUP BY t.tag")) {
        while (rs.next()) {
          String offset = rs.getString(3);
          if (offset == null || Long.parseLong(offset) < rs.getLong(2)) {
            return false;
          }
        }
        return true;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  // --------------------------------------------------------------------------- dump and load

  private static void dumpJournal(Connection c, Path file) throws SQLException, IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String table : TABLES) {
        String order = table.equals("event_journal") ? "ordering" : table.equals("event_tag") ? "event_id"
            : "persistence_id, sequence_number";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
            "SELECT * FROM " + table + " ORDER BY " + order)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            ObjectNode row = JSON.createObjectNode();
            row.put("table", table);
            for (int i = 1; i <= md.getColumnCount(); i++) {
              String name = md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
              Object v = rs.getObject(i);
              if (v == null) {
                row.putNull(name);
              } else if (md.getColumnType(i) == Types.BLOB || md.getColumnType(i) == Types.BINARY
                  || md.getColumnType(i) == Types.VARBINARY || md.getColumnType(i) == Types.LONGVARBINARY) {
                row.put(name, Base64.getEncoder().encodeToString(rs.getBytes(i)));
              } else if (v instanceof Number n) {
                row.put(name, n.longValue());
              } else if (v instanceof Boolean b) {
                row.put(name, b);
              } else {
                row.put(name, v.toString());
              }
            }
            w.write(JSON.writeValueAsString(row));
            w.write('\n');
          }
        }
      }
    }
  }

  /** Binary columns of the three tables, base64 in the dump. */
  private static final java.util.Set<String> BINARY = java.util.Set.of("event_payload", "meta_payload", "snapshot_payload");

  /**
   * Inserts a dumped journal into a database whose schema is migrated and whose journal is empty,
   * and moves the journal's ordering sequence past it.
   */
  public static void load(Connection c, InputStream journal) throws IOException, SQLException {
    boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
    long maxOrdering = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(journal, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode row = JSON.readTree(line);
        String table = row.get("table").asText();
        List<String> columns = new ArrayList<>();
        row.fieldNames().forEachRemaining(f -> {
          if (!f.equals("table")) {
            columns.add(f);
          }
        });
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
            + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 0; i < columns.size(); i++) {
            JsonNode v = row.get(columns.get(i));
            if (v.isNull()) {
              ps.setObject(i + 1, null);
            } else if (BINARY.contains(columns.get(i))) {
              ps.setBytes(i + 1, Base64.getDecoder().decode(v.asText()));
            } else if (v.isBoolean()) {
              ps.setBoolean(i + 1, v.asBoolean());
            } else if (v.isNumber()) {
              ps.setLong(i + 1, v.asLong());
            } else {
              ps.setString(i + 1, v.asText());
            }
          }
          ps.executeUpdate();
        }
        if (table.equals("event_journal")) {
          maxOrdering = Math.max(maxOrdering, row.get("ordering").asLong());
        }
      }
    }
    try (Statement st = c.createStatement()) {
      if (postgres) {
        st.execute("SELECT setval(pg_get_serial_sequence('event_journal', 'ordering'), " + maxOrdering + ")");
      } else {
        st.execute("ALTER TABLE event_journal ALTER COLUMN ordering RESTART WITH " + (maxOrdering + 1));
      }
    }
  }

  // ------------------------------------------------------------------------------- expected

  /** A GET's answer once it is not 503 (a household recovering on a loaded machine answers 503 meanwhile). */
  private static ApiClient.Response answered(ApiClient api, String path) {
    ApiClient.Response[] last = new ApiClient.Response[1];
    Await.until(Duration.ofSeconds(60), "GET " + path + " answered", () -> {
      last[0] = api.get(path, READ);
      return last[0].status() != 503;
    });
    return last[0];
  }

  /** What the API and the deadline index say now, in the shape {@code expected.json} keeps. */
  public static ObjectNode expected(ApiClient api, Connection c) throws SQLException {
    ObjectNode expected = JSON.createObjectNode();
    ObjectNode households = expected.putObject("households");
    ObjectNode histories = expected.putObject("histories");
    for (String h : HOUSEHOLDS) {
      ApiClient.Response view = answered(api, "/api/v1/households/" + h);
      households.set(h, view.status() == 200 ? view.json() : JSON.getNodeFactory().numberNode(view.status()));
      ApiClient.Response history = answered(api, "/api/v1/households/" + h + "/events");
      histories.set(h, history.status() == 200 ? history.json() : JSON.getNodeFactory().numberNode(history.status()));
    }
    ArrayNode alerts = expected.putArray("alerts");
    for (ApiClient.Response page : api.alertPages("limit=7", READ)) {
      page.json().get("alerts").forEach(alerts::add);
    }
    ObjectNode stats = expected.putObject("stats");
    stats.set("province", api.get("/api/v1/stats/regions?level=province", READ).json());
    for (String prefecture : PREFECTURES) {
      stats.set(prefecture, api.get("/api/v1/stats/regions?level=county&parent=" + prefecture, READ).json());
    }
    stats.set("openAlerts", api.get("/api/v1/stats/open-alerts", READ).json());
    stats.set("zeroEmployment", api.get("/api/v1/stats/zero-employment", READ).json());
    ObjectNode deadlines = expected.putObject("deadlines");
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT household_id, due_at FROM deadlines ORDER BY household_id")) {
      while (rs.next()) {
        deadlines.put(rs.getString(1), rs.getLong(2));
      }
    }
    return expected;
  }
}
