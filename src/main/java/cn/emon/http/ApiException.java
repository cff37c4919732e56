package cn.emon.http;

import cn.emon.ErrorCode;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * A failure a caller should see as a problem document with this status and {@link ErrorCode}. The
 * detail names what is wrong without echoing the caller's values.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final ErrorCode code;
  private final String title;
  private final List<HttpHeader> headers;

  public ApiException(int status, ErrorCode code, String title, String detail) {
    this(status, code, title, detail, List.of());
  }

  public ApiException(int status, ErrorCode code, String title, String detail, List<HttpHeader> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.headers = headers;
  }

  /** 400 with the given code. */
  public static ApiException badRequest(ErrorCode code, String detail) {
    return new ApiException(400, code, "Bad Request", detail);
  }

  /** 400: a query or path parameter is malformed ({@code invalid_parameter}). */
  public static ApiException invalidParameter(String detail) {
    return badRequest(ErrorCode.INVALID_PARAMETER, detail);
  }

  /** 400: a field of the JSON body is malformed ({@code field_invalid}). */
  public static ApiException invalidField(String detail) {
    return badRequest(ErrorCode.FIELD_INVALID, detail);
  }

  /** 400: a required field of the JSON body is absent ({@code field_missing}). */
  public static ApiException missingField(String detail) {
    return badRequest(ErrorCode.FIELD_MISSING, detail);
  }

  /** 400: the body is JSON of the wrong shape ({@code body_invalid}). */
  public static ApiException invalidBody(String detail) {
    return badRequest(ErrorCode.BODY_INVALID, detail);
  }

  /** 404 ({@code not_found}). */
  public static ApiException notFound(String detail) {
    return new ApiException(404, ErrorCode.NOT_FOUND, "Not Found", detail);
  }

  /** 403: outside the token's regions ({@code region_forbidden}). */
  public static ApiException regionForbidden(String detail) {
    return new ApiException(403, ErrorCode.REGION_FORBIDDEN, "Forbidden", detail);
  }

  /** 422 with the given code: well-formed, but refused. */
  public static ApiException unprocessable(ErrorCode code, String detail) {
    return new ApiException(422, code, "Unprocessable Content", detail);
  }

  /** 503 with Retry-After: storage could not be reached or confirm in time ({@code storage_unavailable}). */
  public static ApiException unavailable(String detail, int retryAfterSeconds) {
    return new ApiException(503, ErrorCode.STORAGE_UNAVAILABLE, "Service Unavailable", detail,
        List.of(HttpHeader.parse("Retry-After", Integer.toString(retryAfterSeconds))));
  }

  /** 503 with Retry-After: too much in progress on this node ({@code overloaded}). */
  public static ApiException overloaded(String detail, int retryAfterSeconds) {
    return new ApiException(503, ErrorCode.OVERLOADED, "Service Unavailable", detail,
        List.of(HttpHeader.parse("Retry-After", Integer.toString(retryAfterSeconds))));
  }

  public int status() {
    return status;
  }

  public ErrorCode code() {
    return code;
  }

  public String title() {
    return title;
  }

  public List<HttpHeader> headers() {
    return headers;
  }
}
