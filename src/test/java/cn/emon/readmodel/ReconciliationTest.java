package cn.emon.readmodel;

import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.TestServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Fault: the database goes away in the middle of a reconciliation run — what the slices folded is
 * read, the journal's count of a range fails. Must hold: the next run counts that range again whole,
 * so the difference is 0 when nothing differs (a half-counted range left a permanent false
 * difference after every database outage).
 */
class ReconciliationTest {

  private static final ClassLoader LOADER = ReconciliationTest.class.getClassLoader();

  @Test
  void aRunFailingBetweenTheTwoCountsLeavesNoFalseDifference() throws Exception {
    try (TestServer server = TestServer.h2(Map.of())) {
      ApiClient api = server.client();
      for (int i = 0; i < 3; i++) {
        // One labour-capable member without work: the registration raises an alert.
        assertThat(api.ingest(registered("522701-recon" + i, "522701", false, member("m1", "ORDINARY", false)))
            .status()).isEqualTo(200);
      }
      DataSource real = server.running().dependencies().dataSource();
      Reconciliation healthy = new Reconciliation(real, new PrometheusRegistry());
      Await.until(Duration.ofSeconds(30), "the read model holds the three alerts", () -> {
        try {
          return healthy.check() == 0 && healthy.journalEvents() == 3;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });

      AtomicBoolean failJournalCount = new AtomicBoolean(true);
      Reconciliation reconciliation = new Reconciliation(failingOnce(real, failJournalCount), new PrometheusRegistry());
      assertThatThrownBy(reconciliation::check).isInstanceOf(SQLException.class);
      assertThat(failJournalCount).as("the journal count was reached and failed").isFalse();

      assertThat(reconciliation.check()).as("difference after the failed run").isZero();
      assertThat(reconciliation.journalEvents()).isEqualTo(3);
    }
  }

  /** The real data source, except that the first count of the journal throws while {@code armed}. */
  private static DataSource failingOnce(DataSource real, AtomicBoolean armed) {
    return (DataSource) Proxy.newProxyInstance(LOADER, new Class<?>[] {DataSource.class}, (proxy, method, args) ->
        method.getName().equals("getConnection") ? failingOnce(real.getConnection(), armed) : call(method, real, args));
  }

  private static Connection failingOnce(Connection real, AtomicBoolean armed) {
    return (Connection) Proxy.newProxyInstance(LOADER, new Class<?>[] {Connection.class}, (proxy, method, args) -> {
      if (method.getName().equals("prepareStatement") && args[0] instanceof String sql && sql.contains("FROM event_tag")
          && armed.compareAndSet(true, false)) {
        throw new SQLException("connection lost (injected)");
      }
      return call(method, real, args);
    });
  }

  private static Object call(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
