package cn.emon.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Canary;
import cn.emon.testing.Events;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Posts events concurrently and records every event id answered 2xx (accepted or duplicate).
 * The events carry the {@link Canary} values in every free-text or ignored field.
 * After the faults, {@link #verify} checks that each acknowledged id is in its household's
 * journal exactly once. Responses other than 2xx are tallied; a 5xx other than 503 fails.
 */
final class AcknowledgedSetChecker {

  private final Supplier<ApiClient> clients;
  private final String prefix;
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>(); // event id -> household
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  private final AtomicInteger connectionErrors = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Duration thinkTime = Duration.ZERO;

  /** @param clients which server to post to next (several in a cluster) */
  AcknowledgedSetChecker(Supplier<ApiClient> clients, String prefix) {
    this.clients = clients;
    this.prefix = prefix;
  }

  /** Starts {@code workers} threads, each posting batches for its own households until stopped. */
  void start(int workers, int maxBatchesPerWorker) {
    start(workers, maxBatchesPerWorker, Duration.ZERO);
  }

  /**
   * As {@link #start(int, int)}, each worker waiting {@code thinkTime} after each batch the server
   * took: a steady load whose volume (and so the verification afterwards) grows with time only
   * linearly, however fast the machine.
   */
  void start(int workers, int maxBatchesPerWorker, Duration thinkTime) {
    this.thinkTime = thinkTime;
    running.set(true);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread t = new Thread(() -> {
        try {
          run(worker, maxBatchesPerWorker);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "checker-" + w);
      t.start();
      threads.add(t);
    }
  }

  /** How long a refused batch is still retried after {@link #stop()}. */
  private static final Duration RETRY_AFTER_STOP = Duration.ofSeconds(120);

  private void run(int worker, int maxBatches) {
    for (int batch = 0; batch < maxBatches && running.get(); batch++) {
      List<String> events = new ArrayList<>();
      Map<String, String> idToHousehold = new HashMap<>();
      for (int i = 0; i < 10; i++) {
        String h = prefix + "-" + worker + "-" + batch + "-" + i;
        // Personal-looking values wherever the server takes free text or ignores content: CanaryScan
        // proves afterwards that none of them came out in logs, metrics, alerts or webhooks.
        String reg = Canary.registered(h, "522701", Canary.member("m1", "ORDINARY"), Canary.member("m2", "WEAK"));
        String place = Canary.placementStarted(h, "m1", "p1", Events.today());
        events.add(reg);
        events.add(place);
        idToHousehold.put(idOf(reg), h);
        idToHousehold.put(idOf(place), h);
      }
      // Like an integrator, post the same batch (the same event ids) again until the server takes
      // it — also after stop(): a refused batch may have been stored, and only its retry says so.
      long stoppedAt = 0;
      while (!post(events, idToHousehold)) {
        if (!running.get()) {
          stoppedAt = stoppedAt == 0 ? System.nanoTime() : stoppedAt;
          if (System.nanoTime() - stoppedAt > RETRY_AFTER_STOP.toNanos()) {
            throw new AssertionError("a batch was still refused " + RETRY_AFTER_STOP.toSeconds()
                + " s after the load stopped: " + tally());
          }
        }
        pause(Duration.ofMillis(200));
      }
      if (!thinkTime.isZero()) {
        pause(thinkTime);
      }
    }
  }

  /** A client's back-off or think time between batches, not a synchronisation point. */
  private static void pause(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Posts one batch; false when the server did not answer it with 2xx. */
  private boolean post(List<String> events, Map<String, String> idToHousehold) {
    ApiClient.Response r;
    try {
      r = clients.get().ingest(events.toArray(String[]::new));
    } catch (RuntimeException e) {
      connectionErrors.incrementAndGet();
      return false;
    }
    statuses.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
    if (r.status() / 100 == 2) {
      for (JsonNode result : r.json().get("results")) {
        String status = result.get("status").asText();
        if (status.equals("accepted") || status.equals("duplicate")) {
          String id = result.get("id").asText();
          String h = idToHousehold.get(id);
          acknowledged.put(id, h);
          registered.add(h);
        }
      }
      return true;
    }
    assertThat(r.status()).as("only 503 or 429 may refuse work: " + r.body()).isIn(429, 503);
    assertThat(r.header("Retry-After")).isNotNull();
    return false;
  }

  private static String idOf(String event) {
    int at = event.indexOf("\"id\":\"") + 6;
    return event.substring(at, event.indexOf('"', at));
  }

  /** Stops the workers after their current batch. */
  void stop() throws InterruptedException {
    running.set(false);
    finish();
  }

  /** Waits for the workers to post all their batches. */
  void finish() throws InterruptedException {
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(300).toMillis());
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("a checker worker failed: " + failures.get(0).getMessage(), failures.get(0));
      throw e;
    }
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  /** The acknowledged count, failing at once when a worker has failed (for Await conditions). */
  int progress() {
    if (!failures.isEmpty()) {
      throw new AssertionError("a checker worker failed (" + tally() + "): " + failures.get(0), failures.get(0));
    }
    return acknowledged.size();
  }

  Set<String> households() {
    return registered;
  }

  String tally() {
    return "statuses=" + statuses + " connectionErrors=" + connectionErrors + " acknowledged=" + acknowledged.size();
  }

  /** Every acknowledged id is in its household's stored history exactly once. */
  void verify(ApiClient api) throws InterruptedException {
    verify(List.of(api));
  }

  /** As {@link #verify(ApiClient)}, the households spread over the servers, one thread for each. */
  void verify(List<ApiClient> apis) throws InterruptedException {
    Map<String, List<String>> byHousehold = new HashMap<>();
    acknowledged.forEach((id, h) -> byHousehold.computeIfAbsent(h, k -> new ArrayList<>()).add(id));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(apis.size());
    try {
      List<java.util.concurrent.Future<?>> checks = new ArrayList<>();
      AtomicInteger n = new AtomicInteger();
      byHousehold.forEach((h, ids) -> {
        ApiClient api = apis.get(n.getAndIncrement() % apis.size());
        checks.add(pool.submit(() -> verifyHousehold(api, h, ids)));
      });
      for (java.util.concurrent.Future<?> check : checks) {
        try {
          check.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void verifyHousehold(ApiClient api, String h, List<String> ids) {
    ApiClient.Response[] history = new ApiClient.Response[1];
    cn.emon.testing.Await.until(Duration.ofSeconds(30), "history of " + h, () ->
        (history[0] = api.get("/api/v1/households/" + h + "/events", "dev-read-token")).status() == 200);
    JsonNode events = history[0].json().get("events");
    Map<String, Integer> seen = new HashMap<>();
    events.forEach(e -> {
      JsonNode meta = e.get("event").get("meta");
      if (meta != null) {
        seen.merge(meta.get("id").asText(), 1, Integer::sum);
      }
    });
    for (String id : ids) {
      assertThat(seen.get(id)).as("acknowledged event " + id + " of " + h + " stored exactly once").isEqualTo(1);
    }
    assertThat(seen.values()).as("no event of " + h + " stored twice").allMatch(n -> n == 1);
  }
}
