package cn.emon.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/docs/}: Swagger UI for the OpenAPI document, from the Swagger UI webjar inside the
 * jar (government intranets are offline), with {@code /api/docs/openapi.yaml} beside it. No token:
 * the document describes the API and holds no data.
 */
public final class DocsRoutes extends AllDirectives {

  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

  private final String swaggerUi;
  private final byte[] document;
  private final byte[] initializer;

  public DocsRoutes() {
    this.swaggerUi = WEBJAR + webjarVersion() + "/";
    this.document = resource("/openapi.yaml");
    this.initializer = resource("/docs/swagger-initializer.js");
  }

  public Route route() {
    return pathPrefix("api", () -> pathPrefix("docs", () -> concat(
        pathEnd(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/api/docs/"), StatusCodes.MOVED_PERMANENTLY)),
        pathSingleSlash(() -> get(() -> getFromResource(swaggerUi + "index.html", ContentTypes.TEXT_HTML_UTF8))),
        path("openapi.yaml", () -> get(() -> complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.create(MediaTypes.applicationWithOpenCharset("yaml"), HttpCharsets.UTF_8), document))))),
        path("swagger-initializer.js", () -> get(() -> complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, HttpCharsets.UTF_8), initializer))))),
        get(() -> getFromResourceDirectory(swaggerUi)))));
  }

  private static String webjarVersion() {
    Properties p = new Properties();
    try (InputStream in = DocsRoutes.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the Swagger UI webjar is missing from the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("the Swagger UI webjar is unreadable", e);
    }
    return p.getProperty("version");
  }

  private static byte[] resource(String name) {
    try (InputStream in = DocsRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(name + " unreadable", e);
    }
  }
}
