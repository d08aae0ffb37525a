#!/bin/sh
# Builds the DNSCore message fuzzer with libFuzzer and AddressSanitizer,
# seeds a corpus from generated messages and fuzzes for SECONDS (default 60).
# Usage: fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
set -eu
cd "$(dirname "$0")"
SECONDS_TO_RUN=${1:-60}
[ $# -gt 0 ] && shift

if ! swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > build.log 2>&1; then
    tail -20 build.log
    echo "fuzz: build failed (fuzz/build.log)"
    exit 1
fi
tail -1 build.log
BIN=$(swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)/MessageFuzz

mkdir -p corpus artifacts
HANON_FUZZ_WRITE_SEEDS=corpus "$BIN"

status=0
"$BIN" corpus -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=artifacts/ -print_final_stats=1 "$@" > fuzz.log 2>&1 || status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' fuzz.log | tail -1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' fuzz.log | tail -1)
cov=$(grep -E '^#[0-9]+' fuzz.log | tail -1 | sed -n 's/.*cov: \([0-9]*\).*ft: \([0-9]*\).*corp: \([0-9/a-zA-Z]*\).*/cov \1, features \2, corpus \3/p')
crashes=$(find artifacts -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
echo "fuzz: ${SECONDS_TO_RUN}s, executions: ${runs:-?} (${speed:-?}/s), ${cov:-coverage ?}, crashes: $crashes (exit $status)"
if [ "$crashes" -gt 0 ]; then
    echo "artifacts (reproduce with: $BIN FILE):"
    find artifacts -type f
    grep -E 'ERROR|round trip|does not parse' fuzz.log | head -5
    exit 1
fi
exit "$status"
