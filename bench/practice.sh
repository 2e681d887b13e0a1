#!/usr/bin/env bash
# Practice-data benchmark: one user with 10,000 sessions spread over two years;
# measures GET /stats, /history and /calendar with wrk (8 connections) on SQLite
# and, when TEST_DATABASE_URL points at a PostgreSQL server, on PostgreSQL too.
#
# Usage: bench/practice.sh [seconds per run, default 10]
# Needs: wrk, curl, python3 (for SQLite seeding), psql (for PostgreSQL). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
SESSIONS=10000
command -v wrk >/dev/null || { echo "bench: install wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet -p yogaflow
BIN=target/release/yogaflow
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

summary() {
  awk 'function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%8.0f %9.2fms %9.2fms", rps, p50, p99 }'
}

# Starts a server on $1 (DATABASE_URL or empty), registers and verifies a user,
# seeds the sessions with $2 (a seeding command reading the user id), prints a row per endpoint.
run() {
  local label=$1 url=$2 port=$3
  local dir="$WORK/$label"
  mkdir -p "$dir"
  DATABASE_URL="$url" YOGAFLOW_AUTH_RATE_PER_MINUTE=100000 RUST_LOG=warn "$BIN" --data-dir "$dir" serve --bind "127.0.0.1:$port" >"$dir/app.log" 2>&1 &
  PIDS+=($!)
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 0.05; done
  local base="http://127.0.0.1:$port/api/v1"
  curl -fs -o /dev/null -XPOST "$base/auth/register" -H 'content-type: application/json' \
    -d '{"email":"bench@example.org","name":"Bench","password":"maple kettle drift river"}'
  sleep 1
  local token
  token=$(cat "$dir"/outbox/*.eml | python3 -c 'import sys,quopri,re; t=quopri.decodestring(sys.stdin.buffer.read()).decode(); print(re.search(r"token=([A-Za-z0-9_-]+)", t).group(1))')
  curl -fs -o /dev/null -XPOST "$base/auth/verify-email" -H 'content-type: application/json' -d "{\"token\":\"$token\"}"
  seed_"$label" "$dir" "$url"
  # Access tokens live 10 minutes; one sign-in covers the runs.
  local access
  access=$(curl -fs -XPOST "$base/auth/login" -H 'content-type: application/json' \
    -d '{"email":"bench@example.org","password":"maple kettle drift river"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["tokens"]["access_token"])')
  for path in "/stats" "/history?page_size=20" "/calendar"; do
    curl -fs -o /dev/null -H "authorization: Bearer $access" "$base$path"
    printf '%-10s %-24s %s\n' "$label" "$path" "$(wrk -t1 -c"${CONNS:-8}" -d"${DURATION}s" --latency -H "authorization: Bearer $access" "$base$path" 2>/dev/null | summary)"
  done
}

seed_sqlite() {
  python3 - "$1/yogaflow.db" "$SESSIONS" <<'PY'
import sqlite3, sys, time, random
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2]); random.seed(7)
uid = db.execute("SELECT id FROM users WHERE email = 'bench@example.org'").fetchone()[0]
now = int(time.time()); rows = []
for i in range(n):
    start = now - random.randint(0, 730 * 86400)
    dur = random.randint(300, 3600)
    status = random.choice(["completed"] * 8 + ["partial", "abandoned"])
    rows.append((uid, "sequence", random.randint(1, 42), status, start * 1_000_000, (start + dur) * 1_000_000, dur))
db.executemany("INSERT INTO practice_sessions (user_id, kind, sequence_id, status, paused, started_at, completed_at, duration_seconds) VALUES (?, ?, ?, ?, 0, ?, ?, ?)", rows)
db.commit()
PY
}

seed_postgres() {
  psql "$2" -q -c "INSERT INTO practice_sessions (user_id, kind, sequence_id, status, paused, started_at, completed_at, duration_seconds)
    SELECT u.id, 'sequence', 1 + (g % 42), CASE WHEN g % 10 = 0 THEN 'abandoned' WHEN g % 10 = 1 THEN 'partial' ELSE 'completed' END, FALSE,
           (extract(epoch FROM now())::bigint - (g * 6311 % (730 * 86400))) * 1000000,
           (extract(epoch FROM now())::bigint - (g * 6311 % (730 * 86400)) + 1200) * 1000000, 300 + g % 3300
    FROM users u, generate_series(1, $SESSIONS) g WHERE u.email = 'bench@example.org'"
}

printf '\nOne user with %s sessions; wrk -t1 -c%s, %ss per run\n' "$SESSIONS" "${CONNS:-8}" "$DURATION"
printf '%-10s %-24s %8s %11s %11s\n' database endpoint req/s p50 p99
run sqlite "" 18100
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  name="yf_bench_$$"
  psql "$TEST_DATABASE_URL" -q -c "CREATE DATABASE $name"
  pg_url="${TEST_DATABASE_URL%/*}/$name"
  run postgres "$pg_url" 18101
  kill "${PIDS[-1]}" 2>/dev/null || true; sleep 0.5
  psql "$TEST_DATABASE_URL" -q -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"
fi
