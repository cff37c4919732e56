package cn.emon.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.db.Database;
import cn.emon.db.DatabaseSettings;
import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.Events;
import cn.emon.testing.JournalFixture;
import cn.emon.testing.MutableClock;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariDataSource;
import java.io.InputStream;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A journal written by the release of 2026-11 (four rows per input event: the event, alert changes,
 * summary, deadline; snapshots every 100 events) is recovered and projected by this release exactly
 * as that release left it: every household view and history, every alert, the region statistics and
 * the deadline index equal what it answered (src/test/resources/journal-v1, made by
 * {@link JournalFixture} on that release). Then the new write path continues an old history.
 */
class LegacyJournalReplayTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String READ = "dev-read-token";

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"h2", "postgres"})
  void recoversAndProjectsTheJournalOfThePreviousRelease(String kind) throws Exception {
    JsonNode expected;
    try (InputStream in = resource("expected.json")) {
      expected = JSON.readTree(in);
    }
    Map<String, Object> settings = kind.equals("h2")
        ? TestServer.h2Settings(Map.of("emon.rules.deadline-scan-interval", "200ms"))
        : TestServer.postgresSettings(Map.of("emon.rules.deadline-scan-interval", "200ms"));
    String url = (String) settings.get("emon.db.url");
    DatabaseSettings db = DatabaseSettings.from(ConfigFactory.parseMap(Map.of("url", url,
        "user", kind.equals("h2") ? "" : "postgres")).withFallback(ConfigFactory.load().getConfig("emon.db")));
    try (HikariDataSource ds = Database.open(db)) {
      Database.migrate(ds, db);
      try (Connection c = ds.getConnection(); InputStream journal = resource("journal.jsonl")) {
        c.setAutoCommit(false);
        JournalFixture.load(c, journal);
        c.commit();
      }
    }
    MutableClock clock = new MutableClock(Instant.parse(expected.get("clock").asText()));
    try (TestServer server = TestServer.of(settings, clock).start()) {
      ApiClient api = server.client();
      JournalFixture.awaitProjected(url);
      try (Connection c = server.running().dependencies().dataSource().getConnection()) {
        JsonNode actual = JournalFixture.expected(api, c);
        for (String part : new String[] {"households", "histories", "stats", "deadlines"}) {
          assertSameFields(part, actual.get(part), expected.get(part));
        }
        assertThat(actual.get("alerts")).as("alerts").isEqualTo(expected.get("alerts"));
      }

      // The new write path continues a history of the previous release: the old open alert resolves,
      // the next alert id follows the old ones.
      String h = "522701-L001";
      String time = clock.instant().atOffset(java.time.ZoneOffset.ofHours(8)).toString();
      String today = java.time.LocalDate.ofInstant(clock.instant(), JournalFixture.ZONE).toString();
      assertThat(api.ingest(Events.event("after-1", "placement.started", h, time, "{\"memberId\":\"m1\","
          + "\"placementId\":\"p9\",\"channel\":\"WORKSHOP\",\"startDate\":\"" + today + "\"}")).status()).isEqualTo(200);
      Await.until(Duration.ofSeconds(30), "the old zero-employment alert resolved", () ->
          api.get("/api/v1/alerts/" + h + "~1", READ).json().get("status").asText().equals("resolved"));
      assertThat(api.ingest(Events.event("after-2", "placement.ended", h, time, "{\"placementId\":\"p9\","
          + "\"endDate\":\"" + today + "\",\"reason\":\"QUIT\"}")).status()).isEqualTo(200);
      Await.until(Duration.ofSeconds(30), "a new alert numbered after the old ones", () ->
          api.get("/api/v1/alerts/" + h + "~3", READ).status() == 200);
      JsonNode history = api.get("/api/v1/households/" + h + "/events", READ).json().get("events");
      assertThat(history.get(history.size() - 1).get("type").asText()).isIn("deadline.scheduled", "summary.changed",
          "alert.raised");
    }
  }

  /** Every field the previous release answered, with the same value (this release may add fields). */
  private static void assertSameFields(String path, JsonNode actual, JsonNode expected) {
    if (expected.isObject()) {
      assertThat(actual).as(path).isNotNull();
      assertThat(actual.isObject()).as(path + " is an object").isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        assertSameFields(path + "." + e.getKey(), actual.get(e.getKey()), e.getValue());
      }
    } else if (expected.isArray()) {
      assertThat(actual).as(path).isNotNull();
      assertThat(actual.size()).as(path + " size").isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertSameFields(path + "[" + i + "]", actual.get(i), expected.get(i));
      }
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }

  private static InputStream resource(String name) {
    return LegacyJournalReplayTest.class.getResourceAsStream("/journal-v1/" + name);
  }
}
