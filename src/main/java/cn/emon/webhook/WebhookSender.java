package cn.emon.webhook;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.ProductVersion;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.UserAgent;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Sends one signed request to a receiver with pekko-http's pooled client, asynchronously, so a
 * slow receiver holds only its own connections. Each attempt carries the stable
 * {@code webhook-id}, a fresh {@code webhook-timestamp} and the signature over both and the body.
 * No answer within {@code request-timeout} counts as a failure; redirects are not followed; the
 * response body is always read and dropped, at most {@code max-response-bytes} of it. The
 * connection's address is resolved and checked by {@link TargetPolicy} as it is opened.
 */
final class WebhookSender {

  private final ActorSystem<?> system;
  private final WebhookSettings settings;
  private final Clock clock;
  private final WebhookMetrics metrics;
  private final Http http;
  private final ConnectionPoolSettings pool;

  WebhookSender(ActorSystem<?> system, WebhookSettings settings, TargetPolicy policy, Clock clock,
      WebhookMetrics metrics, Executor resolver) {
    this.system = system;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.http = Http.get(system);
    ClientConnectionSettings connection = ClientConnectionSettings.create(system.classicSystem())
        .withTransport(ClientTransport.withCustomResolver(
            (host, port) -> policy.resolve(host, (Integer) port, resolver)))
        .withConnectingTimeout(settings.requestTimeout())
        .withIdleTimeout(settings.requestTimeout().plusSeconds(5))
        .withUserAgentHeader(Optional.of(UserAgent.create(ProductVersion.create("EmploymentMonitor-Webhooks", "1"))));
    this.pool = ConnectionPoolSettings.create(system.classicSystem())
        .withConnectionSettings(connection)
        .withMaxConnections(8)
        .withMaxOpenRequests(256)
        .withMaxRetries(0);
  }

  /** Posts {@code body} to {@code url}, signed with {@code secret}; never fails, the failure is in the attempt. */
  CompletionStage<Attempt> send(String url, String secret, String messageId, byte[] body) {
    long started = System.nanoTime();
    Instant startedAt = clock.instant();
    CompletableFuture<HttpResponse> response;
    try {
      long timestamp = startedAt.getEpochSecond();
      HttpRequest request = HttpRequest.POST(url)
          .withEntity(ContentTypes.APPLICATION_JSON, body)
          .addHeaders(List.of(
              RawHeader.create("webhook-id", messageId),
              RawHeader.create("webhook-timestamp", Long.toString(timestamp)),
              RawHeader.create("webhook-signature",
                  WebhookSignature.sign(WebhookSignature.key(secret), messageId, timestamp, body))));
      response = http.singleRequest(request, http.defaultClientHttpsContext(), pool, system.classicSystem().log())
          .toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new Attempt(startedAt, null, errorOf(e), 0, null));
    }
    // Read and drop every body, also one that arrives after this attempt timed out.
    response.thenAccept(this::drain);
    return response
        .thenApply(r -> {
          int status = r.status().intValue();
          return new Attempt(startedAt, status, null, millisSince(started),
              status == 429 || status == 503 ? retryAfter(r).orElse(null) : null);
        })
        .orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(t -> new Attempt(startedAt, null, errorOf(t), millisSince(started), null))
        .thenApply(a -> {
          metrics.latency(a.latencyMs());
          return a;
        });
  }

  private void drain(HttpResponse response) {
    response.entity().withoutSizeLimit().getDataBytes()
        .limitWeighted(settings.maxResponseBytes(), bytes -> (long) bytes.size())
        .completionTimeout(settings.requestTimeout())
        .runWith(Sink.ignore(), system)
        .exceptionally(t -> null); // over the cap or too slow: the stream is cancelled, the connection dropped
  }

  private Optional<Duration> retryAfter(HttpResponse response) {
    return response.getHeader("Retry-After").flatMap(h -> {
      String v = h.value().trim();
      try {
        if (v.matches("[0-9]{1,9}")) {
          return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(clock.instant(), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    });
  }

  private static long millisSince(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /** A short, value-free description of why an attempt got no answer. */
  static String errorOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TargetPolicy.RefusedTarget refused) {
        return "target refused: " + refused.getMessage().replaceFirst("^url: ", "");
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TimeoutException) {
        return "timeout: no answer in time";
      }
      if (c instanceof SSLException) {
        return "TLS failed";
      }
      if (c instanceof ConnectException || c instanceof org.apache.pekko.stream.StreamTcpException) {
        return "connection failed";
      }
      if (c instanceof org.apache.pekko.http.scaladsl.model.IllegalUriException) {
        return "invalid URL";
      }
    }
    Throwable root = t;
    while (root.getCause() != null && root != root.getCause()) {
      root = root.getCause();
    }
    return "request failed: " + root.getClass().getSimpleName();
  }
}
