package cn.emon.db;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Which database holds journal and read model ({@code emon.db}): PostgreSQL when the URL says so,
 * otherwise an embedded H2 file database.
 */
public record DatabaseSettings(
    Vendor vendor,
    String url,
    String user,
    String password,
    int poolSize,
    Duration connectionTimeout,
    Duration socketTimeout,
    Duration analyzeInterval) {

  /** The two supported databases, with what each needs from the libraries. */
  public enum Vendor {
    POSTGRESQL("org.postgresql.Driver", "slick.jdbc.PostgresProfile$", "postgres-dialect", "postgresql"),
    H2("org.h2.Driver", "slick.jdbc.H2Profile$", "h2-dialect", "h2");

    public final String driver;
    public final String slickProfile;
    public final String projectionDialect;
    public final String migrationFolder;

    Vendor(String driver, String slickProfile, String projectionDialect, String migrationFolder) {
      this.driver = driver;
      this.slickProfile = slickProfile;
      this.projectionDialect = projectionDialect;
      this.migrationFolder = migrationFolder;
    }
  }

  public static DatabaseSettings from(Config db) {
    String url = db.getString("url").trim();
    Duration socketTimeout = db.getDuration("socket-timeout");
    Vendor vendor;
    String user = db.getString("user");
    if (url.startsWith("jdbc:postgresql:")) {
      vendor = Vendor.POSTGRESQL;
      url = withParameter(url, "socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
      url = withParameter(url, "connectTimeout", "5");
      // Without it pgjdbc puts the server's error detail ("Key (...)=(...)", batch parameters) into
      // exception messages, and those reach the logs: stored values must not.
      url = withParameter(url, "logServerErrorDetail", "false");
    } else if (url.isEmpty() || url.startsWith("jdbc:h2:")) {
      vendor = Vendor.H2;
      if (url.isEmpty()) {
        // No MODE=PostgreSQL: the persistence library's H2 DDL fails under it.
        url = "jdbc:h2:file:" + db.getString("h2-path") + ";DATABASE_TO_UPPER=false";
      }
      // A 2xx means stored: H2 writes a commit to its file only after WRITE_DELAY (500 ms by
      // default), so a kill -9 lost the last half second of acknowledged events. 0 writes each
      // commit before it returns (MVStore: TransactionStore.commit → store.commit()).
      if (!url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=")) {
        url = url + ";WRITE_DELAY=0";
      }
      if (user.isEmpty()) {
        user = "sa";
      }
    } else {
      throw new IllegalArgumentException(
          "emon.db.url: only jdbc:postgresql: and jdbc:h2: URLs are supported");
    }
    return new DatabaseSettings(vendor, url, user, db.getString("password"), db.getInt("pool-size"),
        db.getDuration("connection-timeout"), socketTimeout, db.getDuration("analyze-interval"));
  }

  private static String withParameter(String url, String name, String value) {
    if (url.contains(name + "=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
  }

  /** The Pekko settings that follow from this database, to lay over the loaded config. */
  public Config pekkoOverrides() {
    Map<String, Object> m = new HashMap<>();
    String slick = "pekko-persistence-jdbc.shared-databases.slick.";
    m.put(slick + "profile", vendor.slickProfile);
    m.put(slick + "db.driver", vendor.driver);
    m.put(slick + "db.url", url);
    m.put(slick + "db.user", user);
    m.put(slick + "db.password", password);
    m.put("pekko.projection.jdbc.dialect", vendor.projectionDialect);
    m.put("pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size", poolSize);
    m.put("emon.blocking-dispatcher.thread-pool-executor.fixed-pool-size", poolSize);
    return ConfigFactory.parseMap(m);
  }

  /** The URL with any password parameter removed, fit for a log line. */
  public String redactedUrl() {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
