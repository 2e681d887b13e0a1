#!/usr/bin/env bash
# Fault suite: PostgreSQL restart, Redis outage, a killed instance and SIGTERM
# under load, against three yogaflow instances behind nginx, all on loopback.
# Needs root (it runs its own PostgreSQL cluster as the postgres user).
# Usage: ops/fault-suite.sh [path/to/yogaflow]   (default: a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v psql >/dev/null || need+=(postgresql-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
export PATH="$PATH:/usr/sbin"

bin="${1:-}"
if [ -z "$bin" ]; then
  cargo build -p yogaflow --locked --quiet
  bin="target/debug/yogaflow"
fi
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 1; }
YOGAFLOW_BIN="$bin" exec timeout --signal=TERM --kill-after=10 420 python3 -u ops/fault_suite.py
