# Shared by the benchmark scripts: build the release binary, start it on a
# throwaway SQLite database on loopback, run wrk, print one line per endpoint.
# Every run is bounded (wrk -d) and only ever targets 127.0.0.1.

BENCH_APPID=wxbench0000000001
BENCH_SECRET=benchsecret0000000000000000000001
BENCH_PORT=${BENCH_PORT:-18080}
BENCH_BASE="http://127.0.0.1:$BENCH_PORT"
BENCH_DURATION=${BENCH_DURATION:-10s}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-64}
BENCH_THREADS=${BENCH_THREADS:-2}

# bench_binary: BENCH_BIN, or the release build (built here).
bench_binary() {
  if [ -n "${BENCH_BIN:-}" ]; then echo "$BENCH_BIN"; return; fi
  swift build -c release --product wxcards >/dev/null
  echo "$(swift build -c release --show-bin-path)/wxcards"
}

bench_require_wrk() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

# bench_start_server [VAR=value ...]: starts the release build (built here unless BENCH_BIN names
# a binary) on a new database, or on a copy of the one in directory BENCH_SEEDED_FROM, with
# those variables in its environment.
bench_start_server() {
  local bin
  bin=$(bench_binary)
  BENCH_DIR=$(mktemp -d /tmp/wxcards-bench.XXXXXX)
  # The copy is flushed before the server starts: otherwise its first fsync writes the whole
  # file (hundreds of MB at a million members) and shows up as a stall of the first writes.
  [ -n "${BENCH_SEEDED_FROM:-}" ] && { cp "$BENCH_SEEDED_FROM"/bench.sqlite* "$BENCH_DIR"/; sync; }
  BENCH_BIN_USED=$bin
  # BENCH_SERVE_ARGS: more flags for serve (another --app, …).
  # BENCH_DATABASE: another database (a PostgreSQL URL) instead of the throwaway SQLite file.
  env "$@" "$bin" serve --port "$BENCH_PORT" --database "${BENCH_DATABASE:-sqlite:$BENCH_DIR/bench.sqlite}" \
    --app "$BENCH_APPID:$BENCH_SECRET" ${BENCH_SERVE_ARGS:-} >"$BENCH_DIR/server.log" 2>&1 &
  BENCH_PID=$!
  trap bench_stop_server EXIT
  for _ in $(seq 1 200); do
    curl -fs "$BENCH_BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "server did not start:" >&2; cat "$BENCH_DIR/server.log" >&2; exit 1
}

# bench_stop_server [SAVE_TO]: stops the server and removes its database, after copying it
# (whole, now that the server is down) into directory SAVE_TO if given.
bench_stop_server() {
  if [ -n "${BENCH_PID:-}" ]; then kill -TERM "$BENCH_PID" 2>/dev/null || true; wait "$BENCH_PID" 2>/dev/null || true; fi
  # (a PostgreSQL database has no file here to copy)
  [ -n "${1:-}" ] && { cp "$BENCH_DIR"/bench.sqlite* "$1"/ 2>/dev/null || true; }
  [ -n "${BENCH_DIR:-}" ] && rm -rf "$BENCH_DIR"
  BENCH_PID=""
}

bench_token() {  # [APPID SECRET]: the bench app's token, or that app's
  curl -fs "$BENCH_BASE/cgi-bin/token?grant_type=client_credential&appid=${1:-$BENCH_APPID}&secret=${2:-$BENCH_SECRET}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# bench_create_member_card: creates members.sh's member card (points, custom codes, activated
# on claim) and prints its card_id; needs $token.
bench_create_member_card() {
  curl -fs -X POST "$BENCH_BASE/card/create?access_token=$token" -d '{"card":{"card_type":"MEMBER_CARD","member_card":{
  "base_info":{"logo_url":"http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0","brand_name":"海底捞","code_type":"CODE_TYPE_TEXT",
   "title":"海底捞会员卡","color":"Color010","notice":"使用时向服务员出示此券","description":"不可与其他优惠同享",
   "date_info":{"type":"DATE_TYPE_PERMANENT"},"sku":{"quantity":100000000},"get_limit":1,"use_custom_code":true},
  "supply_bonus":true,"supply_balance":false,"prerogative":"会员特权","auto_activate":true}}}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["card_id"])'
}

# bench_seed_members CARD COUNT: claims CARD for COUNT new users (openid o…n, code M…n, see
# lua/claim.lua) through /sandbox/card/claim; needs $token.
bench_seed_members() {
  local card=$1 count=$2 start seeder seconds
  claimed() {
    curl -fs -X POST "$BENCH_BASE/card/get?access_token=$token" -d "{\"card_id\":\"$card\"}" |
      python3 -c 'import json,sys; s=json.load(sys.stdin)["card"]["member_card"]["base_info"]["sku"]; print(s["total_quantity"]-s["quantity"])'
  }
  echo "seeding $count members on $card ..."
  start=$(date +%s.%N)
  # wrk's threads stop after their share (claim.lua), but wrk itself sleeps out -d: watch the stock instead.
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d600s -s Benchmarks/lua/claim.lua \
    "$BENCH_BASE/sandbox/card/claim?access_token=$token" -- $((count / BENCH_THREADS)) "$card" >/dev/null &
  seeder=$!
  while [ "$(claimed)" -lt "$count" ] && kill -0 "$seeder" 2>/dev/null; do sleep 0.5; done
  kill "$seeder" 2>/dev/null || true; wait "$seeder" 2>/dev/null || true
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  printf 'seeded %s members in %.1f s (%.0f claims/s)\n' "$(claimed)" "$seconds" "$(echo "$count / $seconds" | bc -l)"
}

