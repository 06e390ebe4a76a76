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
api() { curl -fs -X POST "$BENCH_BASE$1?access_token=$token" -d "$2"; }

card=$(api /card/create '{"card":{"card_type":"MEMBER_CARD","member_card":{
  "base_info":{"logo_url":"http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0","brand_name":"海底捞","code_type":"CODE_TYPE_TEXT",
   "title":"海底捞会员卡","color":"Color010","notice":"使用时向服务员出示此券","description":"不可与其他优惠同享",
   "date_info":{"type":"DATE_TYPE_PERMANENT"},"sku":{"quantity":100000000},"get_limit":1,"use_custom_code":true},
  "supply_bonus":true,"supply_balance":false,"prerogative":"会员特权","auto_activate":true}}}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["card_id"])')

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
