#!/usr/bin/env bash
# The 1 MiB line cap in `live -` and `live --follow` (issue 13 point 4): a file/pipe that
# starts with one MiB-sized line of SIZE MiB, then a real snapshot. Measures the time until
# the snapshot is printed and the peak RSS; fails when the snapshot is not read, when RSS
# grows with the line (over 150 MiB) or when the skipped line is not reported.
# Usage: scripts/long-line.sh [BIN] [SIZE_MIB]   (default target/debug/jvmem, 300)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/jvmem}
size=${2:-300}
[ -x "$bin" ] || cargo build --quiet --bin jvmem
dir=$(mktemp -d /tmp/jvmem-long-line.XXXXXX)
trap 'rm -rf "$dir"' EXIT
snap=$(awk '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ { n++ } n == 1' samples/scenarios/demo-jdk21-g1/nmt.log)
{ head -c "$((size << 20))" /dev/zero | tr '\0' x; printf '\n%s\n' "$snap"; } > "$dir/input.txt"

peak_rss_kib() { awk '/VmHWM/ { print $2 }' "/proc/$1/status" 2> /dev/null || echo 0; }

fail=0
# One mode: `-` (a pipe) or `--follow FILE`. Waits up to 300 s for the snapshot line.
probe() {
    local mode=$1 out=$dir/$1.out err=$dir/$1.err pid start rss=0 elapsed
    start=$(date +%s.%N)
    if [ "$mode" = stdin ]; then
        "$bin" live - < <(cat "$dir/input.txt"; sleep 300) > "$out" 2> "$err" &
    else
        "$bin" live --follow "$dir/input.txt" > "$out" 2> "$err" &
    fi
    pid=$!
    for _ in $(seq 1 3000); do
        r=$(peak_rss_kib "$pid"); [ "${r:-0}" -gt "$rss" ] && rss=$r
        grep -q committed "$out" && break
        sleep 0.1
    done
    elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    r=$(peak_rss_kib "$pid"); [ "${r:-0}" -gt "$rss" ] && rss=$r
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    echo "long-line: $mode: ${size} MiB line: snapshot after ${elapsed} s, peak RSS $((rss >> 10)) MiB"
    grep -q committed "$out" || { echo "long-line: FAIL: $mode: no snapshot read"; fail=1; }
    [ "$rss" -lt $((150 << 10)) ] || { echo "long-line: FAIL: $mode: RSS grows with the line"; fail=1; }
    grep -q "skipped 1 line(s) longer than 1 MiB" "$err" || { echo "long-line: FAIL: $mode: skip not reported"; sed 's/^/  /' "$err" | head -5; fail=1; }
}
probe stdin
probe follow
[ "$fail" = 0 ] && echo "long-line: ok"
exit "$fail"
