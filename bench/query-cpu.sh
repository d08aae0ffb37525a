#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# User and kernel CPU a query of saturated `hanon serve` builds (and NSD),
# for A/B comparisons of the query path: each server in turn, pinned to
# SERVER_CPU with one thread, dnsperf (-c 8 -q 100, as the lab) on CLIENT_CPU
# for DURATION seconds after a 2 s warm-up, ROUNDS rounds alternating the
# servers. The user-space figure is the steadier one: the kernel's share
# (UDP receive/send, waking dnsperf) swings with the VM's scheduling from run
# to run. Not a test.
#
#   bench/query-cpu.sh ZONE_PREFIX SERVER...   SERVER: a hanon binary, or "nsd"
#   e.g. bench/query-cpu.sh bench/data/bench-1000000 /tmp/hanon-old .build/release/hanon nsd
#
# ZONE_PREFIX names PREFIX.zone and PREFIX.queries (gen-zone.py, origin bench.test.).
# Environment: DURATION [8] ROUNDS [3] SERVER_CPU [0] CLIENT_CPU [1] PORT [5390]
set -euo pipefail
PREFIX=${1:?usage: query-cpu.sh ZONE_PREFIX SERVER...}
shift
DURATION=${DURATION:-8}
ROUNDS=${ROUNDS:-3}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PORT=${PORT:-5390}
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d)
trap 'kill "${PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
ZONE=$(realpath "$PREFIX.zone")

cat > "$WORK/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$PORT
  server-count: 1
  username: ""
  chroot: ""
  database: ""
  pidfile: "$WORK/nsd.pid"
  xfrdfile: "$WORK/xfrd.state"
  zonelistfile: "$WORK/zone.list"
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
  minimal-responses: yes
remote-control:
  control-enable: no
zone:
  name: bench.test
  zonefile: $ZONE
CONF

ticks() { # "utime stime" of a process and all its descendants, in clock ticks
  local pid=$1 u s child cu cs
  read -r u s < <(awk '{ sub(/.*\) /, ""); print $12, $13 }' "/proc/$pid/stat" 2>/dev/null || echo "0 0")
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    read -r cu cs < <(ticks "$child")
    u=$((u + cu)); s=$((s + cs))
  done
  echo "$u $s"
}

for _ in $(seq 1 "$ROUNDS"); do
  for server in "$@"; do
    if [[ $server == nsd ]]; then
      taskset -c "$SERVER_CPU" nsd -d -c "$WORK/nsd.conf" >"$WORK/server.log" 2>&1 &
    else
      taskset -c "$SERVER_CPU" "$server" serve --listen 127.0.0.1:$PORT --zone "bench.test.=$ZONE" --threads 1 \
        >"$WORK/server.log" 2>&1 &
    fi
    PID=$!
    for _ in $(seq 1 300); do
      dig +short +time=1 +tries=1 -p "$PORT" @127.0.0.1 bench.test SOA 2>/dev/null | grep -q . && break
      sleep 0.2
    done
    sleep 1.5  # hanon moves the zone onto huge pages right after loading it
    taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$PORT" -d "$PREFIX.queries" -l 2 -c 8 -q 100 >/dev/null 2>&1
    read -r u1 s1 < <(ticks "$PID")
    qps=$(taskset -c "$CLIENT_CPU" dnsperf -s 127.0.0.1 -p "$PORT" -d "$PREFIX.queries" -l "$DURATION" -c 8 -q 100 \
      2>/dev/null | awk '/Queries per second/ { print $4 }')
    read -r u2 s2 < <(ticks "$PID")
    kill "$PID"; wait "$PID" 2>/dev/null || true
    awk -v n="$server" -v q="$qps" -v u=$((u2 - u1)) -v s=$((s2 - s1)) -v hz="$HZ" -v d="$DURATION" 'BEGIN {
      c = q * d; printf "%-40s %8.0f q/s  user %5.2f  kernel %5.2f  total %5.2f us/query\n", n, q, u / hz * 1e6 / c, s / hz * 1e6 / c, (u + s) / hz * 1e6 / c }'
  done
done
