#!/usr/bin/env bash
# Dynamic updates to a large zone that hanon signs (dnssec = true) against the
# same zone unsigned: an update to a signed zone re-signs only the changed
# RRsets, the SOA and the NSEC/NSEC3 records around the change (incremental
# signing), so its cost should stay close to the unsigned one and far below a
# whole re-sign (which the start-up time shows). Not a test; run on a quiet machine.
#
#   bench/signed-update.sh HANON_BINARY [NAMES] [UPDATES]
#
# Environment: WORK [/tmp/signed-update-bench] PORT [5318] DENIAL ["nsec nsec3"]
set -euo pipefail
HANON=${1:?usage: signed-update.sh HANON_BINARY [NAMES] [UPDATES]}
NAMES=${2:-100000}
N=${3:-50}
WORK=${WORK:-/tmp/signed-update-bench}
PORT=${PORT:-5318}
DENIAL=${DENIAL:-"nsec nsec3"}

zone() {
    echo "\$ORIGIN big.test."
    echo "\$TTL 300"
    echo "@ SOA ns1 hostmaster 1 3600 900 604800 300"
    echo "@ NS ns1"
    echo "ns1 A 192.0.2.53"
    awk -v n="$NAMES" 'BEGIN { for (i = 1; i <= n; i++) printf "h%d A 198.51.%d.%d\n", i, int(i / 250) % 250, i % 250 + 1 }'
}

script() {
    echo "server 127.0.0.1 $PORT"
    echo "zone big.test"
    for i in $(seq 1 "$N"); do
        # A new name (chain insertion) and a deleted one (chain removal) per update.
        echo "update add new$i.big.test 60 A 192.0.2.$((i % 250 + 1))"
        echo "update delete h$((i * 7)).big.test A"
        echo "send"
    done
}

wait_up() {
    for _ in $(seq 1 6000); do
        dig @127.0.0.1 -p "$PORT" +short +time=1 +tries=1 big.test SOA 2>/dev/null | grep -q hostmaster && return 0
        sleep 0.1
    done
    echo "server did not come up" >&2
    return 1
}

run() {
    local label=$1 dnssec=$2 dir="$WORK/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    zone > "$dir/big.test.zone"
    cat > "$dir/hanon.toml" <<CONF
data = "$dir/data"
[dns]
listen = ["127.0.0.1:$PORT"]
threads = 1
[[zone]]
name = "big.test"
file = "$dir/big.test.zone"
allow-update = [{ address = "127.0.0.1/32" }]
zonefile-sync = "1h"
$dnssec
CONF
    local start up
    start=$(date +%s.%N)
    "$HANON" serve --config "$dir/hanon.toml" > "$dir/log" 2>&1 &
    local pid=$!
    trap "kill $pid 2>/dev/null || true" EXIT
    wait_up
    up=$(date +%s.%N)
    script > "$dir/script"
    local s e
    s=$(date +%s.%N)
    nsupdate -v -t 120 < "$dir/script" || echo "$label: nsupdate reported failures"
    e=$(date +%s.%N)
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    awk -v n="$N" -v names="$NAMES" -v s="$s" -v e="$e" -v a="$start" -v u="$up" -v label="$label" \
        'BEGIN { printf "%-12s %d names: up (load + sign) in %.2f s; %d updates in %.2f s = %.1f ms per update\n", label, names, u - a, n, e - s, (e - s) * 1000 / n }'
}

run unsigned ""
for denial in $DENIAL; do run "signed-$denial" "dnssec = { denial = \"$denial\" }"; done
