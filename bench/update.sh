#!/usr/bin/env bash
# Acknowledged (durable) dynamic updates per second: hanon serve vs BIND named
# (allow-update by address) vs Knot (ACL action update), same zone, same
# client: one nsupdate process sending N updates one after another over UDP,
# each waiting for its answer (so each is one journal write + fsync on the
# server). Not a test; run on a quiet machine.
#
#   bench/update.sh HANON_BINARY [N]
#
# Environment: SERVERS ["hanon named knot"] WORK [/tmp/update-bench] PORT [5317]
#              TRACE_SYNC [unset; 1 = count the servers' fsync/fdatasync/msync calls with strace]
set -euo pipefail
HANON=${1:?usage: update.sh HANON_BINARY [N]}
N=${2:-300}
SERVERS=${SERVERS:-"hanon named knot"}
WORK=${WORK:-/tmp/update-bench}
PORT=${PORT:-5317}

zone() {
    cat <<ZONE
\$ORIGIN upd.test.
\$TTL 300
@    SOA ns1 hostmaster 1 3600 900 604800 300
@    NS  ns1
ns1  A   192.0.2.53
ZONE
}

script() {
    echo "server 127.0.0.1 $PORT"
    echo "zone upd.test"
    for i in $(seq 1 "$N"); do
        echo "update add h$i.upd.test 60 A 192.0.2.$((i % 250 + 1))"
        echo "send"
    done
}

wait_up() {
    for _ in $(seq 1 100); do
        dig @127.0.0.1 -p "$PORT" +short +time=1 +tries=1 upd.test SOA >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "server did not come up" >&2
    return 1
}

run() {
    local name=$1 dir="$WORK/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    zone > "$dir/upd.test.zone"
    case $name in
    hanon)
        cat > "$dir/hanon.toml" <<CONF
data = "$dir/data"
[dns]
listen = ["127.0.0.1:$PORT"]
threads = 1
[[zone]]
name = "upd.test"
file = "$dir/upd.test.zone"
allow-update = [{ address = "127.0.0.1/32" }]
CONF
        "$HANON" serve --config "$dir/hanon.toml" > "$dir/log" 2>&1 &
        ;;
    named)
        cat > "$dir/named.conf" <<CONF
options {
    directory "$dir";
    listen-on port $PORT { 127.0.0.1; };
    listen-on-v6 { none; };
    pid-file "$dir/named.pid";
    recursion no;
    notify no;
};
zone "upd.test" { type primary; file "$dir/upd.test.zone"; allow-update { 127.0.0.1; }; };
CONF
        named -g -n 1 -c "$dir/named.conf" > "$dir/log" 2>&1 &
        ;;
    knot)
        mkdir -p "$dir/db"
        cat > "$dir/knot.conf" <<CONF
server:
    rundir: "$dir"
    listen: 127.0.0.1@$PORT
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$dir/db"
acl:
  - id: local
    address: 127.0.0.1
    action: update
zone:
  - domain: upd.test
    file: "$dir/upd.test.zone"
    acl: local
    zonefile-sync: 60
CONF
        knotd -c "$dir/knot.conf" > "$dir/log" 2>&1 &
        ;;
    esac
    local pid=$!
    trap "kill $pid 2>/dev/null || true" EXIT
    wait_up
    local tracer=""
    if [ -n "${TRACE_SYNC:-}" ]; then
        # Count the sync calls the server makes (is each update really fsynced?).
        strace -f -c -e trace=fsync,fdatasync,msync,sync_file_range -o "$dir/sync-calls" -p "$pid" 2>/dev/null &
        tracer=$!
        sleep 0.5
    fi
    script > "$dir/script"
    local start end
    start=$(date +%s.%N)
    nsupdate -t 5 < "$dir/script" || echo "$name: nsupdate reported failures"
    end=$(date +%s.%N)
    local serial
    serial=$(dig @127.0.0.1 -p "$PORT" +short upd.test SOA | awk '{print $3}')
    if [ -n "$tracer" ]; then
        kill -INT "$tracer" 2>/dev/null || true
        wait "$tracer" 2>/dev/null || true
        echo "$name: sync calls during the run:"
        grep -E 'fsync|fdatasync|msync|sync_file_range' "$dir/sync-calls" || echo "  none"
    fi
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    awk -v n="$N" -v s="$start" -v e="$end" -v name="$name" -v serial="$serial" \
        'BEGIN { printf "%-6s %d updates in %.2f s: %.0f acknowledged updates/s (serial now %s)\n", name, n, e - s, n / (e - s), serial }'
}

for server in $SERVERS; do run "$server"; done
