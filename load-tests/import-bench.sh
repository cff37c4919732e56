#!/usr/bin/env bash
# Register import benchmark (issue 15): generates a register CSV of N member rows (households of 1–6
# members, each household's rows spread over the file), starts the server jar on its own embedded
# H2 database (or a fresh PostgreSQL database with --pg URL), posts the file to POST /api/v1/imports
# and reports rows/s from the 202 to "done", and the server's heap: the most used heap seen by
# jstat every second, and the process's peak resident memory (VmHWM).
#
#   load-tests/import-bench.sh                      # 100,000 rows on embedded H2
#   load-tests/import-bench.sh --rows 10000         # a smaller run
#   load-tests/import-bench.sh --pg 'jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres'
#   options: --jar FILE (default target/employment-monitor.jar), --port N (default 18180),
#            --heap SIZE (server -Xmx, default 1g)
#
# Writes the result line to stdout and to load-tests/results/import-<UTC date>.md. The server is
# stopped (by its own pid) when the script ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=100000
JAR=target/employment-monitor.jar
PORT=18180
HEAP=1g
PG_URL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --pg) PG_URL="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$JAR" ] || { echo "no $JAR: build it with mvn -B package -DskipTests" >&2; exit 2; }

WORK=$(mktemp -d /tmp/emon-import-bench.XXXXXX)
SERVER_PID=""
JSTAT_PID=""
cleanup() {
  [ -n "$JSTAT_PID" ] && kill "$JSTAT_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "${PG_DB:-}" ]; then
    psql "${PG_URL%%\?*}" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- the register file
# Household h has 1 + (h mod 6) members; rows are written in a stride over the households, so a
# household's rows are far apart in the file (the import must not assume them adjacent).
FILE="$WORK/register.csv"
awk -v rows="$ROWS" 'BEGIN {
  printf "\xef\xbb\xbf户编号,区划代码,深度贫困地区,成员编号,劳动技能,培训意愿\r\n";
  split("技能劳动力,普通劳动力,弱劳动力或半劳动力,丧失劳动力,无劳动力", cap, ",");
  # households with 1..6 members, 3.5 on average
  n = 0; h = 0;
  while (n < rows) { size[h] = 1 + (h % 6); n += size[h]; h++ }
  households = h; written = 0;
  for (m = 0; m < 6 && written < rows; m++)
    for (i = 0; i < households && written < rows; i++)
      if (m < size[i]) {
        county = 522701 + (i % 3);
        printf "bench-%07d,%d,%s,m%d,%s,%s\r\n", i, county, (i % 4 == 0 ? "是" : "否"), m, cap[1 + (i + m) % 5], (m % 3 == 0 ? "是" : "否");
        written++;
      }
}' > "$FILE"
FILE_BYTES=$(stat -c %s "$FILE")

# ---------------------------------------------------------------- the server
if [ -n "$PG_URL" ]; then
  PG_DB="emon_ibench_$(date +%s)"
  psql "${PG_URL%%\?*}" -qc "CREATE DATABASE $PG_DB" >/dev/null
  DB_URL="$(echo "$PG_URL" | sed -E "s#/[A-Za-z0-9_]+(\?|$)#/$PG_DB\1#")"
  DB_NAME=PostgreSQL
else
  DB_URL="jdbc:h2:file:$WORK/h2/emon;DATABASE_TO_UPPER=false"
  DB_NAME=H2
fi
java -Xmx"$HEAP" -Demon.http.port="$PORT" -Demon.db.url="$DB_URL" -Demon.auth.rate-limit.per-second=0 \
  -Dpekko.remote.artery.canonical.port=0 -Demon.imports.temp-dir="$WORK" \
  -jar "$JAR" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null

jstat -gc "$SERVER_PID" 1000 > "$WORK/jstat.txt" 2>/dev/null &
JSTAT_PID=$!

# ---------------------------------------------------------------- the import
API="http://127.0.0.1:$PORT/api/v1"
START=$(date +%s.%N)
ANSWER=$(curl -s -H 'Authorization: Bearer dev-ingest-token' -H 'Content-Type: text/csv' \
  --data-binary @"$FILE" "$API/imports")
ID=$(echo "$ANSWER" | sed -E 's/.*"importId":"([^"]+)".*/\1/')
[ -n "$ID" ] && [ "$ID" != "$ANSWER" ] || { echo "import refused: $ANSWER" >&2; exit 1; }
DEADLINE=$(( $(date +%s) + 3600 ))
while :; do
  STATUS=$(curl -s -H 'Authorization: Bearer dev-ingest-token' "$API/imports/$ID")
  case "$STATUS" in *'"status":"running"'*) ;; *) break ;; esac
  [ "$(date +%s)" -lt "$DEADLINE" ] || { echo "import still running after an hour: $STATUS" >&2; exit 1; }
  sleep 1
done
END=$(date +%s.%N)

field() { echo "$STATUS" | sed -E "s/.*\"$1\":(\"?)([^,\"}]*).*/\2/"; }
SECONDS_TAKEN=$(awk -v a="$START" -v b="$END" 'BEGIN { printf "%.3f", b - a }')
ROWS_READ=$(field rows)
RATE=$(awk -v r="$ROWS_READ" -v s="$SECONDS_TAKEN" 'BEGIN { printf "%.1f", r / s }')
# jstat -gc: S0U S1U EU OU are columns 3, 4, 6, 8 (KiB)
HEAP_MAX_MB=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { u = $3 + $4 + $6 + $8; if (u > m) m = u } END { printf "%.0f", m / 1024 }' "$WORK/jstat.txt")
RSS_MB=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")

LINE=$(printf '| %s | %s | %s rows, %s households, %s bytes | %s | %.1f s | %.0f rows/s | %s MB | %s MB | accepted %s, duplicates %s, rejected %s, errors %s |' \
  "$(date -u +%F\ %H:%M)" "$DB_NAME" "$ROWS_READ" "$(field households)" "$FILE_BYTES" "$(field status)" \
  "$SECONDS_TAKEN" "$RATE" "$HEAP_MAX_MB" "$RSS_MB" "$(field accepted)" "$(field duplicates)" "$(field rejected)" \
  "$(field errorCount)")
mkdir -p load-tests/results
OUT="load-tests/results/import-$(date -u +%F).md"
[ -f "$OUT" ] || printf '| when (UTC) | database | file | status | 202 → done | rate | heap used, max | RSS, peak | outcome |\n|---|---|---|---|---|---|---|---|---|\n' > "$OUT"
echo "$LINE" >> "$OUT"
echo "$LINE"
