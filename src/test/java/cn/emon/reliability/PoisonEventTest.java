package cn.emon.reliability;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.household.Household;
import cn.emon.readmodel.ReadModelProjections;
import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Fault: an event in the journal that cannot be read (a poison event). Must hold: its slice stops
 * loudly (failure counter, error log) and never skips it — the slice's offset stays below it —
 * while the other slices keep working.
 */
class PoisonEventTest {

  @Test
  void poisonEventStopsItsSliceLoudlyAndIsNeverSkipped() throws Exception {
    try (TestServer server = TestServer.postgres(Map.of("pekko.projection.restart-backoff.min-backoff", "200ms",
        "pekko.projection.restart-backoff.max-backoff", "1s"))) {
      ApiClient api = server.client();
      DataSource ds = server.running().dependencies().dataSource();
      String poisoned = "poison-1";
      int slice = Household.sliceOf(poisoned);
      String tag = Household.TAGS.get(slice);
      long ordering;
      try (Connection c = ds.getConnection()) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_journal (persistence_id, sequence_number,"
            + " deleted, writer, write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload)"
            + " VALUES (?, 1, false, 'test', ?, '', 33, ?, ?)", new String[] {"ordering"})) {
          ps.setString(1, Household.persistenceIdOf(poisoned).id());
          ps.setLong(2, System.currentTimeMillis());
          ps.setString(3, Household.HouseholdRegistered.class.getName());
          ps.setBytes(4, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            ordering = keys.getLong(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_tag (event_id, tag) VALUES (?, ?)")) {
          ps.setLong(1, ordering);
          ps.setString(2, tag);
          ps.executeUpdate();
        }
      }
      // A household of the same slice registered after the poison is held up behind it.
      String behind = null;
      String elsewhere = null;
      for (int i = 0; behind == null || elsewhere == null; i++) {
        String h = "522701-p" + i;
        if (Household.sliceOf(h) == slice && behind == null) {
          behind = h;
        } else if (Household.sliceOf(h) != slice && elsewhere == null) {
          elsewhere = h;
        }
      }
      api.ingest(registered(behind, "522701", false, member("m1", "ORDINARY", false)),
          registered(elsewhere, "522701", false, member("m1", "ORDINARY", false)));

      Pattern failures = Pattern.compile("emon_projection_failures_total\\{projection=\"" + ReadModelProjections.NAME
          + "\",slice=\"" + tag + "\"} (\\S+)");
      Await.until(Duration.ofSeconds(20), "the poisoned slice fails repeatedly", () -> {
        Matcher m = failures.matcher(api.get("/metrics", null).body());
        return m.find() && Double.parseDouble(m.group(1)) >= 2;
      });
      String other = elsewhere;
      Await.until(Duration.ofSeconds(10), "other slices keep working", () ->
          api.get("/api/v1/alerts?householdId=" + other, "dev-read-token").json().get("alerts").size() == 1);
      assertThat(api.get("/api/v1/alerts?householdId=" + behind, "dev-read-token").json().get("alerts")).isEmpty();
      try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
          "SELECT current_offset FROM pekko_projection_offset_store WHERE projection_name = ? AND projection_key = ?")) {
        ps.setString(1, ReadModelProjections.NAME);
        ps.setString(2, tag);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            assertThat(Long.parseLong(rs.getString(1))).as("offset never passes the poison").isLessThan(ordering);
          }
        }
      }
    }
  }
}
