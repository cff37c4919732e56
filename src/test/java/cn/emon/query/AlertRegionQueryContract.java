package cn.emon.query;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/alerts?region=} as index ranges on each region level, including prefixes
 * ending in 9 (whose upper bound carries), the token's scope of several prefixes, and cursor
 * paging across them: every page of two, followed to the end, is the one-page answer in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AlertRegionQueryContract {

  static final String READ = "dev-read-token";
  static final String SCOPED = "test-read-5227-5299";
  static final List<String> REGIONS = List.of("522701", "522701101", "522701109001", "522702", "529901", "529999",
      "530101", "520101", "110101", "990101");

  TestServer server;
  ApiClient api;

  abstract TestServer start(Map<String, Object> settings) throws Exception;

  @BeforeAll
  void startServer() throws Exception {
    server = start(Map.of("emon.auth.tokens", List.of(
        TestServer.token("dev-ingest", "dev-ingest-token", "ingest", List.of()),
        TestServer.token("dev-read", READ, "read", List.of()),
        TestServer.token("scoped", SCOPED, "read", List.of("5227", "5299")))));
    api = server.client();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < REGIONS.size(); i++) {
      // Two households per region, so pages of two cut through regions.
      for (int j = 0; j < 2; j++) {
        events.add(registered(REGIONS.get(i) + "-h" + j, REGIONS.get(i), false, member("m1", "ORDINARY", false)));
      }
    }
    assertThat(api.ingest(events.toArray(String[]::new)).json().get("accepted").asInt()).isEqualTo(events.size());
    Await.until(Duration.ofSeconds(30), "every alert in the read model", () ->
        api.get("/api/v1/alerts?limit=1000", READ).json().get("alerts").size() == events.size());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "52", "5227", "522701", "522701101", "522701109", "5299", "529", "99", "9", "53", "11"})
  void aRegionPrefixFindsExactlyTheAlertsUnderIt(String prefix) {
    List<String> all = regions(api.get("/api/v1/alerts?status=open&limit=1000&region=" + prefix, READ).json());
    List<String> expected = new ArrayList<>();
    REGIONS.stream().filter(r -> r.startsWith(prefix)).forEach(r -> { expected.add(r); expected.add(r); });
    assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(pagesOfTwo("status=open&region=" + prefix, READ)).isEqualTo(ids(prefix, READ));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "52", "5227", "522701101", "53", "110101"})
  void aTokenOfSeveralPrefixesSeesOnlyThoseWhateverItAsks(String region) {
    String q = region.isEmpty() ? "" : "&region=" + region;
    List<String> seen = regions(api.get("/api/v1/alerts?limit=1000" + q, SCOPED).json());
    assertThat(seen).allMatch(r -> (r.startsWith("5227") || r.startsWith("5299")) && r.startsWith(region));
    long expected = REGIONS.stream()
        .filter(r -> (r.startsWith("5227") || r.startsWith("5299")) && r.startsWith(region)).count() * 2;
    assertThat(seen).hasSize((int) expected);
    assertThat(pagesOfTwo(q.isEmpty() ? "" : q.substring(1), SCOPED)).isEqualTo(idsOf(api.get(
        "/api/v1/alerts?limit=1000" + q, SCOPED).json()));
  }

  List<String> ids(String prefix, String token) {
    return idsOf(api.get("/api/v1/alerts?status=open&limit=1000&region=" + prefix, token).json());
  }

  List<String> pagesOfTwo(String query, String token) {
    List<String> out = new ArrayList<>();
    for (ApiClient.Response page : api.alertPages((query.isEmpty() ? "" : query + "&") + "limit=2", token)) {
      assertThat(page.json().get("alerts").size()).isLessThanOrEqualTo(2);
      out.addAll(idsOf(page.json()));
    }
    return out;
  }

  static List<String> idsOf(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("alerts").forEach(a -> out.add(a.get("alertId").asText()));
    return out;
  }

  static List<String> regions(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("alerts").forEach(a -> out.add(a.get("regionCode").asText()));
    return out;
  }
}
