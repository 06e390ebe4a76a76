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
bench_postgres_database "wxcards_memory_$$"
saved=$(mktemp -d /tmp/wxcards-memory.XXXXXX)
cleanup() {
  bench_stop_server
  rm -rf "$saved"
  bench_drop_postgres_database
}
trap cleanup EXIT
bench_start_seeded "$MEMBERS"
trap cleanup EXIT
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
