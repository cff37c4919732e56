package cn.emon.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk import from county systems: {@code households} registrations posted as batches of
 * {@code batchSize} (1000) by {@code users} concurrent clients, each batch once, within
 * {@code duration} at most. The report's throughput of requests × 1000 is events per second.
 *
 * <pre>mvn gatling:test -Dgatling.simulationClass=cn.emon.load.BulkRegistrationSimulation \
 *     -Dhouseholds=100000 -Dusers=4 -Dduration=600</pre>
 */
public class BulkRegistrationSimulation extends Simulation {

  private final LoadSettings settings = new LoadSettings();

  {
    AtomicLong next = new AtomicLong();
    setUp(scenario("bulk registrations").exec(settings.registerAll(next))
            .injectOpen(atOnceUsers(Math.max(1, Integer.getInteger("users", 4)))))
        .protocols(settings.protocol())
        .maxDuration(settings.duration)
        .assertions(global().failedRequests().count().is(0L));
  }
}
