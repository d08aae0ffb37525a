#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Zone signing benchmark: `hanon zone sign` against dnssec-signzone (BIND) and
# ldns-signzone (ldns) on the same gen-zone.py zone, in the same run, with the
# same algorithm (ECDSAP256SHA256 by default) and one combined signing key,
# with NSEC and with NSEC3 (RFC 9276: no salt, 0 extra iterations).
#
# - hanon and dnssec-signzone sign with the same dnssec-keygen key; hanon and
#   BIND use 2 threads (the machine's cores); ldns-signzone has one.
# - dnssec-signzone runs with -S (keys from -K), -P (no verification of its own output after
#   signing; hanon and ldns-signzone do not verify either) and -z (the one key
#   signs everything).
# - Each output is checked afterwards (outside the timing) by counting RRSIGs.
#
# Prints wall seconds, CPU seconds and peak RSS (from /usr/bin/time -v), and
# the ratios to hanon.
#
# Usage: bench/sign.sh [NAMES] [ALGORITHM]   (default 100000 ECDSAP256SHA256)
# The zone is cached in bench/data/ (gitignored); hanon is built with -c release.
set -euo pipefail
cd "$(dirname "$0")/.."
NAMES="${1:-100000}"
ALG="${2:-ECDSAP256SHA256}"
ORIGIN=bench.test.
GEN="${GEN_ZONE:-../shared/lab/auth-bench/gen-zone.py}"
ZONE="bench/data/zone-${NAMES}.zone"
mkdir -p bench/data
if [ ! -s "$ZONE" ]; then
    python3 "$GEN" --names "$NAMES" --queries 10 --out "bench/data/zone-${NAMES}" >/dev/null
fi
swift build -c release --product hanon >/dev/null
HANON="$(swift build -c release --show-bin-path)/hanon"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/bind" "$WORK/ldns"
dnssec-keygen -q -K "$WORK/bind" -a "$ALG" -f KSK "$ORIGIN" >/dev/null
LDNS_KEY=$(cd "$WORK/ldns" && ldns-keygen -a "$ALG" -k "$ORIGIN")
cp "$ZONE" "$WORK/zone"

measure() { # name, output file, command...
    local name="$1" out="$2"; shift 2
    local log; log="$(mktemp)"
    if ! /usr/bin/time -v "$@" >/dev/null 2>"$log"; then
        echo "$name failed; its timing would be meaningless:" >&2
        grep -v '^\s' "$log" | head -5 >&2
        rm -f "$log"
        exit 1
    fi
    local wall rss cpu sigs
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
    rm -f "$log"
    sigs=$(grep -c 'RRSIG' "$out" || true)
    rm -f "$out"
    echo "$name $wall $cpu $rss $sigs"
}

echo "zone: $ZONE ($(grep -vc '^\s*;' "$ZONE") lines), $ALG, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for denial in NSEC NSEC3; do
    hanon_args=() bind_args=() ldns_args=()
    if [ "$denial" = NSEC3 ]; then
        hanon_args=(--nsec3) bind_args=(-3 - -H 0) ldns_args=(-n -t 0)
    fi
    results=()
    results+=("$(measure hanon "$WORK/hanon.out" "$HANON" zone sign "$WORK/zone" --origin "$ORIGIN" \
        --keys "$WORK/bind" --threads 2 "${hanon_args[@]}" -o "$WORK/hanon.out")")
    results+=("$(measure dnssec-signzone "$WORK/bind.out" dnssec-signzone -q -P -S -z -n 2 -K "$WORK/bind" -d "$WORK" \
        -o "$ORIGIN" -f "$WORK/bind.out" "${bind_args[@]}" "$WORK/zone")")
    results+=("$(measure ldns-signzone "$WORK/ldns.out" ldns-signzone "${ldns_args[@]}" -o "$ORIGIN" \
        -f "$WORK/ldns.out" "$WORK/zone" "$WORK/ldns/$LDNS_KEY")")

    read -r _ hw hc hr _ <<<"${results[0]}"
    echo
    echo "$denial:"
    printf '| %-16s | %8s | %8s | %12s | %9s | %12s | %11s | %11s |\n' program "wall s" "CPU s" "peak RSS MB" \
        RRSIGs "wall / hanon" "CPU / hanon" "RSS / hanon"
    printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------" "---------:" "---------:" "-------------:" \
        "----------:" "-------------:" "------------:" "------------:"
    for r in "${results[@]}"; do
        read -r name w c m s <<<"$r"
        printf '| %-16s | %8.2f | %8.2f | %12.1f | %9s | %11.2fx | %10.2fx | %10.2fx |\n' "$name" "$w" "$c" "$m" "$s" \
            "$(echo "$w / $hw" | bc -l)" "$(echo "$c / $hc" | bc -l)" "$(echo "$m / $hr" | bc -l)"
    done
done
