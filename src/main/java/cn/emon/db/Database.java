package cn.emon.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the read-model pool and brings the schema up to date before anything else starts. */
public final class Database {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** Tables without which the server must not start. */
  static final List<String> REQUIRED_TABLES = List.of("event_journal", "event_tag", "snapshot",
      "pekko_projection_offset_store", "pekko_projection_management", "alerts", "deadlines",
      "household_summary", "region_households", "region_employment", "region_employment_years",
      "region_alerts", "region_targets",
      "webhook_subscriptions", "webhook_deliveries", "webhook_attempts", "webhook_open_alerts");

  private Database() {}

  public static HikariDataSource open(DatabaseSettings settings) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("emon-readmodel");
    hc.setJdbcUrl(settings.url());
    hc.setDriverClassName(settings.vendor().driver);
    hc.setUsername(settings.user());
    hc.setPassword(settings.password());
    hc.setMaximumPoolSize(settings.poolSize());
    hc.setMinimumIdle(Math.min(2, settings.poolSize()));
    hc.setConnectionTimeout(settings.connectionTimeout().toMillis());
    hc.setValidationTimeout(Math.min(2000, settings.connectionTimeout().toMillis()));
    hc.setAutoCommit(true);
    return new HikariDataSource(hc);
  }

  /**
   * Runs the migrations of this vendor (journal, projection offsets, read model) and checks that
   * every required table exists, failing loudly otherwise.
   */
  public static void migrate(DataSource dataSource, DatabaseSettings settings) {
    Flyway.configure()
        .dataSource(dataSource)
        // Portable SQL lives once in common/; only the library's DDL differs per vendor.
        .locations("classpath:db/migration/common", "classpath:db/migration/" + settings.vendor().migrationFolder)
        // A database whose journal the library created earlier: run every migration over it
        // (they are idempotent) instead of assuming V1 is done.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    List<String> missing = missingTables(dataSource);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("database schema incomplete after migration, missing " + missing);
    }
    log.info("Database schema ready on {} ({})", settings.vendor(), settings.redactedUrl());
  }

  static List<String> missingTables(DataSource dataSource) {
    List<String> missing = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      for (String table : REQUIRED_TABLES) {
        boolean found = false;
        for (String candidate : List.of(table, table.toUpperCase())) {
          try (ResultSet rs = md.getTables(null, null, candidate, new String[] {"TABLE"})) {
            found |= rs.next();
          }
        }
        if (!found) {
          missing.add(table);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot inspect database schema: " + e.getClass().getSimpleName(), e);
    }
    return missing;
  }
}
