package cn.emon.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Supervisors at their dashboards: {@code users} sessions per second for {@code duration}
 * seconds, each opening its county's open alerts, the next page, one alert type across the
 * province, and three households from the list. The households (and so their ZERO_EMPLOYMENT
 * alerts) are registered first (skip with {@code -Dregister=false}).
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=cn.emon.load.SupervisorReadSimulation \
 *     -Dhouseholds=10000 -Dusers=20 -Dduration=120</pre>
 */
public class SupervisorReadSimulation extends Simulation {

  private final LoadSettings settings = new LoadSettings();

  {
    var supervisor = scenario("supervisor")
        .exec(s -> s.set("county", Events.COUNTIES.get(ThreadLocalRandom.current().nextInt(Events.COUNTIES.size()))))
        .exec(http("alerts: open in county").get("/api/v1/alerts")
            .queryParamMap(s -> Map.of("status", "open", "region", s.getString("county"), "limit", 50))
            .header("Authorization", LoadSettings.READ)
            .check(status().is(200),
                jsonPath("$.alerts[*].householdId").findRandom(3).optional().saveAs("households"),
                jsonPath("$.nextCursor").optional().saveAs("cursor")))
        .pause(Duration.ofMillis(200), Duration.ofMillis(800))
        .doIf(s -> s.contains("cursor") && s.getString("cursor") != null).then(
            exec(http("alerts: next page").get("/api/v1/alerts")
                .queryParamMap(s -> Map.of("status", "open", "region", s.getString("county"), "limit", 50,
                    "cursor", s.getString("cursor")))
                .header("Authorization", LoadSettings.READ)
                .check(status().is(200))))
        .exec(http("alerts: zero employment, province").get("/api/v1/alerts")
            .queryParam("type", "ZERO_EMPLOYMENT").queryParam("region", s -> s.getString("county").substring(0, 2))
            .header("Authorization", LoadSettings.READ)
            .check(status().is(200)))
        .doIf(s -> s.contains("households")).then(
            foreach(s -> s.getList("households"), "household").on(
                pause(Duration.ofMillis(100), Duration.ofMillis(500))
                    .exec(http("household").get(s -> "/api/v1/households/" + s.getString("household"))
                        .header("Authorization", LoadSettings.READ)
                        .check(status().is(200)))));

    setUp(settings.registration().injectOpen(atOnceUsers(4))
            .andThen(supervisor.injectOpen(
                rampUsersPerSec(1).to(settings.users).during(10),
                constantUsersPerSec(settings.users).during(settings.duration))))
        .protocols(settings.protocol())
        .maxDuration(settings.maxDuration())
        .assertions(global().failedRequests().percent().lt(1.0));
  }
}
