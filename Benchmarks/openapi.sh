#!/usr/bin/env bash
# The API document and what checking bodies against their schemas costs.
#
# 1. `GET /openapi.json` (rendered once at start-up, served from memory), with `GET /healthz` as
#    the ceiling, 8 connections (BENCH_CONNECTIONS).
# 2. With BEFORE_BIN=path (a build from before the routes checked their declared schemas), the
#    two builds alternate round by round through Benchmarks/compare.sh on one seeded database
#    (MEMBERS, default 100,000; ROUNDS, default 3) on `userinfo/get` (its body now goes through the
#    schema check) and `/sandbox/card/claim` (a sandbox body, now typed by its schema). ENDPOINTS
#    overrides the list.
set -euo pipefail
cd "$(dirname "$0")/.."
document_connections=${BENCH_CONNECTIONS:-8}
source Benchmarks/lib.sh
bin=$(bench_binary)
(
  BENCH_CONNECTIONS=$document_connections
  BENCH_BIN=$bin
  bench_require_wrk
  bench_start_server
  trap bench_stop_server EXIT
  bytes=$(curl -fs "$BENCH_BASE/openapi.json" | wc -c)
  operations=$(curl -fs "$BENCH_BASE/openapi.json" | python3 -c 'import json,sys; print(sum(len(v) for v in json.load(sys.stdin)["paths"].values()))')
  echo "the document: $bytes bytes, $operations operations; wrk: $BENCH_THREADS threads, $BENCH_CONNECTIONS connections, $BENCH_DURATION, $(nproc) cores"
  bench_wrk "GET /healthz" "$BENCH_BASE/healthz"
  bench_wrk "GET /openapi.json" "$BENCH_BASE/openapi.json"
)
if [ -n "${BEFORE_BIN:-}" ]; then
  ENDPOINTS=${ENDPOINTS:-userinfo claim} exec Benchmarks/compare.sh "before=$BEFORE_BIN" "schema-checked=$bin"
fi
