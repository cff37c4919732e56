package cn.emon.query;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.Await;
import cn.emon.testing.MutableClock;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A deadline alert fires for a household after the server was stopped and started again, with no
 * new event for that household: the deadline lives in the database, not in a timer. The deadline
 * passes while the server is down (the test moves the clock), so it cannot fire before the stop.
 */
class DeadlineAfterRestartTest {

  @Test
  void trainingPendingFiresAfterRestartWithoutNewEvents() throws Exception {
    MutableClock clock = MutableClock.ticking();
    try (TestServer server = TestServer.postgres(Map.of("emon.rules.training-deadline", "30d",
        "emon.rules.helper-deadline", "365d"), clock)) {
      String h = "522701-restart";
      assertThat(server.client().ingest(registered(h, "522701", false, member("m1", "NONE", true))).status())
          .isEqualTo(200);
      server.stop();
      clock.advance(Duration.ofDays(31));
      Instant restarted = clock.instant();
      server.start();
      Await.until(Duration.ofSeconds(60), "TRAINING_PENDING after restart", () -> {
        JsonNode alerts = server.client().get("/api/v1/alerts?householdId=" + h + "&type=TRAINING_PENDING",
            "dev-read-token").json().get("alerts");
        return alerts.size() == 1 && !Instant.parse(alerts.get(0).get("raisedAt").asText()).isBefore(restarted);
      });
    }
  }
}
