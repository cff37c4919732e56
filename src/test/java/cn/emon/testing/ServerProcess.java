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
  private final Launch launch;
  private Process process;
  private int starts;
  private long lastStartMillis;

  /**
   * How to launch the jar: {@code -D} options, environment variables added to this JVM's, the
   * working folder (where the embedded database lands, under {@code ./data}), and the HTTP port
   * the server will answer on, which the properties or the environment must configure.
   */
  public record Launch(Map<String, String> properties, Map<String, String> environment, Path workDir, int port) {}

  /** How a run of the jar to its exit ended: its status and what it printed on each stream. */
  public record Exited(int status, String stdout, String stderr) {}

  private ServerProcess(Path jar, Launch launch) {
    this.jar = jar;
    this.launch = launch;
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
    return start(new Launch(props, Map.of(), Files.createTempDirectory("emon-process"), port));
  }

  /** Starts the jar as {@code launch} says and waits until {@code /health/ready} on its port. */
  public static ServerProcess start(Launch launch) throws IOException {
    ServerProcess p = new ServerProcess(jar(), launch);
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
    launch.properties().forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(jar.toString());
    starts++;
    long launched = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(command).directory(launch.workDir().toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().putAll(launch.environment());
    process = builder.start();
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
    System.out.printf("server process on port %d ready in %d ms (start %d)%n", port(), lastStartMillis, starts);
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
    return launch.port();
  }

  /** The working folder the process runs in. */
  public Path workDir() {
    return launch.workDir();
  }

  public long pid() {
    return process.pid();
  }

  public ApiClient client() {
    return new ApiClient("http://127.0.0.1:" + port());
  }

  public Path log() {
    return workDir().resolve("server.log");
  }

  /**
   * Runs {@code java} with {@code arguments} (everything after {@code java}, e.g. {@code -jar},
   * the jar and its arguments) in {@code workDir} until it exits; fails when it runs longer than
   * {@code timeout}.
   */
  public static Exited run(List<String> arguments, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(arguments);
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    Process p = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    RUNNING.add(p);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("java " + String.join(" ", arguments) + " still running after " + timeout
            + "; output:\n" + Files.readString(out) + Files.readString(err));
      }
    } finally {
      RUNNING.remove(p);
    }
    return new Exited(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
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
