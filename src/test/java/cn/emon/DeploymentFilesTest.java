package cn.emon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.emon.auth.AuthSettings;
import cn.emon.db.DatabaseSettings;
import cn.emon.http.HttpSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files of {@code config/} say what README.md's "Deploy on one server" says: the
 * production example is a PostgreSQL server on a private interface that refuses to start until its
 * token digests are real, and the systemd unit starts the jar with that file as a dedicated user in
 * {@code /var/lib/emon}, restarts it on failure and stops it with SIGTERM.
 */
class DeploymentFilesTest {

  private static final Path EXAMPLE = Path.of("config/emon.conf.example");
  private static final Path UNIT = Path.of("config/systemd/employment-monitor.service");

  @Test
  void theProductionExampleRefusesToStartUntilItsDigestsAreReal() throws Exception {
    Config shipped = ConfigFactory.parseFile(EXAMPLE.toFile()).withFallback(ConfigFactory.defaultReference()).resolve();
    assertThat(shipped.getInt("emon.ingest.max-batch")).as("its include found the defaults").isEqualTo(1000);
    assertThatThrownBy(() -> StartupChecks.verify(shipped))
        .hasMessage("emon.auth.tokens: sha256 of token 'county-522701-import' must be 64 hex digits");

    String text = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    Matcher placeholder = Pattern.compile("REPLACE_WITH_SHA256_HEX").matcher(text);
    String filled = placeholder.replaceAll(m -> sha256(UUID.randomUUID().toString()));
    Config real = ConfigFactory.parseString(filled).withFallback(ConfigFactory.defaultReference()).resolve();
    StartupChecks.verify(real);
    assertThat(DatabaseSettings.from(real.getConfig("emon.db")).vendor()).isEqualTo(DatabaseSettings.Vendor.POSTGRESQL);
    assertThat(HttpSettings.from(real.getConfig("emon.http")).isLoopback()).as("a non-loopback bind").isFalse();
    AuthSettings auth = AuthSettings.from(real.getConfig("emon.auth"));
    assertThat(auth.hasDevelopmentTokens()).isFalse();
    assertThat(auth.tokens()).extracting(t -> t.role().name()).containsExactly("INGEST", "READ", "READ", "ADMIN");
  }

  @Test
  void theSystemdUnitRunsTheJarAsADedicatedUserWithTheProductionFile() throws Exception {
    Map<String, String> unit = unitSettings(Files.readAllLines(UNIT, StandardCharsets.UTF_8));
    assertThat(unit).containsEntry("User", "emon").containsEntry("Group", "emon")
        .containsEntry("StateDirectory", "emon").containsEntry("WorkingDirectory", "/var/lib/emon")
        .containsEntry("Restart", "on-failure").containsEntry("KillSignal", "SIGTERM")
        // The JVM ends with 128 + 15 after a SIGTERM it handled: a clean stop, not a failure.
        .containsEntry("SuccessExitStatus", "143");
    long stopSeconds = Long.parseLong(unit.get("TimeoutStopSec"));
    long drainSeconds = ConfigFactory.parseResources("application.conf").getDuration("emon.http.shutdown-deadline")
        .toSeconds();
    assertThat(stopSeconds).as("TimeoutStopSec leaves room for the drain and Pekko's shutdown").isGreaterThan(2 * drainSeconds);

    List<String> command = Arrays.asList(unit.get("ExecStart").split("\\s+"));
    int jar = command.indexOf("-jar");
    assertThat(jar).as("ExecStart runs -jar").isPositive();
    assertThat(command.subList(1, jar)).contains("-Dconfig.file=/etc/emon/emon.conf", "-Dconfig.override_with_env_vars=true");
    assertThat(command.get(jar + 1)).isEqualTo("/opt/emon/employment-monitor.jar");
    assertThat(CommandLine.parse(command.subList(jar + 2, command.size())))
        .as("nothing after the jar, which the server would refuse").isInstanceOf(CommandLine.Run.class);

    File analyze = new File("/usr/bin/systemd-analyze");
    if (analyze.canExecute()) {
      Process p = new ProcessBuilder(analyze.getPath(), "verify", UNIT.toString()).redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze verify finished").isTrue();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(output).as("systemd-analyze verify " + UNIT).isEmpty();
      assertThat(p.exitValue()).isZero();
    }
  }

  /** {@code Key=value} lines of a unit file, continuation lines joined; comments and sections left out. */
  private static Map<String, String> unitSettings(List<String> lines) {
    Map<String, String> settings = new LinkedHashMap<>();
    StringBuilder pending = new StringBuilder();
    for (String line : lines) {
      if (pending.isEmpty() && (line.isBlank() || line.startsWith("#") || line.startsWith("["))) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      String whole = pending.append(line).toString().trim();
      pending.setLength(0);
      int eq = whole.indexOf('=');
      settings.put(whole.substring(0, eq), whole.substring(eq + 1).trim());
    }
    return settings;
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
