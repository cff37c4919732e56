package cn.emon.webhook;

import java.time.Duration;

/**
 * What one request to a receiver came to: the HTTP status, or the class of error when there was
 * no answer (timeout, refused target, connection failure); {@code retryAfter} from a 429 or 503.
 */
record Attempt(Integer statusCode, String error, long latencyMs, Duration retryAfter) {

  boolean delivered() {
    return statusCode != null && statusCode >= 200 && statusCode < 300;
  }

  boolean gone() {
    return statusCode != null && statusCode == 410;
  }
}
