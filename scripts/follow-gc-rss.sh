#!/usr/bin/env bash
# Peak RSS of following a GC log that grows to ~500 MB (issue 15 point 7): the body of the
# real JDK 17 G1 benchmark log (samples/gc/bench, repeated with shifted ids by
# scripts/gen-big-gc-log.sh into a 64 MB source) is appended in 8 MiB pieces while the live
# GC-log follower reads it. Prints the peak RSS at each eighth of the way; flat = streaming.
# Usage: scripts/follow-gc-rss.sh [MB]   (default 512; writes target/follow-gc.log)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-512}
[ -f target/big-gc-64.log ] || scripts/gen-big-gc-log.sh target/big-gc-64.log 64
cargo build --release --quiet --example follow_gc_rss
start=$(date +%s.%N)
target/release/examples/follow_gc_rss target/big-gc-64.log target/follow-gc.log "$mb"
echo "time $(echo "$(date +%s.%N) - $start" | bc) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f target/follow-gc.log
