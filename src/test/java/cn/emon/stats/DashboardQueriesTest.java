package cn.emon.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * Every dashboard query is real: a server on PostgreSQL is filled by the demo script
 * ({@code load-tests/demo/Demo.java}) while Debian's Prometheus scrapes it every second with the
 * project's rules loaded; then every PromQL expression of every panel and variable, and the
 * signal of every alerting rule, must parse and return at least one series through Prometheus's
 * HTTP API. Panels and rules marked {@code requires: webhooks} are left out (their metrics come
 * with the webhook dispatcher). Infinity panels must get a non-empty list from the API.
 * Also: promtool accepts the config and rules; dashboard uids are unique and every datasource
 * reference resolves to a provisioned datasource.
 *
 * <p>Needs {@code prometheus} and {@code promtool} on the PATH (.ci/run installs them): skipped
 * without them unless {@code EMON_TEST_REQUIRE_PG} is set, where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesTest {

  static final Path DASHBOARDS = Path.of("dashboards");
  static final Path DATASOURCES = Path.of("dashboards/provisioning/datasources");
  static final Path PROMETHEUS_CONFIG = Path.of("config/prometheus/prometheus.yml");
  static final Path RULES = Path.of("config/prometheus/rules.yml");
  static final String REQUIRES_WEBHOOKS = "requires: webhooks";
  static final String READ = "dev-read-token";
  /** Values Grafana gives its built-in interval variables; the scrape interval is 1 s. */
  static final Map<String, String> BUILT_INS = Map.of("__rate_interval", "1m", "__interval", "15s", "__range", "1h");
  static final Pattern COMPARISON = Pattern.compile("(?s)^(.*\\S)\\s*(==|!=|>=|<=|>|<)\\s*(-?[0-9.]+(?:e[+-]?[0-9]+)?)$");

  TestServer server;
  Process prometheus;
  Path work;
  ApiClient promApi;
  Map<String, String> variables = new LinkedHashMap<>();

  @BeforeAll
  void start() throws Exception {
    requireTools();
    server = TestServer.postgres(Map.of("emon.stats.metrics-cache", "1s"));
    work = Files.createTempDirectory("emon-prometheus");
    int port = freePort();
    Files.writeString(work.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: employment-monitor
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(RULES.toAbsolutePath(), server.port()));
    prometheus = new ProcessBuilder("prometheus", "--config.file=" + work.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
    promApi = new ApiClient("http://127.0.0.1:" + port);
    Await.until(Duration.ofSeconds(30), "Prometheus ready", () -> promApi.get("/-/ready", null).status() == 200);

    runDemo();
    // The demo ends by acknowledging alerts: once those reach Prometheus through the read model,
    // every family the dashboards read has series, and a few more scrapes give rates two samples.
    Await.until(Duration.ofSeconds(60), "acknowledgements scraped",
        () -> !query("sum(emon_alerts_acknowledged_total) > 0").isEmpty());
    Await.until(Duration.ofSeconds(30), "five scrapes in a minute",
        () -> !query("count_over_time(up{job=\"employment-monitor\"}[1m]) >= 5").isEmpty());
    resolveVariables();
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  static void requireTools() {
    boolean present = onPath("prometheus") && onPath("promtool");
    if (System.getenv("EMON_TEST_REQUIRE_PG") != null) {
      assertThat(present).as("prometheus and promtool on the PATH (EMON_TEST_REQUIRE_PG is set;"
          + " .ci/run installs Debian's prometheus)").isTrue();
    }
    assumeTrue(present, "prometheus/promtool not installed (apt-get install prometheus): dashboard queries not checked");
  }

  static boolean onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }

  void runDemo() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = work.resolve("demo.log");
    Process demo = new ProcessBuilder(java, "load-tests/demo/Demo.java", "--url", "http://127.0.0.1:" + server.port(),
        "--households", "300", "--counties", "6", "--weeks", "10", "--seed", "7")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("demo finished").isTrue();
    assertThat(demo.exitValue()).as("demo exit status; output:\n" + Files.readString(log)).isZero();
  }

  // --------------------------------------------------------------------------- static checks

  @Test
  void promtoolAcceptsTheScrapeConfigAndTheRules() throws Exception {
    assertThat(run("promtool", "check", "config", PROMETHEUS_CONFIG.toString())).isZero();
    assertThat(run("promtool", "check", "rules", RULES.toString())).isZero();
  }

  @Test
  void dashboardsHaveUniqueUidsAndReferToProvisionedDatasources() throws IOException {
    Set<String> provisioned = new HashSet<>();
    for (Path file : files(DATASOURCES, ".yaml")) {
      Map<String, Object> doc = new Yaml().load(Files.readString(file));
      for (Object ds : (List<?>) doc.get("datasources")) {
        provisioned.add((String) ((Map<?, ?>) ds).get("uid"));
      }
    }
    assertThat(provisioned).contains("emon-prometheus", "emon-infinity");
    Set<String> uids = new HashSet<>();
    List<Path> dashboards = files(DASHBOARDS, ".json");
    assertThat(dashboards).hasSize(3);
    for (Path file : dashboards) {
      JsonNode dashboard = ApiClient.JSON.readTree(file.toFile());
      assertThat(uids.add(dashboard.get("uid").asText())).as("unique uid in " + file).isTrue();
      assertThat(dashboard.get("title").asText()).as("title in Chinese and English").matches(".*\\p{IsHan}.*[A-Za-z].*");
      Set<Integer> panelIds = new HashSet<>();
      for (JsonNode panel : panels(dashboard)) {
        assertThat(panelIds.add(panel.get("id").asInt())).as("unique panel id in " + file).isTrue();
        assertThat(panel.get("title").asText()).as("panel title in Chinese and English")
            .matches(".*\\p{IsHan}.*[A-Za-z].*|[A-Z]+");
      }
      List<JsonNode> refs = new ArrayList<>();
      collect(dashboard, "datasource", refs);
      assertThat(refs).as("datasource references in " + file).isNotEmpty();
      for (JsonNode ref : refs) {
        assertThat(ref.isObject() && provisioned.contains(ref.path("uid").asText()))
            .as("datasource " + ref + " in " + file + " is provisioned").isTrue();
      }
    }
  }

  // ------------------------------------------------------------------------ live queries

  @TestFactory
  Stream<DynamicTest> everyPanelExpressionReturnsSeries() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    int webhookPanels = 0;
    for (Path file : files(DASHBOARDS, ".json")) {
      for (JsonNode panel : panels(ApiClient.JSON.readTree(file.toFile()))) {
        boolean webhooks = panel.path("description").asText().contains(REQUIRES_WEBHOOKS);
        for (JsonNode target : panel.path("targets")) {
          if (!target.has("expr")) {
            continue;
          }
          if (webhooks) {
            webhookPanels++;
            continue;
          }
          String name = file.getFileName() + " · " + panel.get("title").asText() + " · " + target.get("refId").asText();
          String expr = substitute(target.get("expr").asText());
          tests.add(DynamicTest.dynamicTest(name, () ->
              assertThat(query(expr)).as("series of " + expr).isNotEmpty()));
        }
      }
    }
    assertThat(webhookPanels).as("webhook panels present (left out here)").isPositive();
    assertThat(tests).hasSizeGreaterThan(30);
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyVariableQueryReturnsSeries() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : files(DASHBOARDS, ".json")) {
      for (JsonNode variable : ApiClient.JSON.readTree(file.toFile()).path("templating").path("list")) {
        String name = file.getFileName() + " · $" + variable.get("name").asText();
        tests.add(DynamicTest.dynamicTest(name, () -> {
          String definition = variable.get("definition").asText();
          VariableQuery q = VariableQuery.parse(substitute(definition));
          List<JsonNode> series = query(q.expr());
          assertThat(series).as("series of " + definition).isNotEmpty();
          String regex = variable.path("regex").asText();
          for (JsonNode s : series) {
            if (q.label() != null) {
              assertThat(s.path("metric").has(q.label())).as(q.label() + " in " + s).isTrue();
            }
            if (!regex.isEmpty()) {
              // Grafana renders query_result as {label="value", …} value timestamp, labels sorted.
              Matcher m = Pattern.compile(regex.substring(1, regex.lastIndexOf('/'))).matcher(render(s));
              assertThat(m.find()).as(regex + " matches " + render(s)).isTrue();
              assertThat(m.group("value")).isNotEmpty();
            }
          }
        }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyRuleEvaluatesAndItsSignalReturnsSeries() {
    Await.until(Duration.ofSeconds(30), "every rule evaluated", () -> rules().stream()
        .allMatch(r -> !r.path("lastEvaluation").asText().startsWith("0001")));
    List<JsonNode> rules = rules();
    assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
    return rules.stream().map(rule -> DynamicTest.dynamicTest(rule.get("name").asText(), () -> {
      assertThat(rule.get("health").asText()).as(rule.get("name") + ": " + rule.path("lastError")).isEqualTo("ok");
      if (rule.path("annotations").path("requires").asText().equals("webhooks")) {
        return;
      }
      String expr = rule.get("query").asText();
      if (rule.get("type").asText().equals("alerting")) {
        Matcher m = COMPARISON.matcher(expr);
        assertThat(m.matches()).as("alert " + expr + " is <signal> <op> <number>").isTrue();
        expr = m.group(1) + " " + m.group(2) + " bool " + m.group(3);
      }
      assertThat(query(expr)).as("series of " + expr).isNotEmpty();
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyInfinityPanelGetsAListFromTheApi() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : files(DASHBOARDS, ".json")) {
      for (JsonNode panel : panels(ApiClient.JSON.readTree(file.toFile()))) {
        for (JsonNode target : panel.path("targets")) {
          if (!target.path("datasource").path("uid").asText().equals("emon-infinity")) {
            continue;
          }
          String url = substitute(target.get("url").asText());
          String root = target.get("root_selector").asText();
          tests.add(DynamicTest.dynamicTest(file.getFileName() + " · " + panel.get("title").asText(), () -> {
            ApiClient.Response r = server.client().get(url, READ);
            assertThat(r.status()).as(url + ": " + r.body()).isEqualTo(200);
            JsonNode rows = r.json().path(root);
            assertThat(rows.isArray() && rows.size() > 0).as(root + " of " + url).isTrue();
            for (JsonNode column : target.path("columns")) {
              String selector = column.get("selector").asText();
              boolean somewhere = false;
              for (JsonNode row : rows) {
                somewhere |= row.has(selector);
              }
              assertThat(somewhere).as("column " + selector + " of " + url).isTrue();
            }
          }));
        }
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  // ------------------------------------------------------------------------------ helpers

  /** A variable's query: PromQL, or Grafana's label_values(expr, label) / query_result(expr). */
  record VariableQuery(String expr, String label) {
    static VariableQuery parse(String definition) {
      Matcher labelValues = Pattern.compile("(?s)label_values\\((.*),\\s*(\\w+)\\)").matcher(definition);
      if (labelValues.matches()) {
        return new VariableQuery(labelValues.group(1), labelValues.group(2));
      }
      Matcher queryResult = Pattern.compile("(?s)query_result\\((.*)\\)").matcher(definition);
      if (queryResult.matches()) {
        return new VariableQuery(queryResult.group(1), null);
      }
      return new VariableQuery(definition, null);
    }
  }

  /** "All" for variables that have it, else the first value Prometheus knows. */
  void resolveVariables() throws IOException {
    for (Path file : files(DASHBOARDS, ".json")) {
      for (JsonNode v : ApiClient.JSON.readTree(file.toFile()).path("templating").path("list")) {
        String name = v.get("name").asText();
        if (v.path("includeAll").asBoolean() && v.has("allValue")) {
          variables.putIfAbsent(name, v.get("allValue").asText());
        } else if (!variables.containsKey(name)) {
          VariableQuery q = VariableQuery.parse(substitute(v.get("definition").asText()));
          List<JsonNode> series = query(q.expr());
          assertThat(series).as("values of $" + name).isNotEmpty();
          variables.put(name, series.get(0).path("metric").path(q.label()).asText());
        }
      }
    }
  }

  String substitute(String expr) {
    Map<String, String> all = new TreeMap<>(Comparator.comparing(String::length).reversed()
        .thenComparing(Comparator.naturalOrder()));
    all.putAll(BUILT_INS);
    all.putAll(variables);
    String out = expr;
    for (Map.Entry<String, String> e : all.entrySet()) {
      out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
    }
    return out;
  }

  List<JsonNode> query(String expr) {
    ApiClient.Response r = promApi.get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8), null);
    assertThat(r.status()).as(expr + " → " + r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("status").asText()).as(expr + " → " + r.body()).isEqualTo("success");
    List<JsonNode> result = new ArrayList<>();
    JsonNode data = body.path("data");
    if (data.path("resultType").asText().equals("scalar")) {
      result.add(data.path("result"));
    } else {
      data.path("result").forEach(result::add);
    }
    return result;
  }

  List<JsonNode> rules() {
    List<JsonNode> rules = new ArrayList<>();
    promApi.get("/api/v1/rules", null).json().path("data").path("groups")
        .forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  static String render(JsonNode series) {
    List<String> labels = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = series.path("metric").fields();
    TreeMap<String, String> sorted = new TreeMap<>();
    fields.forEachRemaining(f -> sorted.put(f.getKey(), f.getValue().asText()));
    sorted.forEach((k, v) -> labels.add(k + "=\"" + v + "\""));
    return "{" + String.join(", ", labels) + "} " + series.path("value").path(1).asText() + " 0";
  }

  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      if (p.path("type").asText().equals("row")) {
        p.path("panels").forEach(out::add);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  static void collect(JsonNode node, String field, List<JsonNode> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (f.getKey().equals(field)) {
          out.add(f.getValue());
        } else {
          collect(f.getValue(), field, out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, field, out));
    }
  }

  static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
    }
    return p.exitValue();
  }
}
