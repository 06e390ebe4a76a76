#!/usr/bin/env bash
# The claim QR image: `GET /cgi-bin/showqrcode` for one ticket (a version 3 code of its claim
# URL, encoded and written as PNG on every request), with `GET /healthz` as the ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-8}
source Benchmarks/lib.sh
bench_require_wrk
bench_start_server
token=$(bench_token)
card=$(bench_create_member_card)
ticket=$(curl -fs -X POST "$BENCH_BASE/card/qrcode/create?access_token=$token" \
  -d "{\"action_name\":\"QR_CARD\",\"action_info\":{\"card\":{\"card_id\":\"$card\",\"code\":\"M0000001\"}}}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["ticket"])')
bytes=$(curl -fs "$BENCH_BASE/cgi-bin/showqrcode?ticket=$ticket" | wc -c)
echo "one image: $bytes bytes; wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION, $(nproc) cores"
bench_wrk "GET /healthz" "$BENCH_BASE/healthz"
bench_wrk "GET /cgi-bin/showqrcode" "$BENCH_BASE/cgi-bin/showqrcode?ticket=$ticket"
