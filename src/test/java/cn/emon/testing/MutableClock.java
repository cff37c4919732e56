package cn.emon.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand; what it is handed to reads it, nothing else does. Either fixed
 * until moved ({@link #MutableClock(Instant)}) or {@link #ticking()}: the system clock plus an offset
 * the test moves forward, so a deadline fires when the test says and never while it looks.
 */
public final class MutableClock extends Clock {
  private volatile Instant instant;
  private volatile Duration offset = Duration.ZERO;
  private final boolean ticking;
  private final ZoneId zone;

  public MutableClock(Instant instant) {
    this(instant, false, ZoneOffset.UTC);
  }

  private MutableClock(Instant instant, boolean ticking, ZoneId zone) {
    this.instant = instant;
    this.ticking = ticking;
    this.zone = zone;
  }

  /** The system clock, moved by {@link #advance}. */
  public static MutableClock ticking() {
    return new MutableClock(null, true, ZoneOffset.UTC);
  }

  public void set(Instant to) {
    if (ticking) {
      throw new IllegalStateException("a ticking clock only advances");
    }
    instant = to;
  }

  public void advance(Duration by) {
    if (ticking) {
      offset = offset.plus(by);
    } else {
      instant = instant.plus(by);
    }
  }

  @Override
  public Instant instant() {
    return ticking ? Instant.now().plus(offset) : instant;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    if (ticking) {
      // A view in another zone that still follows this clock's advances.
      MutableClock self = this;
      return new Clock() {
        @Override
        public Instant instant() {
          return self.instant();
        }

        @Override
        public ZoneId getZone() {
          return z;
        }

        @Override
        public Clock withZone(ZoneId other) {
          return self.withZone(other);
        }
      };
    }
    return new MutableClock(instant, false, z);
  }
}
