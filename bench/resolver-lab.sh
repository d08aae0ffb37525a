#!/bin/sh
# Cold-cache time of hanon's resolver and of unbound over the fake internet's
# whole case list, on the same lab run (one up.sh, fresh keys).
#   bench/resolver-lab.sh [HANON]     HANON: the hanon binary (default .build/debug/hanon);
#   ROUNDS=3 for more rounds
#   HITS=15: after each cold pass, one warm pass, then dnsperf for 15 s on the
#   cache-hit mix (the NOERROR/NXDOMAIN cases, names repeated 100 times, as the
#   lab's bench.sh) against each resolver, one thread each (dnsperf -c 1 -T 1 -q 100)
#   THREADS=2: the resolvers with that many threads (hanon `threads`, unbound
#   `num-threads` with so-reuseport, from the lab's own unbound.conf) and
#   dnsperf with as many clients and threads (-c N -T N)
# Needs root (the lab binds 127.53.x.y:53), unbound, and ../shared/lab/fake-internet.
# Each resolver starts with an empty cache; check.py's wall time is the cold time.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB=$ROOT/../shared/lab/fake-internet
HANON=${1:-$ROOT/.build/debug/hanon}
WORK=$(mktemp -d /tmp/hanon-resolver-lab.XXXXXX)
export LAB_STATE=$WORK/state
PORT=${PORT:-5357}
exec 9>/tmp/fake-internet.lock
flock 9
cleanup() {
    [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true
    [ -n "${UPID:-}" ] && kill "$UPID" 2>/dev/null || true
    "$LAB/resolvers/unbound.sh" stop >/dev/null 2>&1 || true
    "$LAB/down.sh" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap "exit 1" INT TERM
"$LAB/up.sh" >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; exit 1; }
mkdir -p "$WORK/data"
cat >"$WORK/hanon.toml" <<CONF
data = "$WORK/data"
[dns]
listen = ["127.0.0.1:$((PORT + 1))"]
threads = ${THREADS:-1}
[log]
level = "notice"
[resolver]
listen = ["127.0.0.1:$PORT"]
root-hints = "$LAB_STATE/root.hints"
trust-anchor = "$LAB_STATE/root.key"
allow-loopback-upstreams = true
CONF
HITS=${HITS:-0}
if [ "$HITS" -gt 0 ]; then
    awk -F'\t' '!/^#/ && NF >= 3 && ($3 == "NOERROR" || $3 == "NXDOMAIN") {print $1, $2}' \
        "$LAB/cases.tsv" >"$WORK/one-hits.txt"
    : >"$WORK/q-hits.txt"
    for _ in $(seq 100); do cat "$WORK/one-hits.txt" >>"$WORK/q-hits.txt"; done
fi
hits() { # PORT NAME
    [ "$HITS" -gt 0 ] || return 0
    python3 "$LAB/check.py" "$1" --quiet >/dev/null || true
    printf '%s cache hits: ' "$2"
    dnsperf -s 127.0.0.1 -p "$1" -d "$WORK/q-hits.txt" -l "$HITS" -c "${THREADS:-1}" -T "${THREADS:-1}" -q 100 -D 2>&1 |
        grep -E 'Queries per second|Average Latency|Queries lost' | tr -s ' ' | tr '\n' ' '
    echo
}
for round in $(seq "${ROUNDS:-1}"); do
    "$HANON" serve --config "$WORK/hanon.toml" >"$WORK/hanon.log" 2>&1 &
    PID=$!
    i=0
    while ! ss -lnu | grep -q "127.0.0.1:$PORT "; do
        i=$((i + 1))
        if [ $i -gt 200 ] || ! kill -0 "$PID" 2>/dev/null; then echo "hanon did not start:"; cat "$WORK/hanon.log"; exit 1; fi
        sleep 0.05
    done
    printf 'hanon   (%s) round %s: ' "$(basename "$(dirname "$HANON")")" "$round"
    python3 "$LAB/check.py" "$PORT" --quiet | grep -E '^time:|passed' | tr '\n' ' '
    echo
    hits "$PORT" "hanon  "
    kill "$PID"; wait "$PID" 2>/dev/null || true
    PID=
    "$LAB/resolvers/unbound.sh" start 5350 >/dev/null
    if [ "${THREADS:-1}" -gt 1 ]; then
        # The lab's configuration with more threads, started here instead.
        CONFIG=$LAB_STATE/resolvers/unbound/unbound.conf
        "$LAB/resolvers/unbound.sh" stop >/dev/null
        sed -e "s/num-threads: 1/num-threads: $THREADS/" -e 's/so-reuseport: no/so-reuseport: yes/' \
            "$CONFIG" >"$WORK/unbound.conf"
        unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.log" 2>&1 &
        UPID=$!
        i=0
        until dig +short +time=1 +tries=1 -p 5350 @127.0.0.1 . SOA >/dev/null 2>&1; do
            i=$((i + 1)); [ $i -gt 100 ] && { echo "unbound did not start"; cat "$WORK/unbound.log"; exit 1; }
            sleep 0.1
        done
    fi
    printf 'unbound round %s: ' "$round"
    python3 "$LAB/check.py" 5350 --quiet | grep -E '^time:|passed' | tr '\n' ' '
    echo
    hits 5350 "unbound"
    "$LAB/resolvers/unbound.sh" stop >/dev/null
    if [ -n "${UPID:-}" ]; then kill "$UPID" 2>/dev/null || true; wait "$UPID" 2>/dev/null || true; UPID=; fi
done
