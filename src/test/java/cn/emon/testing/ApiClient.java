package cn.emon.testing;

import cn.emon.ErrorCode;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A real HTTP client against a test server. Every problem document it receives must carry a
 * documented {@code code} (CONTRACT §9), so each test that provokes an error also checks that.
 */
public final class ApiClient {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  public static final ObjectMapper JSON = new ObjectMapper();
  /** The wire names of {@link ErrorCode}. */
  public static final Set<String> ERROR_CODES =
      Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toUnmodifiableSet());

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
      Response response = new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          new String(r.body(), StandardCharsets.UTF_8), r);
      checkProblemCode(response);
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Fails unless a problem document carries one of the documented error codes. */
  public static void checkProblemCode(Response response) {
    if (response.contentType().startsWith("application/problem+json")) {
      JsonNode code = response.json().get("code");
      if (code == null || !code.isTextual() || !ERROR_CODES.contains(code.asText())) {
        throw new AssertionError("problem document without a documented code: " + response.body());
      }
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
