#!/usr/bin/env bash
# Employment Monitor benchmark: one run on this machine against local PostgreSQL, printing side by
# side the raw JDBC limit of the journal and what the server achieves, with the server's and
# PostgreSQL's CPU and statements per event, and writing load-tests/results/<date>.md. See
# load-tests/README.md for what each figure means.
#
#   load-tests/bench.sh [--smoke] [--households N] [--batch-households N] [--rates 500,1000,2000]
#                       [--target-rate 1000] [--rate-seconds S] [--probes N] [--reads N]
#                       [--journal-sizes 1000000,2000000,4000000] [--journal-events N] [--journal-only]
#                       [--jar PATH] [--server-opts "JVM OPTIONS"] [--profile] [--pg-host H] [--pg-port P]
#
#   --smoke            everything tiny (< 40 s), the journal-size phase at one tiny size too; exits
#                      non-zero on any failure, prints "bench smoke: OK"
#   --households N     households registered for the memory and restart figures (default 100000;
#                      issue 6's target is 1000000)
#   --batch-households households of the batched-ingest figures (default 20000, at least 10000)
#   --rates            constant arrival rates of single events, req/s (default 500,1000,2000)
#   --target-rate      the rate at which the alert probes run and p99 is judged (default 1000)
#   --rate-seconds     seconds per rate (default 30)
#   --probes           event→alert probes during the target-rate run (default 100)
#   --reads            first reads of passivated households after the restart (default 1000)
#   --journal-sizes    issue 18: for each size, fill the journal with that many rows of filler
#                      (server stopped, projections moved past them), restart, and time a batched
#                      ingest and the projections' journal poll (default: off)
#   --journal-events   events of each journal-size ingest (default 20000)
#   --journal-only     only the journal-size benchmark (after a start and the warm-up)
#   --jar              the server jar (default $EMON_JAR, else target/employment-monitor.jar)
#   --server-opts      extra JVM options for the server
#   --profile          record JFR during the batched registrations and the target-rate run and
#                      write per-phase summaries next to the results file
#
# Every loop is bounded in count and time; every request goes to 127.0.0.1. Scratch databases are
# created per run and dropped at the end, also on failure.
set -euo pipefail
# The whole script is one compound command, read before it runs: editing this file during a
# run cannot change the run.
{

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"

smoke=0
households=100000
batch_households=20000
rates="500,1000,2000"
target_rate=1000
rate_seconds=30
probes=100
reads=1000
jar="${EMON_JAR:-$top/target/employment-monitor.jar}"
server_opts=""
profile=0
pg_host=127.0.0.1
pg_port=5432
journal_sizes=""
journal_events=20000
journal_only=0
command_line="load-tests/bench.sh $*"

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --households) households="$2"; shift 2 ;;
    --batch-households) batch_households="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --target-rate) target_rate="$2"; shift 2 ;;
    --rate-seconds) rate_seconds="$2"; shift 2 ;;
    --probes) probes="$2"; shift 2 ;;
    --reads) reads="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --server-opts) server_opts="$2"; shift 2 ;;
    --profile) profile=1; shift ;;
    --pg-host) pg_host="$2"; shift 2 ;;
    --pg-port) pg_port="$2"; shift 2 ;;
    --journal-sizes) journal_sizes="$2"; shift 2 ;;
    --journal-events) journal_events="$2"; shift 2 ;;
    --journal-only) journal_only=1; shift ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

batch_size=1000
batch_concurrency=4
warmup_seconds=5
warmup_households=5000
settle_ms=1100
if [ "$smoke" = 1 ]; then
  households=300; batch_households=300; batch_size=100; batch_concurrency=2
  rates="20,40"; target_rate=40; rate_seconds=1; probes=2; reads=20; warmup_seconds=0; warmup_households=0
  journal_sizes=3000; journal_events=100; journal_only=0; settle_ms=0
elif [ "$batch_households" -lt 10000 ]; then
  echo "bench: --batch-households must be at least 10000 (issue 6)" >&2; exit 2
fi
[ "$households" -ge "$batch_households" ] || households="$batch_households"
if [ "$journal_only" = 1 ] && [ -z "$journal_sizes" ]; then
  echo "bench: --journal-only needs --journal-sizes" >&2; exit 2
fi
journal_sizes=$(tr ',' '\n' <<< "$journal_sizes" | sed '/^$/d' | sort -n | paste -sd, -)
case "$pg_host" in 127.*|localhost) ;; *) echo "bench: PostgreSQL must be on loopback" >&2; exit 2 ;; esac

