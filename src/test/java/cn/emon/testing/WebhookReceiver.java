package cn.emon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver for tests on the JDK's HTTP server: it records every request with its
 * Standard Webhooks headers and answers as its {@link Script} says (a status, headers, or no
 * answer at all). It can be stopped and started again on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {

  static {
    // Without it the JDK server delays each answer by ~40 ms (Nagle + delayed ACK).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One request as received; {@code headers} holds every request header as sent. */
  public record Received(String path, String id, String timestamp, String signature, byte[] body,
      Instant at, long atNanos, int answered, Map<String, List<String>> headers) {

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return ApiClient.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + bodyText(), e);
      }
    }

    /** Whether the signature verifies with {@code secret} (whsec_…), as a receiver would check it. */
    public boolean signedWith(String secret) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        for (String candidate : signature.split(" ")) {
          if (java.security.MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
              expected.getBytes(StandardCharsets.UTF_8))) {
            return true;
          }
        }
        return false;
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** How to answer. */
  public record Answer(int status, Map<String, String> headers, boolean silent) {
    public static Answer status(int status) {
      return new Answer(status, Map.of(), false);
    }

    /** No answer: the request hangs until the receiver stops. */
    public static Answer hang() {
      return new Answer(0, Map.of(), true);
    }
  }

  /** Chooses the answer to a request, given the requests received before it. */
  @FunctionalInterface
  public interface Script extends Function<Received, Answer> {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final InetAddress address;
  private volatile Script script = r -> Answer.status(200);
  private volatile CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private ExecutorService executor;
  private int port;

  private WebhookReceiver(InetAddress address) {
    this.address = address;
  }

  /**
   * Settings for a server process whose webhooks go to receivers like this one: loopback targets
   * allowed, retries within seconds (0, 1, 2, 3, then every 5 s), the outbox polled every 200 ms.
   */
  public static Map<String, String> serverSettings() {
    Map<String, String> s = new java.util.LinkedHashMap<>();
    s.put("emon.webhooks.allow-targets.0", "127.0.0.1/32");
    List<String> schedule = new ArrayList<>(List.of("0s", "1s", "2s", "3s"));
    schedule.addAll(Collections.nCopies(26, "5s"));
    for (int i = 0; i < schedule.size(); i++) {
      s.put("emon.webhooks.retry-schedule." + i, schedule.get(i));
    }
    s.put("emon.webhooks.poll-interval", "200ms");
    return s;
  }

  public static WebhookReceiver start() throws IOException {
    return start(InetAddress.getLoopbackAddress(), 0);
  }

  public static WebhookReceiver start(InetAddress address, int port) throws IOException {
    WebhookReceiver r = new WebhookReceiver(address);
    r.port = port;
    r.restart();
    return r;
  }

  /** Starts again on the same port after {@link #stop()}. */
  public synchronized void restart() throws IOException {
    release = new CountDownLatch(1);
    executor = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(address, port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  /** Closes the port; requests hanging on it are released. */
  public synchronized void stop() {
    if (server != null) {
      release.countDown();
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  public WebhookReceiver answering(Script script) {
    this.script = script;
    return this;
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    return "http://" + host + ":" + port + path;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Received pending = new Received(exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("webhook-id"), exchange.getRequestHeaders().getFirst("webhook-timestamp"),
        exchange.getRequestHeaders().getFirst("webhook-signature"), body, Instant.now(), System.nanoTime(), 0,
        Map.copyOf(exchange.getRequestHeaders()));
    Answer answer = script.apply(pending);
    received.add(new Received(pending.path(), pending.id(), pending.timestamp(), pending.signature(), body,
        pending.at(), pending.atNanos(), answer.silent() ? -1 : answer.status(), pending.headers()));
    if (answer.silent()) {
      try {
        release.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), reply.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
