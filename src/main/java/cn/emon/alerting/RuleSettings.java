package cn.emon.alerting;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Thresholds of the rules ({@code emon.rules}). Dates in events are local dates in {@code zone}.
 */
public record RuleSettings(
    Duration verificationInterval,
    Duration helperDeadline,
    Duration trainingDeadline,
    ZoneId zone) {

  public static RuleSettings from(Config rules) {
    return new RuleSettings(
        rules.getDuration("verification-interval"),
        rules.getDuration("helper-deadline"),
        rules.getDuration("training-deadline"),
        ZoneId.of(rules.getString("zone")));
  }
}
