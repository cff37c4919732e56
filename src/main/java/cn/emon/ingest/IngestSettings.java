package cn.emon.ingest;

import com.typesafe.config.Config;
import java.time.Duration;

/** Limits of the ingest API ({@code emon.ingest}). */
public record IngestSettings(
    int maxBatch,
    long maxBodyBytes,
    Duration askTimeout,
    int parallelism,
    int maxConcurrentRequests,
    Duration maxClockSkew,
    Duration uploadTimeout) {

  public static IngestSettings from(Config ingest) {
    return new IngestSettings(
        ingest.getInt("max-batch"),
        ingest.getBytes("max-body-bytes"),
        ingest.getDuration("ask-timeout"),
        ingest.getInt("parallelism"),
        ingest.getInt("max-concurrent-requests"),
        ingest.getDuration("max-clock-skew"),
        ingest.getDuration("upload-timeout"));
  }
}
