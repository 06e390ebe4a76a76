#!/usr/bin/env bash
# The web console at production size: MEMBERS activated members (10,000 by default; 1,000,000
# with MEMBERS=1000000) of one member card written by SQL (Benchmarks/sql/members-seed.sql),
# then each page under a merchant's load (8 connections) with a signed-in session: the
# overview, the card page (face, chart, definition), the member list, a search by code, by
# openid and by membership number, a member with the ledger, and a phone view. Prints req/s,
# p50, p99 and the server's CPU per page.
#
# SQLite by default. On PostgreSQL: BENCH_POSTGRES_URL=postgres://user@host:port/db.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-8}
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-10000}
bench_require_wrk

bench_postgres_database "wxcards_bench_$$"
cleanup() { bench_stop_server; bench_drop_postgres_database; }
trap cleanup EXIT
bench_start_seeded "$MEMBERS"
trap cleanup EXIT
engine=$([ -n "${BENCH_DATABASE:-}" ] && echo PostgreSQL || echo SQLite)
printf '%s: seeded %s members in %.0f s\n' "$engine" "$MEMBERS" "$BENCH_SEED_SECONDS"

# A member with a ledger: points added through the API.
middle=$((MEMBERS / 2))
code=$(printf 'M%07d' "$middle") openid=$(printf 'o%027d' "$middle")
for _ in 1 2 3; do
  curl -fs -X POST "$BENCH_BASE/card/membercard/updateuser?access_token=$token" \
    -d "{\"card_id\":\"$card\",\"code\":\"$code\",\"add_bonus\":5,\"record_bonus\":\"bench\"}" >/dev/null
done
membership=$(curl -fs -X POST "$BENCH_BASE/card/membercard/userinfo/get?access_token=$token" -d "{\"card_id\":\"$card\",\"code\":\"$code\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["membership_number"])')
# Sign in as a browser does: the sign-in page's token, in the form and in its cookie.
signin=$(curl -fs -D - "$BENCH_BASE/console" | awk -F'[=;]' 'tolower($0) ~ /^set-cookie: wxcards_console_signin=/ {print $2; exit}')
cookie=$(curl -fs -o /dev/null -D - -X POST -H "Cookie: wxcards_console_signin=$signin" "$BENCH_BASE/console/signin" \
  --data-urlencode "appid=$BENCH_APPID" --data-urlencode "secret=$BENCH_SECRET" --data-urlencode "signin=$signin" |
  awk -F'[: ;]+' 'tolower($1) == "set-cookie" {print $2}')
[ -n "$cookie" ] || { echo "could not sign in to the console" >&2; exit 1; }
# Every page answers 200 with a session (a redirect would measure the sign-in page instead).
for path in /console/overview "/console/cards/$card" /console/members "/console/members?q=$code" "/console/members/$card/$code" "/console/phone/$openid"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$BENCH_BASE$path")
  [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
done

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per page, $(nproc) cores, $MEMBERS members"
page() { bench_wrk "$1" "$BENCH_BASE/console" Benchmarks/lua/console.lua "$cookie" "$2"; }
page "overview" /console/overview
page "card page (chart, JSON)" "/console/cards/$card"
page "member list, first page" /console/members
page "member list, a later page" "/console/members?after_openid=$openid&after_card=$card&after_code=$code"
page "search by code" "/console/members?q=$code"
page "search by openid" "/console/members?q=$openid"
page "search by membership number" "/console/members?q=$membership"
page "member with ledger" "/console/members/$card/$code"
page "phone view" "/console/phone/$openid"
