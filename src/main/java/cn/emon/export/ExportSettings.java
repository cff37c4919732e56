package cn.emon.export;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Settings of the exports ({@code emon.exports}): rows read from the database at a time, how long
 * a stalled download may block its writer, and the time zone of the times in the files.
 */
public record ExportSettings(int fetchSize, Duration writeTimeout, ZoneId zone) {

  public static ExportSettings from(Config exports) {
    int fetchSize = exports.getInt("fetch-size");
    if (fetchSize < 1) {
      throw new IllegalArgumentException("emon.exports.fetch-size must be at least 1");
    }
    return new ExportSettings(fetchSize, exports.getDuration("write-timeout"), ZoneId.of(exports.getString("zone")));
  }
}
