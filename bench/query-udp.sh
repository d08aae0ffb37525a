#!/usr/bin/env bash
# Server CPU per query over UDP: hanon serve vs NSD on the same gen-zone.py zone
# and query file (../shared/lab/auth-bench), one server thread each, pinned to
# SERVER_CPU, dnsperf on CLIENT_CPU at a fixed rate (not a test).
#
#   bench/query-udp.sh HANON_BINARY [ZONE_PREFIX]
#
# ZONE_PREFIX (default /tmp/perfq/z100k) names PREFIX.zone and PREFIX.queries
# (gen-zone.py --names 100000 --out PREFIX). Reports, per server: queries/s at
# the fixed rate and user+sys CPU microseconds per query.
# Environment: RATE [20000] DURATION [10] SERVER_CPU [0] CLIENT_CPU [1] SERVERS ["hanon nsd"]
set -euo pipefail
HANON=${1:?usage: query-udp.sh HANON_BINARY [ZONE_PREFIX]}
PREFIX=${2:-/tmp/perfq/z100k}
RATE=${RATE:-20000}
DURATION=${DURATION:-10}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
SERVERS=${SERVERS:-"hanon nsd"}
WORK=${WORK:-/tmp/query-udp-bench}
mkdir -p "$WORK"
cp "$PREFIX.zone" "$WORK/bench.test.zone"

cat > "$WORK/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@5315
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$WORK"
  database: ""
  pidfile: "$WORK/nsd.pid"
  xfrdfile: "$WORK/xfrd.state"
  zonelistfile: "$WORK/zone.list"
  logfile: "$WORK/nsd.log"
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
  minimal-responses: yes
remote-control:
  control-enable: no
zone:
  name: bench.test
  zonefile: bench.test.zone
CONF

ticks() { # utime+stime (clock ticks) of a process and all its descendants
  local pid=$1 total=0 child
  [[ -r /proc/$pid/stat ]] || { echo 0; return; }
  total=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    total=$(( total + $(ticks "$child") ))
  done
  echo "$total"
}

wait_answer() { # port
  for _ in $(seq 1 120); do
    dig +short +time=1 +tries=1 -p "$1" @127.0.0.1 bench.test SOA >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "server on port $1 did not answer" >&2; return 1
}

measure() { # name port pid
  local name=$1 port=$2 pid=$3 hz before after qps
  hz=$(getconf CLK_TCK)
  wait_answer "$port"
  taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$port" -d "$PREFIX.queries" -l 2 -c 8 -q 100 >/dev/null  # warm-up
  before=$(ticks "$pid")
  qps=$(taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$port" -d "$PREFIX.queries" -l "$DURATION" -c 8 -q 100 -Q "$RATE" \
    | awk '/Queries per second/ { print $4 }')
  after=$(ticks "$pid")
  awk -v n="$name" -v b="$before" -v a="$after" -v hz="$hz" -v q="$qps" -v d="$DURATION" 'BEGIN {
    printf "%-6s %8.0f q/s at fixed rate: %6.2f us CPU/query\n", n, q, (a - b) / hz * 1e6 / (q * d) }'
}

if [[ " $SERVERS " == *" hanon "* ]]; then
  taskset -c "$SERVER_CPU" "$HANON" serve --listen 127.0.0.1:5314 --zone "bench.test=$WORK/bench.test.zone" --threads 1 \
    >"$WORK/hanon.log" 2>&1 &
  HANON_PID=$!
  trap 'kill $HANON_PID 2>/dev/null || true' EXIT
  measure hanon 5314 "$HANON_PID"
  kill "$HANON_PID"; wait "$HANON_PID" 2>/dev/null || true
fi

if [[ " $SERVERS " == *" nsd "* ]]; then
  taskset -c "$SERVER_CPU" nsd -d -c "$WORK/nsd.conf" >"$WORK/nsd.out" 2>&1 &
  NSD_PID=$!
  trap 'kill $NSD_PID 2>/dev/null || true' EXIT
  measure nsd 5315 "$NSD_PID"
  kill "$NSD_PID"; wait "$NSD_PID" 2>/dev/null || true
fi
