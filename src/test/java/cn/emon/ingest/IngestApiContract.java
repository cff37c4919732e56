package cn.emon.ingest;

import static cn.emon.testing.Events.event;
import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.placementStarted;
import static cn.emon.testing.Events.registered;
import static cn.emon.testing.Events.today;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.ApiClient.Response;
import cn.emon.testing.Events;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ingest API end to end over a real port with a real client: single and batch ingest in all
 * four content types, every error status, the auth matrix, household state and history. Run
 * against PostgreSQL and against the embedded H2 default by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IngestApiContract {

  static final String INGEST = "dev-ingest-token";
  static final String READ = "dev-read-token";
  static final String ADMIN = "dev-admin-token";

  TestServer server;
  ApiClient api;

  abstract TestServer startServer() throws Exception;

  @BeforeAll
  void start() throws Exception {
    server = startServer();
    api = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static String household() {
    return "522701-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void acceptsSingleEventInEachSingleContentType() {
    for (String type : List.of("application/cloudevents+json", "application/json")) {
      String h = household();
      Response r = api.post("/api/v1/events", INGEST, type, registered(h, "522701", false, member("m1", "ORDINARY", false)));
      assertThat(r.status()).as(type).isEqualTo(200);
      assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
      assertThat(r.json().get("results").get(0).get("status").asText()).isEqualTo("accepted");
      assertThat(api.get("/api/v1/households/" + h, READ).status()).isEqualTo(200);
    }
  }

  @Test
  void acceptsBatchesInEachBatchContentTypeWithResultsInRequestOrder() {
    for (String type : List.of("application/cloudevents-batch+json", "application/json")) {
      String h = household();
      String reg = registered(h, "522701", false, member("m1", "ORDINARY", false));
      String bad = event("no.such.type", h, "{}");
      String placement = placementStarted(h, "m1", "p1", today());
      Response r = api.post("/api/v1/events", INGEST, type, "[" + reg + "," + bad + "," + placement + "]");
      assertThat(r.status()).as(type).isEqualTo(200);
      JsonNode body = r.json();
      assertThat(body.get("accepted").asInt()).isEqualTo(2);
      assertThat(body.get("rejected").asInt()).isEqualTo(1);
      assertThat(body.get("results").get(0).get("status").asText()).isEqualTo("accepted");
      assertThat(body.get("results").get(1).get("status").asText()).isEqualTo("rejected");
      assertThat(body.get("results").get(1).get("error").asText()).startsWith("type:");
      assertThat(body.get("results").get(2).get("status").asText()).isEqualTo("accepted");
      JsonNode state = api.get("/api/v1/households/" + h, READ).json();
      assertThat(state.get("members").get(0).get("employed").asBoolean()).isTrue();
    }
  }

  @Test
  void keepsOrderOfOneHouseholdsEventsInABatchAcrossManyHouseholds() {
    List<String> events = new ArrayList<>();
    List<String> households = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String h = household();
      households.add(h);
      events.add(registered(h, "522701", false, member("m1", "ORDINARY", false)));
    }
    for (String h : households) {
      // The placement would be rejected (unknown member) if it overtook the member's addition.
      events.add(event("member.updated", h, "{\"memberId\":\"m2\",\"laborCapacity\":\"WEAK\"}"));
      events.add(placementStarted(h, "m2", "p-" + h, today()));
    }
    Response r = api.ingest(events.toArray(String[]::new));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(150);
    JsonNode state = api.get("/api/v1/households/" + households.get(7), READ).json();
    assertThat(state.get("placements").get(0).get("memberId").asText()).isEqualTo("m2");
  }

  @Test
  void answersDuplicateForARepeatedSourceAndIdAndChangesNothing() {
    String h = household();
    String reg = event("dup-1", "household.registered", h, Events.now(),
        "{\"regionCode\":\"522701\",\"members\":[" + member("m1", "ORDINARY", false) + "]}");
    assertThat(api.ingest(reg).json().get("accepted").asInt()).isEqualTo(1);
    Response again = api.ingest(reg);
    assertThat(again.json().get("duplicates").asInt()).isEqualTo(1);
    assertThat(again.json().get("results").get(0).get("status").asText()).isEqualTo("duplicate");
    JsonNode history = api.get("/api/v1/households/" + h + "/events", READ).json().get("events");
    long registrations = 0;
    for (JsonNode e : history) {
      if (e.get("type").asText().equals("household.registered")) {
        registrations++;
      }
    }
    assertThat(registrations).isEqualTo(1);
  }

  @Test
  void rejectsEventsNamingTheField() {
    String h = household();
    api.ingest(registered(h, "522701", false, member("m1", "ORDINARY", false)));
    Response r = api.ingest(
        event("placement.started", h, "{\"memberId\":\"m1\",\"placementId\":\"p1\",\"channel\":\"FACTORY\",\"startDate\":\"2026-01-01\"}"),
        event("placement.started", h, "{\"memberId\":\"m1\",\"placementId\":\"p1\",\"channel\":\"WORKSHOP\"}"),
        event("placement.verified", h, "{\"placementId\":\"nope\",\"verifiedOn\":\"2026-01-01\"}"),
        event("member.updated", household(), "{\"memberId\":\"m1\",\"laborCapacity\":\"WEAK\"}"),
        event("household.registered", h, "{\"regionCode\":\"5227\",\"members\":[]}"),
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/t\",\"type\":\"household.closed\",\"subject\":\"bad id!\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"reason\":\"moved\"}}");
    List<String> errors = new ArrayList<>();
    r.json().get("results").forEach(x -> errors.add(x.get("error").asText()));
    assertThat(errors).containsExactly(
        "data.channel: must be one of WORKSHOP, COMMUNITY_FACTORY, LOCAL_ENTERPRISE, AGRICULTURE, ENTREPRENEURSHIP, HOME_BASED, PUBLIC_WELFARE_POST, LABOR_COOPERATION, OTHER_MIGRANT, OTHER",
        "data.startDate: required",
        "data.placementId: unknown placement of this household",
        "subject: household is not registered",
        "data.regionCode: must be a GB/T 2260 code of 6, 9 or 12 digits",
        "subject: must be 1-64 characters of A-Z a-z 0-9 _ . -");
    assertThat(r.json().get("rejected").asInt()).isEqualTo(6);
  }

  @Test
  void answersProblemJsonForBodiesThatAreNotEventsOrJson() {
    assertProblem(api.post("/api/v1/events", INGEST, "application/json", "{not json"), 400, "body: malformed JSON");
    assertProblem(api.post("/api/v1/events", INGEST, "application/json", "42"), 400, "body: must be an event object");
    assertProblem(api.post("/api/v1/events", INGEST, "application/cloudevents-batch+json", "{}"), 400, "body:");
    assertProblem(api.post("/api/v1/events", INGEST, "application/cloudevents+json", "[]"), 400, "body:");
    assertProblem(api.post("/api/v1/events", INGEST, "application/json", "{\"a\":1,\"a\":2}"), 400, "body: duplicate object key");
    assertProblem(api.post("/api/v1/events", INGEST, "application/json", "[".repeat(100) + "]".repeat(100)), 400, "body: JSON exceeds");
    assertProblem(api.post("/api/v1/events", INGEST, "text/plain", "{}"), 415, "Content-Type:");
  }

  @Test
  void answers413OverTheBatchOrSizeLimit() throws Exception {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      events.add(event("household.closed", household(), "{\"reason\":\"x\"}"));
    }
    assertProblem(api.ingest(events.toArray(String[]::new)), 413, "body: a batch holds at most 1000 events");
    // Refused on the declared length alone, before any of the body is sent. (A client that goes on
    // writing 5 MiB after the answer can have its connection reset by the server's close before it
    // reads the 413: TCP's doing, and the flake this test once had.)
    String[] answer = headOnly("POST /api/v1/events", "application/json", 5 * 1024 * 1024);
    assertThat(answer[0]).startsWith("HTTP/1.1 413 ").containsIgnoringCase("\r\ncontent-type: application/problem+json");
    assertThat(answer[1]).contains("\"detail\":\"body: larger than");
  }

  /** Sends a request's head declaring a body of {@code length} bytes, none of it; the answer's head and body. */
  String[] headOnly(String requestLine, String contentType, long length) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + INGEST
          + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = answer.indexOf("\r\n\r\n");
      assertThat(end).as(answer).isPositive();
      return new String[] {answer.substring(0, end), answer.substring(end + 4)};
    }
  }

  @Test
  void enforcesTheAuthMatrix() {
    String h = household();
    String reg = registered(h, "522701", false, member("m1", "ORDINARY", false));
    assertProblem(api.post("/api/v1/events", null, "application/json", reg), 401, "Authorization:");
    assertProblem(api.post("/api/v1/events", "not-a-token", "application/json", reg), 401, "Authorization:");
    assertProblem(api.post("/api/v1/events", READ, "application/json", reg), 403, "token role");
    // An ingest token scoped to region 11 may not register a household of 52.
    assertProblem(api.post("/api/v1/events", TestServer.INGEST_11, "application/json", reg), 403, "data.regionCode");
    assertThat(api.post("/api/v1/events", ADMIN, "application/json", reg).status()).isEqualTo(200);
    // Nor post for it once registered; a batch reports it per event.
    Response batch = api.post("/api/v1/events", TestServer.INGEST_11, "application/json",
        "[" + event("household.closed", h, "{\"reason\":\"moved\"}") + "]");
    assertThat(batch.json().get("results").get(0).get("error").asText()).startsWith("forbidden:");
    assertProblem(api.get("/api/v1/households/" + h, null), 401, "Authorization:");
    assertProblem(api.get("/api/v1/households/" + h, INGEST), 403, "token role");
    assertProblem(api.get("/api/v1/households/" + h, TestServer.READ_11), 403, "household:");
    assertThat(api.get("/api/v1/households/" + h, READ).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/households/" + h, ADMIN).status()).isEqualTo(200);
    String beijing = "110101-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(api.post("/api/v1/events", TestServer.INGEST_11, "application/json",
        registered(beijing, "110101", false, member("m1", "SKILLED", false))).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/households/" + beijing, TestServer.READ_11).status()).isEqualTo(200);
  }

  @Test
  void showsHouseholdStateAndStoredHistory() {
    String h = household();
    api.ingest(registered(h, "522701", true, member("m1", "ORDINARY", true) + "," + member("m2", "NONE", false)),
        placementStarted(h, "m1", "p1", today()),
        event("helper.assigned", h, "{\"helperId\":\"h-9\"}"));
    JsonNode s = api.get("/api/v1/households/" + h, READ).json();
    assertThat(s.get("regionCode").asText()).isEqualTo("522701");
    assertThat(s.get("deepPovertyArea").asBoolean()).isTrue();
    assertThat(s.get("helper").get("helperId").asText()).isEqualTo("h-9");
    assertThat(s.get("members")).hasSize(2);
    assertThat(s.get("placements").get(0).get("status").asText()).isEqualTo("active");
    assertThat(s.get("placements").get(0).get("workScope").asText()).isEqualTo("IN_COUNTY");
    JsonNode events = api.get("/api/v1/households/" + h + "/events", READ).json().get("events");
    List<String> types = new ArrayList<>();
    events.forEach(e -> types.add(e.get("type").asText()));
    assertThat(types).containsSubsequence("household.registered", "alert.raised", "placement.started",
        "alert.resolved", "helper.assigned");
    assertProblem(api.get("/api/v1/households/" + household(), READ), 404, "household: not registered");
  }

  @Test
  void servesHealthWithoutAToken() {
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
  }

  static void assertProblem(Response r, int status, String detailPrefix) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("status").asInt()).isEqualTo(status);
    assertThat(r.json().get("detail").asText()).startsWith(detailPrefix);
  }
}
