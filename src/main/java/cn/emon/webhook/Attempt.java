package cn.emon.webhook;

import java.time.Duration;
import java.time.Instant;

/**
 * What one request to a receiver came to: when it started, the HTTP status or the class of error
 * when there was no answer (timeout, refused target, connection failure), how long it took, and
 * {@code retryAfter} from a 429 or 503.
 */
record Attempt(Instant startedAt, Integer statusCode, String error, long latencyMs, Duration retryAfter) {

  boolean delivered() {
    return statusCode != null && statusCode >= 200 && statusCode < 300;
  }

  boolean gone() {
    return statusCode != null && statusCode == 410;
  }
}
