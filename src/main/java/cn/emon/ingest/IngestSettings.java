package cn.emon.ingest;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits of the ingest API ({@code emon.ingest}).
 *
 * @param householdsInFlight household commands awaiting their write on this node at once
 */
public record IngestSettings(
    int maxBatch,
    long maxBodyBytes,
    Duration askTimeout,
    int householdsInFlight,
    int maxConcurrentRequests,
    Duration maxClockSkew,
    Duration uploadTimeout) {

  public static IngestSettings from(Config ingest) {
    return new IngestSettings(
        ingest.getInt("max-batch"),
        ingest.getBytes("max-body-bytes"),
        ingest.getDuration("ask-timeout"),
        ingest.getInt("households-in-flight"),
        ingest.getInt("max-concurrent-requests"),
        ingest.getDuration("max-clock-skew"),
        ingest.getDuration("upload-timeout"));
  }
}
