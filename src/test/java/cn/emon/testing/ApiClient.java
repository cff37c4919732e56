package cn.emon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real HTTP client against a test server. */
public final class ApiClient {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  public static final ObjectMapper JSON = new ObjectMapper();

  private final String base;

  public ApiClient(String base) {
    this.base = base;
  }

  /** A response with its body parsed when it is JSON. */
  public record Response(int status, String contentType, String body, HttpResponse<byte[]> raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Response get(String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
  }

  public Response post(String path, String token, String contentType, String body) {
    return post(path, token, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public Response post(String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b, token);
  }

  public Response send(HttpRequest.Builder builder, String token) {
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = HTTP.send(builder.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          new String(r.body(), StandardCharsets.UTF_8), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every page of {@code GET /api/v1/alerts?<query>}, following {@code nextCursor} to the end;
   * each page must answer 200.
   */
  public List<Response> alertPages(String query, String token) {
    List<Response> pages = new ArrayList<>();
    String cursor = null;
    do {
      String path = "/api/v1/alerts?" + query
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      Response r = get(path, token);
      if (r.status() != 200) {
        throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.body());
      }
      pages.add(r);
      JsonNode next = r.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asText();
    } while (cursor != null);
    return pages;
  }

  /** The households the region statistics count in {@code county} (a 6-digit code). */
  public long countyHouseholds(String county) {
    Response r = get("/api/v1/stats/regions?level=county&parent=" + county.substring(0, 4), "dev-read-token");
    for (JsonNode region : r.json().get("regions")) {
      if (region.get("code").asText().equals(county)) {
        return region.get("households").asLong();
      }
    }
    return 0;
  }

  /** Posts events as a JSON array with the development ingest token. */
  public Response ingest(String... events) {
    return post("/api/v1/events", "dev-ingest-token", "application/json", "[" + String.join(",", events) + "]");
  }
}
