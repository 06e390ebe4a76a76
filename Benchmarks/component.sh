#!/usr/bin/env bash
# A third-party platform's calls against the merchant's own: one server with a component the
# test app has authorized (the whole chain through the API: ticket, component token, pre-auth
# code, the sandbox approval, api_query_auth). Rounds (ROUNDS, default 4) alternate
# userinfo/get and updateuser with the app's own token and with the authorizer token, on the
# same MEMBERS members (default 20,000); then api_authorizer_token itself, on its own (each call
# issues a token, so it measures the refresh path a platform runs every 2 hours per merchant).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
MEMBERS=${MEMBERS:-20000}
ROUNDS=${ROUNDS:-4}
COMPONENT=wxbenchcomponent001
COMPONENT_SECRET=benchcomponentsecret000000000001
bench_require_wrk
BENCH_SERVE_ARGS="--component $COMPONENT:$COMPONENT_SECRET" bench_start_server
token=$(bench_token)
card=$(bench_create_member_card)
bench_seed_members "$card" "$MEMBERS"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }
ticket=$(curl -fs -X POST "$BENCH_BASE/sandbox/component/verify_ticket?access_token=$token" -d "{\"component_appid\":\"$COMPONENT\"}" | json component_verify_ticket)
ctoken=$(curl -fs -X POST "$BENCH_BASE/cgi-bin/component/api_component_token" \
  -d "{\"component_appid\":\"$COMPONENT\",\"component_appsecret\":\"$COMPONENT_SECRET\",\"component_verify_ticket\":\"$ticket\"}" | json component_access_token)
pre=$(curl -fs -X POST "$BENCH_BASE/cgi-bin/component/api_create_preauthcode?component_access_token=$ctoken" -d "{\"component_appid\":\"$COMPONENT\"}" | json pre_auth_code)
code=$(curl -fs -X POST "$BENCH_BASE/sandbox/component/authorize?access_token=$token" \
  -d "{\"component_appid\":\"$COMPONENT\",\"pre_auth_code\":\"$pre\",\"authorizer_appid\":\"$BENCH_APPID\"}" | json auth_code)
info=$(curl -fs -X POST "$BENCH_BASE/cgi-bin/component/api_query_auth?component_access_token=$ctoken" \
  -d "{\"component_appid\":\"$COMPONENT\",\"authorization_code\":\"$code\"}" | json authorization_info)
atoken=$(python3 -c "import ast,sys; print(ast.literal_eval(sys.argv[1])['authorizer_access_token'])" "$info")
refresh=$(python3 -c "import ast,sys; print(ast.literal_eval(sys.argv[1])['authorizer_refresh_token'])" "$info")

echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores"
# Odd rounds measure the app's own token first, even rounds the authorizer's: drift hits both.
for round in $(seq 1 "$ROUNDS"); do
  for mode in read add; do
    name=$([ "$mode" = read ] && echo "userinfo/get" || echo "updateuser")
    path=$([ "$mode" = read ] && echo userinfo/get || echo updateuser)
    order=("own:$token" "authorizer:$atoken")
    [ $((round % 2)) -eq 0 ] && order=("authorizer:$atoken" "own:$token")
    for entry in "${order[@]}"; do
      bench_wrk "$name, ${entry%%:*} token" "$BENCH_BASE/card/membercard/$path?access_token=${entry#*:}" \
        Benchmarks/lua/member.lua "$MEMBERS" "$card" "$mode"
      [ "${entry%%:*}" = own ] && own=$BENCH_RPS || authorizer=$BENCH_RPS
    done
    printf '  round %s: %s with the authorizer token / own token = %.1f%%\n' "$round" "$name" "$(echo "100 * $authorizer / $own" | bc -l)"
  done
done
cat > "$BENCH_DIR/refresh.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"component_appid":"$COMPONENT","authorizer_appid":"$BENCH_APPID","authorizer_refresh_token":"$refresh"}'
LUA
bench_wrk "api_authorizer_token" "$BENCH_BASE/cgi-bin/component/api_authorizer_token?component_access_token=$ctoken" "$BENCH_DIR/refresh.lua"
