#!/usr/bin/env bash
# Requests/s of GET /healthz and GET /cgi-bin/token, measured with wrk on
# loopback against the release build (SQLite, default log level, logs to a file).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bench_require_wrk
bench_start_server
echo "wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION per endpoint, $(nproc) cores"
bench_wrk "GET /healthz" "$BENCH_BASE/healthz"
# Every call issues a new token: a durable write (UPDATE, DELETE, INSERT in one transaction).
bench_wrk "GET /cgi-bin/token" "$BENCH_BASE/cgi-bin/token?grant_type=client_credential&appid=$BENCH_APPID&secret=$BENCH_SECRET"
# The token check every API pays for, on the cheapest API behind it.
token=$(bench_token)
cat >"$BENCH_DIR/clock.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"advance_seconds":0}'
LUA
bench_wrk "POST /sandbox/clock (+0 s)" "$BENCH_BASE/sandbox/clock?access_token=$token" "$BENCH_DIR/clock.lua"
