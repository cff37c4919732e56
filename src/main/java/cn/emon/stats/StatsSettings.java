package cn.emon.stats;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Settings of the supervisor statistics ({@code emon.stats}).
 *
 * @param metricsCache how long one read of the read model serves /metrics scrapes
 * @param zone the time zone that decides the current year of targets
 */
public record StatsSettings(Duration metricsCache, ZoneId zone) {

  public static StatsSettings from(Config stats) {
    return new StatsSettings(stats.getDuration("metrics-cache"), ZoneId.of(stats.getString("zone")));
  }
}
