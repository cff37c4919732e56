package cn.emon.http;

import com.typesafe.config.Config;
import java.time.Duration;

/** Where the HTTP server listens ({@code emon.http}). */
public record HttpSettings(String host, int port, Duration shutdownDeadline) {

  public static HttpSettings from(Config http) {
    return new HttpSettings(http.getString("host"), http.getInt("port"), http.getDuration("shutdown-deadline"));
  }

  public boolean isLoopback() {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
