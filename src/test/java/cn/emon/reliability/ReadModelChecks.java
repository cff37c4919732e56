package cn.emon.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Read-model assertions shared by the fault tests: folded exactly once, nothing lost. */
final class ReadModelChecks {

  private static final Pattern DIFFERENCE =
      Pattern.compile("emon_readmodel_reconciliation_difference\\{table=\"journal\"} (\\S+)");

  /** jdbc-read-journal.journal-sequence-retrieval: max-tries (240) × query-delay (250 ms). */
  static final Duration GAP_WAIT = Duration.ofSeconds(60);

  private ReadModelChecks() {}

  /**
   * The county's household count in the stats equals the acknowledged registrations (each folded
   * once), and the alerts table reconciles with the
   * journal (the server must run with a short emon.readmodel.reconcile-interval).
   */
  static void foldedExactlyOnce(ApiClient api, Set<String> households, int otherHouseholds) {
    try {
      // Writes lost in a crash leave gaps in the journal's ordering; the read journal waits for a gap
      // max-tries × query-delay (60 s, persistence.conf) before it moves on, so allow more than that.
      Await.until(GAP_WAIT.plusSeconds(60), "stats count every acknowledged household once", () ->
          api.countyHouseholds(WebhookCheck.REGION) == households.size() + otherHouseholds);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + diagnosis(api, households, otherHouseholds), e);
    }
    AtomicReference<String> difference = new AtomicReference<>("not reported");
    try {
      Await.until(Duration.ofSeconds(60), "the read model reconciles with the journal", () -> {
        Matcher m = DIFFERENCE.matcher(api.get("/metrics", null).body());
        if (!m.find()) {
          return false;
        }
        difference.set(m.group(1));
        return Double.parseDouble(m.group(1)) == 0.0;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": emon_readmodel_reconciliation_difference " + difference.get(), e);
    }
    assertThat(api.countyHouseholds(WebhookCheck.REGION)).isEqualTo(households.size() + otherHouseholds);
  }

  /**
   * Which households differ, seen through the alerts table (each acknowledged household has an
   * alert): the counts, acknowledged households without an alert row, and households with alerts
   * that were never acknowledged (stored by a request whose answer was lost, or another test's).
   */
  private static String diagnosis(ApiClient api, Set<String> households, int otherHouseholds) {
    try {
      Set<String> withAlerts = new TreeSet<>();
      WebhookCheck.alertsOf(api).forEach(a -> withAlerts.add(a.get("householdId").asText()));
      Set<String> missing = new TreeSet<>(households);
      missing.removeAll(withAlerts);
      Set<String> extra = new TreeSet<>(withAlerts);
      extra.removeAll(households);
      return String.format("the stats count %d households, expected %d acknowledged + %d other; acknowledged"
              + " without an alert row: %d %s; with alerts but not acknowledged: %d %s",
          api.countyHouseholds(WebhookCheck.REGION), households.size(), otherHouseholds, missing.size(), first(missing), extra.size(), first(extra));
    } catch (RuntimeException | AssertionError e) {
      return "(no diagnosis: " + e + ")";
    }
  }

  private static String first(Set<String> ids) {
    return ids.stream().limit(10).toList().toString();
  }
}
