#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Authoritative server benchmark (issue 3): `hanon serve` against NSD, Knot and
# BIND, in the same run, with the shared lab harness ../shared/lab/auth-bench/run.sh
# (called by relative path, never copied; its header documents every knob).
#
#   bench/auth.sh                 build hanon (-c release), bench nsd knot bind hanon
#                                 in single-thread and all-threads mode, print tables
#   bench/auth.sh verify          compare hanon's answers with NSD (minimal-responses)
#                                 and Knot on 2000 sampled queries per size (needs a
#                                 python3 with dnspython: PYTHON=/path/to/python3)
#   bench/auth.sh report [DIR]    print the tables again for a results folder
#
# Environment (defaults in brackets; everything else is passed through to run.sh:
# DURATION, REPS, WARMUP, CLIENTS, OUTSTANDING, LAT_QPS, PRIO, BENCH_LOCK, ...):
#   SIZES ["100000 1000000"]       zone sizes (owner names)
#   MODES ["single default"]       run.sh THREAD_MODEs: single = one worker thread,
#                                  server pinned to CPU 0, dnsperf to CPU 1;
#                                  default = all threads ({threads} = nproc), unpinned
#   SERVERS ["nsd knot bind sut"]  sut is hanon
#   DATA_DIR [bench/data]          generated zones and query files (gitignored)
#   RESULTS_DIR [bench/results/UTC-TIMESTAMP]  per-run results (gitignored)
#   SUT_PORT [5334]                hanon's port (the lab uses 5301-5313 for the others)
#
# Quick end-to-end check:  SIZES=100000 DURATION=3 REPS=1 LAT_DURATION=3 bench/auth.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LAB=../shared/lab/auth-bench/run.sh
[[ -x "$LAB" ]] || { echo "bench/auth.sh: $LAB not found (run from a checkout next to ../shared)" >&2; exit 1; }

export SIZES=${SIZES:-"100000 1000000"}
MODES=${MODES:-"single default"}
SERVERS=${SERVERS:-"nsd knot bind sut"}
export DATA_DIR=${DATA_DIR:-$ROOT/bench/data}
export SUT_PORT=${SUT_PORT:-5334}
export SUT_NAME=hanon
mkdir -p "$DATA_DIR" "$ROOT/bench/results"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

if [[ "${1:-}" == report ]]; then
  dir=${2:-$(ls -td "$ROOT"/bench/results/*/ | head -1)}
  python3 "$ROOT/bench/auth-report.py" "$dir"
  exit 0
fi

echo "== building hanon (swift build -c release)" >&2
swift build -c release --product hanon >&2
BIN="$(swift build -c release --show-bin-path)/hanon"
# the lab puts the SUT command line through "bash -c exec env ...": one command
export SUT_CMD="$BIN serve --listen 127.0.0.1:{port} --zone {origin}={zone} --threads {threads}"
export SUT_VERSION="hanon $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo '+dirty') (swift -c release)"

if [[ "${1:-}" == verify ]]; then
  export RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results/verify-$(date -u +%Y%m%dT%H%M%SZ)}
  mkdir -p "$RESULTS_DIR"
  VERIFY_SERVERS=${VERIFY_SERVERS:-"nsdmin knot sut"} "$LAB" verify
  echo "verify reports: $RESULTS_DIR/verify/" >&2
  exit 0
fi

export RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$RESULTS_DIR"
log="$RESULTS_DIR/run.log"
{
  echo "# bench/auth.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname), $(nproc) cores"
  echo "# SUT_CMD=$SUT_CMD"
  echo "# SUT_VERSION=$SUT_VERSION"
  echo "# SIZES=$SIZES MODES=$MODES SERVERS=$SERVERS DURATION=${DURATION:-15} REPS=${REPS:-5}"
  echo "# loadavg at start: $(loadavg)"
} | tee "$log" >&2

# size by size (both modes for the small zone first), so an interrupted run
# still has complete tables for the sizes it finished
for n in $SIZES; do
  for mode in $MODES; do
    echo "# $n names, mode $mode: loadavg before $(loadavg)" | tee -a "$log" >&2
    # shellcheck disable=SC2086
    SIZES=$n THREAD_MODE=$mode "$LAB" $SERVERS 2>&1 | tee -a "$log" >&2
    echo "# $n names, mode $mode: loadavg after $(loadavg)" | tee -a "$log" >&2
  done
done

python3 "$ROOT/bench/auth-report.py" "$RESULTS_DIR" | tee "$RESULTS_DIR/report.md"
echo >&2
echo "results: $RESULTS_DIR (full lab tables: $LAB report with RESULTS_DIR=$RESULTS_DIR)" >&2
