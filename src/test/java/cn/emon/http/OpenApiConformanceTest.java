package cn.emon.http;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.ApiClient.Response;
import cn.emon.testing.Await;
import cn.emon.testing.Events;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Keeps {@code openapi.yaml} true to the code, in both directions: every documented operation
 * exists on a real server and answers a documented status, and every path literal of the routes is
 * part of some documented path.
 *
 * <p>The document is read line by line (no YAML library is on the classpath): path keys are the
 * lines {@code "  /api/v1/…:"} under {@code paths:}, their operations {@code "    get:"} etc., and an
 * operation's status codes the keys {@code "        '200':"} under its {@code responses:}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTest {

  private static final Path DOCUMENT = Path.of("src/main/resources/openapi.yaml");
  private static final Path MAIN_SOURCES = Path.of("src/main/java");
  private static final String ADMIN = "dev-admin-token";

  /**
   * Route segments that are deliberately outside the document: the prefix, health, metrics and the
   * console's static pages (which are no API: they call the documented one).
   */
  private static final Set<String> UNDOCUMENTED_SEGMENTS =
      Set.of("api", "v1", "health", "live", "ready", "metrics", "console", "vendor", "echarts.esm.min.js");

  private static final Pattern PATH_KEY = Pattern.compile("^  (/\\S*):\\s*$");
  private static final Pattern METHOD_KEY =
      Pattern.compile("^    (get|post|put|patch|delete|head|options):\\s*$");
  private static final Pattern STATUS_KEY = Pattern.compile("^        '?([1-5][0-9]{2})'?:\\s*$");
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");
  /** {@code path("…")} and {@code pathPrefix("…")} directives; not {@code node.path("…")} of Jackson. */
  private static final Pattern ROUTE_LITERAL =
      Pattern.compile("(?<![\\w.])(?:path|pathPrefix)\\(\\s*\"([^\"]*)\"");

  /** One documented operation and the status codes documented for it. */
  record Operation(String method, String path, Set<String> statuses) {
    @Override
    public String toString() {
      return method.toUpperCase() + " " + path;
    }
  }

  private TestServer server;
  private ApiClient api;
  private String householdId;
  private String alertId;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.h2(Map.of());
    api = server.client();
    householdId = "522701-oas-" + UUID.randomUUID().toString().substring(0, 8);
    Response registered = api.ingest(Events.registered(householdId, "522701", false,
        Events.member("m1", "ORDINARY", false)));
    assertThat(registered.status()).as(registered.body()).isEqualTo(200);
    assertThat(registered.json().get("accepted").asInt()).isEqualTo(1);
    // The household has a labour-capable member and nobody employed: ZERO_EMPLOYMENT is raised,
    // and reaches the read model shortly after.
    Await.until(Duration.ofSeconds(30), "the household's alert in GET /api/v1/alerts", () -> {
      JsonNode alerts = api.get("/api/v1/alerts?householdId=" + householdId, ADMIN).json().get("alerts");
      if (alerts == null || alerts.isEmpty()) {
        return false;
      }
      alertId = alerts.get(0).get("alertId").asText();
      return true;
    });
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  // ------------------------------------------------------------------------ the document itself

  @Test
  void isAnOpenApi31DocumentOfTheV1Api() throws IOException {
    List<String> lines = Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8);
    assertThat(lines).as("openapi.yaml").isNotEmpty();
    assertThat(lines.get(0)).startsWith("openapi: 3.1.");
    List<Operation> operations = documentedOperations(lines);
    assertThat(operations).as("documented operations").isNotEmpty();
    for (Operation op : operations) {
      assertThat(op.path()).as(op.toString()).startsWith("/api/v1/");
      assertThat(op.statuses()).as("documented statuses of " + op).contains("401");
    }
    assertThat(operations).extracting(Operation::toString).contains(
        "POST /api/v1/events",
        "GET /api/v1/households/{householdId}",
        "GET /api/v1/households/{householdId}/events",
        "GET /api/v1/alerts",
        "GET /api/v1/alerts/{alertId}",
        "POST /api/v1/alerts/{alertId}/acknowledge",
        "GET /api/v1/openapi.yaml");
  }

  // --------------------------------------------------------- (a) every documented route exists

  @TestFactory
  Stream<DynamicTest> everyDocumentedOperationExistsAndAnswersADocumentedStatus() throws IOException {
    List<Operation> operations = documentedOperations(Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8));
    return operations.stream().map(op -> DynamicTest.dynamicTest(op.toString(), () -> {
      String path = substitute(op.path());

      Response r = call(op, path, ADMIN);
      String detail = r.contentType().startsWith("application/problem+json")
          ? r.json().path("detail").asText() : "";
      assertThat(r.status() == 404 && detail.equals("no such resource"))
          .as(op + " is routed (answered " + r.status() + " " + r.body() + ")").isFalse();
      assertThat(r.status()).as(op + " accepts its documented method: " + r.body()).isNotEqualTo(405);
      assertThat(r.status()).as(op + " answers without a server error: " + r.body()).isLessThan(500);
      assertThat(op.statuses()).as(op + " documents the status it answered: " + r.body())
          .contains(Integer.toString(r.status()));
      if (r.status() >= 400) {
        assertThat(r.contentType()).as(op + " problem body").startsWith("application/problem+json");
      }

      Response anonymous = call(op, path, null);
      assertThat(anonymous.status()).as(op + " without a token: " + anonymous.body()).isEqualTo(401);
    }));
  }

  @Test
  void servesTheSameBytesAsTheResource() throws IOException {
    byte[] resource;
    try (InputStream in = OpenApiConformanceTest.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the classpath").isNotNull();
      resource = in.readAllBytes();
    }
    assertThat(resource).as("the classpath copy equals the source file")
        .isEqualTo(Files.readAllBytes(DOCUMENT));
    Response r = api.get("/api/v1/openapi.yaml", ADMIN);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/yaml");
    assertThat(r.raw().body()).isEqualTo(resource);
  }

  // ------------------------------------------------------- (b) every route of the code is documented

  @Test
  void documentsEveryPathSegmentTheRoutesMatch() throws IOException {
    Set<String> documented = new TreeSet<>();
    for (Operation op : documentedOperations(Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8))) {
      for (String segment : op.path().split("/")) {
        if (!segment.isEmpty() && !PATH_PARAMETER.matcher(segment).matches()) {
          documented.add(segment);
        }
      }
    }
    Map<String, Set<String>> literals = routeLiterals();
    assertThat(literals.keySet()).as("route literals found in the main sources")
        .contains("events", "alerts", "openapi.yaml");
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

  /** The operations under {@code paths:}, in document order. */
  static List<Operation> documentedOperations(List<String> lines) {
    List<Operation> operations = new ArrayList<>();
    boolean inPaths = false;
    String path = null;
    String method = null;
    Set<String> statuses = null;
    boolean inResponses = false;
    for (String line : lines) {
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        inPaths = line.equals("paths:");
        path = null;
        method = null;
        continue;
      }
      if (!inPaths) {
        continue;
      }
      Matcher m;
      if ((m = PATH_KEY.matcher(line)).matches()) {
        path = m.group(1);
        method = null;
      } else if (path != null && (m = METHOD_KEY.matcher(line)).matches()) {
        method = m.group(1);
        statuses = new LinkedHashSet<>();
        inResponses = false;
        operations.add(new Operation(method, path, statuses));
      } else if (method != null && line.equals("      responses:")) {
        inResponses = true;
      } else if (method != null && indent(line) <= 6) {
        inResponses = false;
      } else if (inResponses && (m = STATUS_KEY.matcher(line)).matches()) {
        statuses.add(m.group(1));
      }
    }
    return operations;
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** A documented path with its parameters replaced by values that exist on the test server. */
  private String substitute(String documentedPath) {
    Matcher m = PATH_PARAMETER.matcher(documentedPath);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "householdId" -> householdId;
        case "alertId" -> alertId;
        // A parameter this test does not know yet: the route must still exist, and answer its
        // own documented 404 rather than the router's "no such resource".
        default -> "conformance-unknown";
      };
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private Response call(Operation op, String path, String token) {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    switch (op.method()) {
      case "get" -> b.GET();
      case "delete" -> b.DELETE();
      case "head", "options" -> b.method(op.method().toUpperCase(), HttpRequest.BodyPublishers.noBody());
      default -> {
        String[] body = requestBody(op.path());
        b.header("Content-Type", body[0])
            .method(op.method().toUpperCase(), HttpRequest.BodyPublishers.ofString(body[1]));
      }
    }
    return api.send(b, token);
  }

  /** A valid content type and body for a documented write operation. */
  private String[] requestBody(String documentedPath) {
    if (documentedPath.equals("/api/v1/events")) {
      String another = "522701-oas-" + UUID.randomUUID().toString().substring(0, 8);
      return new String[] {"application/cloudevents+json",
          Events.registered(another, "522701", false, Events.member("m1", "SKILLED", false))};
    }
    if (documentedPath.endsWith("/acknowledge")) {
      return new String[] {"application/json", "{\"by\":\"conformance-test\",\"note\":\"checked\"}"};
    }
    return new String[] {"application/json", "{}"};
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
      String source = read(file);
      boolean routes = file.getFileName().toString().endsWith("Routes.java")
          || source.matches("(?s).*\\bextends\\s+(AllDirectives|ApiDirectives)\\b.*");
      if (!routes) {
        continue;
      }
      Matcher m = ROUTE_LITERAL.matcher(source);
      while (m.find()) {
        for (String segment : m.group(1).split("/")) {
          if (!segment.isEmpty()) {
            literals.computeIfAbsent(segment, k -> new TreeSet<>())
                .add(MAIN_SOURCES.relativize(file).toString());
          }
        }
      }
    }
    return literals;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
