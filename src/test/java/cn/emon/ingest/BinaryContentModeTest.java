package cn.emon.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.ApiClient.Response;
import cn.emon.testing.Events;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CloudEvents binary content mode on {@code POST /api/v1/events} (CONTRACT §9), with the official
 * CloudEvents Java SDK's HTTP binding as the client — code no one here wrote — and with the HTTP
 * binding specification's own example written out header by header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BinaryContentModeTest {

  private static final String INGEST = "dev-ingest-token";
  private static final String READ = "dev-read-token";
  private static final String REGISTERED_DATA =
      "{\"regionCode\":\"522701\",\"deepPovertyArea\":true,\"members\":[{\"memberId\":\"m1\",\"laborCapacity\":\"ORDINARY\"}]}";

  private TestServer server;
  private ApiClient api;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.h2(Map.of());
    api = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String household() {
    return "522701-bin-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static CloudEventBuilder event(String id, String type, String subject, String data) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("/integrators/522701"))
        .withType(type)
        .withSubject(subject)
        .withTime(OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0))
        .withDataContentType("application/json")
        .withData(data.getBytes(StandardCharsets.UTF_8));
  }

  /** Posts an event the way the SDK's HTTP binding writes it in binary mode. */
  private Response postWithSdk(CloudEvent event, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events"));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpMessageFactory.createWriter(request::header, bytes -> {
      if (bytes != null) {
        body.writeBytes(bytes);
      }
    }).writeBinary(event);
    request.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    return api.send(request, token);
  }

  private static JsonNode onlyResult(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("results")).hasSize(1);
    return r.json().get("results").get(0);
  }

  @Test
  void storesAnSdkEventSentInBinaryModeAndAnswersItsRepeatAsDuplicate() {
    String h = household();
    CloudEvent registered = event("bin-" + h, "household.registered", h, REGISTERED_DATA)
        .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .withExtension("partitionkey", h)
        .build();

    Response first = postWithSdk(registered, INGEST);
    assertThat(onlyResult(first).get("status").asText()).as(first.body()).isEqualTo("accepted");
    assertThat(first.json().get("accepted").asInt()).isEqualTo(1);

    Response again = postWithSdk(registered, INGEST);
    assertThat(onlyResult(again).get("status").asText()).as(again.body()).isEqualTo("duplicate");

    JsonNode state = api.get("/api/v1/households/" + h, READ).json();
    assertThat(state.get("regionCode").asText()).as(state.toString()).isEqualTo("522701");
    assertThat(state.get("members")).hasSize(1);
    JsonNode history = api.get("/api/v1/households/" + h + "/events", READ).json().get("events");
    assertThat(history.get(0).get("type").asText()).isEqualTo("household.registered");
    assertThat(history.get(0).get("event").get("meta").get("source").asText()).isEqualTo("/integrators/522701");
  }

  @Test
  void sharesTheIdempotencyKeyWithStructuredMode() {
    String h = household();
    String id = "both-" + h;
    Response structured = api.post("/api/v1/events", INGEST, "application/cloudevents+json",
        Events.event(id, "household.registered", h, Events.now(), REGISTERED_DATA).replace("\"/test\"", "\"/integrators/522701\""));
    assertThat(onlyResult(structured).get("status").asText()).as(structured.body()).isEqualTo("accepted");

    Response binary = postWithSdk(event(id, "household.registered", h, REGISTERED_DATA).build(), INGEST);
    assertThat(onlyResult(binary).get("status").asText()).as(binary.body()).isEqualTo("duplicate");
  }

  @Test
  void rejectsInvalidBinaryEventsWithTheCodesOfStructuredMode() {
    String h = household();
    Response unknownType = postWithSdk(event("u-" + h, "household.renamed", h, "{}").build(), INGEST);
    assertThat(onlyResult(unknownType).get("status").asText()).isEqualTo("rejected");
    assertThat(onlyResult(unknownType).get("code").asText()).isEqualTo("unknown_type");
    assertThat(onlyResult(unknownType).get("error").asText()).startsWith("type: unknown event type");

    Response notRegistered = postWithSdk(event("p-" + h, "placement.ended", h,
        "{\"placementId\":\"p1\",\"endDate\":\"2026-11-20\",\"reason\":\"QUIT\"}").build(), INGEST);
    assertThat(onlyResult(notRegistered).get("code").asText()).as(notRegistered.body()).isEqualTo("household_unknown");

    Response badField = postWithSdk(event("f-" + h, "household.registered", h,
        "{\"regionCode\":\"52\",\"members\":[]}").build(), INGEST);
    assertThat(onlyResult(badField).get("code").asText()).isEqualTo("field_invalid");
    assertThat(onlyResult(badField).get("error").asText()).startsWith("data.regionCode:");

    Response future = postWithSdk(event("t-" + h, "household.registered", h, REGISTERED_DATA)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC).plusDays(3)).build(), INGEST);
    assertThat(onlyResult(future).get("code").asText()).isEqualTo("time_in_future");

    CloudEvent noData = CloudEventBuilder.v1(event("n-" + h, "household.registered", h, "{}").build())
        .withoutData().withoutDataContentType().build();
    Response missing = postWithSdk(noData, INGEST);
    assertThat(onlyResult(missing).get("code").asText()).as(missing.body()).isEqualTo("field_missing");
    assertThat(onlyResult(missing).get("error").asText()).startsWith("data:");
  }

  @Test
  void refusesABinaryEventOutsideTheTokensRegionsWith403() {
    String h = household();
    Response r = postWithSdk(event("r-" + h, "household.registered", h, REGISTERED_DATA).build(),
        TestServer.INGEST_11);
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.json().get("code").asText()).isEqualTo("region_forbidden");
    assertThat(api.get("/api/v1/households/" + h, READ).status()).isEqualTo(404);
  }

  /** The HTTP binding specification's binary-mode example (§3.1.4), with this API's type and data. */
  @Test
  void acceptsTheSpecificationsBinaryExampleWithPercentEncodedValues() {
    String h = household();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events"))
        .header("ce-specversion", "1.0")
        .header("ce-type", "household.registered")
        .header("ce-time", "2018-04-05T03:56:24Z")
        .header("ce-id", "1234-1234-1234")
        .header("ce-source", "/integrators/%E5%AE%89%E9%A1%BA%20county")
        .header("ce-subject", h)
        .header("ce-comexampleextension1", "value")
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(REGISTERED_DATA));
    Response r = api.send(request, INGEST);
    assertThat(onlyResult(r).get("status").asText()).as(r.body()).isEqualTo("accepted");
    JsonNode history = api.get("/api/v1/households/" + h + "/events", READ).json().get("events");
    assertThat(history.get(0).get("event").get("meta").get("source").asText()).isEqualTo("/integrators/安顺 county");
    assertThat(history.get(0).get("event").get("meta").get("id").asText()).isEqualTo("1234-1234-1234");
  }

  @Test
  void answersProblemsForBodiesBinaryModeCannotTake() {
    HttpRequest.Builder text = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events"))
        .header("ce-specversion", "1.0").header("ce-id", "x").header("ce-type", "household.registered")
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello"));
    Response unsupported = api.send(text, INGEST);
    assertThat(unsupported.status()).isEqualTo(415);
    assertThat(unsupported.json().get("code").asText()).isEqualTo("unsupported_media_type");

    HttpRequest.Builder broken = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/events"))
        .header("ce-specversion", "1.0").header("ce-id", "x").header("ce-type", "household.registered")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"regionCode\":"));
    Response notJson = api.send(broken, INGEST);
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("code").asText()).isEqualTo("body_not_json");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/integrators/522701|/integrators/522701",
      "a%20b|a b",
      "%E5%8E%BF|县",
      "50%off|50%off",
      "%zz|%zz",
      "%FF%FE|%FF%FE",
      "trailing%|trailing%",
      "%41%4a|AJ"})
  void percentDecodesHeaderValuesAndKeepsWhatIsNotAnEncoding(String header, String attribute) {
    assertThat(CloudEventDecoder.percentDecoded(header)).isEqualTo(attribute);
  }
}
