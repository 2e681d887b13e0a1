#!/usr/bin/env bash
# Login flood benchmark: 64 connections post wrong passwords as fast as they can
# while 32 others read the pose catalog. Prints the catalog's latency with and
# without the flood, the login throughput, and the throughput the hash cost
# alone would allow (cores / single-login latency), all from one run.
#
# Usage: bench/login_flood.sh [seconds per run, default 10]
# Needs: wrk and curl (Debian: apt-get install wrk curl). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
PORT=18090
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet -p yogaflow
WORK=$(mktemp -d)
cleanup() { [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# The per-IP limit is lifted so the flood reaches the hasher; in production the
# limit would turn most of it away first.
YOGAFLOW_AUTH_RATE_PER_MINUTE=100000 RUST_LOG=warn target/release/yogaflow --data-dir "$WORK/data" serve --bind "127.0.0.1:$PORT" >"$WORK/app.log" 2>&1 &
APP_PID=$!
until curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do sleep 0.05; done
curl -fs -o /dev/null -XPOST "http://127.0.0.1:$PORT/api/v1/auth/register" -H 'content-type: application/json' \
  -d '{"email":"flood@example.org","name":"Flood","password":"maple kettle drift river"}'

cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"flood@example.org","password":"not the right words"}'
LUA

summary() { # wrk output on stdin -> "rps p50_ms p99_ms non2xx"
  awk 'function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $5 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }'
}

CATALOG="http://127.0.0.1:$PORT/api/v1/poses"
LOGIN="http://127.0.0.1:$PORT/api/v1/auth/login"
curl -fs "$CATALOG" >/dev/null

read -r base_rps base_p50 base_p99 _ < <(wrk -t1 -c32 -d"${DURATION}s" --latency "$CATALOG" 2>/dev/null | summary)
read -r one_rps one_p50 one_p99 _ < <(wrk -t1 -c1 -d"${DURATION}s" --latency -s "$WORK/login.lua" "$LOGIN" 2>/dev/null | summary)

wrk -t1 -c64 -d"$((DURATION + 2))s" --latency -s "$WORK/login.lua" "$LOGIN" >"$WORK/flood.txt" 2>/dev/null &
FLOOD=$!
sleep 1
read -r cat_rps cat_p50 cat_p99 _ < <(wrk -t1 -c32 -d"${DURATION}s" --latency "$CATALOG" 2>/dev/null | summary)
wait "$FLOOD"
read -r flood_rps flood_p50 flood_p99 _ < <(summary <"$WORK/flood.txt")
status_mix=$(grep -o '"code":"[a-z_]*"' "$WORK/app.log" | sort | uniq -c | tr '\n' ' ' || true)

cores=$(nproc)
ceiling=$(awk -v c="$cores" -v l="$one_p50" 'BEGIN { printf "%.0f", (l > 0 ? c * 1000 / l : 0) }')
printf '\nLogin flood (%ss runs, %s cores)\n' "$DURATION" "$cores"
printf '%-40s %10s %9s %9s\n' "measurement" "req/s" "p50" "p99"
printf '%-40s %10s %8sms %8sms\n' "catalog list, 32 conns, idle server" "$base_rps" "$base_p50" "$base_p99"
printf '%-40s %10s %8sms %8sms\n' "one login at a time (hash cost)" "$one_rps" "$one_p50" "$one_p99"
printf '%-40s %10s %8sms %8sms\n' "logins, 64 conns (flood)" "$flood_rps" "$flood_p50" "$flood_p99"
printf '%-40s %10s %8sms %8sms\n' "catalog list, 32 conns, during flood" "$cat_rps" "$cat_p50" "$cat_p99"
printf '\nlogin throughput under flood: %s/s; hash-bound ceiling (cores / single-login p50): %s/s\n' "$flood_rps" "$ceiling"
printf 'peak RSS: %s MiB\n' "$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$APP_PID/status")"