[ -f "$jar" ] || { echo "bench: server jar $jar not found (build it with mvn package, or pass --jar)" >&2; exit 2; }
pg_isready -h "$pg_host" -p "$pg_port" -q || { echo "bench: PostgreSQL is not accepting connections on $pg_host:$pg_port" >&2; exit 2; }

for size in ${journal_sizes//,/ }; do
  [[ "$size" =~ ^[0-9]+$ ]] || { echo "bench: --journal-sizes takes row counts, not $size" >&2; exit 2; }
done

started_at=$(date +%s)
stamp=$(date +%Y-%m-%d-%H%M%S)
work=$(mktemp -d "${TMPDIR:-/tmp}/emon-bench.XXXXXX")
results_dir="$here/results"
mkdir -p "$results_dir"
props="$work/results.properties"
db="emon_bench_$$_$started_at"
raw_db="emon_bench_raw_$$_$started_at"
server_pid=""
failed=0
hz=$(getconf CLK_TCK)
# Marks the script's own statements, which the statement figures leave out.
mark="/* emon-bench */"

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
record() { echo "$1=$2" >> "$props"; }
prop() { grep "^$1=" "$props" | tail -n1 | cut -d= -f2-; }
load1() { cut -d' ' -f1 /proc/loadavg; }
psql_db() { psql -h "$pg_host" -p "$pg_port" -U postgres -d "$1" -v ON_ERROR_STOP=1 -Atqc "$mark $2"; }

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  dropdb -h "$pg_host" -p "$pg_port" -U postgres --if-exists --force "$db" 2>/dev/null || true
  dropdb -h "$pg_host" -p "$pg_port" -U postgres --if-exists --force "$raw_db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------- the tool
log "compiling the benchmark tool"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" "$here"/src/main/java/cn/emon/load/*.java
# The server jar carries the same PostgreSQL driver the server uses.
tool() { java -Xmx1g -XX:+UseParallelGC -cp "$work/classes:$jar" cn.emon.load.Bench "$@"; }
# What a phase cost: the tool snapshots the server's CPU, every postgres process's CPU and the bench
# database's statement and tuple counters (PhaseCost), waits after the load until the projections
# have caught up, and reports the deltas, so CPU per event is measured inside the tool's own JVM.
metered() { tool "$@" --db-url "$db_url?user=postgres" --server-pid "$server_pid" --hz "$hz" --settle-ms "$settle_ms"; }
phase() { # phase LABEL ARGS...: runs a Bench phase with its cost meter, records its RESULT lines and load
  local label="$1"; shift
  record "load1.$label" "$(load1)"
  log "$label: $* (load1 $(load1))"
  local out="$work/$label.out" rc=0
  metered "$@" --label "$label" > "$out" || rc=$?
  { grep '^RESULT ' "$out" || true; } | sed 's/^RESULT //' | tee -a "$props" | grep -v '\.top\.' | sed 's/^/    /' >&2
  if [ "$rc" != 0 ]; then
    log "$label: FAILED (exit $rc)"
    failed=1
  fi
  return 0
}

# -------------------------------------------------------------------------------- the server
createdb -h "$pg_host" -p "$pg_port" -U postgres "$db"
db_url="jdbc:postgresql://$pg_host:$pg_port/$db"
base=""

start_server() { # start_server LABEL: launches the server, waits for ready, records the time
  local label="$1" since port
  since=$(date +%s%3N)
  # shellcheck disable=SC2086
  java $server_opts -Demon.db.url="$db_url" -Demon.db.user=postgres -Demon.http.port=0 \
    -Demon.auth.rate-limit.per-second=0 -Demon.webhooks.allow-targets.0=127.0.0.1/32 -jar "$jar" > "$work/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 2400); do
    port=$(grep -o 'HTTP API listening on 127.0.0.1:[0-9]*' "$work/server-$label.log" 2>/dev/null | head -n1 | sed 's/.*://' || true)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "${port:-}" ]; then
    log "server did not start; its log:"; tail -n 40 "$work/server-$label.log" >&2; exit 1
  fi
  base="http://127.0.0.1:$port"
  local ready
  ready=$(tool ready --base "$base" --since-ms "$since" --timeout-seconds 120) || {
    log "server not ready within 120 s"; tail -n 40 "$work/server-$label.log" >&2; exit 1; }
  record "$label.ready_s" "$ready"
  log "$label: ready after $ready s at $base (pid $server_pid)"
}

