#!/usr/bin/env bash
# Resident memory of one instance at production size: MEMBERS (default 1,000,000) members
# written by SQL (Benchmarks/sql/members-seed.sql), then MINUTES (default 10) of mixed load
# (lua/mixed.lua: 80% userinfo/get, 20% durable updateuser on random members, 64 connections),
# printing the server's RSS every 30 s and the requests served. SQLite by default;
# BENCH_POSTGRES_URL=postgres://… runs it on a new database of that server.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-1000000}
MINUTES=${MINUTES:-10}
bench_require_wrk
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
pg_database=""
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  pg_database="wxcards_memory_$$"
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $pg_database"
  export BENCH_DATABASE="${BENCH_POSTGRES_URL%/*}/$pg_database"
fi
saved=$(mktemp -d /tmp/wxcards-memory.XXXXXX)
cleanup() {
  bench_stop_server
  rm -rf "$saved"
  [ -n "$pg_database" ] && psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $pg_database" || true
}
bench_start_server
trap cleanup EXIT
token=$(bench_token)
card=$(bench_create_member_card)
now=$(curl -fs -X POST "$BENCH_BASE/sandbox/clock?access_token=$token" -d '{"advance_seconds":0}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["now"])')
bench_stop_server "$saved"
if [ -n "$pg_database" ]; then
  pad_openid="'o' || lpad(i::text, 27, '0')" pad_code="'M' || lpad(i::text, 7, '0')"
else
  pad_openid="printf('o%027d', i)" pad_code="printf('M%07d', i)"
fi
sql=$(sed -e "s/@APPID@/$BENCH_APPID/g" -e "s/@CARD@/$card/g" -e "s/@MEMBERS@/$MEMBERS/g" -e "s/@NOW@/$now/g" \
  -e "s/@OPENID@/$pad_openid/g" -e "s/@CODE@/$pad_code/g" Benchmarks/sql/members-seed.sql)
if [ -n "$pg_database" ]; then
  psql "$BENCH_DATABASE" -q -v ON_ERROR_STOP=1 <<<"$sql"; psql "$BENCH_DATABASE" -qc "VACUUM ANALYZE"
  bench_start_server
else
  sqlite3 "$saved/bench.sqlite" <<<"PRAGMA synchronous=OFF; BEGIN; $sql COMMIT; ANALYZE;"
  BENCH_SEEDED_FROM=$saved bench_start_server
fi
token=$(bench_token)
rss() { awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$BENCH_PID/status"; }
echo "$MEMBERS members; RSS after start: $(rss)"
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$((MINUTES * 60))s" -s Benchmarks/lua/mixed.lua "$BENCH_BASE" \
  -- "$MEMBERS" "$card" "$token" >"$saved/wrk.txt" &
load=$!
for ((t = 30; t <= MINUTES * 60; t += 30)); do
  sleep 30
  printf '  %4d s: RSS %s\n' "$t" "$(rss)"
done
wait "$load"
awk '/Requests\/sec|requests in/' "$saved/wrk.txt"
echo "RSS at the end: $(rss); peak (VmHWM): $(awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' "/proc/$BENCH_PID/status")"
