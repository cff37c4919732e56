package cn.emon.http;

import cn.emon.ErrorCode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the API: concatenates the feature routes with health checks, and is the one place where
 * failures and rejections become status codes with problem+json bodies.
 */
public final class HttpServer extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final HttpSettings settings;
  private final BooleanSupplier ready;

  public HttpServer(HttpSettings settings, BooleanSupplier ready) {
    this.settings = settings;
    this.ready = ready;
  }

  /** Binds {@code apiRoutes} under /api/v1 and the rest at the root; registers the binding with CoordinatedShutdown, which drains in-flight requests. */
  public CompletionStage<ServerBinding> start(ActorSystem<?> system, List<Route> apiRoutes,
      List<Route> otherRoutes) {
    Route all = concat(
        pathPrefix("api", () -> pathPrefix("v1", () -> concatAll(apiRoutes))),
        concatAll(otherRoutes),
        pathPrefix("health", () -> concat(
            path("live", () -> get(() -> complete(JsonSupport.ok(java.util.Map.of("status", "live"))))),
            path("ready", () -> get(() -> ready.getAsBoolean()
                ? complete(JsonSupport.ok(java.util.Map.of("status", "ready")))
                : complete(Problems.response(503, ErrorCode.NOT_READY, "Service Unavailable", "not ready yet", List.of())))))));
    Route sealed = handleExceptions(exceptionHandler(), () -> handleRejections(rejectionHandler(), () -> all));
    return Http.get(system).newServerAt(settings.host(), settings.port()).bind(sealed)
        .thenApply(binding -> {
          binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system);
          InetSocketAddress address = binding.localAddress();
          log.info("HTTP API listening on {}:{}", address.getHostString(), address.getPort());
          return binding;
        });
  }

  private Route concatAll(List<Route> routes) {
    return concat(routes.get(0), routes.subList(1, routes.size()).toArray(new Route[0]));
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .matchAny(t -> complete(toResponse(t)))
        .build();
  }

  /** Maps any failure to a problem response; unknown failures are logged by class only. */
  public static HttpResponse toResponse(Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException api) {
      return Problems.of(api);
    }
    if (cause instanceof java.sql.SQLException) {
      log.warn("Read model unavailable: {}", cause.getClass().getSimpleName());
      return Problems.of(ApiException.unavailable("storage: the read model is unavailable, retry", 5));
    }
    if (cause instanceof EntityStreamSizeException) {
      return Problems.response(413, ErrorCode.BODY_TOO_LARGE, "Content Too Large", "body: larger than the allowed size", List.of());
    }
    // The exception message may carry values from the database or the input: log the type only.
    log.error("Request failed with {}", cause.getClass().getName());
    return Problems.response(500, ErrorCode.INTERNAL_ERROR, "Internal Server Error", "the request failed; see the server log", List.of());
  }

  static RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity().getContentType().mediaType().subType().equals("problem+json")) {
        return response;
      }
      int status = response.status().intValue();
      String detail = status == 413 ? "body: larger than the allowed size"
          : status == 404 ? "no such resource"
          : status == 405 ? "method not allowed on this resource"
          : StatusCodes.get(status).reason();
      return Problems.response(status, Problems.codeFor(status), StatusCodes.get(status).reason(), detail, List.of())
          .addHeaders(response.getHeaders());
    });
  }
}
