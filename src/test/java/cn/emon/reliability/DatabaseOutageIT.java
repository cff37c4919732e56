package cn.emon.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.Await;
import cn.emon.testing.CanaryScan;
import cn.emon.testing.ServerProcess;
import cn.emon.testing.TestServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fault: the database goes away under load — PostgreSQL stopped with {@code -m immediate} and
 * restarted, and PostgreSQL frozen with SIGSTOP past every timeout. Must hold: meanwhile the server
 * answers 503 with Retry-After and never 2xx for what it did not store; afterwards it recovers by
 * itself, leaks no connections, every acknowledged event is stored once and folded once, every
 * alert change reaches a subscribed webhook receiver at least once, and the canary values appear in
 * no log, metric, alert or webhook. Runs only where the test may control the local PostgreSQL
 * cluster (CI, as root, with EMON_TEST_REQUIRE_PG): it stops and freezes the whole cluster.
 */
class DatabaseOutageIT {

  static void pgctl(String action, String... extra) throws Exception {
    String version = new String(new ProcessBuilder("ls", "/etc/postgresql").start().getInputStream().readAllBytes()).trim();
    List<String> cmd = new java.util.ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
  }

  static void signalPostgres(String signal) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("pkill", "-" + signal, "-u", "postgres", "-x", "postgres").inheritIO().start();
    p.waitFor();
  }

  static boolean databaseUp() {
    try (Connection c = DriverManager.getConnection(TestServer.postgresUrl())) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  static boolean controllable() {
    return "root".equals(System.getProperty("user.name")) && System.getenv("EMON_TEST_REQUIRE_PG") != null;
  }

  @Test
  void survivesPostgresStoppedImmediatelyAndRestarted() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(controllable(), "needs root and EMON_TEST_REQUIRE_PG (CI)");
    long started = System.nanoTime();
    String db = TestServer.createPostgresDatabase();
    try (ServerProcess server = ServerProcess.start(CrashRecoveryIT.settings(db));
        WebhookCheck webhooks = WebhookCheck.subscribe(server.client())) {
      AcknowledgedSetChecker checker = new AcknowledgedSetChecker(server::client, "pg-stop");
      checker.start(3, 1000);
      Await.until(Duration.ofSeconds(60), "load running", () -> checker.progress() > 200);
      pgctl("stop", "-m", "immediate");
      int atStop = checker.acknowledgedCount();
      try {
        Await.until(Duration.ofSeconds(60), "503 while the database is down",
            () -> server.client().ingest(cn.emon.testing.Events.registered("pg-down-probe", "522701", false,
                cn.emon.testing.Events.member("m1", "ORDINARY", false))).status() == 503);
      } finally {
        pgctl("start");
      }
      Await.until(Duration.ofSeconds(60), "database back", DatabaseOutageIT::databaseUp);
      Await.until(Duration.ofSeconds(120), "server recovers by itself", () -> checker.progress() > atStop + 200);
      checker.stop();
      checker.verify(server.client());
      ReadModelChecks.foldedExactlyOnce(server.client(), checker.households(),
          server.client().get("/api/v1/households/pg-down-probe", "dev-read-token").status() == 200 ? 1 : 0);
      String delivered = webhooks.verifyAtLeastOnce(server.client(), checker.households(), Duration.ofSeconds(120));
      CanaryScan.ofServer(server, checker.households().iterator().next(), WebhookCheck.REGION)
          .webhooks(webhooks.receiver()).assertClean();
      System.out.printf("DatabaseOutageIT PostgreSQL stop -m immediate under load, restarted: held: 503 while down,"
              + " recovery by itself, every acknowledged event stored once and folded once (%s); %s; no canary leak;"
              + " took %d s%n", checker.tally(), delivered, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    } finally {
      if (!databaseUp()) {
        pgctl("start");
      }
      TestServer.dropPostgresDatabase(db);
    }
  }

  @Test
  void survivesPostgresFrozenPastTheTimeouts() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(controllable(), "needs root and EMON_TEST_REQUIRE_PG (CI)");
    long started = System.nanoTime();
    String db = TestServer.createPostgresDatabase();
    String dbName = db.replaceFirst("^jdbc:postgresql://[^/]+/([A-Za-z0-9_]+).*$", "$1");
    try (ServerProcess server = ServerProcess.start(CrashRecoveryIT.settings(db));
        WebhookCheck webhooks = WebhookCheck.subscribe(server.client())) {
      AcknowledgedSetChecker checker = new AcknowledgedSetChecker(server::client, "pg-freeze");
      checker.start(3, 1000);
      Await.until(Duration.ofSeconds(60), "load running", () -> checker.progress() > 200);
      signalPostgres("STOP");
      int atFreeze = checker.acknowledgedCount();
      long frozenAt = System.nanoTime();
      try {
        // Longer than socketTimeout (8 s), the circuit breaker's call-timeout (10 s) and the ask timeout (11 s).
        Await.until(Duration.ofSeconds(60), "20 s frozen, the server live all along", () -> server.client().get("/health/live", null).status() == 200
            && System.nanoTime() - frozenAt > Duration.ofSeconds(20).toNanos());
      } finally {
        signalPostgres("CONT");
      }
      Await.until(Duration.ofSeconds(120), "server recovers by itself", () -> checker.progress() > atFreeze + 200);
      checker.stop();
      checker.verify(server.client());
      ReadModelChecks.foldedExactlyOnce(server.client(), checker.households(), 0);
      try (Connection c = DriverManager.getConnection(TestServer.postgresUrl()); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + dbName + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("connections held by the server after recovery").isLessThanOrEqualTo(8 + 8 + 2);
      }
      String delivered = webhooks.verifyAtLeastOnce(server.client(), checker.households(), Duration.ofSeconds(120));
      CanaryScan.ofServer(server, checker.households().iterator().next(), WebhookCheck.REGION)
          .webhooks(webhooks.receiver()).assertClean();
      System.out.printf("DatabaseOutageIT PostgreSQL frozen (SIGSTOP) 20 s under load: held: live throughout,"
              + " recovery by itself, no connections leaked, every acknowledged event stored once and folded once"
              + " (%s); %s; no canary leak; took %d s%n", checker.tally(), delivered,
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
    } finally {
      signalPostgres("CONT");
      TestServer.dropPostgresDatabase(db);
    }
  }
}
