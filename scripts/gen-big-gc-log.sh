#!/usr/bin/env bash
# Builds a >= 500 MB unified G1 log (-Xlog:gc*, decorators time,uptime,level,tags) for
# benchmarks by repeating the body of a real JDK 17 log with shifted times and GC ids.
# Usage: scripts/gen-big-gc-log.sh [OUT] [MB] [SRC]   (default OUT target/big-gc.log, 512 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/big-gc.log}
mb=${2:-512}
src=${3:-samples/gc/bench/g1-jdk17-gcstar-time-uptime-level-tags.log}
cargo build --release --quiet --example gen_big_gc_log
mkdir -p "$(dirname "$out")"
target/release/examples/gen_big_gc_log "$src" "$out" "$mb"
