package cn.emon.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of processes on this machine from {@code /proc/<pid>/stat} (Linux): fields 14–17 are
 * utime, stime, cutime and cstime in clock ticks ({@code getconf CLK_TCK}, passed as {@code hz}).
 */
final class Machine {

  private final long hz;

  Machine(long hz) {
    this.hz = hz;
  }

  /** utime + stime of one process in milliseconds, or -1 when it is gone. */
  long cpuMillis(long pid) {
    long[] t = times(Path.of("/proc", Long.toString(pid), "stat"));
    return t == null ? -1 : (t[0] + t[1]) * 1000 / hz;
  }

  /** {@link #cpuMillis(long)} of each process still alive, by pid. */
  Map<Long, Long> cpuMillis(Collection<Long> pids) {
    Map<Long, Long> cpu = new HashMap<>();
    for (long pid : pids) {
      long ms = cpuMillis(pid);
      if (ms >= 0) {
        cpu.put(pid, ms);
      }
    }
    return cpu;
  }

  /**
   * CPU milliseconds of every process named {@code postgres}: backends, walwriter, checkpointer,
   * autovacuum and the postmaster. Each adds its utime + stime and its ended children's (cutime +
   * cstime): the postmaster reaps every backend, so a connection that closed during a phase still
   * counts.
   */
  long postgresCpuMillis() {
    long ticks = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        Path stat = proc.resolve("stat");
        String comm = comm(stat);
        if ("postgres".equals(comm)) {
          long[] t = times(stat);
          if (t != null) {
            ticks += t[0] + t[1] + t[2] + t[3];
          }
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 1000 / hz;
  }

  /** Whether any process named {@code postgres} is visible here (not so when it runs in another container). */
  boolean seesPostgres() {
    return postgresCpuMillis() > 0;
  }

  /** The 1-minute load average. */
  static String load1() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static String comm(Path stat) {
    String s = read(stat);
    if (s == null) {
      return null;
    }
    int open = s.indexOf('(');
    int close = s.lastIndexOf(')');
    return open < 0 || close < open ? null : s.substring(open + 1, close);
  }

  /** utime, stime, cutime, cstime in ticks, or null when the process is gone. */
  private static long[] times(Path stat) {
    String s = read(stat);
    if (s == null) {
      return null;
    }
    // After "pid (comm) " come the fields from 3 (state) on; the comm may hold spaces.
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
  }

  private static String read(Path stat) {
    try {
      return Files.readString(stat);
    } catch (IOException e) {
      return null;
    }
  }
}