stop_server() {
  kill -TERM "$server_pid"
  for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# pg_stat_statements is loaded by the server's configuration (shared_preload_libraries) or not;
# the view lives in the database that has the extension.
statements_extension() {
  psql_db "$1" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" 2>/dev/null ||
    log "pg_stat_statements is not available in $1: statement figures are n/a"
}

# Not-measured batched registrations of other households, so the figures that follow are a
# JIT-compiled server's; waits for the projections (the tool does, given the database).
warm_up() { # warm_up PREFIX KINDS...
  local prefix="$1"; shift
  [ "$warmup_households" -gt 0 ] || return 0
  log "warm-up: $warmup_households households, $* (prefix $prefix), not measured"
  for kind in "$@"; do
    metered batch --base "$base" --prefix "$prefix" --from 0 --count "$warmup_households" --kind "$kind" \
      --batch "$batch_size" --concurrency "$batch_concurrency" --max-seconds 900 --label warmup > /dev/null || true
  done
}

jfr_start() { [ "$profile" = 1 ] && jcmd "$server_pid" JFR.start name="$1" settings=default filename="$work/$1.jfr" >/dev/null || true; }
jfr_stop() {
  if [ "$profile" = 1 ]; then
    jcmd "$server_pid" JFR.stop name="$1" >/dev/null || true
    tool jfr --file "$work/$1.jfr" --top 30 > "$results_dir/$stamp-profile-$1.txt" || true
    log "profile of $1: $results_dir/$stamp-profile-$1.txt"
  fi
}

# ------------------------------------------------------------- issue 18: the journal's size
# The filler: rows of persistence ids no household has ('bench-filler|<n>', sequence number 1),
# an unregistered manifest and a 320-byte payload, tagged round-robin households-0..7 by ordering,
# written by one INSERT … SELECT FROM generate_series with their tag rows (foreign-key triggers off
# for that session: every tag row names a journal row of the same statement). Then VACUUM ANALYZE,
# as autovacuum would in a long-lived database, and every slice's projection offset and its
# hand-over fence (readmodel_applied) move to the newest ordering, so nothing folds the filler (and
# where the fence counts folded events, the filler counts as folded).
filler_rows=0
slices_sql="WITH RECURSIVE tags(tag) AS (SELECT min(tag) FROM event_tag
    UNION ALL SELECT (SELECT min(e.tag) FROM event_tag e WHERE e.tag > tags.tag) FROM tags WHERE tags.tag IS NOT NULL)
  SELECT t.tag, coalesce(o.current_offset::bigint, 0) AS done FROM tags t
  LEFT JOIN pekko_projection_offset_store o ON o.projection_name = 'readmodel' AND o.projection_key = t.tag
  WHERE t.tag IS NOT NULL"
fill_journal() { # fill_journal SIZE: the server stopped, tops the filler up to SIZE rows
  local size="$1" label="jsize_$1" t0 lag
  [ -z "$server_pid" ] || { log "fill_journal: the server must be stopped"; exit 1; }
  lag=$(psql_db "$db" "SELECT count(*) FROM ($slices_sql) s
    WHERE (SELECT max(event_id) FROM event_tag e WHERE e.tag = s.tag) > s.done")
  if [ "$lag" != 0 ]; then
    log "$label: $lag slices' projections have not folded every event: not moving them past filler"; failed=1; return 1
  fi
  t0=$(date +%s%3N)
  if [ "$size" -gt "$filler_rows" ]; then
    log "$label: writing $((size - filler_rows)) filler rows (up to $size)"
    psql -h "$pg_host" -p "$pg_port" -U postgres -d "$db" -v ON_ERROR_STOP=1 -q <<SQL
$mark SET session_replication_role = replica;
$mark WITH j AS (
  INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer, write_timestamp, adapter_manifest,
    event_ser_id, event_ser_manifest, event_payload)
  SELECT 'bench-filler|' || g, 1, false, 'bench-filler', (extract(epoch FROM now()) * 1000)::bigint, '',
    0, 'cn.emon.load.Filler', convert_to(repeat(md5(g::text), 10), 'UTF8')
  FROM generate_series($((filler_rows + 1)), $size) g
  RETURNING ordering)
INSERT INTO event_tag (event_id, tag) SELECT ordering, 'households-' || (ordering % 8) FROM j;
SQL
    psql_db "$db" "VACUUM (ANALYZE) event_journal, event_tag"
    filler_rows="$size"
  fi
  # A server that counts the events each slice folded (readmodel_applied.events_applied, for its
  # reconciliation) has the filler counted as folded, so its journal and read model still agree.
  local counts_column="" counts_value="" counts_update=""
  if [ "$(psql_db "$db" "SELECT count(*) FROM information_schema.columns
      WHERE table_name = 'readmodel_applied' AND column_name = 'events_applied'")" = 1 ]; then
    counts_column=", events_applied"
    counts_value=", (SELECT count(*) FROM event_tag e WHERE e.tag = 'households-' || k
      AND e.event_id <= (SELECT max(ordering) FROM event_journal)
      AND e.event_id > coalesce((SELECT a.applied_through FROM readmodel_applied a WHERE a.slice = 'households-' || k), 0))"
    counts_update=", events_applied = readmodel_applied.events_applied + EXCLUDED.events_applied"
  fi
  psql -h "$pg_host" -p "$pg_port" -U postgres -d "$db" -v ON_ERROR_STOP=1 -q <<SQL
