package cn.emon.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's benchmark (console-bench.sh): fills a server with open zero-employment alerts,
 * then measures the inbox's first page per region level and the exports of every row, with the
 * server's live heap during each export. Plain JDK; every request goes to the given loopback base
 * URL; every loop is bounded in count and time.
 *
 * <pre>
 *   fill   --base URL --households N [--batch 1000] [--concurrency 2]
 *   wait   --base URL --open N [--timeout-seconds 900]
 *   inbox  --base URL --regions 52,5227,… [--requests 300] [--warmup 30]
 *   export --base URL --path /api/v1/exports/…  --pid PID [--sample-seconds 1]
 * </pre>
 */
public final class ConsoleBench {

  static final String INGEST = "dev-ingest-token";
  static final String READ = "dev-read-token";
  /**
   * Real counties (GB/T 2260) and their weight: most households in 黔南 (5227), some elsewhere in
   * 贵州 (52) and in 云南 (53), a few in one small county, so each region level selects a
   * different share of the alerts.
   */
  static final String[] COUNTIES = {"522701", "522702", "522722", "522723", "522725", "522726", "522727",
      "522728", "522729", "522730", "522731", "522732", "520102", "520103", "520111", "522301", "530102",
      "530103", "530111", "522633"};
  static final int[] WEIGHTS = {20, 10, 10, 8, 6, 6, 5, 5, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1};

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ConsoleBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(Arrays.copyOfRange(args, 1, args.length));
    String base = o.get("base");
    if (base == null || !base.matches("http://127\\.[0-9.]+:[0-9]+")) {
      throw new IllegalArgumentException("--base must be http://127.x.x.x:PORT");
    }
    switch (args[0]) {
      case "fill" -> fill(base, Integer.parseInt(o.get("households")), Integer.parseInt(o.getOrDefault("batch", "1000")),
          Integer.parseInt(o.getOrDefault("concurrency", "2")));
      case "wait" -> waitOpen(base, Long.parseLong(o.get("open")), Integer.parseInt(o.getOrDefault("timeout-seconds", "900")));
      case "inbox" -> inbox(base, o.get("regions").split(",", -1), Integer.parseInt(o.getOrDefault("requests", "300")),
          Integer.parseInt(o.getOrDefault("warmup", "30")));
      case "export" -> export(base, o.get("path"), o.get("pid"), Integer.parseInt(o.getOrDefault("sample-seconds", "1")));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return o;
  }

  static String county(int i) {
    int total = Arrays.stream(WEIGHTS).sum();
    int slot = Math.floorMod(i * 7919, total);
    for (int c = 0; c < COUNTIES.length; c++) {
      slot -= WEIGHTS[c];
      if (slot < 0) {
        return COUNTIES[c];
      }
    }
    return COUNTIES[0];
  }

