package cn.emon.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Steady integrator traffic over {@code households} households in 48 counties: {@code users}
 * single events per second for {@code duration} seconds, in the proportions of a county's daily
 * flow — verifications (在岗核验) and placements starting and ending dominate, then training and
 * helpers. The households are registered first in batches (skip with {@code -Dregister=false}).
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=cn.emon.load.MixedTrafficSimulation \
 *     -Dhouseholds=10000 -Dusers=200 -Dduration=120</pre>
 */
public class MixedTrafficSimulation extends Simulation {

  private final LoadSettings settings = new LoadSettings();
  /** Placements started per household and confirmed stored: verify and end only those. */
  private final AtomicIntegerArray placements = new AtomicIntegerArray((int) settings.households);
  private final AtomicIntegerArray trainings = new AtomicIntegerArray((int) settings.households);

  private ChainBuilder post(String name, java.util.function.Function<Session, String> body) {
    return exec(http(name).post("/api/v1/events")
        .header("Authorization", LoadSettings.INGEST)
        .header("Content-Type", "application/cloudevents+json")
        .body(StringBody(body::apply))
        .check(status().is(200), jsonPath("$.accepted").ofInt().is(1)));
  }

  private String id(Session s) {
    return settings.household(s.getLong("n"));
  }

  private int n(Session s) {
    return (int) s.getLong("n");
  }

  {
    ChainBuilder started = post("placement.started",
        s -> settings.events.placementStarted(id(s), "m1", "p" + (placements.get(n(s)) + 1)))
        .exec(s -> {
          placements.incrementAndGet(n(s));
          return s;
        });
    ChainBuilder verified = post("placement.verified",
        s -> settings.events.placementVerified(id(s), "p" + placements.get(n(s))));
    ChainBuilder ended = post("placement.ended",
        s -> settings.events.placementEnded(id(s), "p" + placements.get(n(s))));
    ChainBuilder enrolled = post("training.enrolled",
        s -> settings.events.trainingEnrolled(id(s), "m1", "t" + (trainings.get(n(s)) + 1)))
        .exec(s -> {
          trainings.incrementAndGet(n(s));
          return s;
        });
    ChainBuilder completed = post("training.completed",
        s -> settings.events.trainingCompleted(id(s), "m1", "t" + trainings.get(n(s))));
    ChainBuilder helper = post("helper.assigned",
        s -> settings.events.helperAssigned(id(s), "h" + ThreadLocalRandom.current().nextInt(2000)));

    // A household id per user; with no placement yet, verification and ending become a start.
    var traffic = scenario("integrator events")
        .exec(s -> s.set("n", ThreadLocalRandom.current().nextLong(settings.households))
            .set("roll", ThreadLocalRandom.current().nextInt(100)))
        .doSwitchOrElse(s -> s.getInt("roll") < 30 || placements.get(n(s)) == 0 ? "start"
                : s.getInt("roll") < 60 ? "verify"
                : s.getInt("roll") < 72 ? "end"
                : s.getInt("roll") < 82 ? (trainings.get(n(s)) == 0 ? "enrol" : "complete-or-enrol")
                : s.getInt("roll") < 90 ? "enrol"
                : "helper")
        .on(
            onCase("start").then(started),
            onCase("verify").then(verified),
            onCase("end").then(ended),
            onCase("complete-or-enrol").then(completed),
            onCase("enrol").then(enrolled),
            onCase("helper").then(helper))
        .orElse(helper);

    setUp(settings.registration().injectOpen(atOnceUsers(4))
            .andThen(traffic.injectOpen(
                rampUsersPerSec(1).to(settings.users).during(10),
                constantUsersPerSec(settings.users).during(settings.duration))))
        .protocols(settings.protocol())
        .maxDuration(settings.maxDuration())
        .assertions(global().failedRequests().percent().lt(1.0));
  }
}
