package cn.emon.backup;

import static cn.emon.testing.Events.today;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.Events;
import cn.emon.testing.ServerProcess;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The backups README.md tells an operator to take, done as it says with the packaged jar: the
 * embedded H2 database backed up while the server runs ({@code POST /api/v1/backups}) and restored
 * with H2's Restore tool into a fresh folder; a PostgreSQL database dumped with {@code pg_dump} and
 * restored with {@code pg_restore} into a fresh database. A second server started on the restored
 * copy serves the same households, histories and alerts, and nothing posted after the backup.
 */
class BackupRestoreIT {

  private static final String ADMIN = "dev-admin-token";
  private static final String READ = "dev-read-token";
  private static final String COUNTY = "522701";

  /** What a supervisor reads of one household. */
  record Served(JsonNode household, JsonNode history, JsonNode alerts) {}

  @Test
  void anH2BackupTakenWhileServingRestoresIntoAFreshFolderWithTheSameHouseholds() throws Exception {
    Path jar = ServerProcess.jar();
    String run = UUID.randomUUID().toString().substring(0, 6);
    Map<String, Served> before;
    Path zip;
    String late = COUNTY + "-late-" + run;
    // The embedded default: H2 under ./data of the process's working folder, backups under ./backups.
    try (ServerProcess original = ServerProcess.start(Map.of())) {
      ApiClient api = original.client();
      List<String> households = register(api, "h2-" + run);
      before = served(api, households);

      ApiClient.Response backup = api.post("/api/v1/backups", ADMIN, null, "");
      assertThat(backup.status()).as(backup.body()).isEqualTo(201);
      zip = Path.of(backup.json().get("path").asText());
      assertThat(zip.getParent()).isEqualTo(original.workDir().resolve("backups").toAbsolutePath());
      assertThat(api.ingest(Events.registered(late, COUNTY, false, Events.member("m1", "ORDINARY", false)))
          .json().get("accepted").asInt()).isEqualTo(1);
      original.stop();
    }

    Path fresh = Files.createTempDirectory("emon-restored");
    ServerProcess.Exited restore = ServerProcess.run(List.of("-cp", jar.toString(), "org.h2.tools.Restore",
        "-file", zip.toString(), "-dir", "data", "-db", "emon"), fresh, Duration.ofSeconds(60));
    assertThat(restore.status()).as(restore.stdout() + restore.stderr()).isZero();
    assertThat(fresh.resolve("data/emon.mv.db")).exists();

    int port = ServerProcess.freePort();
    try (ServerProcess restored = ServerProcess.start(new ServerProcess.Launch(
        Map.of("emon.http.port", Integer.toString(port)), Map.of(), fresh, port))) {
      assertServesTheSame(restored.client(), before, late);
      restored.stop();
    }
  }

  @Test
  void aPgDumpRestoredIntoAFreshDatabaseServesTheSameHouseholds() throws Exception {
    ServerProcess.jar();
    String source = TestServer.createPostgresDatabase();
    String target = TestServer.createPostgresDatabase();
    String run = UUID.randomUUID().toString().substring(0, 6);
    String late = COUNTY + "-late-" + run;
    try {
      Map<String, Served> before;
      Path dump = Files.createTempDirectory("emon-pgdump").resolve("emon.dump");
      try (ServerProcess original = ServerProcess.start(Map.of("emon.db.url", source))) {
        ApiClient api = original.client();
        before = served(api, register(api, "pg-" + run));
        exec(List.of("pg_dump", "--format=custom", "--file=" + dump, "--dbname=" + libpq(source)));
        assertThat(api.ingest(Events.registered(late, COUNTY, false, Events.member("m1", "ORDINARY", false)))
            .json().get("accepted").asInt()).isEqualTo(1);
        original.stop();
      }
      exec(List.of("pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + libpq(target), dump.toString()));
      try (ServerProcess restored = ServerProcess.start(Map.of("emon.db.url", target))) {
        assertServesTheSame(restored.client(), before, late);
        restored.stop();
      }
    } finally {
      TestServer.dropPostgresDatabase(source);
      TestServer.dropPostgresDatabase(target);
    }
  }

  /**
   * Twelve households of one county; every second one also starts a placement, so some alerts are
   * open and some resolved. Returns once the read model shows every one of them.
   */
  private static List<String> register(ApiClient api, String prefix) {
    Map<String, Boolean> placed = new LinkedHashMap<>();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String h = COUNTY + "-" + prefix + "-" + i;
      placed.put(h, i % 2 == 0);
      events.add(Events.registered(h, COUNTY, i % 3 == 0, Events.member("m1", "ORDINARY", false)));
      if (placed.get(h)) {
        events.add(Events.placementStarted(h, "m1", "p1", today()));
      }
    }
    ApiClient.Response r = api.ingest(events.toArray(String[]::new));
    assertThat(r.json().get("accepted").asInt()).as(r.body()).isEqualTo(events.size());
    Await.until(Duration.ofSeconds(60), "the read model shows every household's alert in its final state", () ->
        placed.entrySet().stream().allMatch(e -> {
          JsonNode alerts = api.get("/api/v1/alerts?householdId=" + e.getKey(), READ).json().get("alerts");
          return alerts.size() == 1
              && alerts.get(0).get("status").asText().equals(e.getValue() ? "resolved" : "open");
        }) && api.countyHouseholds(COUNTY) == placed.size());
    return new ArrayList<>(placed.keySet());
  }

  private static Map<String, Served> served(ApiClient api, List<String> households) {
    Map<String, Served> out = new LinkedHashMap<>();
    for (String h : households) {
      out.put(h, new Served(ok(api, "/api/v1/households/" + h), ok(api, "/api/v1/households/" + h + "/events"),
          ok(api, "/api/v1/alerts?householdId=" + h)));
    }
    return out;
  }

  private static void assertServesTheSame(ApiClient api, Map<String, Served> before, String late) {
    assertThat(served(api, new ArrayList<>(before.keySet()))).isEqualTo(before);
    assertThat(api.countyHouseholds(COUNTY)).as("the region statistics of the read model came along")
        .isEqualTo(before.size());
    assertThat(api.get("/api/v1/households/" + late, READ).status())
        .as("a household registered after the backup is not in it").isEqualTo(404);
  }

  private static JsonNode ok(ApiClient api, String path) {
    ApiClient.Response r = api.get(path, READ);
    assertThat(r.status()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return r.json();
  }

  /** jdbc:postgresql://host:port/db?user=… as the libpq URI pg_dump and pg_restore take. */
  private static String libpq(String jdbcUrl) {
    return jdbcUrl.substring("jdbc:".length());
  }

  private static void exec(List<String> command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("emon-exec", ".txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command.get(0) + " did not finish in 120 s: " + Files.readString(output));
    }
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(output)).isZero();
  }
}
