package cn.emon.http;

import cn.emon.auth.Authenticator;
import java.io.IOException;
import java.io.InputStream;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.1 document of the whole API, for any valid token. */
public final class OpenApiRoutes extends ApiDirectives {

  private final byte[] document;

  public OpenApiRoutes(Authenticator authenticator) {
    super(authenticator);
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml missing from the classpath");
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("openapi.yaml unreadable", e);
    }
  }

  public Route route() {
    return path("openapi.yaml", () -> get(() -> authenticated(p -> complete(HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.create(
            MediaTypes.applicationWithOpenCharset("yaml"), HttpCharsets.UTF_8), document))))));
  }
}
