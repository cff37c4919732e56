package cn.emon.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand; what it is handed to reads it, nothing else does. */
public final class MutableClock extends Clock {
  private volatile Instant instant;
  private final ZoneId zone;

  public MutableClock(Instant instant) {
    this(instant, ZoneOffset.UTC);
  }

  private MutableClock(Instant instant, ZoneId zone) {
    this.instant = instant;
    this.zone = zone;
  }

  public void set(Instant to) {
    instant = to;
  }

  public void advance(Duration by) {
    instant = instant.plus(by);
  }

  @Override
  public Instant instant() {
    return instant;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new MutableClock(instant, z);
  }
}
