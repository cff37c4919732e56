package cn.emon.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.Canary;
import cn.emon.testing.CanaryScan;
import cn.emon.testing.Events;
import cn.emon.testing.ServerProcess;
import cn.emon.testing.TestServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fault: the database refuses the journal write of one household (a CHECK constraint added in the
 * test's own database). Must hold: the ingest answers 503 with Retry-After, never 2xx; other
 * households carry on; and the failure, which Pekko logs with the database's exception, is logged
 * without the event's content. (PostgreSQL details such an error with the failing row, each value
 * cut to 64 characters, the payload as hex; pgjdbc renders a failed batch's parameters in full. The
 * journal of pekko-persistence-jdbc 1.1.1 writes events one row at a time, and the payload's first
 * bytes are its type, so today neither shows personal data: this test keeps it so.)
 */
class JournalWriteRefusedIT {

  @Test
  void aRefusedJournalWriteIsLoggedWithoutTheEventsContent() throws Exception {
    long started = System.nanoTime();
    String db = TestServer.createPostgresDatabase();
    try (ServerProcess server = ServerProcess.start(CrashRecoveryIT.settings(db))) {
      try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
        // PostgreSQL details a violated CHECK (or NOT NULL) with "Failing row contains (…)": every
        // column, the payload as hex.
        st.execute("ALTER TABLE event_journal ADD CONSTRAINT refuse_test_household"
            + " CHECK (persistence_id NOT LIKE '%refused%')");
      }
      ApiClient api = server.client();
      ApiClient.Response refused = api.ingest(Canary.registered("522701-refused-1", "522701",
          Canary.member("m1", "ORDINARY")));
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isNotNull();
      Await.until(Duration.ofSeconds(30), "the failed write logged", () ->
          logOf(server).contains("Failed to persist event"));
      ApiClient.Response other = api.ingest(Canary.registered("522701-stored-1", "522701",
          Canary.member("m1", "ORDINARY")), Canary.placementStarted("522701-stored-1", "m1", "p1", Events.today()));
      assertThat(other.status()).as(other.body()).isEqualTo(200);
      assertThat(other.json().get("accepted").asInt()).isEqualTo(2);
      CanaryScan.create().stored(api, "522701-stored-1").text("503 body", refused.body())
          .logs(List.of(server)).metrics(List.of(server)).assertClean();
      System.out.printf("JournalWriteRefusedIT journal write refused by the database: held: 503 with Retry-After,"
          + " other households stored, no canary leak; took %d s%n", Duration.ofNanos(System.nanoTime() - started)
          .toSeconds());
    } finally {
      TestServer.dropPostgresDatabase(db);
    }
  }

  private static String logOf(ServerProcess server) {
    try {
      return Files.readString(server.log());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // Await tries again
    }
  }
}
