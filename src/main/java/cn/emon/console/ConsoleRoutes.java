package cn.emon.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /console/}: the supervisor console (CONTRACT §8), static pages from the jar
 * ({@code resources/console/}) and the charting library from its webjar. The pages need no token;
 * they call the public {@code /api/v1} API with the one the user signs in with, so the server
 * decides what each user sees. A content security policy lets the browser load and connect to
 * this server only: government intranets are offline, and nothing may leak to another host.
 */
public final class ConsoleRoutes extends AllDirectives {

  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:", "connect-src 'self'", "font-src 'self'", "object-src 'none'",
      "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'");
  private static final String ECHARTS_POM = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";

  private final String echartsDirectory;

  public ConsoleRoutes() {
    this.echartsDirectory = "META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist";
    if (ConsoleRoutes.class.getResource("/" + echartsDirectory + "/echarts.esm.min.js") == null
        || ConsoleRoutes.class.getResource("/console/index.html") == null) {
      throw new IllegalStateException("console assets missing from the classpath");
    }
  }

  public Route route() {
    return get(() -> concat(
        pathSingleSlash(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/console/"),
            StatusCodes.FOUND)),
        path("console", () -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/console/"),
            StatusCodes.PERMANENT_REDIRECT)),
        pathPrefix("console", () -> respondWithHeaders(headers(), () -> concat(
            pathSingleSlash(() -> getFromResource("console/index.html")),
            pathPrefix("vendor", () -> path("echarts.esm.min.js", () ->
                getFromResource(echartsDirectory + "/echarts.esm.min.js"))),
            getFromResourceDirectory("console"))))));
  }

  private static List<HttpHeader> headers() {
    return List.of(
        HttpHeader.parse("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        HttpHeader.parse("X-Content-Type-Options", "nosniff"),
        HttpHeader.parse("Referrer-Policy", "no-referrer"),
        // Revalidate every time (Last-Modified): a new release shows at once.
        HttpHeader.parse("Cache-Control", "no-cache"));
  }

  private static String echartsVersion() {
    try (InputStream in = ConsoleRoutes.class.getResourceAsStream(ECHARTS_POM)) {
      if (in == null) {
        throw new IllegalStateException("the echarts webjar is missing from the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException("the echarts webjar is unreadable", e);
    }
  }
}
