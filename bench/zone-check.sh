#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Zone check benchmark: `hanon zone check` against named-checkzone (BIND) and
# kzonecheck (Knot) on the same gen-zone.py zone, in the same run.
# Prints wall seconds and peak RSS (from /usr/bin/time -v) and the ratio to hanon.
#
# Usage: bench/zone-check.sh [NAMES]     (default 1000000)
# The zone is cached in bench/data/ (gitignored); hanon is built with -c release.
set -euo pipefail
cd "$(dirname "$0")/.."
NAMES="${1:-1000000}"
ORIGIN=bench.test.
GEN="${GEN_ZONE:-../shared/lab/auth-bench/gen-zone.py}"
ZONE="bench/data/zone-${NAMES}.zone"
mkdir -p bench/data
if [ ! -s "$ZONE" ]; then
    python3 "$GEN" --names "$NAMES" --queries 10 --out "bench/data/zone-${NAMES}" >/dev/null
fi
swift build -c release --product hanon >/dev/null
HANON="$(swift build -c release --show-bin-path)/hanon"

measure() { # name, command...
    local name="$1"; shift
    local log; log="$(mktemp)"
    if ! /usr/bin/time -v "$@" >/dev/null 2>"$log"; then
        # A run that stops early (an error limit) measures nothing: refuse it.
        echo "$name failed on $ZONE; its timing would be meaningless:" >&2
        grep -v '^\s' "$log" | head -5 >&2
        rm -f "$log"
        exit 1
    fi
    local wall rss cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
    rm -f "$log"
    echo "$name $wall $cpu $rss"
}

results=()
results+=("$(measure hanon "$HANON" zone check "$ZONE" --origin "$ORIGIN")")
results+=("$(measure named-checkzone named-checkzone "$ORIGIN" "$ZONE")")
results+=("$(measure kzonecheck kzonecheck -o "$ORIGIN" "$ZONE")")

read -r _ hw hc hr <<<"${results[0]}"
echo "zone: $ZONE ($(grep -vc '^\s*;' "$ZONE") lines), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-16s | %8s | %8s | %12s | %12s | %11s | %11s |\n' program "wall s" "CPU s" "peak RSS MB" \
    "wall / hanon" "CPU / hanon" "RSS / hanon"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------" "---------:" "---------:" "-------------:" "-------------:" \
    "------------:" "------------:"
for r in "${results[@]}"; do
    read -r name w c m <<<"$r"
    printf '| %-16s | %8.2f | %8.2f | %12.1f | %11.2fx | %10.2fx | %10.2fx |\n' "$name" "$w" "$c" "$m" \
        "$(echo "$w / $hw" | bc -l)" "$(echo "$c / $hc" | bc -l)" "$(echo "$m / $hr" | bc -l)"
done
