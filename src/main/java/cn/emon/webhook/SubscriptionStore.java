package cn.emon.webhook;

import cn.emon.alerting.Severity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code webhook_subscriptions} table. Blocking: call on the JDBC dispatcher. */
final class SubscriptionStore {

  private static final String COLUMNS = "id, url, secret, format, types, regions, min_severity, enabled,"
      + " disabled_reason, disabled_at, failing_since, created_at";

  private final DataSource dataSource;

  SubscriptionStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void insert(Subscription s) {
    Sql.transaction(dataSource, c -> Sql.update(c, "INSERT INTO webhook_subscriptions (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(), s.url(), s.secret(), s.format(), String.join(",", s.types()), String.join(",", s.regions()),
        s.minSeverity() == null ? null : s.minSeverity().wireName(), s.enabled(), s.disabledReason(),
        millis(s.disabledAt()), millis(s.failingSince()), s.createdAt().toEpochMilli()));
  }

  List<Subscription> list() {
    return Sql.transaction(dataSource, c -> Sql.query(c,
        "SELECT " + COLUMNS + " FROM webhook_subscriptions ORDER BY created_at, id", SubscriptionStore::row));
  }

  Optional<Subscription> find(String id) {
    return Sql.transaction(dataSource, c -> find(c, id));
  }

  static Optional<Subscription> find(Connection c, String id) throws SQLException {
    return Sql.query(c, "SELECT " + COLUMNS + " FROM webhook_subscriptions WHERE id = ?", SubscriptionStore::row, id)
        .stream().findFirst();
  }

  /** The enabled subscriptions, read inside the outbox projection's transaction. */
  static List<Subscription> enabled(Connection c) throws SQLException {
    return Sql.query(c, "SELECT " + COLUMNS + " FROM webhook_subscriptions WHERE enabled = ?",
        SubscriptionStore::row, true);
  }

  /** Removes the subscription with its deliveries and their attempts. */
  boolean delete(String id) {
    return Sql.transaction(dataSource, c -> {
      Sql.update(c, "DELETE FROM webhook_attempts WHERE delivery_id IN"
          + " (SELECT delivery_id FROM webhook_deliveries WHERE subscription_id = ?)", id);
      Sql.update(c, "DELETE FROM webhook_deliveries WHERE subscription_id = ?", id);
      return Sql.update(c, "DELETE FROM webhook_subscriptions WHERE id = ?", id) > 0;
    });
  }

  /**
   * Turns the subscription on again and makes every delivery that waited due now, from the start
   * of the retry schedule.
   */
  Optional<Subscription> enable(String id, Instant now) {
    return Sql.transaction(dataSource, c -> {
      if (Sql.update(c, "UPDATE webhook_subscriptions SET enabled = ?, disabled_reason = NULL, disabled_at = NULL,"
          + " failing_since = NULL WHERE id = ?", true, id) == 0) {
        return Optional.empty();
      }
      Sql.update(c, "UPDATE webhook_deliveries SET schedule_step = 0, next_attempt_at = ?"
          + " WHERE subscription_id = ? AND status = ?", now.toEpochMilli(), id, DeliveryStore.PENDING);
      return find(c, id);
    });
  }

  long countDisabled() {
    return Sql.transaction(dataSource, c ->
        Sql.count(c, "SELECT count(*) FROM webhook_subscriptions WHERE enabled = ?", false));
  }

  static Subscription row(ResultSet rs) throws SQLException {
    String minSeverity = rs.getString("min_severity");
    return new Subscription(rs.getString("id"), rs.getString("url"), rs.getString("secret"), rs.getString("format"),
        split(rs.getString("types")), split(rs.getString("regions")),
        minSeverity == null ? null : Severity.fromWireName(minSeverity), rs.getBoolean("enabled"),
        rs.getString("disabled_reason"), instant(Sql.longOrNull(rs, "disabled_at")),
        instant(Sql.longOrNull(rs, "failing_since")), Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  private static List<String> split(String csv) {
    return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  private static Long millis(Instant at) {
    return at == null ? null : at.toEpochMilli();
  }
}
