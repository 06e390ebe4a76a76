#!/usr/bin/env bash
# updateuser (add_bonus, durable) with and without event pushes, on one server: app A has no
# message server, app B pushes every call's update_member_card to `wxcards push-receiver` on
# loopback (answering success). Both apps have MEMBERS members; rounds alternate A and B
# (ROUNDS, default 2), so the machine's drift hits both. After each B round it waits for the
# outbox to drain and says how long that took.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-20000}
ROUNDS=${ROUNDS:-2}
OTHER_APPID=wxbench0000000002
OTHER_SECRET=benchsecret0000000000000000000002
RECEIVER_PORT=${RECEIVER_PORT:-18090}
bench_require_wrk
BENCH_SERVE_ARGS="--app $OTHER_APPID:$OTHER_SECRET" bench_start_server
"$BENCH_BIN_USED" push-receiver --quiet --port "$RECEIVER_PORT" --token benchtoken1 >"$BENCH_DIR/receiver.log" 2>&1 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true; bench_stop_server' EXIT

token=$(bench_token)
card_a=$(bench_create_member_card)
bench_seed_members "$card_a" "$MEMBERS"
token=$(bench_token "$OTHER_APPID" "$OTHER_SECRET")
card_b=$(bench_create_member_card)
bench_seed_members "$card_b" "$MEMBERS"
token_a=$(bench_token) token_b=$token
curl -fs -X POST "$BENCH_BASE/sandbox/app/server?access_token=$token_b" \
  -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/wechat\",\"token\":\"benchtoken1\",\"mode\":\"plain\"}"; echo

# Waits until the newest push of app B is settled; prints the seconds it took and its state.
drain() {
  local start; start=$(date +%s.%N)
  while true; do
    state=$(curl -fs "$BENCH_BASE/sandbox/events?limit=1&access_token=$token_b" |
      python3 -c 'import json,sys; e=json.load(sys.stdin)["events"]; print(e[0]["state"] if e else "none")')
    [ "$state" != "pending" ] && break
    sleep 0.1
  done
  printf '  outbox drained %.1f s after the load (newest push: %s)\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$state"
}

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores"
bench_wrk "GET /healthz" "$BENCH_BASE/healthz"
for round in $(seq 1 "$ROUNDS"); do
  bench_wrk "A: updateuser, no pushes" "$BENCH_BASE/card/membercard/updateuser?access_token=$token_a" Benchmarks/lua/member.lua "$MEMBERS" "$card_a" add
  plain=$BENCH_RPS
  bench_wrk "B: updateuser + push" "$BENCH_BASE/card/membercard/updateuser?access_token=$token_b" Benchmarks/lua/member.lua "$MEMBERS" "$card_b" add
  printf '  round %s: with pushes / without = %.1f%%\n' "$round" "$(echo "100 * $BENCH_RPS / $plain" | bc -l)"
  drain
done
curl -fs "$BENCH_BASE/sandbox/events?limit=3&access_token=$token_b" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["events"]:
    print("  sample:", e["event"], e["state"], [(a["status"], a["latency_ms"]) for a in e["attempts"]])'
