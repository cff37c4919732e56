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
 * and writes it as Markdown ({@code --out}), with the cost of each phase per unit of work, the top
 * statements of the batched phases and the journal-size figures. The targets are issues 6 and 12's.
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

  /** The units of work of a phase: events, requests or reads. */
  private double units(String phase) {
    for (String unit : new String[] {".events", ".requests", ".reads"}) {
      if (r.containsKey(phase + unit)) {
        return d(phase + unit);
      }
    }
    return Double.NaN;
  }

  /** Milliseconds of {@code key}'s seconds per unit of the phase's work. */
  private double msPer(String phase, String key) {
    return 1000 * d(phase + "." + key) / units(phase);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v < 1 ? "%.3f ms" : "%.2f ms", v);
  }

  /** Server + PostgreSQL CPU per unit of work: the machine's share of the phase (the load generator's apart). */
  private double machineMs(String phase) {
    return msPer(phase, "server_cpu_s") + msPer(phase, "pg_cpu_s");
  }

  private String cpuFigure(String phase, String unit) {
    return "machine CPU **" + ms(machineMs(phase)) + "**/" + unit + " (server " + ms(msPer(phase, "server_cpu_s"))
        + " + PostgreSQL " + ms(msPer(phase, "pg_cpu_s")) + ")";
  }

  private String statementsFigure(String phase, String unit) {
    if (!"ok".equals(r.get(phase + ".pgss"))) {
      return "statements " + s(phase + ".pgss");
    }
    return f(d(phase + ".pg_calls") / units(phase), "") + " statements/" + unit;
  }

  /** A batched-ingest phase: events/s, its ratio to the raw events/s, the rows ratio, CPU and statements. */
  private void batchRow(String phase, String what) {
    double events = d(phase + ".events_per_s");
    double rowsPerEvent = d(phase + ".journal_rows") / d(phase + ".events");
    double ratio = events / d("raw.events_per_s");
    double rowsRatio = events * rowsPerEvent / d("raw.rows_per_s");
    double cpu = machineMs(phase);
    row(what,
        f(events, " events/s") + ", **" + pct(ratio) + " of raw events/s**; " + cpuFigure(phase, "event") + "; "
            + statementsFigure(phase, "event") + "; journal " + f(events * rowsPerEvent, " rows/s") + " ("
            + f(rowsPerEvent, "") + " rows/event), rows ratio " + pct(rowsRatio) + " of raw rows/s; request p50 "
            + f(d(phase + ".request_p50_ms"), " ms") + ", 503 retries " + s(phase + ".retries_503"),
        "events ratio ≥ 5× the baseline's (README), moonshot ≥ 50%; machine CPU ≤ 0.4 ms/event",
        "CPU " + verdict(cpu, 0.4, true) + (ratio >= 0.5 ? ", moonshot met" : ""), load(phase));
  }

  private static String pct(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, ratio < 0.1 ? "%.2f%%" : "%.1f%%", 100 * ratio);
  }

  private void row(String what, String figure, String target, String met, String load) {
    rows.add(new String[] {what, figure, target, met, load});
  }

  private String load(String phase) {
    return s("load1." + phase);
  }

  /** Phases that ran, in the order they ran, for the cost table. */
  private List<String> phases() {
    List<String> phases = new ArrayList<>();
    for (String key : r.keySet()) {
      if (key.endsWith(".window_s")) {
        phases.add(key.substring(0, key.length() - ".window_s".length()));
      }
    }
    return phases;
  }

  private String costTable() {
    StringBuilder t = new StringBuilder();
    t.append("\n## What each phase cost, per unit of work\n\n")
        .append("Window: from the phase's first request until every projection has folded its events (the")
        .append(" catch-up is charged to the phase). CPU from `/proc/<pid>/stat`: the server's process, and every")
        .append(" `postgres` process (backends, walwriter, checkpointer, autovacuum, the postmaster's ended children),")
        .append(" which on a shared machine includes other databases' work; \"bench db\" is this database's")
        .append(" backends only. Statements and PostgreSQL execution time from `pg_stat_statements` of the bench")
        .append(" database (the bench's own queries left out); commits and tuples from `pg_stat_database`.\n\n")
        .append("| phase | units | window | server CPU | PostgreSQL CPU (bench db) | machine CPU | statements")
        .append(" | PG exec time | poll: calls, PG time | commits | tuples ins / upd / del / returned | load1 |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String p : phases()) {
      double u = units(p);
      boolean pgss = "ok".equals(r.get(p + ".pgss"));
      t.append("| ").append(p)
          .append(" | ").append(f(u, ""))
          .append(" | ").append(f(d(p + ".window_s"), " s"))
          .append(" | ").append(ms(msPer(p, "server_cpu_s")))
          .append(" | ").append(ms(msPer(p, "pg_cpu_s"))).append(" (").append(ms(msPer(p, "pg_db_cpu_s"))).append(")")
          .append(" | ").append(ms(machineMs(p)))
          .append(" | ").append(pgss ? String.format(Locale.ROOT, "%.2f", d(p + ".pg_calls") / u) : s(p + ".pgss"))
          .append(" | ").append(pgss ? ms(d(p + ".pg_exec_ms") / u) : "n/a")
          .append(" | ").append(pgss ? String.format(Locale.ROOT, "%.0f, %s", d(p + ".poll_calls"),
              ms(d(p + ".poll_ms") / u)) : "n/a")
          .append(" | ").append(String.format(Locale.ROOT, "%.2f", d(p + ".db.xact_commit") / u))
          .append(" | ").append(String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f", d(p + ".db.tup_inserted") / u,
              d(p + ".db.tup_updated") / u, d(p + ".db.tup_deleted") / u, d(p + ".db.tup_returned") / u))
          .append(" | ").append(load(p)).append(" |\n");
    }
    t.append("\nAll figures per unit: per event (batched phases, raw), per request (rates), per read.")
        .append(" `pg_stat_statements` does not see the COMMITs pgjdbc sends after a connection's first (the")
        .append(" commits column does).\n");
    for (String p : phases()) {
      if (d(p + ".pgss_evictions") > 0) {
        t.append("- ").append(p).append(": ").append(s(p + ".pgss_evictions"))
            .append(" pg_stat_statements entries were evicted during the phase (pg_stat_statements.max): its")
            .append(" statement figures are low\n");
      }
    }
    for (String p : phases()) {
      if (p.startsWith("jsize_") || !r.containsKey(p + ".journal_kinds") || d(p + ".journal_rows") == 0) {
        continue;
      }
      t.append("- journal rows written by ").append(p).append(": ").append(s(p + ".journal_kinds")).append("\n");
    }
    return t.toString();
  }

  private String topStatements() {
    StringBuilder t = new StringBuilder();
    for (String p : List.of("batch_register", "batch_placement", "raw")) {
      if (!r.containsKey(p + ".top.1")) {
        continue;
      }
      t.append("\n### Top statements of ").append(p).append(" (").append(f(units(p), "")).append(" events)\n\n")
          .append("| statement (normalised, first 120 characters) | calls | total | per input event |\n")
          .append("|---|---|---|---|\n");
      for (int n = 1; r.containsKey(p + ".top." + n); n++) {
        String[] v = r.get(p + ".top." + n).split("\\|", 4);
        double calls = Double.parseDouble(v[0]);
        double total = Double.parseDouble(v[1]);
        t.append("| `").append(v[3].replace("|", "\\|").replace("`", "'")).append("` | ")
            .append(f(calls, "")).append(" (").append(String.format(Locale.ROOT, "%.2f", calls / units(p)))
            .append("/event) | ").append(f(total, " ms")).append(" | ").append(ms(total / units(p))).append(" |\n");
      }
    }
    if (t.length() == 0 && r.containsKey("batch_register.pgss")) {
      t.append("\nTop statements: ").append(s("batch_register.pgss")).append("\n");
    }
    return t.toString();
  }

  private String journalSizeTable() {
    String sizes = r.getOrDefault("journal_sizes", "");
    if (sizes.isEmpty()) {
      return "";
    }
    StringBuilder t = new StringBuilder();
    t.append("\n## The journal's size (issue 18)\n\n")
        .append("For each size the journal is topped up with filler rows (with the server stopped; see")
        .append(" `load-tests/README.md`), every projection's offset is moved past them, the server is started,")
        .append(" warmed up, and ").append("a batched ingest of new households runs. The poll is the projections'")
        .append(" eventsByTag query (`pg_stat_statements`: the SELECT naming `event_journal` and `event_tag` with")
        .append(" a LIMIT), over the ingest and the projections' catch-up. Projection events/s: the backlog at the")
        .append(" ingest's end (journal rows not yet folded, in input events) ÷ the time until every slice has")
        .append(" caught up; beside it, input events ÷ (ingest start → caught up).\n\n")
        .append("| journal rows at start (filler) | ingest | poll calls | poll time per call | rows per call")
        .append(" | poll PG time per input event | projection | machine CPU per event | load1 |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (String size : sizes.split(",")) {
      String p = "jsize_" + size.trim();
      if (!r.containsKey(p + ".filler_rows")) {
        continue;
      }
      double events = d(p + ".events");
      double rowsPerEvent = d(p + ".journal_rows") / events;
      double backlogEvents = d(p + ".backlog_rows") / rowsPerEvent;
      double catchUp = d(p + ".catch_up_s");
      boolean pgss = "ok".equals(r.get(p + ".pgss"));
      t.append("| ").append(f(d(p + ".journal_rows_before"), "")).append(" (").append(f(d(p + ".filler_rows"), ""))
          .append(") | ").append(f(events, " events")).append(", ").append(f(d(p + ".events_per_s"), " events/s"))
          .append(" | ").append(pgss ? f(d(p + ".poll_calls"), "") : s(p + ".pgss"))
          .append(" | ").append(pgss ? ms(d(p + ".poll_ms") / d(p + ".poll_calls")) : "n/a")
          .append(" | ").append(pgss ? f(d(p + ".poll_rows") / d(p + ".poll_calls"), "") : "n/a")
          .append(" | ").append(pgss ? ms(d(p + ".poll_ms") / events) : "n/a")
          .append(" | ").append(backlogEvents >= 1
              ? f(backlogEvents / catchUp, " events/s") + " (backlog " + f(backlogEvents, " events") + ", caught up after "
                  + f(catchUp, " s") + "; "
              : "kept up with the ingest (no backlog at its end; ")
          .append(f(events / (d(p + ".seconds") + catchUp), " events/s")).append(" overall)")
          .append(" | ").append(cpuFigure(p, "event"))
          .append(" | ").append(load(p)).append(" |\n");
    }
    return t.toString();
  }

  private void rawRow() {
    row("raw limit: plain JDBC writing the minimal durable record of the batched phases' input events — one"
            + " journal and one tag row each, batches of 100 per transaction, 8 connections",
        f(d("raw.events_per_s"), " events/s") + " (" + s("raw.input_events") + " input events, payload "
            + f(d("raw.payload_bytes_avg"), " bytes") + " on average, written " + s("raw.rounds") + "× = "
            + s("raw.events") + "); for the trend " + f(d("raw.rows_per_s"), " journal rows/s")
            + " (each with its tag row); machine CPU " + ms(msPer("raw", "pg_cpu_s") + msPer("raw", "client_cpu_s"))
            + "/event (PostgreSQL " + ms(msPer("raw", "pg_cpu_s")) + " + JDBC client "
            + ms(msPer("raw", "client_cpu_s")) + "); " + statementsFigure("raw", "event"),
        "(reference)", "", load("raw"));
  }

  private String render() {
    if (r.containsKey("raw.events_per_s")) {
      rawRow();
    }
    if (r.containsKey("batch_register.events")) {
      batchRow("batch_register", "batched ingest, new households (household.registered, batches of "
          + s("batch_size") + " over " + s("batch_register.events") + " households)");
      batchRow("batch_placement", "batched ingest, known households (placement.started, batches of "
          + s("batch_size") + ")");
    }
    if (!Double.isNaN(d("memory_register.events_per_s"))) {
      // The memory phase registers the rest of --households the same way, later in the run: the
      // JIT is warm and no profiler records, so it is the steadier figure for new households.
      batchRow("memory_register", "batched ingest, new households, later in the same run (the memory phase: "
          + s("memory_register.events") + " more registrations, batches of " + s("batch_size") + ")");
    }
    for (String rate : s("rates").split(",")) {
      String k = "rate_" + rate.trim();
      if (!r.containsKey(k + ".requests")) {
        continue;
      }
      boolean target = rate.trim().equals(s("target_rate"));
      row("single events at " + rate.trim() + " req/s, constant arrival (" + s(k + ".requests") + " requests)",
          "p50 " + f(d(k + ".p50_ms"), " ms") + ", p99 " + f(d(k + ".p99_ms"), " ms") + ", max "
              + f(d(k + ".max_ms"), " ms") + ", errors " + s(k + ".errors") + ", achieved "
              + f(d(k + ".achieved_rate"), " req/s") + "; " + cpuFigure(k, "request"),
          target ? "p99 ≤ 50 ms, no errors (moonshot 20 ms), at 1000 req/s for 60 s" : "",
          target ? (d(k + ".p99_ms") <= 50 && d(k + ".errors") == 0 ? "met" : "**missed**") : "", load(k));
    }
    String ak = "rate_" + s("target_rate");
    if (r.containsKey(ak + ".alert_probes")) {
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
    }
    if (r.containsKey("memory.heap_used_mib")) {
      double heap = d("memory.heap_used_mib");
      boolean fullSize = d("memory.households") >= 1_000_000;
      row("memory with " + s("memory.households") + " households registered, after full GC (active households"
              + " are capped at 100,000 per node; idle ones leave after 2 minutes)",
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
    }

    StringBuilder md = new StringBuilder();
    md.append("# Employment Monitor benchmark, ").append(s("date")).append("\n\n");
    md.append("- machine: ").append(s("machine.nproc")).append(" cores, ").append(s("machine.mem")).append(" memory, ")
        .append(s("machine.cpu")).append("; PostgreSQL ").append(s("machine.pg")).append("; ").append(s("machine.java"))
        .append("\n");
    md.append("- command: `").append(s("command")).append("`\n");
    md.append("- server: jar `").append(s("server.jar")).append("` built ").append(s("server.jar_built"))
        .append(", JVM options `").append(s("server.jvm")).append("`; bench script at ")
        .append(r.getOrDefault("bench.commit", s("server.commit"))).append("\n");
    md.append("- 1-minute load average before each phase in the last column: the machine is shared, a load above ")
        .append(s("machine.nproc")).append(" means other work competed for the cores during that phase.\n\n");
    md.append("| measure | figure | target (issues 6, 12) | | load1 |\n|---|---|---|---|---|\n");
    for (String[] row : rows) {
      md.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    md.append(journalSizeTable());
    md.append(costTable());
    md.append(topStatements());
    return md.toString();
  }
}
