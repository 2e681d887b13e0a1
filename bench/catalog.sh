#!/usr/bin/env bash
# Catalog read benchmark (API answers and the pose library pages): YogaFlow (release build, fresh SQLite database) against
# nginx serving the very same response bytes from files, measured in the same run
# with wrk at 32 connections. Prints throughput, p50/p99, the ratio to nginx,
# YogaFlow's peak RSS and its cold-start time to /health/ready.
#
# Usage: bench/catalog.sh [seconds per run, default 10]
# Needs: wrk and nginx (Debian: apt-get install wrk nginx-light), curl.
# Loopback only; every run is bounded by its duration.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNS=32
APP_PORT=18080
NGX_PORT=18081

for tool in wrk nginx curl; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light curl >/dev/null
    else
      echo "bench: please install $tool (apt-get install wrk nginx-light curl)" >&2; exit 1
    fi
  fi
done

cargo build --release --quiet -p yogaflow
BIN=target/release/yogaflow
WORK=$(mktemp -d)
cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Cold start: migrations plus library load on an empty database, until ready.
start_ns=$(date +%s%N)
RUST_LOG=warn "$BIN" --data-dir "$WORK/data" serve --bind "127.0.0.1:$APP_PORT" >"$WORK/app.log" 2>&1 &
APP_PID=$!
until curl -fs "http://127.0.0.1:$APP_PORT/health/ready" >/dev/null 2>&1; do
  sleep 0.01
  if ! kill -0 "$APP_PID" 2>/dev/null; then cat "$WORK/app.log"; exit 1; fi
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))

declare -A PATHS=(
  [list]="/api/v1/poses"
  [pose]="/api/v1/poses/1"
  [search]="/api/v1/poses?search=twist&difficulty=intermediate"
  [page-library]="/poses"
  [page-filtered]="/poses?category=standing&difficulty=beginner"
  [page-pose]="/poses/1"
)
# The server-rendered pages are measured the same way: the HTML nginx serves is
# the exact page YogaFlow rendered.
ORDER=(list pose search page-library page-filtered page-pose)
first_seq=$(curl -fs "http://127.0.0.1:$APP_PORT/api/v1/sequences?page_size=1" | grep -o '"sequence_id":[0-9]*' | head -1 | cut -d: -f2 || true)
if [ -n "$first_seq" ]; then
  PATHS[sequence]="/api/v1/sequences/$first_seq"
  ORDER+=(sequence)
else
  echo "bench: no sequences in the library; skipping the sequence endpoint" >&2
fi

# The same bytes, served by nginx from files.
mkdir -p "$WORK/www"
{
  echo "worker_processes auto; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log;"
  echo "events { worker_connections 1024; }"
  echo "http { access_log off; default_type application/json; keepalive_requests 100000;"
  echo "  server { listen 127.0.0.1:$NGX_PORT;"
  for name in "${ORDER[@]}"; do
    curl -fs "http://127.0.0.1:$APP_PORT${PATHS[$name]}" >"$WORK/www/$name.json"
    echo "    location = /$name { alias $WORK/www/$name.json; }"
  done
  echo "  }"
  echo "}"
} >"$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.3

run_wrk() { # url -> "rps p50_ms p99_ms"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$1" 2>/dev/null | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

printf '\nYogaFlow catalog reads vs nginx serving the same bytes (%ss each, %s connections, wrk -t2)\n' "$DURATION" "$CONNS"
printf '%-13s %8s %10s %9s %9s | %10s %9s %9s | %6s\n' endpoint bytes app_rps app_p50 app_p99 nginx_rps ngx_p50 ngx_p99 ratio
for name in "${ORDER[@]}"; do
  # Warm the cache, as a long-running server would be.
  curl -fs "http://127.0.0.1:$APP_PORT${PATHS[$name]}" >/dev/null
  read -r a_rps a_p50 a_p99 < <(run_wrk "http://127.0.0.1:$APP_PORT${PATHS[$name]}")
  read -r n_rps n_p50 n_p99 < <(run_wrk "http://127.0.0.1:$NGX_PORT/$name")
  ratio=$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", (n > 0 ? a / n : 0) }')
  bytes=$(stat -c %s "$WORK/www/$name.json")
  printf '%-13s %8s %10s %8sms %8sms | %10s %8sms %8sms | %6s\n' "$name" "$bytes" "$a_rps" "$a_p50" "$a_p99" "$n_rps" "$n_p50" "$n_p99" "$ratio"
done

rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")
printf '\npeak RSS of yogaflow: %s MiB\n' "$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')"
printf 'cold start (migrations + library load) to /health/ready: %s ms\n' "$ready_ms"
