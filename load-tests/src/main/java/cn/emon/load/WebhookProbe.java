package cn.emon.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event → webhook received: a loopback receiver subscribed (standard format) to the alerts of one
 * county. {@link #expect} notes when a probe household's registration was sent; the first webhook
 * naming that household records the latency. The subscription is deleted on {@link #close}.
 */
final class WebhookProbe implements AutoCloseable {

  private static final String ADMIN_TOKEN = "Bearer dev-admin-token";
  private static final Pattern HOUSEHOLD = Pattern.compile("\"householdId\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  private final HttpServer server;
  private final URI base;
  private final HttpClient client = Bench.client(1);
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Latencies latencies = new Latencies();
  private final AtomicInteger expected = new AtomicInteger();
  private String subscriptionId;

  private WebhookProbe(HttpServer server, URI base) {
    this.server = server;
    this.base = base;
  }

  /**
   * Starts the receiver and subscribes it to {@code county}. The server must allow loopback targets
   * ({@code emon.webhooks.allow-targets = ["127.0.0.1/32"]}).
   */
  static WebhookProbe subscribe(URI base, String county) throws IOException, InterruptedException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    WebhookProbe probe = new WebhookProbe(server, base);
    server.createContext("/probe", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        probe.received(new String(in.readAllBytes(), StandardCharsets.UTF_8), System.nanoTime());
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/probe";
    HttpResponse<String> r = probe.client.send(HttpRequest.newBuilder(Bench.loopback(URI.create(base + "/api/v1/webhooks")))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", ADMIN_TOKEN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"url\":\"" + url + "\",\"format\":\"standard\",\"regions\":[\"" + county + "\"]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    Matcher id = ID.matcher(r.body());
    if (r.statusCode() != 201 || !id.find()) {
      server.stop(0);
      throw new IllegalStateException("webhook subscription refused: HTTP " + r.statusCode() + " " + r.body());
    }
    probe.subscriptionId = id.group(1);
    return probe;
  }

  /** The registration of {@code householdId} is being sent now ({@code System.nanoTime()}). */
  void expect(String householdId, long nanos) {
    sentAt.put(householdId, nanos);
    expected.incrementAndGet();
  }

  /** The registration of {@code householdId} was refused: no webhook to wait for (still a miss). */
  void refused(String householdId) {
    sentAt.remove(householdId);
  }

  private void received(String body, long nanos) {
    Matcher m = HOUSEHOLD.matcher(body);
    while (m.find()) {
      Long sent = sentAt.remove(m.group(1));
      if (sent != null) {
        latencies.record(nanos - sent);
      }
    }
  }

  /** Waits until every expected probe's webhook arrived, or {@code grace} has passed. */
  void awaitAll(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  Latencies latencies() {
    return latencies;
  }

  /** Probes whose webhook has not arrived (including those whose registration was refused). */
  long misses() {
    return expected.get() - latencies.count();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      client.send(HttpRequest.newBuilder(Bench.loopback(URI.create(base + "/api/v1/webhooks/" + subscriptionId)))
          .timeout(Duration.ofSeconds(30)).header("Authorization", ADMIN_TOKEN).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
    } finally {
      server.stop(0);
    }
  }
}