  /** Registers households in batches: each has one ordinary labourer and nobody employed. */
  static void fill(String base, int households, int batch, int concurrency) throws Exception {
    String time = OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0).toString();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<Integer>> done = new ArrayList<>();
    for (int from = 0; from < households; from += batch) {
      int start = from;
      int end = Math.min(households, from + batch);
      done.add(pool.submit(() -> {
        StringBuilder body = new StringBuilder("[");
        for (int i = start; i < end; i++) {
          String county = county(i);
          String region = county + String.format("%03d", 100 + i % 12);
          body.append(i == start ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"cb-").append(i)
              .append("\",\"source\":\"/console-bench\",\"type\":\"household.registered\",\"subject\":\"")
              .append(county).append("-cb").append(i).append("\",\"time\":\"").append(time)
              .append("\",\"data\":{\"regionCode\":\"").append(region).append("\",\"deepPovertyArea\":")
              .append(i % 3 == 0).append(",\"members\":[{\"memberId\":\"m1\",\"laborCapacity\":\"ORDINARY\"}]}}");
        }
        body.append("]");
        for (int attempt = 0; attempt < 20; attempt++) {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
              .header("Authorization", "Bearer " + INGEST).header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return end - start;
          }
          Thread.sleep(1000); // back-off before retrying the same batch (same ids: idempotent)
        }
        throw new IllegalStateException("batch from " + start + " refused 20 times");
      }));
    }
    int stored = 0;
    for (Future<Integer> f : done) {
      stored += f.get(30, TimeUnit.MINUTES);
    }
    pool.shutdown();
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("RESULT fill.households=%d%nRESULT fill.seconds=%.1f%nRESULT fill.events_per_s=%.0f%n",
        stored, s, stored / s);
  }

  /** Waits until the read model counts {@code open} open ZERO_EMPLOYMENT alerts. */
  static void waitOpen(String base, long open, int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    Pattern zero = Pattern.compile("\"ZERO_EMPLOYMENT\":(\\d+)");
    long seen = -1;
    while (System.nanoTime() < deadline) {
      String body = get(base + "/api/v1/stats/regions?level=national", READ).body();
      Matcher m = zero.matcher(body);
      seen = m.find() ? Long.parseLong(m.group(1)) : 0;
      if (seen >= open) {
        System.out.println("RESULT wait.open_alerts=" + seen);
        return;
      }
      Thread.sleep(1000); // polling interval of the condition
    }
    throw new IllegalStateException("only " + seen + " of " + open + " open alerts after " + timeoutSeconds + " s");
  }

  /** Sequential first pages of the inbox per region prefix: p50, p99, max. */
  static void inbox(String base, String[] regions, int requests, int warmup) throws Exception {
    for (String region : regions) {
      String url = base + "/api/v1/alerts?status=open&limit=50" + (region.isEmpty() ? "" : "&region=" + region);
      int rows = 0;
      for (int i = 0; i < warmup; i++) {
        get(url, READ);
      }
      long[] micros = new long[requests];
      for (int i = 0; i < requests; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = get(url, READ);
        micros[i] = (System.nanoTime() - t0) / 1000;
        if (r.statusCode() != 200) {
          throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        rows = r.body().split("\"alertId\"", -1).length - 1;
      }
      Arrays.sort(micros);
      String name = region.isEmpty() ? "all" : region;
      System.out.printf("RESULT inbox.%s.rows=%d%nRESULT inbox.%s.p50_ms=%.1f%nRESULT inbox.%s.p99_ms=%.1f%n"
          + "RESULT inbox.%s.max_ms=%.1f%n", name, rows, name, micros[requests / 2] / 1000.0, name,
          micros[(int) Math.ceil(requests * 0.99) - 1] / 1000.0, name, micros[requests - 1] / 1000.0);
    }
  }

  /**
   * Downloads an export while sampling the server's live heap: a full GC then the heap's used size,
   * every {@code sampleSeconds}, before, during and after. Live heap during minus before is what
   * the export holds.
   */
  static void export(String base, String path, String pid, int sampleSeconds) throws Exception {
    long before = liveHeapKiB(pid);
    long[] peak = {before};
    Thread sampler = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(sampleSeconds * 1000L); // sampling period
          long live = liveHeapKiB(pid);
          synchronized (peak) {
            peak[0] = Math.max(peak[0], live);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    long t0 = System.nanoTime();
    sampler.start();
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + READ).timeout(Duration.ofMinutes(10)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    long first = 0;
    long bytes = 0;
    long lines = 0;
    try (InputStream in = r.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (first == 0) {
          first = System.nanoTime();
        }
        bytes += n;
        for (int i = 0; i < n; i++) {
          lines += buffer[i] == '\n' ? 1 : 0;
        }
      }
    }
    long t1 = System.nanoTime();
    sampler.interrupt();
    sampler.join();
    long after = liveHeapKiB(pid);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode());
    }
    String name = path.replaceAll("^.*/exports/", "").replaceAll("[^a-z0-9]+", "_");
    System.out.printf("RESULT export.%s.seconds=%.1f%nRESULT export.%s.first_byte_s=%.1f%nRESULT export.%s.mib=%.1f%n"
        + "RESULT export.%s.csv_lines=%d%nRESULT export.%s.live_heap_before_mib=%.0f%n"
        + "RESULT export.%s.live_heap_peak_growth_mib=%.0f%nRESULT export.%s.live_heap_after_growth_mib=%.0f%n",
        name, (t1 - t0) / 1e9, name, (first - t0) / 1e9, name, bytes / 1048576.0, name, lines, name, before / 1024.0,
        name, (peak[0] - before) / 1024.0, name, (after - before) / 1024.0);
  }

  /**
   * Runs a full GC in the server and returns its used heap right after it (KiB): both commands in
   * one jcmd attach, so the figure holds what survived the GC and hardly anything allocated since
   * (two attaches, a JVM start each, would let a busy export allocate for a second in between).
   */
  static long liveHeapKiB(String pid) throws IOException {
    java.nio.file.Path commands = java.nio.file.Files.createTempFile("console-bench-jcmd", ".txt");
    try {
      java.nio.file.Files.writeString(commands, "GC.run\nGC.heap_info\n");
      String info = jcmd(pid, "-f", commands.toString());
      Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
      if (!m.find()) {
        throw new IllegalStateException("no heap figure in jcmd output");
      }
      return Long.parseLong(m.group(1));
    } finally {
      java.nio.file.Files.deleteIfExists(commands);
    }
  }

  static String jcmd(String pid, String... command) throws IOException {
    List<String> argv = new ArrayList<>(List.of("jcmd", pid));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.append(line).append('\n');
      }
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out.toString();
  }

  static HttpResponse<String> get(String url, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
