package cn.emon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan finds what it looks for, says where, and does not print the text around it in full. */
class CanaryScanTest {

  @Test
  void namesTheLogFileAndLineOfALeak(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("server.log");
    String padding = "x".repeat(5000);
    Files.writeString(log, "start\nok " + padding + "\nrejected event from /county/" + Canary.NAME + " " + padding
        + "\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CanaryScan.create().logFile("node 0 log", log).assertClean())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("node 0 log:3: the name")
        .hasMessageNotContaining(Canary.NAME)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
  }

  @Test
  void findsTheIdNumberInAnyLineOfAnEndpoint() {
    assertThatThrownBy(() -> CanaryScan.create()
        .text("GET /metrics", "a 1\nemon_x{source=\"" + Canary.ID_NUMBER + "\"} 1\n").assertClean())
        .hasMessageContaining("GET /metrics line 2: the ID number");
  }

  @Test
  void findsTheValuesRenderedAsHexBytes() {
    String hex = java.util.HexFormat.of().formatHex(("{\"employer\":\"" + Canary.NAME + "\"}")
        .getBytes(StandardCharsets.UTF_8)).toUpperCase(java.util.Locale.ROOT);
    assertThatThrownBy(() -> CanaryScan.create().text("log", "Batch entry 0 values ('\\x" + hex + "'::bytea)")
        .assertClean())
        .hasMessageContaining("log: the name in hex");
  }

  @Test
  void passesCleanText(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("server.log");
    Files.writeString(log, "household 522701-1 event t-1 accepted\n", StandardCharsets.UTF_8);
    CanaryScan.create().logFile("log", log).text("body", "{\"householdId\":\"522701-1\"}").assertClean();
  }

  @Test
  void findsAWebhookHeaderAndBody() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      ApiClient client = new ApiClient("http://127.0.0.1:" + receiver.port());
      client.send(HttpRequest.newBuilder(URI.create(receiver.url("/hook")))
          .header("X-Resident", Canary.ID_NUMBER)
          .POST(HttpRequest.BodyPublishers.ofString("{\"employer\":\"" + Canary.NAME + "\"}")), null);
      assertThat(receiver.received()).hasSize(1);
      assertThatThrownBy(() -> CanaryScan.create().webhooks(receiver).assertClean())
          .hasMessageContaining("webhook request #0")
          .hasMessageContaining("header X-resident: the ID number")
          .hasMessageContaining("body: the name");
    }
  }

  @Test
  void reportsAtMostTwentyPlaces() {
    String many = String.join("\n", java.util.Collections.nCopies(50, Canary.NAME));
    assertThatThrownBy(() -> CanaryScan.create().text("log", many).assertClean())
        .hasMessageContaining("50 occurrence(s)")
        .hasMessageContaining("first 20 shown")
        .satisfies(e -> assertThat(e.getMessage().lines().filter(l -> l.startsWith("  log line")).count())
            .isEqualTo(20));
  }
}
