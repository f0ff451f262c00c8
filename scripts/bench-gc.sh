#!/usr/bin/env bash
# Times `gcstat` (the library's streaming parse + summary, whole process) next to `wc -l` on the
# same big unified G1 log in the same run; prints throughput, the ratio and peak RSS.
# Usage: scripts/bench-gc.sh [LOG] [RUNS]   (LOG defaults to target/big-gc.log, built if absent)
set -euo pipefail
cd "$(dirname "$0")/.."
log=${1:-target/big-gc.log}
runs=${2:-3}
[ -f "$log" ] || scripts/gen-big-gc-log.sh "$log"
cargo build --release --quiet --example gcstat
bin=target/release/examples/gcstat
bytes=$(stat -c %s "$log")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$log" > /dev/null   # warm the page cache: both tools read from memory
best() { sort -n | head -1; }
time_it() { # prints wall seconds of "$@"
    local s e
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
}
wc_s=$(for _ in $(seq "$runs"); do time_it wc -l "$log"; done | best)
gc_s=$(for _ in $(seq "$runs"); do time_it "$bin" "$log"; done | best)
rss_kb=$(/usr/bin/time -f %M "$bin" "$log" 2>&1 >/dev/null | tail -1)
echo "file            $log ($mb MiB)"
echo "cores           $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wc -l           ${wc_s} s  $(awk -v m="$mb" -v s="$wc_s" 'BEGIN { printf "%.0f", m / s }') MiB/s (best of $runs)"
echo "gcstat          ${gc_s} s  $(awk -v m="$mb" -v s="$gc_s" 'BEGIN { printf "%.0f", m / s }') MiB/s (best of $runs)"
echo "ratio           $(awk -v a="$wc_s" -v b="$gc_s" 'BEGIN { printf "1/%.2f of wc -l", b / a }')   (target: 1/6 or better)"
echo "peak RSS        $(awk -v k="$rss_kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')   (target: < 100 MiB)"
