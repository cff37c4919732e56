package cn.emon.http;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * A failure a caller should see as a problem document with this status. The detail names what
 * is wrong without echoing the caller's values.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String title;
  private final List<HttpHeader> headers;

  public ApiException(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  public ApiException(int status, String title, String detail, List<HttpHeader> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.headers = headers;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad Request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "Not Found", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "Forbidden", detail);
  }

  public static ApiException unavailable(String detail, int retryAfterSeconds) {
    return new ApiException(503, "Service Unavailable", detail,
        List.of(HttpHeader.parse("Retry-After", Integer.toString(retryAfterSeconds))));
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<HttpHeader> headers() {
    return headers;
  }
}
