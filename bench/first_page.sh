#!/usr/bin/env bash
# Time `make run` to the first page served: bench/first_page.sh [CLONE] [PORT]
# With no CLONE, clones this repository afresh into /tmp/house-clone and times a first and a second run.
set -euo pipefail
port=${2:-18801}
if [ -z "${1:-}" ]; then
  rm -rf /tmp/house-clone
  git clone -q "$(cd "$(dirname "$0")/.." && pwd)" /tmp/house-clone
  "$0" /tmp/house-clone "$port"
  "$0" /tmp/house-clone "$port"
  exit
fi
cd "$1"
start=$(date +%s.%N)
setsid make run PORT="$port" >"/tmp/first_page_$port.log" 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true' EXIT
for _ in $(seq 1 3000); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/" && break
  kill -0 $pid 2>/dev/null || { echo "make run stopped; see /tmp/first_page_$port.log" >&2; exit 1; }
  sleep 0.2
done
end=$(date +%s.%N)
printf 'first page after %.1f s (load average %s)\n' "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
