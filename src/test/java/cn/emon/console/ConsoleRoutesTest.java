package cn.emon.console;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /console/} over HTTP: the pages without a token, their headers, the library, redirects. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRoutesTest {

  TestServer server;
  ApiClient http;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.h2(Map.of());
    http = server.client();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void servesTheChinesePageWithoutATokenAndOnlyFromItself() {
    ApiClient.Response page = http.get("/console/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<html lang=\"zh-CN\">", "js/app.js").doesNotContain("http://", "https://");
    assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'", "connect-src 'self'",
        "script-src 'self'");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void servesTheScriptsAndTheChartingLibraryAsJavaScript() {
    for (String path : new String[] {"/console/js/app.js", "/console/js/inbox.js", "/console/vendor/echarts.esm.min.js"}) {
      ApiClient.Response r = http.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.contentType()).as(path).startsWith("application/javascript");
    }
    assertThat(http.get("/console/app.css", null).contentType()).startsWith("text/css");
  }

  @Test
  void redirectsTheRootAndTheBareConsolePath() {
    ApiClient.Response root = http.get("/", null);
    assertThat(root.status()).isEqualTo(302);
    assertThat(root.header("Location")).isEqualTo("/console/");
    ApiClient.Response bare = http.get("/console", null);
    assertThat(bare.status()).isEqualTo(308);
    assertThat(bare.header("Location")).isEqualTo("/console/");
  }

  @Test
  void servesNothingOutsideItsFolder() {
    assertThat(http.get("/console/missing.js", null).status()).isEqualTo(404);
    assertThat(http.get("/console/%2e%2e/openapi.yaml", null).status()).isEqualTo(404);
    assertThat(http.get("/console/../application.conf", null).status()).isEqualTo(404);
  }
}
