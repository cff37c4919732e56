package cn.emon.imports;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.ApiClient.Response;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An import that was running when its server stopped says so ({@code failed},
 * {@code import_interrupted}) instead of {@code running} forever: after a graceful stop, and after
 * a node vanished without one (its heartbeat stopped).
 */
class ImportInterruptedTest {

  private static final String INGEST = "dev-ingest-token";
  private TestServer server;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anImportRunningWhenTheServerStoppedIsReportedInterruptedAfterTheRestart() throws Exception {
    // No ingest request is ever admitted: the import keeps retrying its first batch, so it is
    // certainly running when the server stops.
    server = TestServer.of(TestServer.h2Settings(Map.of("emon.ingest.max-concurrent-requests", 0)),
        Clock.systemUTC()).start();
    ApiClient api = server.client();
    Response posted = api.post("/api/v1/imports", INGEST, "text/csv",
        "户编号,区划代码,深度贫困地区,成员编号,劳动技能,培训意愿\r\nint-1,522701,否,m1,普通劳动力,否\r\n"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(posted.status()).as(posted.body()).isEqualTo(202);
    String path = "/api/v1/imports/" + posted.json().get("importId").asText();
    Await.until(Duration.ofSeconds(60), "the import to be importing", () ->
        api.get(path, INGEST).json().get("phase").asText().equals("importing"));
    assertThat(api.get(path, INGEST).json().get("status").asText()).isEqualTo("running");

    server.stop();
    server.start();

    JsonNode status = server.client().get(path, INGEST).json();
    assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("failed");
    assertThat(status.get("failure").get("code").asText()).isEqualTo("import_interrupted");
    assertThat(status.get("failure").get("error").asText()).startsWith("interrupted:");
    assertThat(status.get("rows").asInt()).isEqualTo(1);
    assertThat(status.has("finishedAt")).isTrue();
  }

  @Test
  void anImportWhoseNodeStoppedBeatingIsReportedInterruptedAndALiveOneIsNot() throws Exception {
    server = TestServer.h2(Map.of("emon.imports.heartbeat-interval", "200ms", "emon.imports.stale-after", "2s"));
    long now = System.currentTimeMillis();
    insertRunningJob("imp_00000000000000000000dead", now - 60_000);
    insertRunningJob("imp_0000000000000000000a11fe", now + 3_600_000);

    JsonNode dead = server.client().get("/api/v1/imports/imp_00000000000000000000dead", INGEST).json();
    assertThat(dead.get("status").asText()).as(dead.toString()).isEqualTo("failed");
    assertThat(dead.get("failure").get("code").asText()).isEqualTo("import_interrupted");

    JsonNode alive = server.client().get("/api/v1/imports/imp_0000000000000000000a11fe", INGEST).json();
    assertThat(alive.get("status").asText()).as(alive.toString()).isEqualTo("running");
  }

  /** A job as another node running it would have stored it, its heartbeat last refreshed at {@code heartbeatAt}. */
  private void insertRunningJob(String importId, long heartbeatAt) throws Exception {
    try (Connection c = server.running().dependencies().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO import_jobs (import_id, status, phase, file_format,"
            + " file_sha256, file_bytes, created_by, scope, created_at, heartbeat_at, row_count, households, accepted,"
            + " duplicates, rejected, error_count) VALUES (?, 'running', 'importing', 'csv', ?, 10, 'dev-ingest', '',"
            + " ?, ?, 5, 2, 1, 0, 0, 0)")) {
      ps.setString(1, importId);
      ps.setString(2, "0".repeat(64));
      ps.setLong(3, heartbeatAt - 1000);
      ps.setLong(4, heartbeatAt);
      ps.executeUpdate();
    }
  }
}
