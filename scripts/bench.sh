#!/usr/bin/env bash
# Whole-process benchmarks of jvmem against `wc -l` on the same file, in the same run.
# Prints throughput, the ratio to wc -l, and peak RSS. Usage: scripts/bench.sh [MB]
# Inputs (built once under target/bench): a >= 40 MB file of real timestamped NMT snapshots,
# a 512 MB unified G1 GC log, and a ~10k-snapshot recording. Results: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-48}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
cargo build --release --quiet

# NMT: real timestamped snapshots, concatenated until the file is big enough.
nmt="$work/nmt-${size_mb}mb.log"
if [ ! -s "$nmt" ]; then
  src=samples/nmt/jdk25/concat-date-iso.txt
  : > "$nmt"
  while [ "$(stat -c %s "$nmt")" -lt $((size_mb * 1024 * 1024)) ]; do cat "$src" "$src" "$src" "$src" >> "$nmt"; done
fi

# Best of 5 wall-clock seconds for a command (stdout discarded).
best() {
  local best=999999 t
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  echo "$best"
}
peak_rss_mib() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}'
}

row() { # name file command...
  local name=$1 file=$2; shift 2
  local bytes mb wc_s cmd_s rss
  bytes=$(stat -c %s "$file"); mb=$(echo "$bytes / 1048576" | bc -l)
  wc_s=$(best wc -l "$file")
  cmd_s=$(best "$@")
  rss=$(peak_rss_mib "$@")
  printf "%-28s %8.1f MB  wc -l %7.1f MB/s  jvmem %7.1f MB/s  ratio 1/%-6.1f peak RSS %s MiB\n" \
    "$name" "$mb" "$(echo "$mb / $wc_s" | bc -l)" "$(echo "$mb / $cmd_s" | bc -l)" \
    "$(echo "$cmd_s / $wc_s" | bc -l)" "$rss"
}

# GC: a >= 500 MB unified G1 log built from a real one (scripts/gen-big-gc-log.sh).
gc="$work/big-gc.log"
[ -s "$gc" ] || scripts/gen-big-gc-log.sh "$gc" 512 > /dev/null

# Long NMT recording: the demo's timestamped snapshots repeated to ~10k snapshots, for the
# diagnosis over a whole timeline (`jvmem report`).
long="$work/nmt-10k-snapshots.log"
[ -s "$long" ] || for _ in $(seq 165); do cat samples/scenarios/demo-jdk21-g1/nmt.log; done > "$long"

cat "$nmt" "$gc" "$long" > /dev/null   # warm the page cache for both tools
echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
row "export --format csv (NMT)" "$nmt" target/release/jvmem export "$nmt" --format csv
row "export --format json (NMT)" "$nmt" target/release/jvmem export "$nmt" --format json
row "gc (unified G1 gc*)" "$gc" target/release/jvmem gc "$gc"
row "report (10k snapshots)" "$long" target/release/jvmem report "$long" --limit 1Gi
