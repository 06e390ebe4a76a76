#!/usr/bin/env bash
# Seeds 100,000 members on one card through the API, then measures userinfo/get and
# updateuser (add_bonus, durable: synchronous=FULL) with wrk on loopback, and GET /healthz on
# the same server as the ceiling. Prints req/s, p50/p99 and the ratio to /healthz.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-100000}
# Which member endpoints to measure after /healthz ("updateuser" alone compares builds faster).
ENDPOINTS=${ENDPOINTS:-userinfo updateuser}
bench_require_wrk
bench_start_server
token=$(bench_token)
card=$(bench_create_member_card)

bench_seed_members "$card" "$MEMBERS"

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores"
bench_wrk "GET /healthz" "$BENCH_BASE/healthz"; health=$BENCH_RPS
ratios=()
if [[ " $ENDPOINTS " == *" userinfo "* ]]; then
  bench_wrk "userinfo/get" "$BENCH_BASE/card/membercard/userinfo/get?access_token=$token" Benchmarks/lua/member.lua "$MEMBERS" "$card" read
  ratios+=("$(printf 'userinfo/get / healthz = %.1f%%' "$(echo "100 * $BENCH_RPS / $health" | bc -l)")")
fi
if [[ " $ENDPOINTS " == *" updateuser "* ]]; then
  bench_wrk "updateuser add_bonus" "$BENCH_BASE/card/membercard/updateuser?access_token=$token" Benchmarks/lua/member.lua "$MEMBERS" "$card" add
  ratios+=("$(printf 'updateuser / healthz = %.1f%%' "$(echo "100 * $BENCH_RPS / $health" | bc -l)")")
fi
printf '%s   ' "${ratios[@]}"; echo
