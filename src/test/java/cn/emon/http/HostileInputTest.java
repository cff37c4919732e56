package cn.emon.http;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.ApiClient.Response;
import cn.emon.testing.Canary;
import cn.emon.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fault: hostile and malformed requests. Must hold: each gets a 4xx problem+json answer naming
 * the problem, never a 5xx, never a stack trace or the submitted personal-looking values, and the
 * server keeps answering other clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

  static final String NAME = Canary.NAME;
  static final String ID_NUMBER = Canary.ID_NUMBER;
  static final String INGEST = "dev-ingest-token";

  TestServer server;
  ApiClient api;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.h2(Map.of("emon.ingest.upload-timeout", "2s"));
    api = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  static void assertClean4xx(Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.body()).doesNotContain(NAME).doesNotContain(ID_NUMBER)
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void refusesADecompressionBombWithoutInflatingIt() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 100; i++) {
        gz.write(zeros); // 100 MiB of zeros, about 100 KiB compressed
      }
    }
    Response r = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events"))
        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())), INGEST);
    assertClean4xx(r, 415);
    assertThat(r.json().get("detail").asText()).startsWith("Content-Encoding:");
  }

  @Test
  void refusesDeepNestingHugeNumbersInvalidUtf8AndDuplicateKeys() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertClean4xx(api.post("/api/v1/events", INGEST, "application/json", deep), 400);
    String huge = "{\"specversion\":\"1.0\",\"n\":1" + "0".repeat(5000) + "}";
    assertClean4xx(api.post("/api/v1/events", INGEST, "application/json", huge), 400);
    byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertClean4xx(api.post("/api/v1/events", INGEST, "application/json", invalidUtf8), 400);
    assertClean4xx(api.post("/api/v1/events", INGEST, "application/json",
        "{\"subject\":\"" + NAME + "\",\"subject\":\"" + ID_NUMBER + "\"}"), 400);
    assertClean4xx(api.post("/api/v1/events", INGEST, "application/xml", "<event/>"), 415);
    assertClean4xx(api.post("/api/v1/events", INGEST, null, "{}"), 415);
  }

  @Test
  void rejectsPersonalLookingValuesInEveryFieldWithoutEchoingThem() {
    String[] fields = {"subject", "time", "specversion", "type"};
    for (String field : fields) {
      String event = "{\"specversion\":\"1.0\",\"id\":\"c1\",\"source\":\"/t\",\"type\":\"member.updated\","
          + "\"subject\":\"522701-1\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}";
      event = event.replaceFirst("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":\"" + NAME + ID_NUMBER + "\"");
      Response r = api.ingest(event);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("results").get(0).get("status").asText()).isEqualTo("rejected");
      assertThat(r.body()).doesNotContain(NAME).doesNotContain(ID_NUMBER);
    }
    String[] dataFields = {"memberId", "laborCapacity", "wantsTraining"};
    for (String field : dataFields) {
      String event = "{\"specversion\":\"1.0\",\"id\":\"c2\",\"source\":\"/t\",\"type\":\"member.updated\","
          + "\"subject\":\"522701-1\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"" + field + "\":\"" + NAME + ID_NUMBER + "\"}}";
      Response r = api.ingest(event);
      assertThat(r.json().get("results").get(0).get("error").asText()).startsWith("data.");
      assertThat(r.body()).doesNotContain(NAME).doesNotContain(ID_NUMBER);
    }
    assertClean4xx(api.get("/api/v1/alerts?region=" + ID_NUMBER + "x", "dev-read-token"), 400);
    assertClean4xx(api.get("/api/v1/households/" + ID_NUMBER + "-" + "%E7%8E%8B", "dev-read-token"), 400);
  }

  @Test
  void answersOverLongUrisAndHeadersWithProblems() {
    assertClean4xx(api.get("/api/v1/alerts?region=" + "1".repeat(10_000), "dev-read-token"), 414);
    Response r = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/alerts"))
        .header("X-Padding", "x".repeat(20_000)).GET(), "dev-read-token");
    assertThat(r.status()).isBetween(400, 499);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  @Test
  void answersASlowUploadWith408AndStaysResponsive() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + INGEST
          + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Meanwhile another client is served at once.
      assertThat(api.get("/health/live", null).status()).isEqualTo(200);
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 408");
    }
  }
}
