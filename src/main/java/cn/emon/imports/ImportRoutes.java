package cn.emon.imports;

import cn.emon.ErrorCode;
import cn.emon.auth.Authenticator;
import cn.emon.auth.Principal;
import cn.emon.http.ApiDirectives;
import cn.emon.http.ApiException;
import cn.emon.http.HttpServer;
import cn.emon.http.Problems;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/v1/imports} (role ingest) takes a register file as {@code text/csv} or xlsx and
 * answers {@code 202}; {@code GET /api/v1/imports/{importId}} (any role, within its regions) tells
 * its progress and row errors.
 */
final class ImportRoutes extends ApiDirectives {

  private final Imports imports;
  private final ImportSettings settings;

  ImportRoutes(Authenticator authenticator, Imports imports, ImportSettings settings) {
    super(authenticator);
    this.imports = imports;
    this.settings = settings;
  }

  Route route() {
    return pathPrefix("imports", () -> concat(
        pathEnd(() -> post(() -> authorized(Principal::mayIngest, "import registers", p ->
            optionalHeaderValueByName("Content-Encoding", encoding ->
                encoding.filter(e -> !e.equalsIgnoreCase("identity")).isPresent()
                    ? complete(Problems.response(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                        "Content-Encoding: only identity is accepted", List.of()))
                    // The upload may take longer than the server's request timeout allows others.
                    : withRequestTimeout(settings.uploadTimeout().plusSeconds(10), () ->
                        extractRequestEntity(entity -> completeWithFuture(submit(entity, p)))))))),
        path(importId -> get(() -> authenticated(p -> completeWithFuture(
            imports.status(importId, p).exceptionally(HttpServer::toResponse)))))));
  }

  private CompletionStage<HttpResponse> submit(HttpEntity entity, Principal principal) {
    try {
      ContentType type = entity.getContentType();
      String mediaType = type.mediaType().mainType() + "/" + type.mediaType().subType();
      RegisterFormat format = RegisterFormat.ofMediaType(mediaType).orElseThrow(() -> new ApiException(415,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
          "Content-Type: expected text/csv or " + RegisterFormat.XLSX.mediaType));
      if (format == RegisterFormat.CSV && type.getCharsetOption().isPresent()
          && !type.getCharsetOption().get().nioCharset().equals(StandardCharsets.UTF_8)) {
        throw new ApiException(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
            "Content-Type: CSV must be UTF-8 (charset=utf-8)");
      }
      return imports.submit(entity, format, principal).exceptionally(HttpServer::toResponse);
    } catch (ApiException e) {
      entity.discardBytes(imports.materializer());
      return CompletableFuture.completedFuture(Problems.of(e));
    }
  }
}
