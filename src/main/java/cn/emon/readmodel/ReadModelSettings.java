package cn.emon.readmodel;

import com.typesafe.config.Config;
import java.time.Duration;

/** Settings of the read-model projections ({@code emon.readmodel}). */
public record ReadModelSettings(int batchSize, Duration reconcileInterval) {

  public static ReadModelSettings from(Config readmodel) {
    return new ReadModelSettings(readmodel.getInt("batch-size"), readmodel.getDuration("reconcile-interval"));
  }
}
