package cn.emon.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.emon.Main;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real server in this JVM on a free port, against a fresh database: embedded H2 in a temporary
 * folder, or a new PostgreSQL database when {@code EMON_TEST_PG_URL} names a server. Stop and
 * start it again to test recovery against the same database.
 */
public final class TestServer implements AutoCloseable {

  /** Tokens every test server accepts, besides the development tokens. */
  public static final String INGEST_11 = "test-ingest-11";
  public static final String READ_11 = "test-read-11";

  private final Map<String, Object> settings;
  private final Clock clock;
  private Main.Running running;

  private TestServer(Map<String, Object> settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** The PostgreSQL admin URL for tests, e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres. */
  public static String postgresUrl() {
    return System.getenv("EMON_TEST_PG_URL");
  }

  /**
   * Skips the calling test when no PostgreSQL is configured, unless {@code EMON_TEST_REQUIRE_PG}
   * is set (as in CI), where a missing database fails instead.
   */
  public static void assumePostgres() {
    if (System.getenv("EMON_TEST_REQUIRE_PG") != null) {
      if (postgresUrl() == null) {
        throw new IllegalStateException("EMON_TEST_REQUIRE_PG is set but EMON_TEST_PG_URL is not");
      }
      return;
    }
    assumeTrue(postgresUrl() != null,
        "EMON_TEST_PG_URL is not set: PostgreSQL tests skipped (.ci/run sets it)");
  }

  public static TestServer h2(Map<String, Object> overrides) throws Exception {
    return h2(overrides, Clock.systemUTC());
  }

  /** On embedded H2, with the features reading {@code clock} (a {@link MutableClock} moves them). */
  public static TestServer h2(Map<String, Object> overrides, Clock clock) throws Exception {
    return new TestServer(h2Settings(overrides), clock).start();
  }

  /** The settings of an H2 server in a fresh temporary folder. */
  public static Map<String, Object> h2Settings(Map<String, Object> overrides) throws java.io.IOException {
    Path dir = Files.createTempDirectory("emon-h2");
    Map<String, Object> s = base(overrides);
    s.put("emon.db.url", "jdbc:h2:file:" + dir.resolve("emon") + ";DATABASE_TO_UPPER=false");
    s.putIfAbsent("emon.backup.directory", dir.resolve("backups").toString());
    return s;
  }

  public static TestServer postgres(Map<String, Object> overrides) throws Exception {
    return postgres(overrides, Clock.systemUTC());
  }

  public static TestServer postgres(Map<String, Object> overrides, Clock clock) throws Exception {
    return new TestServer(postgresSettings(overrides), clock).start();
  }

  /** The settings of a server on a fresh PostgreSQL database. */
  public static Map<String, Object> postgresSettings(Map<String, Object> overrides) throws java.sql.SQLException {
    Map<String, Object> s = base(overrides);
    s.put("emon.db.url", createPostgresDatabase());
    return s;
  }

  /** A server on the database {@code settings} name, not started; see {@link #start()}. */
  public static TestServer of(Map<String, Object> settings, Clock clock) {
    return new TestServer(settings, clock);
  }

  /**
   * Creates a fresh PostgreSQL database on the {@code EMON_TEST_PG_URL} server and returns its
   * JDBC URL (skipping the caller when no server is configured, see {@link #assumePostgres()}).
   */
  public static String createPostgresDatabase() throws java.sql.SQLException {
    assumePostgres();
    String db = "emon_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(postgresUrl()); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    return postgresUrl().replaceFirst("/[A-Za-z0-9_]+(\\?|$)", "/" + db + "$1");
  }

  /** Drops a database made by {@link #createPostgresDatabase()}; anything else is left alone. */
  public static void dropPostgresDatabase(String url) throws java.sql.SQLException {
    if (url.startsWith("jdbc:postgresql:")) {
      String db = url.replaceFirst("^jdbc:postgresql://[^/]+/([A-Za-z0-9_]+).*$", "$1");
      try (Connection c = DriverManager.getConnection(postgresUrl()); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private static Map<String, Object> base(Map<String, Object> overrides) {
    Map<String, Object> s = new HashMap<>();
    s.put("emon.http.port", 0);
    s.put("pekko.remote.artery.canonical.port", 0);
    s.put("pekko.coordinated-shutdown.exit-jvm", "off");
    s.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    s.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    s.put("pekko.loglevel", "WARNING");
    s.put("emon.rules.deadline-scan-interval", "300ms");
    s.put("emon.auth.tokens", List.of(
        token("dev-ingest", "dev-ingest-token", "ingest", List.of()),
        token("dev-read", "dev-read-token", "read", List.of()),
        token("dev-admin", "dev-admin-token", "admin", List.of()),
        token("ingest-11", INGEST_11, "ingest", List.of("11")),
        token("read-11", READ_11, "read", List.of("11"))));
    s.putAll(overrides);
    return s;
  }

  /** One entry of {@code emon.auth.tokens} for {@code token}, for tests that configure their own list. */
  public static Map<String, Object> token(String name, String token, String role, List<String> regions) {
    return Map.of("name", name, "sha256", sha256(token), "role", role, "regions", regions);
  }

  static String sha256(String token) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts (or starts again) against the same database. */
  public TestServer start() throws Exception {
    Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    running = Main.start(config, clock).toCompletableFuture().get(60, TimeUnit.SECONDS);
    Await.until(Duration.ofSeconds(30), "server ready", () -> client().get("/health/ready", null).status() == 200);
    return this;
  }

  public void stop() throws Exception {
    if (running != null) {
      running.system().terminate();
      running.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      running = null;
    }
  }

  public int port() {
    return running.port();
  }

  public String dbUrl() {
    return (String) settings.get("emon.db.url");
  }

  public Main.Running running() {
    return running;
  }

  public ApiClient client() {
    return new ApiClient("http://127.0.0.1:" + port());
  }

  @Override
  public void close() throws Exception {
    stop();
    dropPostgresDatabase(dbUrl());
  }
}
