#!/usr/bin/env bash
# Compares builds run by run: seeds MEMBERS members once (as members.sh does), keeps that
# database, then for ROUNDS rounds starts each build in turn on a fresh copy of it and measures
# GET /healthz and ENDPOINTS. Alternating on one seeded database is what makes a few percent
# visible on a machine whose speed drifts by tens of percent within minutes.
#
#   Benchmarks/compare.sh NAME=BINARY [NAME=BINARY ...]
#   e.g. Benchmarks/compare.sh before=/tmp/wxcards-before after=.build/release/wxcards
#
# A NAME=BINARY may carry environment for that server after a comma:
# fast=/tmp/wxcards,MALLOC_TRIM_THRESHOLD_=131072 (comma-separated VAR=value pairs).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-100000}
ROUNDS=${ROUNDS:-3}
# Any of: userinfo updateuser claim.
ENDPOINTS=${ENDPOINTS:-userinfo updateuser}
[ $# -ge 1 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
bench_require_wrk

# Seed once, with the first build.
first=${1#*=}; first=${first%%,*}
BENCH_BIN=$first bench_start_server
token=$(bench_token)
card=$(bench_create_member_card)
bench_seed_members "$card" "$MEMBERS"
seeded=$(mktemp -d /tmp/wxcards-compare.XXXXXX)
bench_stop_server "$seeded"
cleanup() { bench_stop_server; rm -rf "$seeded"; }

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores"
for round in $(seq 1 "$ROUNDS"); do
  for variant in "$@"; do
    name=${variant%%=*}; spec=${variant#*=}; bin=${spec%%,*}
    environment=(); [[ $spec == *,* ]] && IFS=, read -r -a environment <<<"${spec#*,}"
    BENCH_SEEDED_FROM=$seeded BENCH_BIN=$bin bench_start_server "${environment[@]}"
    trap cleanup EXIT
    token=$(bench_token)
    echo "== round $round: $name"
    bench_wrk "GET /healthz" "$BENCH_BASE/healthz"
    if [[ " $ENDPOINTS " == *" userinfo "* ]]; then
      bench_wrk "userinfo/get" "$BENCH_BASE/card/membercard/userinfo/get?access_token=$token" Benchmarks/lua/member.lua "$MEMBERS" "$card" read
    fi
    if [[ " $ENDPOINTS " == *" updateuser "* ]]; then
      bench_wrk "updateuser add_bonus" "$BENCH_BASE/card/membercard/updateuser?access_token=$token" Benchmarks/lua/member.lua "$MEMBERS" "$card" add
    fi
    if [[ " $ENDPOINTS " == *" claim "* ]]; then
      # New users claiming a new card (activated on claim) for the whole run.
      fresh=$(bench_create_member_card)
      bench_wrk "sandbox/card/claim" "$BENCH_BASE/sandbox/card/claim?access_token=$token" Benchmarks/lua/claim.lua 100000000 "$fresh"
    fi
    bench_stop_server
  done
done
