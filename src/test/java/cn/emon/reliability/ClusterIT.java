package cn.emon.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Await;
import cn.emon.testing.ServerProcess;
import cn.emon.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Fault: a node of a three-node cluster killed with kill -9 under load, then a graceful rolling
 * restart of every node. Must hold: the killed node's households serve again from the survivors
 * (failover time measured), and every acknowledged event is stored once and folded once.
 */
class ClusterIT {

  @Test
  @EnabledIfEnvironmentVariable(named = "EMON_FAULT_TESTS", matches = "1",
      disabledReason = "opt-in (EMON_FAULT_TESTS=1): not yet proven stable within CI's time on 2 cores")
  void survivesANodeKilledUnderLoadAndARollingRestart() throws Exception {
    long started = System.nanoTime();
    String db = TestServer.createPostgresDatabase();
    int[] artery = {ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort()};
    List<ServerProcess> nodes = new ArrayList<>();
    List<ServerProcess> live = new CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Map<String, String> s = new HashMap<>(CrashRecoveryIT.settings(db));
        s.put("pekko.remote.artery.canonical.port", Integer.toString(artery[i]));
        for (int seed = 0; seed < 3; seed++) {
          s.put("pekko.cluster.seed-nodes." + seed, "pekko://emon@127.0.0.1:" + artery[seed]);
        }
        s.put("pekko.cluster.split-brain-resolver.stable-after", "5s");
        s.put("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", "120s");
        ServerProcess node = ServerProcess.start(s);
        nodes.add(node);
        live.add(node);
      }
      AtomicInteger next = new AtomicInteger();
      AcknowledgedSetChecker checker = new AcknowledgedSetChecker(
          () -> live.get(Math.floorMod(next.getAndIncrement(), live.size())).client(), "cluster");
      checker.start(3, 2000);
      try {
        Await.until(Duration.ofSeconds(90), "load through all nodes", () -> checker.progress() > 600);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; " + checker.tally() + "\nnode 1:\n" + nodes.get(0).logTail(), e);
      }

      ServerProcess victim = nodes.get(2);
      live.remove(victim);
      victim.kill();
      long killedAt = System.nanoTime();
      ApiClient survivor = nodes.get(0).client();
      List<String> sample = new ArrayList<>(checker.households()).subList(0, 60);
      Await.until(Duration.ofSeconds(90), "every household serves again after the kill", () ->
          sample.stream().allMatch(h -> survivor.get("/api/v1/households/" + h, "dev-read-token").status() == 200));
      long failoverMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();

      victim.restart();
      live.add(victim);
      for (ServerProcess node : nodes) {
        live.remove(node);
        node.stop();
        node.restart();
        live.add(node);
      }
      int afterRestarts = checker.acknowledgedCount();
      Await.until(Duration.ofSeconds(60), "load continues after the rolling restart",
          () -> checker.progress() > afterRestarts + 200);
      checker.stop();
      checker.verify(nodes.get(1).client());
      ReadModelChecks.foldedExactlyOnce(nodes.get(1).client(), checker.households(), 0);
      assertThat(failoverMillis).isLessThan(90_000);
      System.out.printf("cluster: failover after kill -9 in %d ms; %s; took %d s%n", failoverMillis, checker.tally(),
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
    } finally {
      for (ServerProcess node : nodes) {
        node.close();
      }
      TestServer.dropPostgresDatabase(db);
    }
  }
}
