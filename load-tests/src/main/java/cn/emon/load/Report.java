package cn.emon.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code key=value} results of one bench.sh run into the side-by-side table: prints it
 * and writes it as Markdown ({@code --out}). The targets are issue 6's.
 *
 * <pre>report --in results.properties --out results/DATE.md</pre>
 */
final class Report {

  private final Map<String, String> r;
  private final List<String[]> rows = new ArrayList<>();

  private Report(Map<String, String> r) {
    this.r = r;
  }

  static int run(Map<String, String> o) throws Exception {
    Map<String, String> r = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(o.get("in")))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        r.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    String md = new Report(r).render();
    System.out.println(md);
    if (o.containsKey("out")) {
      Files.writeString(Path.of(o.get("out")), md);
    }
    return 0;
  }

  private double d(String key) {
    String v = r.get(key);
    try {
      return v == null ? Double.NaN : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private String s(String key) {
    return r.getOrDefault(key, "n/a");
  }

  private static String f(double v, String unit) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String n = v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    return n + unit;
  }

  /** A probe figure meets its p99 limit only when no probe was missed. */
  private String probeVerdict(String key, double p99Limit) {
    String v = verdict(d(key + "_p99_ms"), p99Limit, true);
    return v.equals("met") && d(key + "_misses") > 0 ? "**missed** (probes missed)" : v;
  }

  private static String verdict(double value, double limit, boolean atMost) {
    if (Double.isNaN(value)) {
      return "not measured";
    }
    return (atMost ? value <= limit : value >= limit) ? "met" : "**missed**";
  }

  /** Server CPU milliseconds per unit of work in a phase. */
  private String cpuPer(String phase, double units) {
    return String.format(Locale.ROOT, "%.2f ms", 1000 * d(phase + ".server_cpu_s") / units);
  }

  /** A batched-ingest phase: events/s, journal rows/s and their ratio to the raw limit. */
  private void batchRow(String phase, String what, double rowsPerEvent, double rawRows) {
    double events = d(phase + ".events_per_s");
    double ratio = events * rowsPerEvent / rawRows;
    row(what,
        f(events, " events/s") + " = " + f(events * rowsPerEvent, " rows/s") + " (" + f(rowsPerEvent, "")
            + " rows/event), **" + f(100 * ratio, "%") + " of raw**; request p50 "
            + f(d(phase + ".request_p50_ms"), " ms") + ", 503 retries " + s(phase + ".retries_503")
            + ", server CPU " + cpuPer(phase, d(phase + ".events")) + "/event",
        "≥ 50% of raw", verdict(ratio, 0.5, false), load(phase));
  }

  private void row(String what, String figure, String target, String met, String load) {
    rows.add(new String[] {what, figure, target, met, load});
  }

  private String load(String phase) {
    return s("load1." + phase);
  }

  private String render() {
    double rawRows = d("raw.rows_per_s");
    double regRowsPerEvent = d("journal.rows_per_event.register");
    double plcRowsPerEvent = d("journal.rows_per_event.placement");
    row("raw limit: plain JDBC, journal + tag rows, batches of 100, 8 connections",
        f(rawRows, " rows/s") + " (" + s("raw.rows") + " rows copied from the server's journal)",
        "(reference)", "", load("raw"));
    batchRow("batch_register", "batched ingest, new households (household.registered, batches of " + s("batch_size")
        + " over " + s("batch_register.events") + " households)", regRowsPerEvent, rawRows);
    batchRow("batch_placement", "batched ingest, known households (placement.started, batches of " + s("batch_size")
        + ")", plcRowsPerEvent, rawRows);
    if (!Double.isNaN(d("memory_register.events_per_s"))) {
      // The memory phase registers the rest of --households the same way, later in the run: the
      // JIT is warm and no profiler records, so it is the steadier figure for new households.
      batchRow("memory_register", "batched ingest, new households, later in the same run (the memory phase: "
          + s("memory_register.events") + " more registrations, batches of " + s("batch_size") + ")",
          regRowsPerEvent, rawRows);
    }
    for (String rate : s("rates").split(",")) {
      String k = "rate_" + rate.trim();
      boolean target = rate.trim().equals(s("target_rate"));
      row("single events at " + rate.trim() + " req/s, constant arrival (" + s(k + ".requests") + " requests)",
          "p50 " + f(d(k + ".p50_ms"), " ms") + ", p99 " + f(d(k + ".p99_ms"), " ms") + ", max "
              + f(d(k + ".max_ms"), " ms") + ", errors " + s(k + ".errors") + ", achieved "
              + f(d(k + ".achieved_rate"), " req/s") + ", server CPU " + cpuPer(k, d(k + ".requests")) + "/request",
          target ? "p99 ≤ 20 ms, no errors" : "",
          target ? (d(k + ".p99_ms") <= 20 && d(k + ".errors") == 0 ? "met" : "**missed**") : "", load(k));
    }
    String ak = "rate_" + s("target_rate");
    row("event → alert visible in GET /api/v1/alerts, during the " + s("target_rate") + " req/s run ("
            + s(ak + ".alert_probes") + " probes)",
        "p50 " + f(d(ak + ".alert_p50_ms"), " ms") + ", p99 " + f(d(ak + ".alert_p99_ms"), " ms") + ", max "
            + f(d(ak + ".alert_max_ms"), " ms") + ", misses " + s(ak + ".alert_misses"),
        "p99 ≤ 1 s", probeVerdict(ak + ".alert", 1000), load(ak));
    row("event → webhook received by a loopback receiver subscribed to the probes' county, same run ("
            + s(ak + ".webhook_probes") + " probes)",
        "p50 " + f(d(ak + ".webhook_p50_ms"), " ms") + ", p99 " + f(d(ak + ".webhook_p99_ms"), " ms") + ", max "
            + f(d(ak + ".webhook_max_ms"), " ms") + ", misses " + s(ak + ".webhook_misses"),
        "p99 ≤ 1.5 s", probeVerdict(ak + ".webhook", 1500), load(ak));
    double heap = d("memory.heap_used_mib");
    boolean fullSize = d("memory.households") >= 1_000_000;
    row("memory with " + s("memory.households") + " households registered, after full GC (active households are"
            + " capped at 100,000 per node; idle ones leave after 2 minutes)",
        "heap " + f(heap, " MiB") + " (" + f(1024.0 * 1024 * heap / d("memory.households"), " bytes/household")
            + " registered), RSS " + f(d("memory.rss_mib"), " MiB") + ", max heap " + s("memory.max_heap"),
        "≤ 2 GiB at 1,000,000", fullSize ? verdict(heap, 2048, true) : "not at 1M: run with --households 1000000",
        load("memory"));
    row("restart → /health/ready with " + s("memory.households") + " households",
        f(d("restart.ready_s"), " s") + " (cold start on an empty database: " + f(d("start.ready_s"), " s") + ")",
        "≤ 60 s", verdict(d("restart.ready_s"), 60, true), load("restart"));
    row("first read of a passivated household (GET /api/v1/households/{id}, " + s("passivated_read.reads")
            + " households untouched since the restart, one at a time)",
        "p50 " + f(d("passivated_read.p50_ms"), " ms") + ", p99 " + f(d("passivated_read.p99_ms"), " ms")
            + ", max " + f(d("passivated_read.max_ms"), " ms") + ", errors " + s("passivated_read.errors"),
        "p99 ≤ 50 ms", verdict(d("passivated_read.p99_ms"), 50, true), load("passivated_read"));

    StringBuilder md = new StringBuilder();
    md.append("# Employment Monitor benchmark, ").append(s("date")).append("\n\n");
    md.append("- machine: ").append(s("machine.nproc")).append(" cores, ").append(s("machine.mem")).append(" memory, ")
        .append(s("machine.cpu")).append("; PostgreSQL ").append(s("machine.pg")).append("; ").append(s("machine.java"))
        .append("\n");
    md.append("- command: `").append(s("command")).append("`\n");
    md.append("- server: ").append(s("server.commit")).append(", JVM options `").append(s("server.jvm")).append("`\n");
    md.append("- 1-minute load average before each phase in the last column: the machine is shared, a load above ")
        .append(s("machine.nproc")).append(" means other work competed for the cores during that phase.\n\n");
    md.append("| measure | figure | target (issue 6) | | load1 |\n|---|---|---|---|---|\n");
    for (String[] row : rows) {
      md.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return md.toString();
  }
}
