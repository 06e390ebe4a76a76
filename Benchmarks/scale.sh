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
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
engine=$([ -n "${BENCH_POSTGRES_URL:-}" ] && echo PostgreSQL || echo SQLite)
summary=()

for members in $SIZES; do
  pg_database=""
  if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    pg_database="wxcards_scale_$$_$members"
    psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $pg_database"
    export BENCH_DATABASE="${BENCH_POSTGRES_URL%/*}/$pg_database"
  else
    unset BENCH_DATABASE
  fi
  saved=$(mktemp -d /tmp/wxcards-scale.XXXXXX)
  # A server makes the schema, the app and its member card; it stops for the seeding.
  bench_start_server
  token=$(bench_token)
  card=$(bench_create_member_card)
  now=$(curl -fs -X POST "$BENCH_BASE/sandbox/clock?access_token=$token" -d '{"advance_seconds":0}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["now"])')
  bench_stop_server "$saved"

  start=$(date +%s.%N)
  if [ -n "$pg_database" ]; then
    pad_openid="'o' || lpad(i::text, 27, '0')" pad_code="'M' || lpad(i::text, 7, '0')"
  else
    pad_openid="printf('o%027d', i)" pad_code="printf('M%07d', i)"
  fi
  sql=$(sed -e "s/@APPID@/$BENCH_APPID/g" -e "s/@CARD@/$card/g" -e "s/@MEMBERS@/$members/g" -e "s/@NOW@/$now/g" \
    -e "s/@OPENID@/$pad_openid/g" -e "s/@CODE@/$pad_code/g" Benchmarks/sql/members-seed.sql)
  if [ -n "$pg_database" ]; then
    psql "$BENCH_DATABASE" -q -v ON_ERROR_STOP=1 <<<"$sql"
    psql "$BENCH_DATABASE" -qc "VACUUM ANALYZE"
  else
    sqlite3 "$saved/bench.sqlite" <<<"PRAGMA synchronous=OFF; BEGIN; $sql COMMIT; ANALYZE;"
  fi
  printf '%s: seeded %s members in %.0f s\n' "$engine" "$members" "$(echo "$(date +%s.%N) - $start" | bc)"

  if [ -n "$pg_database" ]; then bench_start_server; else BENCH_SEEDED_FROM=$saved bench_start_server; fi
  token=$(bench_token)
  echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores, $members members"
  bench_wrk "GET /healthz" "$BENCH_BASE/healthz"; health=$BENCH_RPS
  bench_wrk "userinfo/get" "$BENCH_BASE/card/membercard/userinfo/get?access_token=$token" Benchmarks/lua/member.lua "$members" "$card" read
  read_rps=$BENCH_RPS read_line=$(printf '%s req/s' "$BENCH_RPS")
  bench_wrk "updateuser add_bonus" "$BENCH_BASE/card/membercard/updateuser?access_token=$token" Benchmarks/lua/member.lua "$members" "$card" add
  summary+=("$(printf '%s, %8s members: userinfo/get %s (%.1f%% of /healthz), updateuser %s req/s (%.1f%% of /healthz)' \
    "$engine" "$members" "$read_line" "$(echo "100 * $read_rps / $health" | bc -l)" "$BENCH_RPS" "$(echo "100 * $BENCH_RPS / $health" | bc -l)")")
  bench_stop_server
  rm -rf "$saved"
  [ -n "$pg_database" ] && psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $pg_database"
done
printf '%s\n' "${summary[@]}"
