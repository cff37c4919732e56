package cn.emon.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The packaged server ({@code EMON_TEST_JAR}, set by failsafe) as a separate process, for tests of
 * what survives a crash: start it with {@code -D} overrides, wait until ready, kill it with
 * SIGKILL ({@link #kill()}) or stop it with SIGTERM ({@link #stop()}), and start it again with the
 * same settings. Its output goes to a log file whose tail {@link #logTail()} shows on failure.
 */
public final class ServerProcess implements AutoCloseable {

  /** Servers still running when the test JVM exits are killed with it. */
  private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  private final Path jar;
  private final Map<String, String> properties;
  private final Path workDir;
  private final int port;
  private Process process;
  private int starts;
  private long lastStartMillis;

  private ServerProcess(Path jar, Map<String, String> properties, Path workDir, int port) {
    this.jar = jar;
    this.properties = properties;
    this.workDir = workDir;
    this.port = port;
  }

  /**
   * The jar under test. Skips the caller outside failsafe (surefire picks up {@code *IT} classes
   * too when {@code -Dtest=} names them); fails when failsafe names a jar that is not there.
   */
  public static Path jar() {
    String jar = System.getenv("EMON_TEST_JAR");
    Assumptions.assumeTrue(jar != null, "EMON_TEST_JAR unset: process tests run under failsafe (mvn verify)");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("EMON_TEST_JAR does not name the packaged jar: " + jar);
    }
    return Path.of(jar);
  }

  /**
   * Starts the jar with {@code properties} as {@code -D} options (plus {@code emon.http.port} on a
   * free loopback port) in a fresh working folder and waits until {@code /health/ready}.
   */
  public static ServerProcess start(Map<String, String> properties) throws IOException {
    Map<String, String> props = new LinkedHashMap<>(properties);
    int port = props.containsKey("emon.http.port") ? Integer.parseInt(props.get("emon.http.port")) : freePort();
    props.put("emon.http.port", Integer.toString(port));
    ServerProcess p = new ServerProcess(jar(), props, Files.createTempDirectory("emon-process"), port);
    try {
      p.launch();
    } catch (RuntimeException | AssertionError | IOException e) {
      if (p.process != null) {
        p.process.destroyForcibly(); // never leave a half-started server behind
      }
      throw e;
    }
    return p;
  }

  /** A loopback port free at the time of the call. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // Test servers live for seconds to minutes on two shared cores: C1 alone reaches ready with
    // ~40% less CPU (5.6 s instead of 9.7 s measured), which three cluster nodes feel most.
    command.add("-XX:TieredStopAtLevel=1");
    // The log is read back as UTF-8 (CanaryScan): never let a C/POSIX locale turn names into "???".
    command.add("-Dfile.encoding=UTF-8");
    command.add("-Dsun.stdout.encoding=UTF-8");
    command.add("-Dsun.stderr.encoding=UTF-8");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(jar.toString());
    starts++;
    long launched = System.nanoTime();
    process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    RUNNING.add(process);
    process.onExit().thenAccept(RUNNING::remove);
    try {
      Await.until(Duration.ofSeconds(240), "server process ready (start " + starts + ")", () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("server process exited with " + process.exitValue() + ":\n" + logTail());
        }
        return client().get("/health/ready", null).status() == 200;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + logTail(), e);
    }
    lastStartMillis = Duration.ofNanos(System.nanoTime() - launched).toMillis();
    System.out.printf("server process on port %d ready in %d ms (start %d)%n", port, lastStartMillis, starts);
  }

  /** How long the last start took, from launching the JVM to {@code /health/ready}. */
  public long lastStartMillis() {
    return lastStartMillis;
  }

  /** Starts the process again with the same settings and port, and waits until ready. */
  public ServerProcess restart() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("still running");
    }
    launch(); // on failure the caller's close() ends the process
    return this;
  }

  /** SIGKILL: no shutdown hook, no draining, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: a clean shutdown. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public ApiClient client() {
    return new ApiClient("http://127.0.0.1:" + port);
  }

  public Path log() {
    return workDir.resolve("server.log");
  }

  /** The last lines of the process output. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
