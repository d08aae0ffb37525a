#!/usr/bin/env bash
# Throughput check of DNSTransport's UDP listener (not a test): the udp-echo
# server (listener + a handler that only flips QR/AA), once with each UDP engine
# (NIO's datagram channel, hanon's own recvmmsg/sendmmsg loop), against NSD
# answering one A record; each pinned to one CPU, dnsperf on the other. The
# servers take turns, ROUNDS times, so background load spreads over all.
#
#   bench/udp-echo.sh            build (release) and measure both
#
# Reports, per server: CPU microseconds per query at a fixed rate (RATE q/s,
# the figure that separates servers when dnsperf saturates near NSD's rate, see
# ../shared/SWIFT-NOTES.md) and queries/s when saturated.
# Environment: RATE [20000] DURATION [10] SERVER_CPU [0] CLIENT_CPU [1]
#   VECTOR [32] (udpVectorReadCount) SERVERS ["nio recvmmsg nsd"] ROUNDS [1]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RATE=${RATE:-20000}
DURATION=${DURATION:-10}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
VECTOR=${VECTOR:-32}
SERVERS=${SERVERS:-"nio recvmmsg nsd"}
ROUNDS=${ROUNDS:-1}
WORK=${WORK:-/tmp/udp-echo-bench}
mkdir -p "$WORK"

(cd "$HERE/listener-udp" && swift build -c release >/dev/null)
ECHO_BIN="$HERE/listener-udp/.build/release/udp-echo"

cat > "$WORK/bench.test.zone" <<'ZONE'
$ORIGIN bench.test.
$TTL 300
@ IN SOA ns.bench.test. host.bench.test. 1 3600 600 86400 300
@ IN NS ns
ns IN A 192.0.2.1
www IN A 192.0.2.2
ZONE
cat > "$WORK/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@5305
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
for _ in $(seq 1 1000); do echo "www.bench.test A"; done > "$WORK/queries.txt"

# utime+stime (clock ticks) of a process and all its descendants
ticks() {
  local pid=$1 total=0 child
  [[ -r /proc/$pid/stat ]] || { echo 0; return; }
  total=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    total=$(( total + $(ticks "$child") ))
  done
  echo "$total"
}

measure() { # name port pid
  local name=$1 port=$2 pid=$3 hz before after qps_fixed qps_sat
  hz=$(getconf CLK_TCK)
  sleep 1
  taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries.txt" -l 2 -c 8 -q 100 >/dev/null  # warm-up
  before=$(ticks "$pid")
  qps_fixed=$(taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries.txt" -l "$DURATION" -c 8 -q 100 -Q "$RATE" \
    | awk '/Queries per second/ { print $4 }')
  after=$(ticks "$pid")
  qps_sat=$(taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries.txt" -l "$DURATION" -c 8 -q 100 \
    | awk '/Queries per second/ { print $4 }')
  awk -v n="$name" -v b="$before" -v a="$after" -v hz="$hz" -v q="$qps_fixed" -v d="$DURATION" -v s="$qps_sat" 'BEGIN {
    printf "%-10s %8.0f q/s at fixed rate: %6.2f us CPU/query | saturated: %8.0f q/s\n", n, q, (a - b) / hz * 1e6 / (q * d), s }'
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for server in $SERVERS; do
    case $server in
      nio|recvmmsg)
        taskset -c "$SERVER_CPU" "$ECHO_BIN" 5304 1 127.0.0.1 "$VECTOR" "$server" >"$WORK/echo.log" 2>&1 &
        PID=$!
        trap 'kill $PID 2>/dev/null || true' EXIT
        measure "$server/$VECTOR" 5304 "$PID"
        ;;
      nsd)
        taskset -c "$SERVER_CPU" nsd -d -c "$WORK/nsd.conf" >"$WORK/nsd.out" 2>&1 &
        PID=$!
        trap 'kill $PID 2>/dev/null || true' EXIT
        measure nsd 5305 "$PID"
        ;;
      *) echo "unknown server $server" >&2; exit 2 ;;
    esac
    kill "$PID"; wait "$PID" 2>/dev/null || true
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
