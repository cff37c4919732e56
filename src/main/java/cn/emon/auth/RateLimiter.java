package cn.emon.auth;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per configured token, so one integrator's flood cannot starve another: each
 * token refills at {@code ratePerSecond} up to {@code burst}. Per node; a cluster of n nodes
 * behind a balancer admits up to n times the rate.
 */
public final class RateLimiter {

  private final double ratePerSecond;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double ratePerSecond, double burst) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
  }

  /** Takes one request from the caller's bucket; empty when allowed, else seconds to wait. */
  public OptionalLong acquire(String tokenName) {
    if (ratePerSecond <= 0) {
      return OptionalLong.empty();
    }
    return buckets.computeIfAbsent(tokenName, k -> new Bucket()).take(System.nanoTime());
  }

  private final class Bucket {
    private double tokens = burst;
    private long refilledAt = System.nanoTime();

    synchronized OptionalLong take(long now) {
      tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return OptionalLong.empty();
      }
      return OptionalLong.of((long) Math.ceil((1 - tokens) / ratePerSecond));
    }
  }
}
