#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# User-space instructions per query of `hanon serve` itself (the UDP loop,
# the handler, the answer path; not the kernel), counted by callgrind: the
# release binary, without its DWARF (valgrind cannot read Swift 6.3's), serves
# the lab's 100,000-name zone with one thread; dnsperf sends the first COUNT
# queries of its query file once, at 2,000 q/s; callgrind counts only inside
# `UDPBatchLoop.run`. Instruction counts do not depend on the machine's load,
# so two builds can be compared on a busy machine.
#
#   bench/query-callgrind.sh [HANON] [COUNT]    (default .build/release/hanon, 20000)
# Prints the total, the instructions per query and the top functions.
# KEEP=FILE keeps callgrind's output file.
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/hanon}
COUNT=${2:-20000}
PORT=${PORT:-25001}
ZONE=bench/data/bench-100000.zone
[ -s "$ZONE" ] || { echo "no $ZONE: run bench/auth.sh once (it generates the zones)"; exit 1; }
WORK=$(mktemp -d)
trap 'kill "$VP" 2>/dev/null || true; rm -rf "$WORK"' EXIT
head -n "$COUNT" bench/data/bench-100000.queries >"$WORK/queries"
objcopy --strip-debug "$BIN" "$WORK/hanon"
valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*UDPBatchLoopV3run*' \
    --callgrind-out-file="$WORK/cg.out" "$WORK/hanon" serve --listen 127.0.0.1:$PORT \
    --zone bench.test="$ZONE" --threads 1 >"$WORK/log" 2>&1 &
VP=$!
i=0
until dig +short +time=1 +tries=1 -p $PORT @127.0.0.1 bench.test SOA >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -gt 180 ] && { echo "hanon did not start"; cat "$WORK/log"; exit 1; }
    sleep 1
done
dnsperf -s 127.0.0.1 -p $PORT -d "$WORK/queries" -n 1 -Q 2000 -c 1 -t 5 | grep -E "Queries completed"
kill -TERM "$VP"; wait "$VP" || true
TOTAL=$(callgrind_annotate "$WORK/cg.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "instructions: $TOTAL total, $((TOTAL / COUNT)) per query"
callgrind_annotate "$WORK/cg.out" | grep -E '^ *[0-9,]+ \(' | head -12 | swift demangle --simplified | cut -c1-140
# KEEP=FILE keeps callgrind's output (e.g. for callgrind_annotate --tree=caller)
[ -n "${KEEP:-}" ] && cp "$WORK/cg.out" "$KEEP"
true
