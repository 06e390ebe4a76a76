#!/usr/bin/env bash
# Seeds 100,000 members on one card through the API, then measures userinfo/get and
# updateuser (add_bonus, durable: synchronous=FULL) with wrk on loopback, and GET /healthz on
# the same server as the ceiling. Prints req/s, p50/p99 and the ratio to /healthz.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-100000}
bench_require_wrk
bench_start_server
token=$(bench_token)
api() { curl -fs -X POST "$BENCH_BASE$1?access_token=$token" -d "$2"; }

card=$(api /card/create '{"card":{"card_type":"MEMBER_CARD","member_card":{
  "base_info":{"logo_url":"http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0","brand_name":"海底捞","code_type":"CODE_TYPE_TEXT",
   "title":"海底捞会员卡","color":"Color010","notice":"使用时向服务员出示此券","description":"不可与其他优惠同享",
   "date_info":{"type":"DATE_TYPE_PERMANENT"},"sku":{"quantity":100000000},"get_limit":1,"use_custom_code":true},
  "supply_bonus":true,"supply_balance":false,"prerogative":"会员特权","auto_activate":true}}}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["card_id"])')

echo "seeding $MEMBERS members on $card ..."
claimed() {
  curl -fs -X POST "$BENCH_BASE/card/get?access_token=$token" -d "{\"card_id\":\"$card\"}" |
    python3 -c 'import json,sys; s=json.load(sys.stdin)["card"]["member_card"]["base_info"]["sku"]; print(s["total_quantity"]-s["quantity"])'
}
start=$(date +%s.%N)
# wrk's threads stop after their share (claim.lua), but wrk itself sleeps out -d: watch the stock instead.
wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d600s -s Benchmarks/lua/claim.lua \
  "$BENCH_BASE/sandbox/card/claim?access_token=$token" -- $((MEMBERS / BENCH_THREADS)) "$card" >/dev/null &
seeder=$!
while [ "$(claimed)" -lt "$MEMBERS" ] && kill -0 "$seeder" 2>/dev/null; do sleep 0.5; done
kill "$seeder" 2>/dev/null || true; wait "$seeder" 2>/dev/null || true
seconds=$(echo "$(date +%s.%N) - $start" | bc)
printf 'seeded %s members in %.1f s (%.0f claims/s)\n' "$(claimed)" "$seconds" "$(echo "$MEMBERS / $seconds" | bc -l)"

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores"
bench_wrk "GET /healthz" "$BENCH_BASE/healthz"; health=$BENCH_RPS
bench_wrk "userinfo/get" "$BENCH_BASE/card/membercard/userinfo/get?access_token=$token" Benchmarks/lua/member.lua "$MEMBERS" "$card" read
read_rps=$BENCH_RPS
bench_wrk "updateuser add_bonus" "$BENCH_BASE/card/membercard/updateuser?access_token=$token" Benchmarks/lua/member.lua "$MEMBERS" "$card" add
write_rps=$BENCH_RPS
python3 - "$health" "$read_rps" "$write_rps" <<'PY'
import sys
health, read, write = map(float, sys.argv[1:])
print("userinfo/get / healthz = %.1f%%   updateuser / healthz = %.1f%%" % (100 * read / health, 100 * write / health))
PY
