package cn.emon.http;

import cn.emon.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * RFC 9457 problem documents: the body of every 4xx and 5xx this server sends, each with the
 * stable {@code code} of CONTRACT §9 beside the human-readable {@code detail}.
 */
public final class Problems {

  public static final ContentType.WithFixedCharset PROBLEM_JSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));

  private Problems() {}

  public static HttpResponse response(int status, ErrorCode code, String title, String detail,
      List<HttpHeader> headers) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("code", code.wireName());
    body.put("detail", detail);
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .addHeaders(headers)
        .withEntity(HttpEntities.create(PROBLEM_JSON, JsonSupport.write(body)));
  }

  public static HttpResponse of(ApiException e) {
    return response(e.status(), e.code(), e.title(), e.getMessage(), e.headers());
  }

  /**
   * The code of a status the server's own layers answer without a more specific reason (Pekko's
   * rejections, requests too malformed to reach the routes).
   */
  public static ErrorCode codeFor(int status) {
    return switch (status) {
      case 401 -> ErrorCode.TOKEN_MISSING;
      case 403 -> ErrorCode.ROLE_FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 408 -> ErrorCode.REQUEST_TIMEOUT;
      case 413 -> ErrorCode.BODY_TOO_LARGE;
      case 414 -> ErrorCode.URI_TOO_LONG;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 429 -> ErrorCode.RATE_LIMITED;
      case 431 -> ErrorCode.HEADERS_TOO_LARGE;
      case 503 -> ErrorCode.STORAGE_UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
    };
  }
}
