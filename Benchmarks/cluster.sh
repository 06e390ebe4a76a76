#!/usr/bin/env bash
# Two instances on one PostgreSQL against one: MEMBERS (default 100,000) members written by SQL,
# then durable updateuser (add_bonus) on random members, 64 connections in all: first all on
# one instance, then 32 on each of two instances at once (their req/s added). ROUNDS (default 2)
# alternate the two. Needs BENCH_POSTGRES_URL=postgres://… (a database is created and dropped).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-100000}
ROUNDS=${ROUNDS:-2}
: "${BENCH_POSTGRES_URL:?set BENCH_POSTGRES_URL=postgres://user@host:port/db}"
bench_require_wrk
bench_postgres_database "wxcards_cluster_$$"
second=""
cleanup() {
  [ -n "$second" ] && { kill -TERM "$second" 2>/dev/null; wait "$second" 2>/dev/null || true; }
  bench_stop_server
  bench_drop_postgres_database
}
trap cleanup EXIT
bench_start_seeded "$MEMBERS"
trap cleanup EXIT
port2=$((BENCH_PORT + 1))
"$BENCH_BIN_USED" serve --port "$port2" --database "$BENCH_DATABASE" --app "$BENCH_APPID:$BENCH_SECRET" >"$BENCH_DIR/second.log" 2>&1 &
second=$!
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port2/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
echo "wrk: 64 connections in all, $BENCH_DURATION per line, $(nproc) cores shared with PostgreSQL, $MEMBERS members"
for round in $(seq 1 "$ROUNDS"); do
  wrk -t2 -c64 -d"$BENCH_DURATION" --latency -s Benchmarks/lua/member.lua \
    "$BENCH_BASE/card/membercard/updateuser?access_token=$token" -- "$MEMBERS" "$card" add >"$BENCH_DIR/one.txt"
  one=$(rps "$BENCH_DIR/one.txt")
  printf '  round %s: one instance   %9s req/s, p99 %s\n' "$round" "$one" "$(p99 "$BENCH_DIR/one.txt")"
  wrk -t1 -c32 -d"$BENCH_DURATION" --latency -s Benchmarks/lua/member.lua \
    "$BENCH_BASE/card/membercard/updateuser?access_token=$token" -- "$MEMBERS" "$card" add >"$BENCH_DIR/a.txt" &
  other=$!
  wrk -t1 -c32 -d"$BENCH_DURATION" --latency -s Benchmarks/lua/member.lua \
    "http://127.0.0.1:$port2/card/membercard/updateuser?access_token=$token" -- "$MEMBERS" "$card" add >"$BENCH_DIR/b.txt"
  wait "$other"
  a=$(rps "$BENCH_DIR/a.txt") b=$(rps "$BENCH_DIR/b.txt")
  printf '  round %s: two instances %9.2f req/s (%s + %s), p99 %s and %s; two / one = %.1f%%\n' "$round" \
    "$(echo "$a + $b" | bc -l)" "$a" "$b" "$(p99 "$BENCH_DIR/a.txt")" "$(p99 "$BENCH_DIR/b.txt")" "$(echo "100 * ($a + $b) / $one" | bc -l)"
done
