package cn.emon.deadlines;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the scanner wakes due households: {@code emon.rules.deadline-scan-interval} bounds how late
 * a deadline alert fires.
 */
public record DeadlineSettings(Duration scanInterval, int batchSize, int parallelism) {

  public static DeadlineSettings from(Config rules) {
    return new DeadlineSettings(rules.getDuration("deadline-scan-interval"), 1000, 8);
  }
}
