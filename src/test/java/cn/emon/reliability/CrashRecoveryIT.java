package cn.emon.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.Await;
import cn.emon.testing.CanaryScan;
import cn.emon.testing.ServerProcess;
import cn.emon.testing.TestServer;
import cn.emon.testing.WebhookReceiver;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault: kill -9 of the server process during ingest, and during projection work. Must hold: every
 * event acknowledged with 2xx is stored exactly once and folded into the read model exactly once;
 * every alert change reaches a subscribed webhook receiver at least once; the personal-looking
 * values in the events appear in no log, metric, alert or webhook ({@link CanaryScan}).
 */
class CrashRecoveryIT {

  /** Settings of every fault test's server: fast reconciliation, no rate limit, webhooks to loopback. */
  static Map<String, String> settings(String db) {
    Map<String, String> s = new HashMap<>(WebhookReceiver.serverSettings());
    s.putAll(Map.of("emon.db.url", db, "emon.readmodel.reconcile-interval", "1s",
        "emon.auth.rate-limit.per-second", "0", "pekko.coordinated-shutdown.exit-jvm", "on"));
    return s;
  }

  /**
   * A fresh database of the kind named: {@code postgres} on the test server, {@code h2} an embedded
   * file database in a new temporary folder (the embedded default's engine and settings).
   */
  static String database(String kind) throws Exception {
    return kind.equals("h2")
        ? "jdbc:h2:file:" + java.nio.file.Files.createTempDirectory("emon-h2-crash").resolve("emon") + ";DATABASE_TO_UPPER=false"
        : TestServer.createPostgresDatabase();
  }

  /** On the embedded default as on PostgreSQL: a 2xx means stored on both. */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"postgres", "h2"})
  void killDuringIngestLosesNothingAcknowledged(String kind) throws Exception {
    long started = System.nanoTime();
    String db = database(kind);
    try (ServerProcess server = ServerProcess.start(settings(db));
        WebhookCheck webhooks = WebhookCheck.subscribe(server.client())) {
      AcknowledgedSetChecker checker = new AcknowledgedSetChecker(server::client, "kill-ingest");
      checker.start(4, 400);
      Await.until(Duration.ofSeconds(60), "some events acknowledged", () -> checker.progress() > 300);
      server.kill();
      int atKill = checker.acknowledgedCount();
      server.restart();
      Await.until(Duration.ofSeconds(120), "ingest resumes after restart",
          () -> checker.progress() > atKill + 300);
      checker.stop();
      checker.verify(server.client());
      ReadModelChecks.foldedExactlyOnce(server.client(), checker.households(), 0);
      String delivered = webhooks.verifyAtLeastOnce(server.client(), checker.households(), Duration.ofSeconds(120));
      CanaryScan.ofServer(server, checker.households().iterator().next(), WebhookCheck.REGION)
          .webhooks(webhooks.receiver()).assertClean();
      System.out.printf("CrashRecoveryIT kill -9 during ingest on %s (%d acknowledged before the kill): held: every"
              + " acknowledged event stored once and folded once (%s); %s; no canary leak; took %d s%n",
          kind, atKill, checker.tally(), delivered, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    } finally {
      TestServer.dropPostgresDatabase(db);
    }
  }

  @Test
  void killDuringProjectionWorkFoldsEverythingOnce() throws Exception {
    long started = System.nanoTime();
    String db = TestServer.createPostgresDatabase();
    try (ServerProcess server = ServerProcess.start(settings(db))) {
      AcknowledgedSetChecker checker = new AcknowledgedSetChecker(server::client, "kill-proj");
      checker.start(4, 40);
      checker.finish();
      assertThat(checker.acknowledgedCount()).isEqualTo(4 * 40 * 10 * 2);
      // The projections are still folding the burst: kill now, mid-transaction as it happens.
      server.kill();
      server.restart();
      checker.verify(server.client());
      ReadModelChecks.foldedExactlyOnce(server.client(), checker.households(), 0);
      CanaryScan.ofServer(server, checker.households().iterator().next(), WebhookCheck.REGION).assertClean();
      System.out.printf("CrashRecoveryIT kill -9 during projection work: held: every acknowledged event stored once"
              + " and folded once (%s); no canary leak; took %d s%n", checker.tally(),
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
    } finally {
      TestServer.dropPostgresDatabase(db);
    }
  }
}
