package cn.emon.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every simulation shares: the system properties that parameterise it, the HTTP protocol
 * (loopback only), and the bulk registration of the households it works on.
 *
 * <ul>
 *   <li>{@code -DbaseUrl=http://127.0.0.1:8080} the server (loopback addresses only)
 *   <li>{@code -Dusers=N} concurrent users (bulk) or new users per second (mixed, reads)
 *   <li>{@code -Dduration=S} seconds of the measured part
 *   <li>{@code -Dhouseholds=N} households worked on; {@code -Dprefix=g} their id prefix
 *   <li>{@code -Dregister=true|false} register the households first (false when an earlier run did)
 * </ul>
 */
final class LoadSettings {

  static final String INGEST = "Bearer dev-ingest-token";
  static final String READ = "Bearer dev-read-token";

  final String baseUrl = Bench.loopback(URI.create(System.getProperty("baseUrl", "http://127.0.0.1:8080"))).toString();
  final int users = Integer.getInteger("users", 20);
  final Duration duration = Duration.ofSeconds(Integer.getInteger("duration", 60));
  final long households = Long.getLong("households", 10_000);
  final String prefix = System.getProperty("prefix", "g");
  final boolean register = Boolean.parseBoolean(System.getProperty("register", "true"));
  final int batchSize = Integer.getInteger("batchSize", 1000);
  final Events events = new Events("/integrators/gatling", "g" + System.currentTimeMillis());

  HttpProtocolBuilder protocol() {
    return http.baseUrl(baseUrl)
        .acceptHeader("application/json")
        .shareConnections()
        .warmUp(baseUrl + "/health/live");
  }

  String household(long n) {
    return Events.household(prefix, n);
  }

  /** The JSON array of registrations of batch {@code b} (households b*batchSize …). */
  String registrationBatch(long b) {
    List<String> list = new ArrayList<>(batchSize);
    for (long n = b * batchSize; n < Math.min(households, (b + 1) * batchSize); n++) {
      list.add(events.registered(household(n), n));
    }
    return Events.batch(list);
  }

  long batches() {
    return (households + batchSize - 1) / batchSize;
  }

  /**
   * A loop that takes the next batch number from a shared counter until all are posted, so any
   * number of concurrent users posts each batch exactly once.
   */
  ChainBuilder registerAll(AtomicLong next) {
    return exec(s -> s.set("batch", next.getAndIncrement()))
        .asLongAs(s -> s.getLong("batch") >= 0 && s.getLong("batch") < batches()).on(
            exec(http("register " + batchSize + " households").post("/api/v1/events")
                .header("Authorization", INGEST)
                .header("Content-Type", "application/json")
                .body(StringBody(s -> registrationBatch(s.getLong("batch"))))
                .check(status().is(200), jsonPath("$.rejected").ofInt().is(0)))
            .exec(s -> s.set("batch", next.getAndIncrement())));
  }

  /**
   * Registers the households before the measured scenario starts (run it with a few users); with
   * {@code -Dregister=false} it does nothing.
   */
  ScenarioBuilder registration() {
    return scenario("registration of " + households + " households")
        .exec(register ? registerAll(new AtomicLong()) : exec(s -> s));
  }

  /** Every simulation stops by itself: the measured part plus time for the registrations. */
  Duration maxDuration() {
    return duration.plusSeconds(10 + households / 20);
  }
}
