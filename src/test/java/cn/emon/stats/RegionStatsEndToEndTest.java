package cn.emon.stats;

import static cn.emon.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Region statistics end to end on PostgreSQL over HTTP: after bursts of varied events, and after
 * a server restart in the middle of a burst, the per-county numbers of the stats API equal those
 * recomputed from every household's own state ({@code GET /api/v1/households/{id}}), and the
 * metrics equal the stats API. Also targets, region scoping and parameter errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegionStatsEndToEndTest {

  static final String ADMIN = "dev-admin-token";
  static final String READ = "dev-read-token";
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final String[] COUNTIES = {"522701", "522702", "522723", "520102", "530102", "110101"};
  static final String[] CHANNELS = {"WORKSHOP", "COMMUNITY_FACTORY", "LOCAL_ENTERPRISE", "AGRICULTURE",
      "PUBLIC_WELFARE_POST", "LABOR_COOPERATION", "OTHER_MIGRANT", "HOME_BASED"};
  static final String[] CAPACITIES = {"SKILLED", "ORDINARY", "WEAK", "LOST", "NONE"};

  TestServer server;
  final Set<String> households = ConcurrentHashMap.newKeySet();
  final AtomicInteger householdNumbers = new AtomicInteger();
  final LocalDate today = LocalDate.now(ZONE);

  @BeforeAll
  void start() throws Exception {
    server = TestServer.postgres(Map.of("emon.stats.metrics-cache", "300ms"));
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  void foldEqualsTheHouseholdsAfterBurstsAndMetricsEqualTheStats() {
    Random random = new Random(1);
    for (int burst = 0; burst < 3; burst++) {
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        events.addAll(scenario(random));
      }
      post(server.client(), events);
    }
    assertFoldEqualsHouseholds();
  }

  @Test
  void foldEqualsTheHouseholdsAfterARestartMidBurst() throws Exception {
    Random random = new Random(2);
    List<List<String>> batches = new ArrayList<>();
    for (int b = 0; b < 30; b++) {
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        events.addAll(scenario(random));
      }
      batches.add(events);
    }
    AtomicInteger posted = new AtomicInteger();
    List<Throwable> failures = new ArrayList<>();
    Thread ingest = new Thread(() -> {
      try {
        for (List<String> batch : batches) {
          postUntilAnswered(batch);
          posted.incrementAndGet();
        }
      } catch (Throwable t) {
        failures.add(t);
      }
    }, "burst-ingest");
    ingest.start();
    Await.until(Duration.ofSeconds(60), "a few batches before the restart", () -> posted.get() >= 4);
    int beforeStop = posted.get();
    server.stop();
    assertThat(beforeStop).as("batches answered before the stop").isLessThan(batches.size());
    server.start();
    ingest.join(Duration.ofMinutes(3).toMillis());
    assertThat(ingest.isAlive()).as("burst finished").isFalse();
    assertThat(failures).isEmpty();
    assertThat(posted.get()).isEqualTo(batches.size());
    assertFoldEqualsHouseholds();
  }

  @Test
  void targetsShowTargetAchievedAndProgress() {
    ApiClient api = server.client();
    String h = "522722-t" + householdNumbers.incrementAndGet();
    households.add(h);
    int year = today.getYear();
    post(api, List.of(
        registered(h, "522722", "m1", "ORDINARY", "m2", "SKILLED"),
        placement(h, "m1", "p1", "WORKSHOP", "522722", today.minusDays(10)),
        placement(h, "m2", "p2", "LABOR_COOPERATION", "440106", today.minusDays(20))));

    ApiClient.Response put = api.send(put("/api/v1/targets/522722/" + year, "{\"target\": 8}"), ADMIN);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().get("countyName").asText()).isEqualTo("荔波县");
    assertThat(put.json().get("target").asLong()).isEqualTo(8);
    assertThat(api.send(put("/api/v1/targets/522722/" + year, "{\"target\": 4}"), ADMIN).status()).isEqualTo(200);

    Await.until(Duration.ofSeconds(30), "achieved 2 of 4", () -> {
      JsonNode t = targetOf(api.get("/api/v1/targets?year=" + year, READ).json(), "522722");
      return t != null && t.get("target").asLong() == 4 && t.get("achieved").asLong() == 2
          && t.get("progress").asDouble() == 0.5;
    });
    JsonNode county = rowOf(api.get("/api/v1/stats/regions?level=county&parent=52&year=" + year, READ).json(), "522722");
    assertThat(county.get("target").asLong()).isEqualTo(4);
    assertThat(county.get("achieved").asLong()).isEqualTo(2);
    assertThat(county.get("progress").asDouble()).isEqualTo(0.5);
    assertThat(county.get("name").asText()).isEqualTo("荔波县");
    JsonNode province = rowOf(api.get("/api/v1/stats/regions?level=province&year=" + year, READ).json(), "52");
    assertThat(province.get("name").asText()).isEqualTo("贵州省");
    assertThat(province.get("target").asLong()).isGreaterThanOrEqualTo(4);
    Await.until(Duration.ofSeconds(10), "target gauges", () -> {
      String metrics = api.get("/metrics", null).body();
      return metrics.contains("emon_employment_target{county=\"522722\",year=\"" + year + "\"} 4.0")
          && metrics.contains("emon_employment_target_achieved{county=\"522722\",year=\"" + year + "\"} 2.0")
          && metrics.contains("emon_employment_target_progress_ratio{county=\"522722\",year=\"" + year + "\"} 0.5")
          && metrics.contains("emon_region_info{county=\"522722\",name=\"荔波县\",prefecture=\"5227\",province=\"52\"} 1.0");
    });
  }

  @Test
  void targetWritesNeedAdminAndValidInput() {
    ApiClient api = server.client();
    assertThat(api.send(put("/api/v1/targets/522701/2026", "{\"target\": 5}"), READ).status()).isEqualTo(403);
    assertThat(api.send(put("/api/v1/targets/522701/2026", "{\"target\": 5}"), null).status()).isEqualTo(401);
    for (String[] bad : new String[][] {
        {"/api/v1/targets/5227/2026", "{\"target\": 5}", "countyCode"},
        {"/api/v1/targets/522701/26", "{\"target\": 5}", "year"},
        {"/api/v1/targets/522701/2026", "{\"target\": -1}", "target"},
        {"/api/v1/targets/522701/2026", "{\"target\": \"5\"}", "target"},
        {"/api/v1/targets/522701/2026", "[5]", "target"}}) {
      ApiClient.Response r = api.send(put(bad[0], bad[1]), ADMIN);
      assertThat(r.status()).as(bad[0] + " " + bad[1]).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().get("detail").asText()).startsWith(bad[2]);
    }
    ApiClient.Response unknown = api.send(put("/api/v1/targets/999999/2026", "{\"target\": 5}"), ADMIN);
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
  }

  @Test
  void readersSeeOnlyTheCountiesOfTheirRegions() {
    ApiClient api = server.client();
    String beijing = "110105-s" + householdNumbers.incrementAndGet();
    String guizhou = "522701-s" + householdNumbers.incrementAndGet();
    households.add(beijing);
    households.add(guizhou);
    post(api, List.of(registered(beijing, "110105", "m1", "ORDINARY"), registered(guizhou, "522701", "m1", "ORDINARY")));
    Await.until(Duration.ofSeconds(30), "both visible to an unscoped reader", () -> {
      JsonNode counties = api.get("/api/v1/stats/regions?level=county", READ).json();
      return rowOf(counties, "110105") != null && rowOf(counties, "522701") != null;
    });
    for (String level : List.of("province", "prefecture", "county")) {
      JsonNode rows = api.get("/api/v1/stats/regions?level=" + level, TestServer.READ_11).json().get("regions");
      assertThat(rows).isNotEmpty();
      rows.forEach(r -> assertThat(r.get("code").asText()).startsWith("11"));
    }
    JsonNode national = api.get("/api/v1/stats/regions?level=national", TestServer.READ_11).json().get("regions");
    JsonNode beijingProvince = rowOf(api.get("/api/v1/stats/regions?level=province", TestServer.READ_11).json(), "11");
    assertThat(national.get(0).get("households")).isEqualTo(beijingProvince.get("households"));
    api.get("/api/v1/stats/open-alerts", TestServer.READ_11).json().get("alerts")
        .forEach(a -> assertThat(a.get("countyCode").asText()).startsWith("11"));
    api.get("/api/v1/stats/zero-employment", TestServer.READ_11).json().get("counties")
        .forEach(c -> assertThat(c.get("countyCode").asText()).startsWith("11"));
    assertThat(api.get("/api/v1/stats/zero-employment?county=522701", TestServer.READ_11).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/stats/regions", TestServer.INGEST_11).status()).isEqualTo(403);
  }

  @Test
  void listsForGrafanaCarryRegionNames() {
    ApiClient api = server.client();
    String h = "522701-g" + householdNumbers.incrementAndGet();
    households.add(h);
    post(api, List.of(registered(h, "522701", "m1", "WEAK")));
    Await.until(Duration.ofSeconds(30), "the zero-employment household listed", () ->
        api.get("/api/v1/stats/zero-employment?county=522701", READ).json().get("households").toString().contains(h));
    JsonNode county = api.get("/api/v1/stats/zero-employment?county=522701", READ).json().get("counties").get(0);
    assertThat(county.get("countyName").asText()).isEqualTo("都匀市");
    assertThat(county.get("prefectureName").asText()).isEqualTo("黔南布依族苗族自治州");
    assertThat(county.get("provinceName").asText()).isEqualTo("贵州省");
    JsonNode open = null;
    for (JsonNode a : api.get("/api/v1/stats/open-alerts?region=522701&limit=5000", READ).json().get("alerts")) {
      open = a.get("householdId").asText().equals(h) ? a : open;
    }
    assertThat(open).isNotNull();
    assertThat(open.get("type").asText()).isEqualTo("ZERO_EMPLOYMENT");
    assertThat(open.get("countyName").asText()).isEqualTo("都匀市");
    assertThat(open.get("provinceName").asText()).isEqualTo("贵州省");
  }

  @Test
  void badStatsParametersAreProblems() {
    ApiClient api = server.client();
    for (String query : List.of("level=city", "level=county&parent=5", "level=province&parent=52",
        "year=1999", "year=abc")) {
      ApiClient.Response r = api.get("/api/v1/stats/regions?" + query, READ);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(api.get("/api/v1/stats/open-alerts?limit=0", READ).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/stats/zero-employment?county=52", READ).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/stats/regions", null).status()).isEqualTo(401);
  }

  // ------------------------------------------------------------------------- the comparison

  /** What a county's numbers should be: recomputed from each household's own state. */
  record County(long households, long labourCapable, long employed, long zeroEmployment,
      Map<String, Long> byChannel, Map<String, Long> byScope, Map<String, Long> openAlerts,
      Map<String, Long> achievedByYear) {}

  /** Mutable while summing. */
  static final class Sums {
    long households;
    long labourCapable;
    long employed;
    long zero;
    final Map<String, Long> byChannel = new TreeMap<>();
    final Map<String, Long> byScope = new TreeMap<>();
    final Map<String, Long> openAlerts = new TreeMap<>();
    final Map<String, Long> achieved = new TreeMap<>();

    County county() {
      return new County(households, labourCapable, employed, zero, byChannel, byScope, openAlerts, achieved);
    }
  }

  void assertFoldEqualsHouseholds() {
    ApiClient api = server.client();
    Map<String, Sums> sums = new TreeMap<>();
    for (String id : households) {
      ApiClient.Response r = api.get("/api/v1/households/" + id, READ);
      if (r.status() == 404) {
        continue; // its registration was never accepted (posted as the server stopped, say)
      }
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode h = r.json();
      for (JsonNode alert : h.get("openAlerts")) {
        sums.computeIfAbsent(alert.get("countyCode").asText(), k -> new Sums()).openAlerts
            .merge(alert.get("type").asText(), 1L, Long::sum);
      }
      if (h.get("closed").asBoolean()) {
        continue;
      }
      Sums s = sums.computeIfAbsent(h.get("countyCode").asText(), k -> new Sums());
      s.households++;
      s.zero += h.get("zeroEmployment").asBoolean() ? 1 : 0;
      for (JsonNode m : h.get("members")) {
        s.labourCapable += m.get("labourCapable").asBoolean() ? 1 : 0;
        if (m.get("employed").asBoolean()) {
          // The statistics count the earliest-started active placement of the member.
          JsonNode chosen = null;
          for (JsonNode p : h.get("placements")) {
            if (p.get("memberId").equals(m.get("memberId")) && p.get("status").asText().equals("active")
                && (chosen == null || year(p) < year(chosen))) {
              chosen = p;
            }
          }
          s.employed++;
          s.byChannel.merge(chosen.get("channel").asText(), 1L, Long::sum);
          s.byScope.merge(chosen.get("workScope").asText(), 1L, Long::sum);
          s.achieved.merge(Integer.toString(year(chosen)), 1L, Long::sum);
        }
      }
    }
    Map<String, County> expected = new TreeMap<>();
    sums.forEach((code, s) -> {
      County c = s.county();
      if (c.households() > 0 || c.employed() > 0 || !c.openAlerts().isEmpty()) {
        expected.put(code, c);
      }
    });
    assertThat(expected).hasSizeGreaterThanOrEqualTo(5);

    Map<String, County>[] actual = new Map[1];
    try {
      Await.until(Duration.ofSeconds(60), "stats API equal to the households' state", () -> {
        actual[0] = fromStatsApi(api);
        return actual[0].equals(expected);
      });
    } catch (AssertionError e) {
      assertThat(actual[0]).as("stats API vs households' state").isEqualTo(expected);
    }
    Map<String, County>[] metrics = new Map[1];
    try {
      Await.until(Duration.ofSeconds(10), "metrics equal to the stats API", () -> {
        metrics[0] = fromMetrics(api);
        return metrics[0].equals(withoutYears(expected));
      });
    } catch (AssertionError e) {
      assertThat(metrics[0]).as("metrics vs stats API").isEqualTo(withoutYears(expected));
    }
  }

  Map<String, County> fromStatsApi(ApiClient api) {
    Map<String, County> out = new TreeMap<>();
    Map<String, Map<String, Long>> achieved = new HashMap<>();
    for (int year : List.of(today.getYear() - 1, today.getYear())) {
      JsonNode page = api.get("/api/v1/stats/regions?level=county&year=" + year, ADMIN).json();
      for (JsonNode r : page.get("regions")) {
        if (r.get("achieved").asLong() > 0) {
          achieved.computeIfAbsent(r.get("code").asText(), k -> new TreeMap<>())
              .put(Integer.toString(year), r.get("achieved").asLong());
        }
      }
    }
    for (JsonNode r : api.get("/api/v1/stats/regions?level=county", ADMIN).json().get("regions")) {
      String code = r.get("code").asText();
      County c = new County(r.get("households").asLong(), r.get("labourCapable").asLong(),
          r.get("employed").asLong(), r.get("zeroEmploymentHouseholds").asLong(), nonZero(r.get("employedByChannel")),
          nonZero(r.get("employedByScope")), nonZero(r.get("openAlerts")), achieved.getOrDefault(code, new TreeMap<>()));
      if (c.households() > 0 || c.employed() > 0 || !c.openAlerts().isEmpty()) {
        out.put(code, c); // a county with a target and nothing else is not part of the comparison
      }
    }
    return out;
  }

  static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{(.*)} (\\S+)$");
  static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** The county numbers as /metrics shows them (no start years there). */
  static Map<String, County> fromMetrics(ApiClient api) {
    Map<String, Sums> sums = new TreeMap<>();
    for (String line : api.get("/metrics", null).body().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      long value = (long) Double.parseDouble(m.group(3));
      String county = labels.get("county");
      if (county == null) {
        continue;
      }
      Sums s = sums.computeIfAbsent(county, k -> new Sums());
      switch (m.group(1)) {
        case "emon_households" -> s.households = value;
        case "emon_labour_capable_members" -> s.labourCapable = value;
        case "emon_zero_employment_households" -> s.zero = value;
        case "emon_members_employed" -> {
          s.employed += value;
          addNonZero(s.byChannel, labels.get("channel"), value);
          addNonZero(s.byScope, labels.get("scope"), value);
        }
        case "emon_alerts_open" -> addNonZero(s.openAlerts, labels.get("type"), value);
        default -> { }
      }
    }
    Map<String, County> out = new TreeMap<>();
    sums.forEach((code, s) -> {
      County c = s.county();
      if (c.households() > 0 || c.employed() > 0 || !c.openAlerts().isEmpty()) {
        out.put(code, c);
      }
    });
    return out;
  }

  static Map<String, County> withoutYears(Map<String, County> counties) {
    Map<String, County> out = new TreeMap<>();
    counties.forEach((code, c) -> out.put(code, new County(c.households(), c.labourCapable(), c.employed(),
        c.zeroEmployment(), c.byChannel(), c.byScope(), c.openAlerts(), new TreeMap<>())));
    return out;
  }

  static void addNonZero(Map<String, Long> map, String key, long value) {
    if (value != 0) {
      map.merge(key, value, Long::sum);
    }
  }

  static Map<String, Long> nonZero(JsonNode counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.fields().forEachRemaining(f -> addNonZero(out, f.getKey(), f.getValue().asLong()));
    return out;
  }

  static int year(JsonNode placement) {
    return LocalDate.parse(placement.get("startDate").asText()).getYear();
  }

  // --------------------------------------------------------------------------- event scripts

  /**
   * One household's varied history: registration (sometimes again, elsewhere), placements in the
   * current and the previous year across channels and scopes, verified, expired, ended or
   * overlapping, members changed or removed, training wishes, a helper, sometimes closure.
   * Dates stay clear of the verification interval's boundary, so nothing changes with time while
   * the test runs.
   */
  List<String> scenario(Random r) {
    String county = COUNTIES[r.nextInt(COUNTIES.length)];
    String id = county + "-h" + householdNumbers.incrementAndGet();
    households.add(id);
    List<String> events = new ArrayList<>();
    OffsetDateTime time = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusDays(60).withNano(0);
    int size = 1 + r.nextInt(4);
    StringBuilder members = new StringBuilder();
    for (int i = 1; i <= size; i++) {
      members.append(i == 1 ? "" : ",").append("{\"memberId\":\"m").append(i).append("\",\"laborCapacity\":\"")
          .append(CAPACITIES[r.nextInt(CAPACITIES.length)]).append("\",\"wantsTraining\":").append(r.nextInt(4) == 0)
          .append('}');
    }
    String region = r.nextBoolean() ? county : county + "00" + (1 + r.nextInt(3));
    events.add(at(time, "household.registered", id, "{\"regionCode\":\"" + region + "\",\"deepPovertyArea\":"
        + r.nextBoolean() + ",\"members\":[" + members + "]}"));
    int placements = 0;
    for (int i = 1; i <= size; i++) {
      if (r.nextInt(3) == 0) {
        continue;
      }
      time = time.plusHours(1);
      String placement = "p" + (++placements);
      // 10–80 days ago: active unverified; 100–420 days ago: verified five days ago to stay active.
      int daysAgo = r.nextBoolean() ? 10 + r.nextInt(70) : 100 + r.nextInt(320);
      LocalDate start = today.minusDays(daysAgo);
      String work = switch (r.nextInt(5)) {
        case 0 -> region;
        case 1 -> county;
        case 2 -> county.substring(0, 2) + "0102";
        case 3 -> "440106";
        default -> null;
      };
      String expected = r.nextInt(6) == 0 ? ",\"expectedEndDate\":\"" + start.plusDays(5) + "\"" : "";
      events.add(at(time, "placement.started", id, "{\"memberId\":\"m" + i + "\",\"placementId\":\"" + placement
          + "\",\"channel\":\"" + CHANNELS[r.nextInt(CHANNELS.length)] + "\""
          + (work == null ? "" : ",\"workRegionCode\":\"" + work + "\"") + ",\"startDate\":\"" + start + "\"" + expected + "}"));
      if (daysAgo > 90 || r.nextBoolean()) {
        time = time.plusHours(1);
        events.add(at(time, "placement.verified", id, "{\"placementId\":\"" + placement + "\",\"verifiedOn\":\""
            + today.minusDays(5) + "\"}"));
      }
      int fate = r.nextInt(8);
      if (fate == 0) {
        time = time.plusHours(1);
        events.add(at(time, "placement.ended", id, "{\"placementId\":\"" + placement + "\",\"endDate\":\""
            + today.minusDays(3) + "\",\"reason\":\"QUIT\"}"));
      } else if (fate == 1) {
        // A second, overlapping job that started later: the earlier one is what the statistics count.
        time = time.plusHours(1);
        events.add(at(time, "placement.started", id, "{\"memberId\":\"m" + i + "\",\"placementId\":\"p"
            + (++placements) + "\",\"channel\":\"OTHER\",\"startDate\":\"" + today.minusDays(2) + "\"}"));
      }
    }
    time = time.plusHours(1);
    switch (r.nextInt(10)) {
      case 0 -> events.add(at(time, "member.removed", id, "{\"memberId\":\"m1\",\"reason\":\"moved\"}"));
      case 1 -> events.add(at(time, "member.updated", id, "{\"memberId\":\"m" + size + "\",\"laborCapacity\":\"LOST\"}"));
      case 2 -> events.add(at(time, "member.updated", id, "{\"memberId\":\"m9\",\"laborCapacity\":\"ORDINARY\"}"));
      case 3 -> events.add(at(time, "household.closed", id, "{\"reason\":\"merged\"}"));
      case 4 -> {
        String moved = COUNTIES[r.nextInt(COUNTIES.length)];
        events.add(at(time, "household.registered", id, "{\"regionCode\":\"" + moved + "\",\"members\":[]}"));
      }
      case 5 -> events.add(at(time, "helper.assigned", id, "{\"helperId\":\"helper-7\"}"));
      case 6 -> events.add(at(time, "training.enrolled", id, "{\"memberId\":\"m1\",\"programId\":\"weld\",\"startDate\":\""
          + today.minusDays(1) + "\"}"));
      default -> { }
    }
    return events;
  }

  static String at(OffsetDateTime time, String type, String household, String data) {
    return event(cn.emon.testing.Events.nextId(), type, household, time.toString(), data);
  }

  static String registered(String household, String region, String... members) {
    StringBuilder m = new StringBuilder();
    for (int i = 0; i < members.length; i += 2) {
      m.append(i == 0 ? "" : ",").append(cn.emon.testing.Events.member(members[i], members[i + 1], false));
    }
    return cn.emon.testing.Events.registered(household, region, false, m.toString());
  }

  static String placement(String household, String member, String placement, String channel, String work,
      LocalDate start) {
    return event("placement.started", household, "{\"memberId\":\"" + member + "\",\"placementId\":\"" + placement
        + "\",\"channel\":\"" + channel + "\",\"workRegionCode\":\"" + work + "\",\"startDate\":\"" + start + "\"}");
  }

  static void post(ApiClient api, List<String> events) {
    for (int from = 0; from < events.size(); from += 1000) {
      ApiClient.Response r = api.ingest(events.subList(from, Math.min(events.size(), from + 1000)).toArray(String[]::new));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("rejected").asInt()).as(r.body()).isZero();
    }
  }

  /** Posts until the server answers 200, across its restart; a repeat is answered as duplicates. */
  void postUntilAnswered(List<String> batch) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        ApiClient.Response r = server.client().ingest(batch.toArray(String[]::new));
        if (r.status() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // stopped or starting: no running server, connection refused or reset
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("batch not answered within 2 minutes");
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(100); // pacing of retries while the server restarts, not a synchronisation point
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  HttpRequest.Builder put(String path, String body) {
    return HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
  }

  static JsonNode rowOf(JsonNode page, String code) {
    for (JsonNode r : page.get("regions")) {
      if (r.get("code").asText().equals(code)) {
        return r;
      }
    }
    return null;
  }

  static JsonNode targetOf(JsonNode page, String county) {
    for (JsonNode t : page.get("targets")) {
      if (t.get("countyCode").asText().equals(county)) {
        return t;
      }
    }
    return null;
  }
}