# The server's CPU time so far (user + system, in clock ticks): CPU per request is steadier
# than req/s on a machine whose speed drifts, and it is what two cores divide into a rate.
bench_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$BENCH_PID/stat"; }

# bench_wrk NAME URL [LUA_SCRIPT [SCRIPT_ARGS...]]: prints "NAME req/s p50 p99 CPU" and sets
# BENCH_RPS and BENCH_CPU_US (the server's CPU time per request wrk completed).
bench_wrk() {
  local name=$1 url=$2 script=${3:-} out
  shift 3 2>/dev/null || shift $#
  local cpu_before; cpu_before=$(bench_cpu_ticks)
  out=$(wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency ${script:+-s "$script"} "$url" ${script:+-- "$@"}); [ -n "${BENCH_VERBOSE:-}" ] && echo "$out" >&2
  BENCH_RPS=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  local p50 p99 errors
  local ticks=$(( $(bench_cpu_ticks) - cpu_before )) requests
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  BENCH_CPU_US=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  printf '%-28s %12s req/s   p50 %-9s p99 %-9s server CPU %5s µs/req %s\n' "$name" "$BENCH_RPS" "$p50" "$p99" "$BENCH_CPU_US" "$errors"
}

# bench_start_seeded MEMBERS: the server on a fresh database (BENCH_DATABASE, a PostgreSQL URL,
# or a new SQLite file) with MEMBERS activated members of one member card, written by SQL
# (sql/members-seed.sql: the bulk path, a minute for a million) with the names lua/claim.lua
# gives them. Sets $card and $token, and BENCH_SEED_SECONDS (how long the SQL took).
bench_start_seeded() {
  local members=$1 saved now sql pad_openid pad_code start
  command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
  saved=$(mktemp -d /tmp/wxcards-seeded.XXXXXX)
  # A server makes the schema, the app and its member card; it stops for the seeding.
  bench_start_server
  token=$(bench_token)
  card=$(bench_create_member_card)
  now=$(curl -fs -X POST "$BENCH_BASE/sandbox/clock?access_token=$token" -d '{"advance_seconds":0}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["now"])')
  bench_stop_server "$saved"
  if [ -n "${BENCH_DATABASE:-}" ]; then
    pad_openid="'o' || lpad(i::text, 27, '0')" pad_code="'M' || lpad(i::text, 7, '0')"
  else
    pad_openid="printf('o%027d', i)" pad_code="printf('M%07d', i)"
  fi
  sql=$(sed -e "s/@APPID@/$BENCH_APPID/g" -e "s/@CARD@/$card/g" -e "s/@MEMBERS@/$members/g" -e "s/@NOW@/$now/g" \
    -e "s/@OPENID@/$pad_openid/g" -e "s/@CODE@/$pad_code/g" Benchmarks/sql/members-seed.sql)
  start=$(date +%s.%N)
  if [ -n "${BENCH_DATABASE:-}" ]; then
    psql "$BENCH_DATABASE" -q -v ON_ERROR_STOP=1 <<<"$sql"
    psql "$BENCH_DATABASE" -qc "VACUUM ANALYZE"
    BENCH_SEED_SECONDS=$(echo "$(date +%s.%N) - $start" | bc)
    bench_start_server
  else
    sqlite3 "$saved/bench.sqlite" <<<"PRAGMA synchronous=OFF; BEGIN; $sql COMMIT; ANALYZE;"
    BENCH_SEED_SECONDS=$(echo "$(date +%s.%N) - $start" | bc)
    BENCH_SEEDED_FROM=$saved bench_start_server
  fi
  rm -rf "$saved"
  token=$(bench_token)
}

# bench_postgres_database NAME: with BENCH_POSTGRES_URL set, creates database NAME on that
# server and points BENCH_DATABASE at it (bench_drop_postgres_database drops it); without it,
# leaves BENCH_DATABASE unset, so the server runs on a new SQLite file.
bench_postgres_database() {
  BENCH_PG_DATABASE=""
  unset BENCH_DATABASE
  [ -n "${BENCH_POSTGRES_URL:-}" ] || return 0
  BENCH_PG_DATABASE=$1
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $BENCH_PG_DATABASE"
  export BENCH_DATABASE="${BENCH_POSTGRES_URL%/*}/$BENCH_PG_DATABASE"
}

bench_drop_postgres_database() {
  if [ -n "${BENCH_PG_DATABASE:-}" ]; then
    psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $BENCH_PG_DATABASE" || true
  fi
}
