package cn.emon.query;

import static cn.emon.testing.Events.event;
import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.placementEnded;
import static cn.emon.testing.Events.placementStarted;
import static cn.emon.testing.Events.registered;
import static cn.emon.testing.Events.today;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.readmodel.Reconciliation;
import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.MutableClock;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alerts end to end on real PostgreSQL over HTTP: raised and resolved by the entity, visible in
 * the read model, deadline rules firing on their own, acknowledgement, and the alerts table equal
 * to the journal after a burst. The deadlines are the defaults (7 and 30 days) and fire when the
 * test moves the server's clock past them, never while another test reads what the entities hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsEndToEndTest {

  static final String READ = "dev-read-token";
  /** A bound on waiting for the read model, far above what it takes (it only catches a hang). */
  static final Duration VISIBLE = Duration.ofSeconds(30);
  static final Duration HELPER_DEADLINE = Duration.ofDays(7);
  static final Duration TRAINING_DEADLINE = Duration.ofDays(30);

  final MutableClock clock = MutableClock.ticking();
  TestServer server;
  ApiClient api;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.postgres(Map.of(
        "emon.rules.helper-deadline", "7d",
        "emon.rules.training-deadline", "30d",
        "emon.rules.deadline-scan-interval", "300ms"), clock);
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

  List<JsonNode> alerts(String household) {
    JsonNode body = api.get("/api/v1/alerts?householdId=" + household, READ).json();
    List<JsonNode> list = new ArrayList<>();
    body.get("alerts").forEach(list::add);
    return list;
  }

  JsonNode awaitAlert(String household, Duration within, String what, Predicate<JsonNode> match) {
    JsonNode[] found = new JsonNode[1];
    Await.until(within, what, () -> {
      for (JsonNode a : alerts(household)) {
        if (match.test(a)) {
          found[0] = a;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  static Predicate<JsonNode> is(String type, String status) {
    return a -> a.get("type").asText().equals(type) && a.get("status").asText().equals(status);
  }

  @Test
  void zeroEmploymentIsRaisedResolvedAndRaisedAnewWithLapse() {
    String h = household();
    assertThat(api.ingest(registered(h, "522701", true, member("m1", "WEAK", false) + "," + member("m2", "LOST", false)))
        .status()).isEqualTo(200);
    JsonNode zero = awaitAlert(h, VISIBLE, "ZERO_EMPLOYMENT open", is("ZERO_EMPLOYMENT", "open"));
    assertThat(zero.get("severity").asText()).isEqualTo("critical");
    assertThat(zero.get("countyCode").asText()).isEqualTo("522701");
    assertThat(zero.get("summary").asText()).contains("零就业户").contains("Zero-employment");

    api.ingest(placementStarted(h, "m1", "p1", today()));
    awaitAlert(h, VISIBLE, "ZERO_EMPLOYMENT resolved",
        a -> a.get("alertId").equals(zero.get("alertId")) && a.get("status").asText().equals("resolved"));

    api.ingest(placementEnded(h, "p1", today()));
    JsonNode lapsed = awaitAlert(h, VISIBLE, "PLACEMENT_LAPSED open", is("PLACEMENT_LAPSED", "open"));
    assertThat(lapsed.get("memberId").asText()).isEqualTo("m1");
    assertThat(lapsed.get("placementId").asText()).isEqualTo("p1");
    JsonNode again = awaitAlert(h, VISIBLE, "a new ZERO_EMPLOYMENT", is("ZERO_EMPLOYMENT", "open"));
    assertThat(again.get("alertId").asText()).isNotEqualTo(zero.get("alertId").asText());

    JsonNode state = api.get("/api/v1/households/" + h, READ).json();
    Set<String> open = new HashSet<>();
    state.get("openAlerts").forEach(a -> open.add(a.get("type").asText()));
    assertThat(open).contains("ZERO_EMPLOYMENT", "PLACEMENT_LAPSED");
  }

  @Test
  void noHelperAndTrainingPendingFireOnTheirOwn() {
    String h = household();
    api.ingest(registered(h, "522701", false, member("m1", "ORDINARY", true)));
    JsonNode zero = awaitAlert(h, VISIBLE, "ZERO_EMPLOYMENT", is("ZERO_EMPLOYMENT", "open"));
    Instant raised = Instant.parse(zero.get("raisedAt").asText());
    assertThat(alerts(h)).noneMatch(is("NO_HELPER", "open"));

    clock.advance(HELPER_DEADLINE.plusHours(1));
    JsonNode noHelper = awaitAlert(h, VISIBLE, "NO_HELPER", is("NO_HELPER", "open"));
    assertThat(noHelper.get("severity").asText()).isEqualTo("warning");
    assertThat(Instant.parse(noHelper.get("raisedAt").asText())).isAfterOrEqualTo(raised.plus(HELPER_DEADLINE));
    assertThat(alerts(h)).noneMatch(is("TRAINING_PENDING", "open"));

    clock.advance(TRAINING_DEADLINE.minus(HELPER_DEADLINE));
    JsonNode training = awaitAlert(h, VISIBLE, "TRAINING_PENDING", is("TRAINING_PENDING", "open"));
    assertThat(training.get("memberId").asText()).isEqualTo("m1");
    assertThat(Instant.parse(training.get("raisedAt").asText())).isAfterOrEqualTo(raised.plus(TRAINING_DEADLINE));

    api.ingest(event("helper.assigned", h, "{\"helperId\":\"helper-1\"}"),
        event("training.enrolled", h, "{\"memberId\":\"m1\",\"programId\":\"weld-1\",\"startDate\":\"" + today() + "\"}"));
    awaitAlert(h, VISIBLE, "NO_HELPER resolved", is("NO_HELPER", "resolved"));
    awaitAlert(h, VISIBLE, "TRAINING_PENDING resolved", is("TRAINING_PENDING", "resolved"));
  }

  @Test
  void acknowledgesOpenAlertsOnceAndLeavesResolvedOnesResolved() {
    String h = household();
    api.ingest(registered(h, "522701", false, member("m1", "ORDINARY", false)));
    JsonNode zero = awaitAlert(h, VISIBLE, "ZERO_EMPLOYMENT", is("ZERO_EMPLOYMENT", "open"));
    String path = "/api/v1/alerts/" + zero.get("alertId").asText() + "/acknowledge";
    ApiClient.Response ack = api.post(path, READ, "application/json", "{\"by\":\"caseworker-17\",\"note\":\"visited\"}");
    assertThat(ack.status()).isEqualTo(200);
    assertThat(ack.json().get("status").asText()).isEqualTo("acknowledged");
    assertThat(ack.json().get("acknowledgedBy").asText()).isEqualTo("caseworker-17");
    String firstAckAt = ack.json().get("acknowledgedAt").asText();
    ApiClient.Response repeat = api.post(path, READ, "application/json", "{\"by\":\"someone-else\"}");
    assertThat(repeat.json().get("acknowledgedAt").asText()).isEqualTo(firstAckAt);
    assertThat(repeat.json().get("acknowledgedBy").asText()).isEqualTo("caseworker-17");
    awaitAlert(h, VISIBLE, "acknowledged in the read model", is("ZERO_EMPLOYMENT", "acknowledged"));

    api.ingest(placementStarted(h, "m1", "p1", today()));
    awaitAlert(h, VISIBLE, "resolved", is("ZERO_EMPLOYMENT", "resolved"));
    ApiClient.Response afterResolve = api.post(path, READ, "application/json", "{}");
    assertThat(afterResolve.json().get("status").asText()).isEqualTo("resolved");
    assertThat(api.post("/api/v1/alerts/" + h + "~99/acknowledge", READ, "application/json", "{}").status()).isEqualTo(404);
    assertThat(api.post(path, TestServer.READ_11, "application/json", "{}").status()).isEqualTo(403);
    assertThat(api.post(path, "dev-ingest-token", "application/json", "{}").status()).isEqualTo(403);
    assertThat(api.get("/api/v1/alerts/" + zero.get("alertId").asText(), READ).json().get("status").asText())
        .isEqualTo("resolved");
  }

  @Test
  void pagesAlertsNewestFirstWithFiltersAndCursor() {
    String prefix = "522702-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(registered(prefix + "-" + i, "522702", false, member("m1", "SKILLED", false)));
    }
    api.ingest(events.toArray(String[]::new));
    Await.until(VISIBLE, "7 alerts in county 522702", () ->
        api.get("/api/v1/alerts?region=522702&limit=1000", READ).json().get("alerts").size() >= 7);
    List<String> seen = new ArrayList<>();
    api.alertPages("region=522702&type=ZERO_EMPLOYMENT&status=open&limit=3", READ).forEach(page ->
        page.json().get("alerts").forEach(a -> seen.add(a.get("raisedAt").asText() + "|" + a.get("alertId").asText())));
    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    List<String> sorted = new ArrayList<>(seen);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertThat(seen).isEqualTo(sorted);
    assertThat(api.get("/api/v1/alerts?region=522702", TestServer.READ_11).json().get("alerts")).isEmpty();
    assertThat(api.get("/api/v1/alerts?status=bogus", READ).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/alerts?limit=0", READ).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/alerts?cursor=zzz", READ).status()).isEqualTo(400);
  }

  @Test
  void alertsTableEqualsTheEntitiesAfterABurst() throws Exception {
    String prefix = "522703-" + UUID.randomUUID().toString().substring(0, 6);
    int households = 300;
    LocalDate today = LocalDate.parse(today());
    List<String> events = new ArrayList<>();
    for (int i = 0; i < households; i++) {
      String h = prefix + "-" + i;
      events.add(registered(h, "522703", i % 3 == 0, member("m1", "ORDINARY", i % 2 == 0) + "," + member("m2", "WEAK", false)));
      events.add(placementStarted(h, "m1", "p1", today.minusDays(30).toString()));
      events.add(placementEnded(h, "p1", today.minusDays(5).toString()));
      events.add(placementStarted(h, "m2", "p2", today.minusDays(3).toString()));
      if (i % 4 == 0) {
        events.add(placementEnded(h, "p2", today.toString()));
      }
      events.add(placementStarted(h, "m1", "p3", today.toString()));
      events.add(event("member.updated", h, "{\"memberId\":\"m3\",\"laborCapacity\":\"SKILLED\"}"));
      if (i % 5 == 0) {
        events.add(event("household.closed", h, "{\"reason\":\"moved\"}"));
      }
    }
    for (int from = 0; from < events.size(); from += 1000) {
      List<String> batch = events.subList(from, Math.min(events.size(), from + 1000));
      ApiClient.Response r = api.ingest(batch.toArray(String[]::new));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("rejected").asInt()).as(r.body()).isZero();
    }

    // What the entities hold, from each household's own history.
    Set<String> raisedInJournal = new HashSet<>();
    Set<String> openInEntities = new HashSet<>();
    for (int i = 0; i < households; i++) {
      String h = prefix + "-" + i;
      api.get("/api/v1/households/" + h + "/events", READ).json().get("events").forEach(e -> {
        if (e.get("type").asText().equals("alert.raised")) {
          raisedInJournal.add(e.get("event").get("alert").get("alertId").asText());
        }
      });
      api.get("/api/v1/households/" + h, READ).json().get("openAlerts")
          .forEach(a -> openInEntities.add(a.get("alertId").asText()));
    }
    assertThat(raisedInJournal).hasSizeGreaterThan(households);

    Await.until(Duration.ofSeconds(90), "read model caught up", () ->
        tableAlerts(prefix, null).equals(raisedInJournal)
            && tableAlerts(prefix, "open").equals(openInEntities));

    Reconciliation reconciliation = new Reconciliation(server.running().dependencies().dataSource(),
        new PrometheusRegistry());
    Await.until(Duration.ofSeconds(60), "reconciliation covers the burst", () -> {
      try {
        return reconciliation.check() == 0 && reconciliation.journalEvents() >= raisedInJournal.size();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  Set<String> tableAlerts(String prefix, String status) {
    Set<String> ids = new HashSet<>();
    api.alertPages("region=522703&limit=1000" + (status == null ? "" : "&status=" + status), READ).forEach(page ->
        page.json().get("alerts").forEach(a -> {
          if (a.get("householdId").asText().startsWith(prefix)) {
            ids.add(a.get("alertId").asText());
          }
        }));
    return ids;
  }
}
