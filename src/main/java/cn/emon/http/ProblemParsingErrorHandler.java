package cn.emon.http;

import java.util.List;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests too malformed to reach the routes (over-long URI or headers, bad request line)
 * with problem+json like every other error, naming the limit but never echoing the request.
 * Configured as {@code pekko.http.server.parsing.error-handler}.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    int code = status.intValue();
    String detail = switch (code) {
      case 414 -> "URI: longer than the allowed length";
      case 431 -> "headers: too large or too many";
      case 413 -> "body: larger than the allowed size";
      default -> "request: malformed HTTP";
    };
    log.debug("Rejected unparseable request with {}", code);
    return Problems.response(code, Problems.codeFor(code), status.reason(), detail, List.of());
  }
}
