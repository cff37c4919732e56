package cn.emon.readmodel;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the read-model projections ({@code emon.readmodel}).
 *
 * @param batchSize most events folded in one transaction
 * @param groupWait how long a group waits to fill before it is folded anyway
 * @param reconcileInterval how often the journal-vs-read-model check runs
 */
public record ReadModelSettings(int batchSize, Duration groupWait, Duration reconcileInterval) {

  public static ReadModelSettings from(Config readmodel) {
    return new ReadModelSettings(readmodel.getInt("batch-size"), readmodel.getDuration("group-wait"),
        readmodel.getDuration("reconcile-interval"));
  }
}
