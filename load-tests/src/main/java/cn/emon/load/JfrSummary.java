package cn.emon.load;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the {@code jdk.ExecutionSample} events of a JFR recording: the methods on top of the
 * stack (self time), the methods anywhere on the stack (inclusive), and the share by component
 * (the package family of the first frame that is not JDK plumbing). The same thing as
 * {@code jfr print --events jdk.ExecutionSample} read by hand, counted.
 *
 * <pre>jfr --file rec.jfr [--top 25]</pre>
 */
final class JfrSummary {

  private static final List<String[]> COMPONENTS = List.of(
      new String[] {"org.postgresql.", "pgjdbc (JDBC driver)"},
      new String[] {"com.zaxxer.hikari.", "HikariCP"},
      new String[] {"slick.", "Slick"},
      new String[] {"org.apache.pekko.persistence.jdbc.", "pekko-persistence-jdbc"},
      new String[] {"org.apache.pekko.projection.", "pekko-projection"},
      new String[] {"org.apache.pekko.persistence.", "pekko-persistence"},
      new String[] {"org.apache.pekko.cluster.", "pekko-cluster/sharding"},
      new String[] {"org.apache.pekko.http.", "pekko-http"},
      new String[] {"org.apache.pekko.stream.", "pekko-stream"},
      new String[] {"org.apache.pekko.serialization.", "pekko serialization"},
      new String[] {"org.apache.pekko.", "pekko-actor"},
      new String[] {"com.fasterxml.jackson.", "Jackson"},
      new String[] {"cn.emon.", "Employment Monitor"},
      new String[] {"scala.", "Scala library"},
      new String[] {"ch.qos.logback.", "logback"},
      new String[] {"sun.nio.", "JDK NIO / sockets"},
      new String[] {"java.", "JDK"},
      new String[] {"jdk.", "JDK"},
      new String[] {"sun.", "JDK"});

  private JfrSummary() {}

  static int run(Map<String, String> o) throws Exception {
    Path file = Path.of(o.get("file"));
    int top = Integer.parseInt(o.getOrDefault("top", "25"));
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> components = new HashMap<>();
    int samples = 0;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(name(frames.get(0)), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (seen.add(n)) {
            inclusive.merge(n, 1, Integer::sum);
          }
        }
        components.merge(component(frames), 1, Integer::sum);
      }
    }
    System.out.println("samples: " + samples);
    print("by component (first non-JDK frame from the top)", components, samples, top);
    print("self (top of stack)", self, samples, top);
    print("inclusive (anywhere on the stack)", inclusive, samples, top);
    return samples > 0 ? 0 : 1;
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** The component of the first frame from the top that is not the JDK; JDK if all are. */
  private static String component(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      String c = componentOf(type);
      if (!c.equals("JDK") && !c.equals("JDK NIO / sockets") && !c.equals("Scala library")) {
        return c;
      }
    }
    return componentOf(frames.get(0).getMethod().getType().getName());
  }

  private static String componentOf(String type) {
    for (String[] c : COMPONENTS) {
      if (type.startsWith(c[0])) {
        return c[1];
      }
    }
    return "other";
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.println();
    System.out.println(title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / samples, en.getKey()));
  }
}
