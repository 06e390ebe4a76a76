#!/usr/bin/env bash
# Members at production size: for each size in SIZES (default "10000 1000000"), a fresh
# database with that many activated members written by SQL (Benchmarks/sql/members-seed.sql:
# minutes for a million, where the API would take hours), then GET /healthz, userinfo/get and
# durable updateuser (add_bonus) on random members with wrk. Prints the seeding time, each
# line, and at the end each size's numbers against the smallest's.
#
# SQLite by default. On PostgreSQL: BENCH_POSTGRES_URL=postgres://user@host:port/db (a database
# is created per size on that server, and dropped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
SIZES=${SIZES:-"10000 1000000"}
bench_require_wrk
engine=$([ -n "${BENCH_POSTGRES_URL:-}" ] && echo PostgreSQL || echo SQLite)
summary=()

for members in $SIZES; do
  bench_postgres_database "wxcards_scale_$$_$members"
  bench_start_seeded "$members"
  printf '%s: seeded %s members in %.0f s\n' "$engine" "$members" "$BENCH_SEED_SECONDS"
  echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores, $members members"
  bench_wrk "GET /healthz" "$BENCH_BASE/healthz"; health=$BENCH_RPS
  bench_wrk "userinfo/get" "$BENCH_BASE/card/membercard/userinfo/get?access_token=$token" Benchmarks/lua/member.lua "$members" "$card" read
  read_rps=$BENCH_RPS read_line=$(printf '%s req/s' "$BENCH_RPS")
  bench_wrk "updateuser add_bonus" "$BENCH_BASE/card/membercard/updateuser?access_token=$token" Benchmarks/lua/member.lua "$members" "$card" add
  summary+=("$(printf '%s, %8s members: userinfo/get %s (%.1f%% of /healthz), updateuser %s req/s (%.1f%% of /healthz)' \
    "$engine" "$members" "$read_line" "$(echo "100 * $read_rps / $health" | bc -l)" "$BENCH_RPS" "$(echo "100 * $BENCH_RPS / $health" | bc -l)")")
  bench_stop_server
  bench_drop_postgres_database
done
printf '%s\n' "${summary[@]}"