$mark INSERT INTO pekko_projection_offset_store
  (projection_name, projection_key, current_offset, manifest, mergeable, last_updated)
  SELECT 'readmodel', 'households-' || k, (SELECT max(ordering) FROM event_journal)::text, 'SEQ', false,
    (extract(epoch FROM now()) * 1000)::bigint
  FROM generate_series(0, 7) k
  ON CONFLICT (projection_name, projection_key)
  DO UPDATE SET current_offset = EXCLUDED.current_offset, last_updated = EXCLUDED.last_updated;
$mark INSERT INTO readmodel_applied (slice, applied_through$counts_column)
  SELECT 'households-' || k, (SELECT max(ordering) FROM event_journal)$counts_value FROM generate_series(0, 7) k
  ON CONFLICT (slice) DO UPDATE SET applied_through = EXCLUDED.applied_through$counts_update;
SQL
  record "$label.fill_s" "$(awk -v a="$t0" -v b="$(date +%s%3N)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')"
  record "$label.filler_rows" "$filler_rows"
  record "$label.journal_rows_before" "$(psql_db "$db" "SELECT count(*) FROM event_journal")"
}
journal_size_phase() { # journal_size_phase SIZE: the server running on the filled journal
  phase "jsize_$1" batch --base "$base" --prefix "j$1x" --from 0 --count "$journal_events" --kind register \
    --batch "$batch_size" --concurrency "$batch_concurrency" --max-seconds 1800 --catch-up-seconds 1800
}

{
  record date "$(date '+%Y-%m-%d %H:%M %Z')"
  record command "$command_line"
  record machine.nproc "$(nproc)"
  record machine.mem "$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  record machine.cpu "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  record machine.pg "$(psql_db postgres 'SHOW server_version' | cut -d' ' -f1)"
  record machine.java "$(java -version 2>&1 | head -n1)"
  # The tree the script runs from; the jar may have been built from another (--jar).
  record bench.commit "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$top" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  record server.jar "$jar"
  record server.jar_built "$(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC')"
  record server.jvm "${server_opts:-defaults}"
  record rates "$rates"
  record batch_size "$batch_size"
  record target_rate "$target_rate"
  record journal_sizes "$journal_sizes"
  record journal_only "$journal_only"
}
log "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"

record load1.start "$(load1)"
start_server start
# After the server's Flyway migration: an extension's objects in a fresh schema would stop it.
statements_extension "$db"

if [ "$journal_only" = 1 ]; then
  warm_up w register
else
# ------------------------------------------------------------------------ batched ingest
# A long-running server is JIT-compiled: warm it with other households (prefix w) first, so the
# figures below are not the C2 compiler's first minutes.
warm_up w register placement
jfr_start batch_register
phase batch_register batch --base "$base" --prefix b --from 0 --count "$batch_households" --kind register \
  --batch "$batch_size" --concurrency "$batch_concurrency" --max-seconds 900 --top 10
jfr_stop batch_register
phase batch_placement batch --base "$base" --prefix b --from 0 --count "$batch_households" --kind placement \
  --batch "$batch_size" --concurrency "$batch_concurrency" --max-seconds 900 --top 10

# ---------------------------------------------------------------------------- raw limit
# After the batched phases: their input events' rows are what it writes.
createdb -h "$pg_host" -p "$pg_port" -U postgres "$raw_db"
psql -h "$pg_host" -p "$pg_port" -U postgres -d "$raw_db" -q -v ON_ERROR_STOP=1 \
  -f "$top/src/main/resources/db/migration/postgresql/V1__pekko_persistence_jdbc.sql" > /dev/null
