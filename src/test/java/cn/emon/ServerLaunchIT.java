package cn.emon;

import static org.assertj.core.api.Assertions.assertThat;

import cn.emon.testing.ApiClient;
import cn.emon.testing.Events;
import cn.emon.testing.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as an operator starts it: {@code --help} and {@code --version} answer, options
 * written after {@code -jar} are refused instead of ignored, and settings reach the server from the
 * environment (Typesafe Config's {@code CONFIG_FORCE_} variables, and {@code EMON_DB_*}).
 */
class ServerLaunchIT {

  private static final Duration EXIT = Duration.ofSeconds(60);

  @Test
  void helpPrintsHowToPassSettingsAndExitsZero() throws Exception {
    ServerProcess.Exited run = ServerProcess.run(List.of("-jar", ServerProcess.jar().toString(), "--help"),
        Files.createTempDirectory("emon-help"), EXIT);
    assertThat(run.status()).as(run.stderr()).isZero();
    assertThat(run.stdout()).startsWith("Usage: java [JVM options] [-Dkey=value ...] -jar employment-monitor.jar")
        .contains("-Dconfig.file=/etc/emon/emon.conf", "BEFORE -jar", "CONFIG_FORCE_emon_http_port=8081",
            "EMON_DB_URL");
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void versionPrintsTheVersionTheBuildWroteIntoTheManifest() throws Exception {
    String expected = System.getenv("EMON_TEST_VERSION");
    assertThat(expected).as("EMON_TEST_VERSION (the pom's version, set by failsafe)").isNotBlank();
    ServerProcess.Exited run = ServerProcess.run(List.of("-jar", ServerProcess.jar().toString(), "--version"),
        Files.createTempDirectory("emon-version"), EXIT);
    assertThat(run.status()).as(run.stderr()).isZero();
    assertThat(run.stdout()).isEqualTo("Employment Monitor " + expected + "\n");
  }

  @Test
  void refusesOptionsWrittenAfterJarWithUsageAndStatus2() throws Exception {
    Path dir = Files.createTempDirectory("emon-refused");
    int port = ServerProcess.freePort();
    // The command load-tests/README.md used to give: everything after -jar reached main() and was ignored.
    ServerProcess.Exited run = ServerProcess.run(List.of("-jar", ServerProcess.jar().toString(),
        "-Demon.http.port=" + port, "-Demon.db.password=canary-s3cret", "-Demon.auth.rate-limit.per-second=0"),
        dir, EXIT);
    assertThat(run.status()).as(run.stdout() + run.stderr()).isEqualTo(2);
    assertThat(run.stderr())
        .startsWith("employment-monitor: '-Demon.http.port=...' is a JVM option: write it before -jar")
        .contains("Usage: java")
        .doesNotContain("canary-s3cret");
    assertThat(run.stdout()).isEmpty();
    assertThat(dir.resolve("data")).as("nothing started: no database created").doesNotExist();
  }

  @Test
  void refusesAnUnknownArgument() throws Exception {
    ServerProcess.Exited run = ServerProcess.run(List.of("-jar", ServerProcess.jar().toString(), "--port", "8081"),
        Files.createTempDirectory("emon-unknown"), EXIT);
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.stderr()).startsWith("employment-monitor: unknown argument '--port'\n\nUsage: java");
  }

  @Test
  void environmentVariablesConfigureTheServerAndWinOverSystemProperties() throws Exception {
    Path work = Files.createTempDirectory("emon-env");
    Path database = Files.createTempDirectory("emon-env-db");
    int port = ServerProcess.freePort();
    int ignoredPort = ServerProcess.freePort();
    Map<String, String> environment = Map.of(
        "CONFIG_FORCE_emon_http_port", Integer.toString(port),
        // "__" stands for "-": emon.auth.rate-limit.per-second and .burst, one request per 1000 s.
        "CONFIG_FORCE_emon_auth_rate__limit_per__second", "0.001",
        "CONFIG_FORCE_emon_auth_rate__limit_burst", "1",
        "EMON_DB_URL", "jdbc:h2:file:" + database.resolve("emon") + ";DATABASE_TO_UPPER=false");
    Map<String, String> properties = Map.of(
        "config.override_with_env_vars", "true",
        "emon.http.port", Integer.toString(ignoredPort));
    try (ServerProcess server = ServerProcess.start(new ServerProcess.Launch(properties, environment, work, port))) {
      // start() waited for /health/ready on the port the environment named.
      assertThat(refused(ignoredPort)).as("the -D port lost to the environment's").isTrue();

      ApiClient api = server.client();
      ApiClient.Response first = api.ingest(Events.registered("522701-env-1", "522701", false,
          Events.member("m1", "ORDINARY", false)));
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      ApiClient.Response second = api.ingest(Events.registered("522701-env-2", "522701", false,
          Events.member("m1", "ORDINARY", false)));
      assertThat(second.status()).as("the rate limit from the environment: " + second.body()).isEqualTo(429);

      assertThat(database.resolve("emon.mv.db")).as("EMON_DB_URL still names the database").exists();
      assertThat(work.resolve("data")).as("no default ./data database").doesNotExist();
      server.stop();
    }
  }

  private static boolean refused(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
