package cn.emon;

import cn.emon.auth.AuthSettings;
import cn.emon.db.DatabaseSettings;
import cn.emon.http.HttpSettings;
import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** Refuses settings that are unsafe in production before anything starts. */
final class StartupChecks {

  private StartupChecks() {}

  /** Checks of the configuration alone. */
  static void verify(Config config) {
    HttpSettings http = HttpSettings.from(config.getConfig("emon.http"));
    AuthSettings auth = AuthSettings.from(config.getConfig("emon.auth"));
    if (!http.isLoopback() && auth.hasDevelopmentTokens()) {
      throw new IllegalStateException("refusing to start: the development tokens are configured and "
          + "emon.http.host is not a loopback address; configure emon.auth.tokens with your own tokens");
    }
    List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
    String downing = config.getString("pekko.cluster.downing-provider-class");
    if (seeds.size() > 1 && downing.isBlank()) {
      throw new IllegalStateException("refusing to start: a multi-node cluster needs a downing provider; "
          + "set pekko.cluster.downing-provider-class to the split-brain resolver (see config/cluster.conf)");
    }
  }

  /**
   * A journal on PostgreSQL with fsync or synchronous_commit off can lose events it acknowledged
   * as stored; a 2xx must mean stored, so such a database is refused.
   */
  static void verifyDatabase(DataSource dataSource, DatabaseSettings db) {
    if (db.vendor() != DatabaseSettings.Vendor.POSTGRESQL) {
      return;
    }
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit")) {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
          rs.next();
          if ("off".equalsIgnoreCase(rs.getString(1))) {
            throw new IllegalStateException("refusing to start: PostgreSQL has " + setting
                + " = off, so acknowledged events could be lost in a crash");
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check database durability settings: " + e.getClass().getSimpleName(), e);
    }
  }
}
