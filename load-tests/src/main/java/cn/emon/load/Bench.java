package cn.emon.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP phases of {@code load-tests/bench.sh}. Each phase prints {@code RESULT key=value} lines
 * that the script collects; everything is bounded in count and time and targets one loopback URL.
 *
 * <p>With {@code --db-url} (the bench database) and {@code --server-pid}, a phase also measures
 * what it cost the server and PostgreSQL, waiting for the projections to catch up ({@link PhaseCost}).
 *
 * <pre>
 * batch  --base URL --prefix P --from N --count N --kind register|placement [--batch 1000] [--concurrency 4] [--max-seconds 600]
 * rate   --base URL --prefix P --households N --rate R --seconds S [--probes N --probe-prefix P [--webhooks true]] [--label L]
 * reads  --base URL --prefix P --households N --count K
 * ready  --base URL [--timeout-seconds 120]
 * </pre>
 */
public final class Bench {

  static final String INGEST_TOKEN = "Bearer dev-ingest-token";
  static final String READ_TOKEN = "Bearer dev-read-token";
  private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
  private static final Pattern DUPLICATES = Pattern.compile("\"duplicates\"\\s*:\\s*(\\d+)");
  private static final Pattern REJECTED = Pattern.compile("\"rejected\"\\s*:\\s*(\\d+)");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: Bench batch|rate|reads|ready|raw|jfr|report [--option value]...");
      System.exit(2);
    }
    Map<String, String> o = options(args);
    int status = switch (args[0]) {
      case "batch" -> batch(o);
      case "rate" -> rate(o);
      case "reads" -> reads(o);
      case "ready" -> ready(o);
      case "raw" -> RawJournalInsert.run(o);
      case "jfr" -> JfrSummary.run(o);
      case "report" -> Report.run(o);
      default -> {
        System.err.println("unknown phase " + args[0]);
        yield 2;
      }
    };
    System.exit(status);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value at " + args[i]);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  static void result(String key, Object value) {
    String v = value instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(value);
    System.out.println("RESULT " + key + "=" + v);
  }

  static HttpClient client(int threads) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(threads, r -> {
          Thread t = new Thread(r, "bench-http");
          t.setDaemon(true);
          return t;
        }))
        .build();
  }

  static URI checkedBase(Map<String, String> o, String path) {
    return loopback(URI.create(o.getOrDefault("base", "http://127.0.0.1:8080") + path));
  }

  /** The URI itself when it names a loopback host; load is only ever sent to this machine. */
  static URI loopback(URI uri) {
    String host = uri.getHost();
    if (!("127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host) || "::1".equals(host))) {
      throw new IllegalArgumentException("only loopback targets are allowed, not " + host);
    }
    return uri;
  }

  static HttpRequest post(URI uri, String body, String contentType) {
    // Long enough for a batch of 1000 new households on a busy machine; the server answers 503
    // itself when storage takes longer than its ask timeout.
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", INGEST_TOKEN)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", READ_TOKEN)
        .GET().build();
  }

  private static int intOf(Pattern p, String body) {
    Matcher m = p.matcher(body);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Ends a phase's cost meter (none without --db-url): waits for the projections and prints its figures. */
  static int finish(PhaseCost cost) throws Exception {
    if (cost == null) {
      return 0;
    }
    try (cost) {
      return cost.end();
    }
  }

  // ----------------------------------------------------------------------------------- batch

  /** Posts {@code count} households' events in batches from {@code concurrency} client threads. */
  static int batch(Map<String, String> o) throws Exception {
    String prefix = o.getOrDefault("prefix", "b");
    long from = Long.parseLong(o.getOrDefault("from", "0"));
    long count = Long.parseLong(o.getOrDefault("count", "10000"));
    int batchSize = Integer.parseInt(o.getOrDefault("batch", "1000"));
    int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "4"));
    String kind = o.getOrDefault("kind", "register");
    long maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("max-seconds", "600")));
    String label = o.getOrDefault("label", "batch_" + kind);
    URI uri = checkedBase(o, "/api/v1/events");
    Events events = new Events("/integrators/bench", "b" + System.currentTimeMillis());
    HttpClient client = client(2);
    long batches = (count + batchSize - 1) / batchSize;
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Latencies latency = new Latencies();
    PhaseCost cost = PhaseCost.begin(o, label, true);
    long started = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      Thread t = new Thread(() -> {
        long b;
        while ((b = next.getAndIncrement()) < batches && System.nanoTime() - started < maxNanos) {
          List<String> list = new ArrayList<>(batchSize);
          for (long n = from + b * batchSize; n < Math.min(from + count, from + (b + 1) * batchSize); n++) {
            String id = Events.household(prefix, n);
            list.add(kind.equals("register") ? events.registered(id, n)
                : events.placementStarted(id, "m1", "p" + n + "-" + ThreadLocalRandom.current().nextInt(1_000_000)));
          }
          String body = Events.batch(list);
          for (int attempt = 0; attempt < 20; attempt++) {
            long t0 = System.nanoTime();
            try {
              HttpResponse<String> r = client.send(post(uri, body, "application/json"),
                  HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                latency.record(System.nanoTime() - t0);
                // A retried batch answers the events stored by the failed attempt as duplicates.
                accepted.addAndGet(intOf(ACCEPTED, r.body()) + intOf(DUPLICATES, r.body()));
                rejected.addAndGet(intOf(REJECTED, r.body()));
                break;
              }
              if (r.statusCode() == 503 || r.statusCode() == 429) {
                // Back-pressure: the retry is safe (idempotent by event id) and counted.
                retries.incrementAndGet();
                Thread.sleep(100);
                continue;
              }
              failures.incrementAndGet();
              System.err.println("batch " + b + ": HTTP " + r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())));
              break;
            } catch (Exception e) {
              failures.incrementAndGet();
              System.err.println("batch " + b + ": " + e);
              break;
            }
          }
        }
      }, "batch-" + w);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int costed = finish(cost);
    result(label + ".events", accepted.get());
    result(label + ".rejected", rejected.get());
    result(label + ".seconds", seconds);
    result(label + ".events_per_s", accepted.get() / seconds);
    result(label + ".request_p50_ms", latency.percentileMillis(50));
    result(label + ".request_p99_ms", latency.percentileMillis(99));
    result(label + ".retries_503", retries.get());
    result(label + ".failures", failures.get());
    boolean complete = accepted.get() + rejected.get() >= count;
    if (!complete) {
      System.err.println(label + ": only " + accepted.get() + " of " + count + " events accepted");
    }
    return failures.get() == 0 && rejected.get() == 0 && complete && costed == 0 ? 0 : 1;
  }

  // ------------------------------------------------------------------------------------ rate

  /**
   * Single events at a constant arrival rate, wrk2-style: request i is due at start + i/rate and
   * its latency is measured from that due time, so a stalled server is charged for the requests
   * that queued behind the stall (no coordinated omission). Optionally runs event→alert probes
   * alongside.
   */
  static int rate(Map<String, String> o) throws Exception {
    String prefix = o.getOrDefault("prefix", "b");
    long households = Long.parseLong(o.getOrDefault("households", "10000"));
    int rate = Integer.parseInt(o.getOrDefault("rate", "500"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "10"));
    int probes = Integer.parseInt(o.getOrDefault("probes", "0"));
    String label = o.getOrDefault("label", "rate_" + rate);
    URI uri = checkedBase(o, "/api/v1/events");
    Events events = new Events("/integrators/bench", "r" + System.currentTimeMillis());
    HttpClient client = client(4);
    long total = (long) rate * seconds;
    Latencies latency = new Latencies();
    AtomicLong errors = new AtomicLong();
    AtomicLong notAccepted = new AtomicLong();
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger maxOutstanding = new AtomicInteger();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();

    Thread prober = null;
    Latencies alertLatency = new Latencies();
    AtomicLong probeMisses = new AtomicLong();
    WebhookProbe webhooks = probes > 0 && Boolean.parseBoolean(o.getOrDefault("webhooks", "false"))
        ? WebhookProbe.subscribe(checkedBase(o, ""), PROBE_COUNTY) : null;
    if (probes > 0) {
      String probePrefix = o.getOrDefault("probe-prefix", "probe" + System.currentTimeMillis() % 100000 + "x");
      long interval = TimeUnit.SECONDS.toNanos(seconds) / probes;
      prober = new Thread(() -> probeAlerts(o, events, probePrefix, probes, interval, alertLatency, probeMisses,
          webhooks), "alert-probe");
    }
    PhaseCost cost = PhaseCost.begin(o, label, true);
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime() + 20_000_000L;
    if (prober != null) {
      prober.start();
    }
    for (long i = 0; i < total; i++) {
      long due = start + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long n = ThreadLocalRandom.current().nextLong(households);
      String id = Events.household(prefix, n);
      String body = switch ((int) (i % 10)) {
        case 0, 1, 2, 3 -> events.placementStarted(id, "m1", "q" + i);
        case 4, 5, 6 -> events.helperAssigned(id, "h" + (i % 500));
        default -> events.trainingEnrolled(id, "m1", "t" + (i % 50));
      };
      int now = outstanding.incrementAndGet();
      maxOutstanding.accumulateAndGet(now, Math::max);
      CompletableFuture<?> f = client.sendAsync(post(uri, body, "application/cloudevents+json"),
              HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, t) -> {
            latency.record(System.nanoTime() - due);
            outstanding.decrementAndGet();
            if (t != null || r.statusCode() != 200) {
              errors.incrementAndGet();
            } else if (intOf(ACCEPTED, r.body()) != 1) {
              notAccepted.incrementAndGet();
            }
          });
      if (i % 1000 == 0) {
        inFlight.removeIf(CompletableFuture::isDone);
      }
      inFlight.add(f);
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    try {
      CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // counted as errors below: whatever did not complete within a minute
    }
    if (prober != null) {
      prober.join(TimeUnit.SECONDS.toMillis(seconds + 30));
    }
    int costed = finish(cost);
    long completed = latency.count();
    long lost = total - completed;
    result(label + ".requests", total);
    result(label + ".achieved_rate", total / sendSeconds);
    result(label + ".p50_ms", latency.percentileMillis(50));
    result(label + ".p99_ms", latency.percentileMillis(99));
    result(label + ".max_ms", latency.maxMillis());
    result(label + ".errors", errors.get() + lost);
    result(label + ".not_accepted", notAccepted.get());
    result(label + ".max_outstanding", maxOutstanding.get());
    if (probes > 0) {
      result(label + ".alert_probes", alertLatency.count());
      result(label + ".alert_p50_ms", alertLatency.percentileMillis(50));
      result(label + ".alert_p99_ms", alertLatency.percentileMillis(99));
      result(label + ".alert_max_ms", alertLatency.maxMillis());
      result(label + ".alert_misses", probeMisses.get());
    }
    long webhookMisses = 0;
    if (webhooks != null) {
      webhooks.awaitAll(Duration.ofSeconds(10));
      Latencies webhookLatency = webhooks.latencies();
      webhookMisses = webhooks.misses();
      result(label + ".webhook_probes", webhookLatency.count());
      result(label + ".webhook_p50_ms", webhookLatency.percentileMillis(50));
      result(label + ".webhook_p99_ms", webhookLatency.percentileMillis(99));
      result(label + ".webhook_max_ms", webhookLatency.maxMillis());
      result(label + ".webhook_misses", webhookMisses);
      webhooks.close();
    }
    return errors.get() + lost + notAccepted.get() + probeMisses.get() + webhookMisses == 0 && costed == 0 ? 0 : 1;
  }

  /** Probe households lie in a county of their own, so a webhook subscription can select them alone. */
  static final String PROBE_COUNTY = "520402";

  /**
   * One registration per probe; the time from sending it until {@code GET /api/v1/alerts?householdId=}
   * lists the household's ZERO_EMPLOYMENT alert, polled every 10 ms, given up after 10 s (a miss).
   * With {@code webhooks}, the same registration is also timed until its alert's webhook arrives.
   */
  static void probeAlerts(Map<String, String> o, Events events, String prefix, int probes, long intervalNanos,
      Latencies latency, AtomicLong misses, WebhookProbe webhooks) {
    HttpClient client = client(1);
    URI ingest = checkedBase(o, "/api/v1/events");
    long begin = System.nanoTime();
    for (int p = 0; p < probes; p++) {
      long slot = begin + p * intervalNanos;
      long wait = slot - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      String id = PROBE_COUNTY + "-" + prefix + p;
      URI alerts = checkedBase(o, "/api/v1/alerts?householdId=" + id);
      long t0 = System.nanoTime();
      if (webhooks != null) {
        webhooks.expect(id, t0);
      }
      try {
        HttpResponse<String> r = client.send(post(ingest, events.registered(id, 1 + 2L * p), "application/cloudevents+json"),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          misses.incrementAndGet();
          if (webhooks != null) {
            webhooks.refused(id);
          }
          continue;
        }
        boolean seen = false;
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
          HttpResponse<String> a = client.send(get(alerts), HttpResponse.BodyHandlers.ofString());
          if (a.statusCode() == 200 && a.body().contains("\"alertId\"")) {
            latency.record(System.nanoTime() - t0);
            seen = true;
            break;
          }
          Thread.sleep(10);
        }
        if (!seen) {
          misses.incrementAndGet();
        }
      } catch (Exception e) {
        misses.incrementAndGet();
      }
    }
  }

  // ----------------------------------------------------------------------------------- reads

  /** First reads of households not touched since the server started, one at a time. */
  static int reads(Map<String, String> o) throws Exception {
    String prefix = o.getOrDefault("prefix", "b");
    long households = Long.parseLong(o.getOrDefault("households", "10000"));
    int count = (int) Math.min(Long.parseLong(o.getOrDefault("count", "1000")), households);
    String label = o.getOrDefault("label", "passivated_read");
    HttpClient client = client(1);
    Latencies latency = new Latencies();
    long errors = 0;
    java.util.Set<Long> seen = new java.util.HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("max-seconds", "300")));
    PhaseCost cost = PhaseCost.begin(o, label, true);
    while (seen.size() < count && System.nanoTime() < deadline) {
      long n = ThreadLocalRandom.current().nextLong(households);
      if (!seen.add(n)) {
        continue;
      }
      URI uri = checkedBase(o, "/api/v1/households/" + Events.household(prefix, n));
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> r = client.send(get(uri), HttpResponse.BodyHandlers.ofString());
        latency.record(System.nanoTime() - t0);
        if (r.statusCode() != 200) {
          errors++;
        }
      } catch (Exception e) {
        errors++;
      }
    }
    int costed = finish(cost);
    result(label + ".reads", latency.count());
    result(label + ".p50_ms", latency.percentileMillis(50));
    result(label + ".p99_ms", latency.percentileMillis(99));
    result(label + ".max_ms", latency.maxMillis());
    result(label + ".errors", errors);
    return errors == 0 && latency.count() == count && costed == 0 ? 0 : 1;
  }

  /**
   * Waits for {@code /health/ready}, printing the seconds since {@code --since-ms} (epoch millis of
   * the server's launch, from the script) or since this call.
   */
  static int ready(Map<String, String> o) throws Exception {
    URI uri = checkedBase(o, "/health/ready");
    HttpClient client = client(1);
    long since = Long.parseLong(o.getOrDefault("since-ms", Long.toString(System.currentTimeMillis())));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("timeout-seconds", "120")));
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          System.out.println(String.format(Locale.ROOT, "%.2f", (System.currentTimeMillis() - since) / 1e3));
          return 0;
        }
      } catch (Exception e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    return 1;
  }
}
