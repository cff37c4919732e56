package cn.emon;

import cn.emon.auth.AuthSettings;
import cn.emon.http.HttpSettings;
import com.typesafe.config.Config;

/** Refuses settings that are unsafe in production before anything starts. */
final class StartupChecks {

  private StartupChecks() {}

  static void verify(Config config) {
    HttpSettings http = HttpSettings.from(config.getConfig("emon.http"));
    AuthSettings auth = AuthSettings.from(config.getConfig("emon.auth"));
    if (!http.isLoopback() && auth.hasDevelopmentTokens()) {
      throw new IllegalStateException("refusing to start: the development tokens are configured and "
          + "emon.http.host is not a loopback address; configure emon.auth.tokens with your own tokens");
    }
  }
}
