#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Time from an update acknowledged by the primary to the secondary serving it
# (issue 4): UPDATE on the primary -> journal -> NOTIFY -> IXFR -> served by
# the secondary. Each pair runs on 127.0.0.1 with the same zone; the client
# sends one update with nsupdate, and as soon as nsupdate returns (the update
# is acknowledged) polls the secondary with dig every 2 ms until it answers
# the new record. Not a test; run on a quiet machine.
#
#   bench/propagation.sh HANON_BINARY [N]
#
# Pairs (primary -> secondary): hanon->hanon, hanon->named, named->named,
# knot->knot. Environment: PAIRS, WORK [/tmp/propagation-bench], N [20].
set -euo pipefail
HANON=${1:?usage: propagation.sh HANON_BINARY [N]}
N=${2:-20}
PAIRS=${PAIRS:-"hanon:hanon hanon:named named:named knot:knot"}
WORK=${WORK:-/tmp/propagation-bench}
P1=${P1:-5361}
P2=${P2:-5362}

zone() {
    cat <<ZONE
\$ORIGIN prop.test.
\$TTL 300
@    SOA ns1 hostmaster 1 3600 900 604800 300
@    NS  ns1
ns1  A   192.0.2.53
ZONE
}

wait_serial_any() {
    for _ in $(seq 1 200); do
        dig @127.0.0.1 -p "$1" +short +time=1 +tries=1 prop.test SOA 2>/dev/null | grep -q . && return 0
        sleep 0.05
    done
    echo "server on port $1 did not come up" >&2
    return 1
}

start_primary() {  # kind dir
    local kind=$1 dir=$2
    case $kind in
    hanon)
        cat > "$dir/p.toml" <<CONF
data = "$dir/pdata"
[dns]
listen = ["127.0.0.1:$P1"]
threads = 1
[[zone]]
name = "prop.test"
file = "$dir/p.zone"
allow-update = [{ address = "127.0.0.1/32" }]
allow-transfer = ["127.0.0.1/32"]
notify = ["127.0.0.1:$P2"]
zonefile-sync = "1h"
CONF
        mkdir -p "$dir/pdata"
        "$HANON" serve --config "$dir/p.toml" > "$dir/p.log" 2>&1 &
        ;;
    named)
        cat > "$dir/p.conf" <<CONF
options { directory "$dir"; pid-file "$dir/p.pid"; session-keyfile "$dir/p.key";
  listen-on port $P1 { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no;
  notify explicit; also-notify { 127.0.0.1 port $P2; }; };
controls { };
zone "prop.test" { type primary; file "$dir/p.zone"; allow-update { 127.0.0.1; }; allow-transfer { 127.0.0.1; }; };
CONF
        named -g -n 1 -c "$dir/p.conf" > "$dir/p.log" 2>&1 &
        ;;
    knot)
        mkdir -p "$dir/pdb"
        cat > "$dir/p.knot.conf" <<CONF
server:
    rundir: "$dir"
    listen: 127.0.0.1@$P1
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$dir/pdb"
remote:
  - id: sec
    address: 127.0.0.1@$P2
acl:
  - id: all
    address: 127.0.0.0/8
    action: [transfer, update]
zone:
  - domain: prop.test
    file: "$dir/p.zone"
    acl: all
    notify: sec
    zonefile-sync: -1
    journal-content: changes
CONF
        knotd -c "$dir/p.knot.conf" > "$dir/p.log" 2>&1 &
        ;;
    esac
    echo $!
}

start_secondary() {  # kind dir
    local kind=$1 dir=$2
    case $kind in
    hanon)
        cat > "$dir/s.toml" <<CONF
data = "$dir/sdata"
[dns]
listen = ["127.0.0.1:$P2"]
threads = 1
[[zone]]
name = "prop.test"
primary = ["127.0.0.1:$P1"]
CONF
        mkdir -p "$dir/sdata"
        "$HANON" serve --config "$dir/s.toml" > "$dir/s.log" 2>&1 &
        ;;
    named)
        cat > "$dir/s.conf" <<CONF
options { directory "$dir"; pid-file "$dir/s.pid"; session-keyfile "$dir/s.key";
  listen-on port $P2 { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; notify no;
  allow-notify { 127.0.0.1; }; };
controls { };
zone "prop.test" { type secondary; primaries port $P1 { 127.0.0.1; }; file "$dir/s.zone"; };
CONF
        named -g -n 1 -c "$dir/s.conf" > "$dir/s.log" 2>&1 &
        ;;
    knot)
        mkdir -p "$dir/sdb"
        cat > "$dir/s.knot.conf" <<CONF
server:
    rundir: "$dir/s"
    listen: 127.0.0.1@$P2
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$dir/sdb"
remote:
  - id: pri
    address: 127.0.0.1@$P1
acl:
  - id: notify
    address: 127.0.0.0/8
    action: notify
zone:
  - domain: prop.test
    file: "$dir/s.zone"
    master: pri
    acl: notify
    zonefile-sync: -1
CONF
        mkdir -p "$dir/s"
        knotd -c "$dir/s.knot.conf" > "$dir/s.log" 2>&1 &
        ;;
    esac
    echo $!
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

for pair in $PAIRS; do
    primary=${pair%%:*} secondary=${pair##*:}
    dir="$WORK/$primary-$secondary"
    rm -rf "$dir"
    mkdir -p "$dir"
    zone > "$dir/p.zone"
    ppid=$(start_primary "$primary" "$dir")
    wait_serial_any "$P1"
    spid=$(start_secondary "$secondary" "$dir")
    wait_serial_any "$P2"
    times=()
    for i in $(seq 1 "$N"); do
        printf 'server 127.0.0.1 %s\nzone prop.test\nupdate add h%s.prop.test 60 A 192.0.2.%s\nsend\n' \
            "$P1" "$i" "$((i % 250 + 1))" > "$dir/u.txt"
        nsupdate "$dir/u.txt"
        t0=$(now_ms)
        until dig @127.0.0.1 -p "$P2" +short +time=1 +tries=1 "h$i.prop.test" A 2>/dev/null | grep -q .; do
            sleep 0.002
            if (( $(now_ms) - t0 > 30000 )); then echo "$pair: update $i not served after 30 s" >&2; break; fi
        done
        times+=($(( $(now_ms) - t0 )))
        sleep 0.2
    done
    kill "$ppid" "$spid" 2>/dev/null || true
    for pid in "$ppid" "$spid"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    median=$(echo "$sorted" | awk -v n="${#times[@]}" 'NR == int((n + 1) / 2)')
    max=$(echo "$sorted" | tail -1)
    min=$(echo "$sorted" | head -1)
    printf '%-16s n=%d  median %s ms  min %s ms  max %s ms\n' "$primary -> $secondary" "${#times[@]}" "$median" "$min" "$max"
done
