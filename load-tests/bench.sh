#!/usr/bin/env bash
# Employment Monitor benchmark: one run on this machine against local PostgreSQL, printing side by
# side the raw JDBC limit of the journal and what the server achieves, and writing
# load-tests/results/<date>.md. See load-tests/README.md for what each figure means.
#
#   load-tests/bench.sh [--smoke] [--households N] [--batch-households N] [--rates 500,1000,2000]
#                       [--target-rate 1000] [--rate-seconds S] [--probes N] [--reads N]
#                       [--jar PATH] [--server-opts "JVM OPTIONS"] [--profile] [--pg-host H] [--pg-port P]
#
#   --smoke            everything tiny (< 30 s); exits non-zero on any failure, prints "bench smoke: OK"
#   --households N     households registered for the memory and restart figures (default 100000;
#                      issue 6's target is 1000000)
#   --batch-households households of the batched-ingest figures (default 20000, at least 10000)
#   --rates            constant arrival rates of single events, req/s (default 500,1000,2000)
#   --target-rate      the rate at which the alert probes run and p99 ≤ 20 ms is judged (default 1000)
#   --rate-seconds     seconds per rate (default 30)
#   --probes           event→alert probes during the target-rate run (default 100)
#   --reads            first reads of passivated households after the restart (default 1000)
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
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

batch_size=1000
batch_concurrency=4
warmup_seconds=5
warmup_households=5000
if [ "$smoke" = 1 ]; then
  households=300; batch_households=300; batch_size=100; batch_concurrency=2
  rates="20,40"; target_rate=40; rate_seconds=1; probes=2; reads=20; warmup_seconds=0; warmup_households=0
elif [ "$batch_households" -lt 10000 ]; then
  echo "bench: --batch-households must be at least 10000 (issue 6)" >&2; exit 2
fi
[ "$households" -ge "$batch_households" ] || households="$batch_households"
case "$pg_host" in 127.*|localhost) ;; *) echo "bench: PostgreSQL must be on loopback" >&2; exit 2 ;; esac

