package cn.emon.http;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.ErrorCode;
import cn.emon.testing.ApiClient;
import cn.emon.testing.ApiClient.Response;
import cn.emon.testing.Await;
import cn.emon.testing.Events;
import cn.emon.testing.TestServer;
import cn.emon.testing.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Year;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Keeps {@code openapi.yaml} true to the code, in both directions: every documented operation is
 * called on a real server with real ids, answers a documented status, and its real body validates
 * against the documented schema (networknt's JSON-schema validator, OpenAPI 3.1 dialect); the
 * requests the server sends to webhook receivers validate against the {@code webhooks} section;
 * every {@link ErrorCode} is documented; and every path literal of the routes is documented.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTest {

  private static final Path DOCUMENT = Path.of("src/main/resources/openapi.yaml");
  private static final Path MAIN_SOURCES = Path.of("src/main/java");
  private static final String ADMIN = "dev-admin-token";
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  /**
   * Route segments deliberately outside the document: the prefix, health, metrics, the docs UI and
   * the console's static pages (which are no API: they call the documented one).
   */
  private static final Set<String> UNDOCUMENTED_SEGMENTS = Set.of("api", "v1", "health", "live", "ready",
      "metrics", "docs", "swagger-initializer.js", "console", "vendor", "echarts.esm.min.js");

  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");
  /** {@code path("…")} and {@code pathPrefix("…")} directives; not {@code node.path("…")} of Jackson. */
  private static final Pattern ROUTE_LITERAL =
      Pattern.compile("(?<![\\w.])(?:path|pathPrefix)\\(\\s*\"([^\"]*)\"");

  /** One documented operation. */
  record Operation(String method, String path, JsonNode node) {
    @Override
    public String toString() {
      return method.toUpperCase() + " " + path;
    }
  }

  private final JsonNode document = readDocument();
  private final SchemaRegistry schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31());
  private WebhookReceiver receiver;
  private TestServer server;
  private ApiClient api;
  private final Map<String, String> ids = new TreeMap<>();

  @BeforeAll
  void start() throws Exception {
    receiver = WebhookReceiver.start();
    server = TestServer.h2(Map.of(
        "emon.webhooks.allow-targets", List.of("127.0.0.1/32"),
        "emon.webhooks.poll-interval", "100ms",
        "emon.webhooks.alertmanager-resend", "2s"));
    api = server.client();

    // Real resources for every path parameter: a subscription of each format, a household with an
    // alert (and so deliveries), a county target, an import.
    for (String format : List.of("standard", "alertmanager-webhook", "alertmanager-api")) {
      Response created = api.post("/api/v1/webhooks", ADMIN, "application/json",
          "{\"url\":\"" + receiver.url("/" + format) + "\",\"format\":\"" + format + "\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      ids.putIfAbsent("webhookId", created.json().get("id").asText());
    }
    String household = "522701-oas-" + UUID.randomUUID().toString().substring(0, 8);
    ids.put("householdId", household);
    // A 503 (storage slow to confirm on a loaded machine) is retried as a client would: the same
    // event again is safe, and answers duplicate if the first attempt was stored after all.
    String registration = Events.registered(household, "522701", true, Events.member("m1", "ORDINARY", false));
    Await.until(Duration.ofSeconds(120), "the household registered", () -> {
      Response registered = api.ingest(registration);
      assertThat(registered.status()).as(registered.body()).isIn(200, 503);
      return registered.status() == 200 && registered.json().get("rejected").asInt() == 0;
    });
    Await.until(Duration.ofSeconds(60), "the household's alert and its delivery", () -> {
      JsonNode alerts = api.get("/api/v1/alerts?householdId=" + household, ADMIN).json().get("alerts");
      JsonNode deliveries = api.get("/api/v1/webhooks/" + ids.get("webhookId") + "/deliveries", ADMIN)
          .json().get("deliveries");
      if (alerts.isEmpty() || deliveries.isEmpty()) {
        return false;
      }
      ids.put("alertId", alerts.get(0).get("alertId").asText());
      ids.put("deliveryId", deliveries.get(0).get("deliveryId").asText());
      return true;
    });
    ids.put("countyCode", "522701");
    ids.put("year", Integer.toString(Year.now().getValue()));
    Response target = api.send(HttpRequest.newBuilder(uri("/api/v1/targets/522701/" + ids.get("year")))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"target\":10}")), ADMIN);
    assertThat(target.status()).as(target.body()).isEqualTo(200);
    Response imported = api.post("/api/v1/imports", ADMIN, "text/csv", importFile());
    assertThat(imported.status()).as(imported.body()).isEqualTo(202);
    ids.put("importId", imported.json().get("importId").asText());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  // ------------------------------------------------------------------------ the document itself

  @Test
  void isAnOpenApi31DocumentOfTheV1ApiWithItsWebhooks() {
    assertThat(document.get("openapi").asText()).startsWith("3.1.");
    List<Operation> operations = operations();
    for (Operation op : operations) {
      assertThat(op.path()).as(op.toString()).startsWith("/api/v1/");
      assertThat(op.node().get("responses").has("401")).as("documented 401 of " + op).isTrue();
    }
    assertThat(operations).extracting(Operation::toString).contains(
        "POST /api/v1/events", "POST /api/v1/imports", "GET /api/v1/imports/{importId}",
        "GET /api/v1/households/{householdId}", "GET /api/v1/alerts", "GET /api/v1/openapi.yaml");
    assertThat(document.get("webhooks").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("standard", "alertmanager-webhook", "alertmanager-api");
  }

  @Test
  void documentsEveryErrorCodeAndNoOther() {
    JsonNode schema = document.at("/components/schemas/ErrorCode");
    Set<String> documented = new TreeSet<>();
    schema.get("enum").forEach(c -> documented.add(c.asText()));
    Set<String> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).as("ErrorCode enum of openapi.yaml").isEqualTo(codes);
    String table = schema.get("description").asText();
    for (String code : codes) {
      assertThat(table).as("the table of codes explains " + code).contains("| `" + code + "` |");
    }
    assertThat(document.at("/components/schemas/Problem/required").toString()).contains("\"code\"");
  }

  // ------------------------------------------ every documented operation exists, and its body fits

  @TestFactory
  Stream<DynamicTest> everyOperationAnswersADocumentedStatusWithABodyThatFitsItsSchema() {
    // Deleting the subscription goes last: the other operations use it.
    List<Operation> operations = operations().stream()
        .sorted(Comparator.comparing(op -> op.method().equals("delete"))).toList();
    return operations.stream().map(op -> DynamicTest.dynamicTest(op.toString(), () -> {
      String path = substitute(op.path());
      Response r = call(op, path, ADMIN);
      assertThat(r.status()).as(op + " answers without a server error: " + r.body()).isLessThan(500);
      assertThat(r.status()).as(op + " is routed with real ids, and succeeds: " + r.body()).isLessThan(300);
      assertFitsDocumentedResponse(op, r);

      Response anonymous = call(op, path, null);
      assertThat(anonymous.status()).as(op + " without a token: " + anonymous.body()).isEqualTo(401);
      assertFitsDocumentedResponse(op, anonymous);
    }));
  }

  @Test
  void documentedProblemsFitTheirSchemaToo() {
    String unknownHousehold = "/api/v1/households/nobody-" + UUID.randomUUID().toString().substring(0, 8);
    Operation household = operation("get", "/api/v1/households/{householdId}");
    assertFitsDocumentedResponse(household, api.get(unknownHousehold, ADMIN));
    Operation alerts = operation("get", "/api/v1/alerts");
    Response badLimit = api.get("/api/v1/alerts?limit=0", ADMIN);
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.json().get("code").asText()).isEqualTo("invalid_parameter");
    assertFitsDocumentedResponse(alerts, badLimit);
    Operation events = operation("post", "/api/v1/events");
    Response notJson = api.post("/api/v1/events", "dev-ingest-token", "application/json", "{");
    assertThat(notJson.json().get("code").asText()).isEqualTo("body_not_json");
    assertFitsDocumentedResponse(events, notJson);
    Response tooMany = api.post("/api/v1/events", "dev-ingest-token", "application/json",
        "[" + String.join(",", java.util.Collections.nCopies(1001, "{}")) + "]");
    assertThat(tooMany.json().get("code").asText()).isEqualTo("batch_too_large");
    assertFitsDocumentedResponse(events, tooMany);
    Response reader = api.post("/api/v1/events", "dev-read-token", "application/json", "[]");
    assertThat(reader.json().get("code").asText()).isEqualTo("role_forbidden");
    assertFitsDocumentedResponse(events, reader);
    Response unknownPath = api.get("/api/v1/no-such-thing", ADMIN);
    assertThat(unknownPath.json().get("code").asText()).isEqualTo("not_found");
    Response wrongMethod = api.send(HttpRequest.newBuilder(uri("/api/v1/alerts")).DELETE(), ADMIN);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("code").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void theValidatorRefusesBodiesThatDoNotFit() {
    Schema problem = schemas.getSchema(SchemaLocation.of("classpath:openapi.yaml#/components/schemas/Problem"));
    assertThat(problem.validate("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
        + "\"detail\":\"no such resource\"}", InputFormat.JSON)).as("a problem without code").isNotEmpty();
    assertThat(problem.validate("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
        + "\"code\":\"gone_fishing\",\"detail\":\"no such resource\"}", InputFormat.JSON)).as("an undocumented code").isNotEmpty();
    assertThat(problem.validate("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
        + "\"code\":\"not_found\",\"detail\":\"no such resource\"}", InputFormat.JSON)).isEmpty();
    Schema importStatus = schemas.getSchema(SchemaLocation.of("classpath:openapi.yaml#/components/schemas/ImportStatus"));
    assertThat(importStatus.validate("{\"importId\":\"imp_1\",\"status\":\"busy\"}", InputFormat.JSON)).isNotEmpty();
  }

  @Test
  void theWebhookPayloadsTheServerSendsFitTheWebhooksSection() {
    Map<String, String> schemaOf = Map.of(
        "/standard", "/webhooks/standard/post/requestBody/content/application~1json/schema",
        "/alertmanager-webhook", "/webhooks/alertmanager-webhook/post/requestBody/content/application~1json/schema",
        "/alertmanager-api/api/v2/alerts", "/webhooks/alertmanager-api/post/requestBody/content/application~1json/schema");
    Await.until(Duration.ofSeconds(60), "a delivery of each format", () ->
        schemaOf.keySet().stream().allMatch(p -> receiver.received().stream().anyMatch(r -> r.path().equals(p))));
    for (WebhookReceiver.Received r : receiver.received()) {
      String pointer = schemaOf.get(r.path());
      assertThat(pointer).as("a request to a documented receiver path: " + r.path()).isNotNull();
      assertValid(pointer, r.bodyText(), "POST " + r.path());
    }
  }

  @Test
  void servesTheSameBytesAsTheResourceWithAndWithoutAToken() throws IOException {
    byte[] resource;
    try (InputStream in = OpenApiConformanceTest.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the classpath").isNotNull();
      resource = in.readAllBytes();
    }
    assertThat(resource).as("the classpath copy equals the source file").isEqualTo(Files.readAllBytes(DOCUMENT));
    Response r = api.get("/api/v1/openapi.yaml", ADMIN);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/yaml");
    assertThat(r.raw().body()).isEqualTo(resource);
    Response docs = api.get("/api/docs/openapi.yaml", null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.raw().body()).isEqualTo(resource);
  }

  @Test
  void servesSwaggerUiFromTheJarWithoutAToken() {
    Response bare = api.send(HttpRequest.newBuilder(uri("/api/docs")).GET(), null);
    assertThat(bare.status()).isEqualTo(301);
    assertThat(bare.header("Location")).isEqualTo("/api/docs/");
    Response page = api.get("/api/docs/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    Matcher scripts = Pattern.compile("(?:src|href)=\"\\./?([^\"]+)\"").matcher(page.body());
    List<String> assets = new ArrayList<>();
    while (scripts.find()) {
      assets.add(scripts.group(1));
    }
    assertThat(assets).contains("swagger-ui-bundle.js", "swagger-initializer.js", "swagger-ui.css");
    for (String asset : assets) {
      Response a = api.get("/api/docs/" + asset, null);
      assertThat(a.status()).as(asset).isEqualTo(200);
      assertThat(a.raw().body().length).as(asset).isPositive();
    }
    String initializer = api.get("/api/docs/swagger-initializer.js", null).body();
    assertThat(initializer).contains("url: \"openapi.yaml\"", "validatorUrl: null").doesNotContain("petstore");
    assertThat(api.get("/api/docs/no-such-file.js", null).status()).isEqualTo(404);
  }

  // ------------------------------------------------------- every route of the code is documented

  @Test
  void documentsEveryPathSegmentTheRoutesMatch() throws IOException {
    Set<String> documented = new TreeSet<>();
    for (Operation op : operations()) {
      for (String segment : op.path().split("/")) {
        if (!segment.isEmpty() && !PATH_PARAMETER.matcher(segment).matches()) {
          documented.add(segment);
        }
      }
    }
    Map<String, Set<String>> literals = routeLiterals();
    assertThat(literals.keySet()).as("route literals found in the main sources")
        .contains("events", "alerts", "imports", "openapi.yaml");
    Map<String, Set<String>> undocumented = new TreeMap<>();
    literals.forEach((segment, files) -> {
      if (!UNDOCUMENTED_SEGMENTS.contains(segment) && !documented.contains(segment)) {
        undocumented.put(segment, files);
      }
    });
    assertThat(undocumented)
        .as("path segments matched by routes (segment → source files) but in no path of openapi.yaml")
        .isEmpty();
  }

  // ---------------------------------------------------------------------------------- helpers

  private static JsonNode readDocument() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (METHODS.contains(op.getKey())) {
          out.add(new Operation(op.getKey(), path.getKey(), op.getValue()));
        }
      }
    }
    return out;
  }

  private Operation operation(String method, String path) {
    return operations().stream().filter(o -> o.method().equals(method) && o.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("not documented: " + method + " " + path));
  }

  /** The response's status is documented for the operation, and its body fits the documented schema. */
  private void assertFitsDocumentedResponse(Operation op, Response r) {
    String status = Integer.toString(r.status());
    assertThat(op.node().get("responses").has(status))
        .as(op + " documents the status it answered (" + status + "): " + r.body()).isTrue();
    String pointer = pointer("paths", op.path(), op.method(), "responses", status);
    JsonNode response = document.at(pointer);
    if (response.has("$ref")) {
      pointer = response.get("$ref").asText().substring(1);
      response = document.at(pointer);
    }
    String mediaType = r.contentType().split(";")[0].trim();
    if (r.raw().body().length == 0) {
      return;
    }
    assertThat(response.path("content").has(mediaType))
        .as(op + " " + status + " documents its content type " + mediaType).isTrue();
    if (mediaType.endsWith("json")) {
      assertValid(pointer + pointer("content", mediaType, "schema"), r.body(), op + " " + status);
    }
  }

  private void assertValid(String pointer, String json, String what) {
    Schema schema = schemas.getSchema(SchemaLocation.of("classpath:openapi.yaml#" + pointer));
    List<Error> errors = schema.validate(json, InputFormat.JSON);
    assertThat(errors).as(what + " fits " + pointer + "; body " + json).isEmpty();
  }

  /** A JSON pointer of the given reference tokens, escaped (RFC 6901). */
  private static String pointer(String... tokens) {
    StringBuilder sb = new StringBuilder();
    for (String t : tokens) {
      sb.append('/').append(t.replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private String substitute(String documentedPath) {
    Matcher m = PATH_PARAMETER.matcher(documentedPath);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = ids.get(m.group(1));
      assertThat(value).as("a real value for {" + m.group(1) + "} of " + documentedPath).isNotNull();
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private Response call(Operation op, String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    switch (op.method()) {
      case "get" -> b.GET();
      case "delete" -> b.DELETE();
      default -> {
        String[] body = requestBody(op.path());
        b.header("Content-Type", body[0])
            .method(op.method().toUpperCase(), HttpRequest.BodyPublishers.ofByteArray(body[1].getBytes(StandardCharsets.UTF_8)));
      }
    }
    return api.send(b, token);
  }

  /** A valid content type and body for a documented write operation. */
  private String[] requestBody(String documentedPath) {
    return switch (documentedPath) {
      case "/api/v1/events" -> new String[] {"application/cloudevents+json", Events.registered(
          "522701-oas-" + UUID.randomUUID().toString().substring(0, 8), "522701", false, Events.member("m1", "SKILLED", false))};
      case "/api/v1/imports" -> new String[] {"text/csv", new String(importFile(), StandardCharsets.UTF_8)};
      case "/api/v1/webhooks" -> new String[] {"application/json",
          "{\"url\":\"" + receiver.url("/standard") + "\",\"format\":\"standard\"}"};
      case "/api/v1/targets/{countyCode}/{year}" -> new String[] {"application/json", "{\"target\":12}"};
      case "/api/v1/alerts/{alertId}/acknowledge" -> new String[] {"application/json",
          "{\"by\":\"conformance-test\",\"note\":\"checked\"}"};
      default -> new String[] {"application/json", "{}"};
    };
  }

  private static byte[] importFile() {
    String h = "522701-oasimp-" + UUID.randomUUID().toString().substring(0, 8);
    return ("户编号,区划代码,深度贫困地区,成员编号,劳动技能,培训意愿\r\n" + h + ",522701,否,m1,普通劳动力,是\r\n"
        + h + ",522701,否,m2,壮劳力,否\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Every literal segment of a {@code path(…)} / {@code pathPrefix(…)} directive in the route
   * classes of the main sources ({@code *Routes.java} and anything extending the directive base
   * classes), mapped to the files it appears in.
   */
  private static Map<String, Set<String>> routeLiterals() throws IOException {
    Map<String, Set<String>> literals = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(MAIN_SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      String source = Files.readString(file, StandardCharsets.UTF_8);
      boolean routes = file.getFileName().toString().endsWith("Routes.java")
          || source.matches("(?s).*\\bextends\\s+(AllDirectives|ApiDirectives)\\b.*");
      if (!routes) {
        continue;
      }
      Matcher m = ROUTE_LITERAL.matcher(source);
      while (m.find()) {
        for (String segment : m.group(1).split("/")) {
          if (!segment.isEmpty()) {
            literals.computeIfAbsent(segment, k -> new TreeSet<>()).add(MAIN_SOURCES.relativize(file).toString());
          }
        }
      }
    }
    return literals;
  }
}
