#!/usr/bin/env bash
# Seeds members on a member card that takes WeChat Pay (points rules, 10% discount) and puts a
# pay-gift rule for a second card on one merchant id, then measures durable /sandbox/pay by
# random members with their card (points spent and earned through the ledger, the gift offered
# on each member's first payment), with GET /healthz on the same server as the ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-20000}
MCHID=1900000001
bench_require_wrk
bench_start_server
token=$(bench_token)
api() { curl -fs -X POST "$BENCH_BASE$1?access_token=$token" -d "$2"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }

member_card() {  # $1: title, $2: extra member_card fields
  api /card/create '{"card":{"card_type":"MEMBER_CARD","member_card":{
    "base_info":{"logo_url":"http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0","brand_name":"海底捞","code_type":"CODE_TYPE_TEXT",
     "title":"'"$1"'","color":"Color010","notice":"使用时向服务员出示此券","description":"不可与其他优惠同享",
     "date_info":{"type":"DATE_TYPE_PERMANENT"},"sku":{"quantity":100000000},"get_limit":1,"use_custom_code":true,
     "pay_info":{"swipe_card":{"is_swipe_card":true}}},
    "supply_bonus":true,"supply_balance":false,"prerogative":"会员特权","auto_activate":true'"$2"'}}}' | field card_id
}
card=$(member_card "海底捞会员卡" ',"discount":10,"bonus_rule":{"cost_money_unit":100,"increase_bonus":1,"max_increase_bonus":200,
  "init_increase_bonus":1000,"cost_bonus_unit":5,"reduce_money":100,"least_money_to_use_bonus":1000,"max_reduce_bonus":50}')
gift=$(member_card "海底捞金卡" '')
now=$(date +%s)
api /card/paygiftcard/add '{"rule_info":{"type":"RULE_TYPE_PAY_MEMBER_CARD",
  "base_info":{"mchid_list":["'$MCHID'"],"begin_time":'$((now - 60))',"end_time":'$((now + 86400))'},
  "member_rule":{"card_id":"'"$gift"'","least_cost":100,"max_cost":100000,"jump_url":"https://example.com/claim"}}}' >/dev/null

bench_seed_members "$card" "$MEMBERS"

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores"
bench_wrk "GET /healthz" "$BENCH_BASE/healthz"; health=$BENCH_RPS
bench_wrk "sandbox/pay by member card" "$BENCH_BASE/sandbox/pay?access_token=$token" Benchmarks/lua/member.lua "$MEMBERS" "$card" pay "$MCHID"
pay_rps=$BENCH_RPS
# Every answer must have been a success: a sample payment shows what each one did.
api /sandbox/pay '{"mchid":"'$MCHID'","openid":"o000000000000000000000000000","total_fee":12345,"card_id":"'"$card"'","code":"M0000000","use_bonus":5}'
echo
python3 - "$health" "$pay_rps" <<'PY'
import sys
health, pay = map(float, sys.argv[1:])
print("sandbox/pay / healthz = %.1f%%" % (100 * pay / health))
PY