statements_extension "$raw_db"
record load1.raw "$(load1)"
log "raw: plain JDBC, the batched phases' input events (load1 $(load1))"
rc=0
tool raw --source-url "$db_url?user=postgres" --target-url "jdbc:postgresql://$pg_host:$pg_port/$raw_db?user=postgres" \
  --from-ordering "$(prop batch_register.journal_from)" --to-ordering "$(prop batch_placement.journal_to)" \
  --min-events "$([ "$smoke" = 1 ] && echo 2000 || echo 200000)" --connections 8 --batch 100 \
  --db-url "jdbc:postgresql://$pg_host:$pg_port/$raw_db?user=postgres" --hz "$hz" --settle-ms "$settle_ms" --top 5 \
  > "$work/raw.out" || rc=$?
{ grep '^RESULT ' "$work/raw.out" || true; } | sed 's/^RESULT //' | tee -a "$props" | grep -v '\.top\.' | sed 's/^/    /' >&2
[ "$rc" = 0 ] || { log "raw: FAILED (exit $rc)"; failed=1; }
dropdb -h "$pg_host" -p "$pg_port" -U postgres --if-exists --force "$raw_db"

# ------------------------------------------------------------------- single events at rates
if [ "$warmup_seconds" -gt 0 ]; then
  metered rate --base "$base" --prefix b --households "$batch_households" --rate 200 --seconds "$warmup_seconds" \
    --label warmup > /dev/null || true
fi
IFS=',' read -ra rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
  extra=()
  if [ "$rate" = "$target_rate" ]; then
    extra=(--probes "$probes" --probe-prefix "probe$rate" --webhooks true)
    jfr_start "rate_$rate"
  fi
  phase "rate_$rate" rate --base "$base" --prefix b --households "$batch_households" --rate "$rate" \
    --seconds "$rate_seconds" "${extra[@]}"
  [ "$rate" = "$target_rate" ] && jfr_stop "rate_$rate"
done

# -------------------------------------------------------------------- memory and recovery
if [ "$households" -gt "$batch_households" ]; then
  phase memory_register batch --base "$base" --prefix b --from "$batch_households" \
    --count "$((households - batch_households))" --kind register --batch "$batch_size" \
    --concurrency "$batch_concurrency" --max-seconds 3600
fi
record load1.memory "$(load1)"
jcmd "$server_pid" GC.run > /dev/null
heap_kib=$(jcmd "$server_pid" GC.heap_info | grep -o 'used [0-9]*K' | head -n1 | grep -o '[0-9]*')
record memory.households "$households"
record memory.heap_used_mib "$((heap_kib / 1024))"
record memory.rss_mib "$(( $(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status") / 1024 ))"
record memory.max_heap "$(jcmd "$server_pid" VM.flags | grep -o -- '-XX:MaxHeapSize=[0-9]*' | awk -F= '{printf "%d MiB", $2/1048576}')"
log "memory: $households households, heap after full GC $((heap_kib / 1024)) MiB"

record load1.restart "$(load1)"
stop_server
if [ "$smoke" = 1 ]; then
  # The smoke's journal-size phase shares the restart, which keeps it within CI's time: the one
  # tiny size is filled while the server is down for the restart.
  fill_journal "$journal_sizes"
fi
start_server restart
phase passivated_read reads --base "$base" --prefix b --households "$households" --count "$reads" --max-seconds 300
if [ "$smoke" = 1 ]; then
  journal_size_phase "$journal_sizes"
fi
fi

# --------------------------------------------------- issue 18: the journal's size, in full
if [ "$smoke" = 0 ] && [ -n "$journal_sizes" ]; then
  for size in ${journal_sizes//,/ }; do
    [ -z "$server_pid" ] || stop_server
    fill_journal "$size" || continue
    start_server "jsize_$size"
    warm_up "w${size}x" register
    journal_size_phase "$size"
  done
fi
[ -z "$server_pid" ] || stop_server

# ------------------------------------------------------------------------------- the report
out="$results_dir/$stamp.md"
tool report --in "$props" --out "$out"
cp "$props" "$results_dir/$stamp.properties"
elapsed=$(( $(date +%s) - started_at ))
log "results written to $out ($elapsed s)"
if [ "$smoke" = 1 ]; then
  if [ "$failed" != 0 ]; then
    echo "bench smoke: FAILED" >&2
    exit 1
  fi
  echo "bench smoke: OK ($elapsed s)"
elif [ "$failed" != 0 ]; then
  log "some phases reported errors: see the table"
fi
exit 0
}