[ -f "$jar" ] || { echo "bench: server jar $jar not found (build it with mvn package, or pass --jar)" >&2; exit 2; }
pg_isready -h "$pg_host" -p "$pg_port" -q || { echo "bench: PostgreSQL is not accepting connections on $pg_host:$pg_port" >&2; exit 2; }

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

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
record() { echo "$1=$2" >> "$props"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
psql_db() { psql -h "$pg_host" -p "$pg_port" -U postgres -d "$1" -Atqc "$2"; }

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
# CPU seconds (user + system) the server process has used so far: less disturbed by other work on
# the machine than wall-clock figures, so each phase also records the server's CPU per request.
server_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$server_pid/stat"; }
phase() { # phase LABEL ARGS...: runs a Bench phase, records its RESULT lines, its load and server CPU
  local label="$1"; shift
  record "load1.$label" "$(load1)"
  log "$label: $* (load1 $(load1))"
  local out="$work/$label.out" rc=0 cpu0
  cpu0=$(server_cpu_ms)
  tool "$@" > "$out" || rc=$?
  record "$label.server_cpu_s" "$(awk -v a="$cpu0" -v b="$(server_cpu_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')"
  { grep '^RESULT ' "$out" || true; } | sed 's/^RESULT //' | tee -a "$props" | sed 's/^/    /' >&2
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
  for _ in $(seq 1 1200); do
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

journal_rows() { psql_db "$db" "SELECT count(*) FROM event_journal"; }

# Waits until every slice's projection offset has reached the slice's newest journal row (bounded).
projections_caught_up() {
  local label="$1" t0 lag=1
  t0=$(date +%s%3N)
  for _ in $(seq 1 3000); do
    lag=$(psql_db "$db" "SELECT count(*) FROM (SELECT tag, max(event_id) m FROM event_tag GROUP BY tag) t
      LEFT JOIN pekko_projection_offset_store o ON o.projection_name = 'readmodel' AND o.projection_key = t.tag
      WHERE o.current_offset IS NULL OR o.current_offset::bigint < t.m")
    [ "$lag" = 0 ] && break
    sleep 0.1
  done
  record "projection_catch_up_s.$label" "$(awk -v a="$t0" -v b="$(date +%s%3N)" 'BEGIN{printf "%.1f", (b-a)/1000}')"
  [ "$lag" = 0 ] || { log "projections did not catch up after $label"; failed=1; }
}

jfr_start() { [ "$profile" = 1 ] && jcmd "$server_pid" JFR.start name="$1" settings=default filename="$work/$1.jfr" >/dev/null || true; }
jfr_stop() {
  if [ "$profile" = 1 ]; then
    jcmd "$server_pid" JFR.stop name="$1" >/dev/null || true
    tool jfr --file "$work/$1.jfr" --top 30 > "$results_dir/$stamp-profile-$1.txt" || true
    log "profile of $1: $results_dir/$stamp-profile-$1.txt"
  fi
}

{
  record date "$(date '+%Y-%m-%d %H:%M %Z')"
  record command "$command_line"
  record machine.nproc "$(nproc)"
  record machine.mem "$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  record machine.cpu "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  record machine.pg "$(psql_db postgres 'SHOW server_version' | cut -d' ' -f1)"
  record machine.java "$(java -version 2>&1 | head -n1)"
  record server.commit "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$top" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  record server.jvm "${server_opts:-defaults}"
  record rates "$rates"
  record batch_size "$batch_size"
  record target_rate "$target_rate"
}
log "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"

record load1.start "$(load1)"
start_server start

# ------------------------------------------------------------------------ batched ingest
# A long-running server is JIT-compiled: warm it with other households (prefix w) first, so the
# figures below are not the C2 compiler's first minutes.
if [ "$warmup_households" -gt 0 ]; then
  log "warm-up: $warmup_households registrations and placements (prefix w), not measured"
  for kind in register placement; do
    tool batch --base "$base" --prefix w --from 0 --count "$warmup_households" --kind "$kind" \
      --batch "$batch_size" --concurrency "$batch_concurrency" --max-seconds 600 --label warmup > /dev/null || true
  done
  projections_caught_up warmup_batch
fi
rows0=$(journal_rows)
jfr_start batch_register
phase batch_register batch --base "$base" --prefix b --from 0 --count "$batch_households" --kind register \
  --batch "$batch_size" --concurrency "$batch_concurrency" --max-seconds 900
jfr_stop batch_register
rows1=$(journal_rows)
projections_caught_up batch_register
phase batch_placement batch --base "$base" --prefix b --from 0 --count "$batch_households" --kind placement \
  --batch "$batch_size" --concurrency "$batch_concurrency" --max-seconds 900
rows2=$(journal_rows)
projections_caught_up batch_placement
awk -v a="$rows0" -v b="$rows1" -v c="$rows2" -v n="$batch_households" \
  'BEGIN { printf "journal.rows_per_event.register=%.3f\njournal.rows_per_event.placement=%.3f\n", (b-a)/n, (c-b)/n }' >> "$props"

# ---------------------------------------------------------------------------- raw limit
createdb -h "$pg_host" -p "$pg_port" -U postgres "$raw_db"
psql -h "$pg_host" -p "$pg_port" -U postgres -d "$raw_db" -q -v ON_ERROR_STOP=1 \
  -f "$top/src/main/resources/db/migration/postgresql/V1__pekko_persistence_jdbc.sql" > /dev/null
phase raw raw --source-url "$db_url?user=postgres" --target-url "jdbc:postgresql://$pg_host:$pg_port/$raw_db?user=postgres" \
  --connections 8 --batch 100
dropdb -h "$pg_host" -p "$pg_port" -U postgres --if-exists --force "$raw_db"

# ------------------------------------------------------------------- single events at rates
if [ "$warmup_seconds" -gt 0 ]; then
  tool rate --base "$base" --prefix b --households "$batch_households" --rate 200 --seconds "$warmup_seconds" \
    --label warmup > /dev/null || true
  projections_caught_up warmup
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
  projections_caught_up "rate_$rate"
done

# -------------------------------------------------------------------- memory and recovery
if [ "$households" -gt "$batch_households" ]; then
  phase memory_register batch --base "$base" --prefix b --from "$batch_households" \
    --count "$((households - batch_households))" --kind register --batch "$batch_size" \
    --concurrency "$batch_concurrency" --max-seconds 3600 --label memory_register
  projections_caught_up memory_register
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
start_server restart
phase passivated_read reads --base "$base" --prefix b --households "$households" --count "$reads" --max-seconds 300
stop_server

# ------------------------------------------------------------------------------- the report
out="$results_dir/$stamp.md"
tool report --in "$props" --out "$out"
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
