package cn.emon.reliability;

import static cn.emon.testing.Events.event;
import static cn.emon.testing.Events.member;
import static cn.emon.testing.Events.registered;
import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fault: one household flooded far past the entity's stash and the journal's buffer (64 clients,
 * 6,400 single-event requests at once). Must hold: 2xx only for what was stored, 429/503 with
 * Retry-After for the rest, never another status — the stored history holds exactly the ids
 * answered accepted.
 */
class HouseholdOverloadTest {

  @Test
  void floodOfOneHouseholdGets2xxOnlyForWhatWasStored() throws Exception {
    try (TestServer server = TestServer.postgres(Map.of("emon.ingest.max-concurrent-requests", 16,
        "emon.auth.rate-limit.per-second", 0))) {
      ApiClient api = server.client();
      String h = "522701-flood";
      assertThat(api.ingest(registered(h, "522701", false, member("m1", "ORDINARY", false))).status()).isEqualTo(200);
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(64);
      try {
        List<Future<?>> futures = new java.util.ArrayList<>();
        for (int c = 0; c < 64; c++) {
          futures.add(pool.submit(() -> {
            for (int i = 0; i < 100; i++) {
              String e = event("member.updated", h, "{\"memberId\":\"m1\",\"wantsTraining\":" + (i % 2 == 0) + "}");
              ApiClient.Response r = api.post("/api/v1/events", "dev-ingest-token", "application/cloudevents+json", e);
              statuses.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
              if (r.status() == 200) {
                JsonNode result = r.json().get("results").get(0);
                assertThat(result.get("status").asText()).isEqualTo("accepted");
                accepted.add(result.get("id").asText());
              } else {
                assertThat(r.status()).as(r.body()).isIn(429, 503);
                assertThat(r.header("Retry-After")).isNotNull();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get(10, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      Set<String> stored = new HashSet<>();
      api.get("/api/v1/households/" + h + "/events", "dev-read-token").json().get("events").forEach(e -> {
        if (e.get("type").asText().equals("member.updated")) {
          stored.add(e.get("event").get("meta").get("id").asText());
        }
      });
      System.out.printf("flood of one household: statuses %s, %d stored%n", statuses, stored.size());
      assertThat(stored).isEqualTo(accepted);
      assertThat(statuses.keySet()).isSubsetOf(200, 429, 503);
    }
  }
}
