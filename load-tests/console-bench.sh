#!/usr/bin/env bash
# The console's benchmark (issue 14): a PostgreSQL-backed server filled with open zero-employment
# alerts; the inbox's first page (status=open, limit=50) per region level, p50/p99 over --requests
# sequential requests each; every export of all rows (xlsx and csv) with the server's live heap
# (full GC, then used heap, every second) before, during and after. See load-tests/README.md.
#
#   load-tests/console-bench.sh [--households N] [--requests N] [--jar PATH] [--server-opts "JVM OPTIONS"]
#                               [--pg-host H] [--pg-port P]
#
#   --households N   households registered in batches of 1000, each raising ZERO_EMPLOYMENT (default 100000)
#   --requests N     measured requests per region level (default 300)
#
# Every request goes to 127.0.0.1; every loop is bounded. The scratch database is dropped at the
# end, also on failure.
set -euo pipefail
{
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
households=100000
requests=300
jar="${EMON_JAR:-$top/target/employment-monitor.jar}"
server_opts=""
pg_host=127.0.0.1
pg_port=5432
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --server-opts) server_opts="$2"; shift 2 ;;
    --pg-host) pg_host="$2"; shift 2 ;;
    --pg-port) pg_port="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "console-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$pg_host" in 127.*|localhost) ;; *) echo "console-bench: PostgreSQL must be on loopback" >&2; exit 2 ;; esac
[ -f "$jar" ] || { echo "console-bench: server jar $jar not found (mvn package, or --jar)" >&2; exit 2; }
pg_isready -h "$pg_host" -p "$pg_port" -q || { echo "console-bench: PostgreSQL not reachable" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/emon-console-bench.XXXXXX")
db="emon_console_bench_$$"
server_pid=""
log() { printf '%s console-bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  dropdb -h "$pg_host" -p "$pg_port" -U postgres --if-exists --force "$db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" "$here/src/main/java/cn/emon/load/ConsoleBench.java"
tool() { java -Xmx512m -cp "$work/classes" cn.emon.load.ConsoleBench "$@" | tee -a "$work/results" | sed 's/^RESULT /    /' >&2; }

createdb -h "$pg_host" -p "$pg_port" -U postgres "$db"
# shellcheck disable=SC2086
java $server_opts -Demon.db.url="jdbc:postgresql://$pg_host:$pg_port/$db" -Demon.db.user=postgres \
  -Demon.http.port=0 -Demon.auth.rate-limit.per-second=0 -jar "$jar" > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 1200); do
  port=$(grep -o 'HTTP API listening on 127.0.0.1:[0-9]*' "$work/server.log" 2>/dev/null | head -n1 | sed 's/.*://' || true)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { log "server did not start:"; tail -n 30 "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"
log "server pid $server_pid at $base (load1 $(cut -d' ' -f1 /proc/loadavg))"

log "registering $households households"
tool fill --base "$base" --households "$households" --batch 1000 --concurrency 2
tool wait --base "$base" --open "$households" --timeout-seconds 1800
# The planner's statistics of the freshly filled read model (autovacuum would take them within a minute or so).
psql -h "$pg_host" -p "$pg_port" -U postgres -d "$db" -q -c "VACUUM ANALYZE alerts" -c "VACUUM ANALYZE household_summary"
log "alerts: $(psql -h "$pg_host" -p "$pg_port" -U postgres -d "$db" -Atc "SELECT count(*) FROM alerts WHERE status = 'open'") open"

log "inbox first pages, $requests requests per region level (load1 $(cut -d' ' -f1 /proc/loadavg))"
# all; a province (most); a prefecture (most); a county (20%); a township; a small county (1%); another province
tool inbox --base "$base" --regions ",52,5227,522701,522701101,522633,53" --requests "$requests" --warmup 30

# POI's first workbook loads its XML schema types (kept for the life of the process): warm it up
# on a small county first, so the figures below are what an export itself holds.
log "warm-up export of one small county"
tool export --base "$base" --path "/api/v1/exports/zero-employment?format=xlsx&region=522633" --pid "$server_pid" --sample-seconds 1
for path in "/api/v1/exports/zero-employment?format=csv" "/api/v1/exports/zero-employment?format=xlsx" \
            "/api/v1/exports/alerts?format=csv&status=open" "/api/v1/exports/alerts?format=xlsx&status=open"; do
  log "export $path (load1 $(cut -d' ' -f1 /proc/loadavg))"
  tool export --base "$base" --path "$path" --pid "$server_pid" --sample-seconds 1
done
log "done; results:"
sed 's/^RESULT //' "$work/results"
}
