#!/usr/bin/env bash
# The card statistics at production size: MEMBERS members (1,000,000 by default) with a year of
# daily activity on one member card, then 62-day getcardmembercardinfo and
# getcardmembercarddetail under load. Prints how long seeding took, how long the server took to
# close the year's 365 days (the first report does it), and req/s, p50 and p99 of each report.
#
# The data set is written straight into the database with SQL (Benchmarks/sql/datacube-seed.sql):
# codes in user_cards and the acts in card_activity, as the API would have logged them. Writing
# 5 million rows through HTTP would take an hour; SQL takes a minute or two.
#
# SQLite by default. On PostgreSQL: BENCH_POSTGRES_URL=postgres://user@host:port/db (a database
# named wxcards_bench_PID is created on that server, and dropped at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
# A dashboard's load, not a flood: p99 is the latency one merchant sees.
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-8}
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-1000000}
bench_require_wrk
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

bench_postgres_database "wxcards_bench_$$"
pg_database=$BENCH_PG_DATABASE
saved=$(mktemp -d /tmp/wxcards-datacube.XXXXXX)
cleanup() {
  bench_stop_server
  rm -rf "$saved"
  bench_drop_postgres_database
}

# A server to make the schema, the app and its member card; stopped for the seeding.
bench_start_server
trap cleanup EXIT
token=$(bench_token)
card=$(bench_create_member_card)
now=$(curl -fs -X POST "$BENCH_BASE/sandbox/clock?access_token=$token" -d '{"advance_seconds":0}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["now"])')
today=$(( (now + 28800) / 86400 ))
bench_stop_server "$saved"

echo "seeding $MEMBERS members and a year of their activity ($( [ -n "$pg_database" ] && echo PostgreSQL || echo SQLite )) ..."
start=$(date +%s.%N)
sql=$(sed -e "s/@APPID@/$BENCH_APPID/g" -e "s/@CARD@/$card/g" -e "s/@MEMBERS@/$MEMBERS/g" -e "s/@TODAY@/$today/g" \
  Benchmarks/sql/datacube-seed.sql)
if [ -n "$pg_database" ]; then
  psql "$BENCH_DATABASE" -q -v ON_ERROR_STOP=1 <<<"$sql"
  psql "$BENCH_DATABASE" -qc "VACUUM ANALYZE"
else
  sqlite3 "$saved/bench.sqlite" <<<"PRAGMA synchronous=OFF; BEGIN; $sql COMMIT; ANALYZE;"
fi
acts=$(if [ -n "$pg_database" ]; then psql "$BENCH_DATABASE" -tAc "SELECT COUNT(*) FROM card_activity"; else sqlite3 "$saved/bench.sqlite" "SELECT COUNT(*) FROM card_activity"; fi)
printf 'seeded %s codes and %s acts in %.0f s\n' "$MEMBERS" "$acts" "$(echo "$(date +%s.%N) - $start" | bc)"

if [ -n "$pg_database" ]; then bench_start_server; else BENCH_SEEDED_FROM=$saved bench_start_server; fi
token=$(bench_token)
dates=($(python3 -c "
import datetime
for day in range($today - 365, $today): print(datetime.date(1970, 1, 1) + datetime.timedelta(days=day))"))

# The first report closes the 365 days (the server counts each day once, then never again).
start=$(date +%s.%N)
last=$(curl -fs -X POST "$BENCH_BASE/datacube/getcardmembercardinfo?access_token=$token" \
  -d "{\"begin_date\":\"${dates[303]}\",\"end_date\":\"${dates[364]}\",\"cond_source\":1}" |
  python3 -c 'import json,sys; rows=json.load(sys.stdin)["list"]; print(len(rows), rows[-1]["total_user"], rows[-1]["total_receive_user"])')
printf 'closing the 365 days took %.1f s; the last day: %s rows, total_user %s, total_receive_user %s\n' \
  "$(echo "$(date +%s.%N) - $start" | bc)" $last
deleted=$(python3 -c "print(sum(1 for i in range(0, $MEMBERS, 50) if i % 365 + 20 < 365))")
echo "expected: total_user $((MEMBERS - deleted)), total_receive_user $MEMBERS"

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per report, $(nproc) cores; each request a random 62-day range of the year"
bench_wrk "getcardmembercardinfo" "$BENCH_BASE/datacube/getcardmembercardinfo?access_token=$token" Benchmarks/lua/datacube.lua info "$card" "${dates[@]}"
bench_wrk "getcardmembercarddetail" "$BENCH_BASE/datacube/getcardmembercarddetail?access_token=$token" Benchmarks/lua/datacube.lua detail "$card" "${dates[@]}"
