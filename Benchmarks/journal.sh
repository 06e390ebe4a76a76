#!/usr/bin/env bash
# What the request journal costs durable updateuser: the same release build with the journal on
# (the default) and off (WXCARDS_JOURNAL=off), alternating round by round on one seeded
# database (Benchmarks/compare.sh: MEMBERS, default 100,000; ROUNDS, default 3). The journal's
# batches are written by the same SQLite writer as the points, so this is where it shows.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bin=$(bench_binary)
ENDPOINTS=${ENDPOINTS:-updateuser} exec Benchmarks/compare.sh "journal-on=$bin" "journal-off=$bin,WXCARDS_JOURNAL=off"
