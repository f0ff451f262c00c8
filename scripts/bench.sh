#!/usr/bin/env bash
# Whole-process benchmarks of jvmem, each figure measured as pairs against `wc -l` on the same
# file in the same run (wc, then jvmem, PAIRS times; the ratio is the median of the per-pair
# ratios, so a load change between pairs moves both halves of a pair together).
# Prints the machine (cores, CPU model, load before/after) and writes the table between the
# `bench.sh:begin`/`bench.sh:end` markers of docs/benchmarks.md (regenerated, never typed).
#
# Usage: scripts/bench.sh            (env: PAIRS=5, NMT_MB=88, GC_MB=128, LEGACY_MB=32,
#                                     BENCH_DIR=target/bench, NO_DOC=1 to only print)
#
# Inputs, all built from the repo's own samples (once, under $BENCH_DIR):
# - nmt-<NMT_MB>mb.log: samples/nmt/jdk25/concat-date-iso.txt (real JDK 25 timestamped
#   snapshots) concatenated until >= NMT_MB MiB.
# - gc-<GC_MB>mb.log: scripts/gen-big-gc-log.sh, the body of the real JDK 17 -Xlog:gc* G1 log
#   samples/gc/bench/g1-jdk17-gcstar-time-uptime-level-tags.log repeated with shifted times
#   and GC ids until >= GC_MB MiB.
# - legacy-<LEGACY_MB>mb.log: the four JDK 8 fixtures samples/gc/jdk8-handwritten/*.log
#   (hand-written, shaped after real PrintGCDetails output: Parallel, ParNew/CMS, G1, Serial)
#   concatenated in turn until >= LEGACY_MB MiB (uptimes restart at each copy; the parser
#   does not need them to grow).
# - nmt-10k-snapshots.log: samples/scenarios/demo-jdk21-g1/nmt.log (real JDK 21 recording,
#   61 snapshots) repeated 165 times: 10,065 snapshots.
# - nmt-100k-snapshots.log (only with NMT_100K=1: 420 MB, ~10 s a run): the same recording
#   repeated 1,640 times: 100,040 snapshots.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${PAIRS:-5}
nmt_mb=${NMT_MB:-88}
gc_mb=${GC_MB:-128}
legacy_mb=${LEGACY_MB:-32}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
# The inputs need about NMT_MB + GC_MB + LEGACY_MB + 40 MiB; refuse rather than fill a shared disk.
need=$((nmt_mb + gc_mb + legacy_mb + 40 + 256))
avail=$(df -Pm "$work" | awk 'NR == 2 {print $4}')
if [ "$avail" -lt "$need" ]; then
  echo "bench.sh: $avail MiB free under $work, need ~$need MiB (inputs + 256 MiB slack); lower GC_MB/NMT_MB/LEGACY_MB" >&2
  exit 1
fi
cargo build --release --quiet --bin jvmem
jvmem=target/release/jvmem

grow() { # out MiB src... : concatenate the sources in turn until out >= MiB
  local out=$1 mib=$2; shift 2
  [ -s "$out" ] && return 0
  : > "$out.tmp"
  while [ "$(stat -c %s "$out.tmp")" -lt $((mib * 1024 * 1024)) ]; do cat "$@" >> "$out.tmp"; done
  mv "$out.tmp" "$out"
}
nmt="$work/nmt-${nmt_mb}mb.log"
grow "$nmt" "$nmt_mb" samples/nmt/jdk25/concat-date-iso.txt
gc="$work/gc-${gc_mb}mb.log"
[ -s "$gc" ] || scripts/gen-big-gc-log.sh "$gc" "$gc_mb" > /dev/null
legacy="$work/legacy-${legacy_mb}mb.log"
grow "$legacy" "$legacy_mb" samples/gc/jdk8-handwritten/*.log
long="$work/nmt-10k-snapshots.log"
[ -s "$long" ] || for _ in $(seq 165); do cat samples/scenarios/demo-jdk21-g1/nmt.log; done > "$long"
huge="$work/nmt-100k-snapshots.log"
if [ -n "${NMT_100K:-}" ] && [ ! -s "$huge" ]; then
  for _ in $(seq 1640); do cat samples/scenarios/demo-jdk21-g1/nmt.log; done > "$huge"
fi

secs() { # wall-clock seconds of one run of a command, stdout discarded
  local start end
  start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
peak_rss_mib() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}'
}

rows=()
row() { # name input-description file command...
  local name=$1 what=$2 file=$3; shift 3
  local mb wcs=() js=() ratios=() w j i
  mb=$(echo "$(stat -c %s "$file") / 1048576" | bc -l)
  for ((i = 0; i < pairs; i++)); do
    w=$(secs wc -l "$file"); j=$(secs "$@")
    wcs+=("$w"); js+=("$j"); ratios+=("$(echo "$j / $w" | bc -l)")
  done
  local wc_med j_med r_med r_min r_max rss
  wc_med=$(printf '%s\n' "${wcs[@]}" | median)
  j_med=$(printf '%s\n' "${js[@]}" | median)
  r_med=$(printf '%s\n' "${ratios[@]}" | median)
  r_min=$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)
  r_max=$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)
  rss=$(peak_rss_mib "$@")
  local line
  line=$(printf '| `%s` | %s, %.0f MiB | %.0f MiB/s | %.1f MiB/s (%.2f s) | **1/%.1f** (1/%.1f–1/%.1f) | %s MiB |' \
    "$name" "$what" "$mb" "$(echo "$mb / $wc_med" | bc -l)" "$(echo "$mb / $j_med" | bc -l)" "$j_med" \
    "$r_med" "$r_min" "$r_max" "$rss")
  echo "$line"
  rows+=("$line")
}

cat "$nmt" "$gc" "$legacy" "$long" > /dev/null   # warm the page cache for both tools
cpu=$(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml || echo "+changes")
echo "machine: $(nproc) cores, $cpu, load $load_before; jvmem $commit; $pairs pairs per figure"
row "jvmem export FILE --format csv" "real JDK 25 timestamped NMT snapshots" "$nmt" $jvmem export "$nmt" --format csv
row "jvmem export FILE --format json" "same" "$nmt" $jvmem export "$nmt" --format json
row "jvmem diff FILE" "same" "$nmt" $jvmem diff "$nmt"
row "jvmem gc FILE" "unified G1 \`-Xlog:gc*\` (real JDK 17 body repeated)" "$gc" $jvmem gc "$gc"
row "jvmem gc FILE" "legacy JDK 8 (the four jdk8-handwritten fixtures repeated)" "$legacy" $jvmem gc "$legacy"
row "jvmem report FILE --limit 1Gi" "the demo NMT recording ×165 (10,065 snapshots)" "$long" $jvmem report "$long" --limit 1Gi
if [ -s "$huge" ] && [ -n "${NMT_100K:-}" ]; then
  row "jvmem report FILE --limit 1Gi" "the demo NMT recording ×1640 (100,040 snapshots)" "$huge" $jvmem report "$huge" --limit 1Gi
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load after: $load_after"

[ -n "${NO_DOC:-}" ] && exit 0
table=$(mktemp)
{
  echo "<!-- bench.sh:begin (written by scripts/bench.sh; do not edit by hand) -->"
  echo "$(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), load $load_before before, $load_after after;"
  echo "jvmem $commit, release build, page cache warm, $pairs pairs (\`wc -l\` then jvmem) per row."
  echo "Throughputs are medians; the ratio is the median of the per-pair ratios (range in brackets)."
  echo
  echo "| command | input | wc -l | jvmem | ratio to wc -l | peak RSS |"
  echo "|---|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo "<!-- bench.sh:end -->"
} > "$table"
awk -v table="$table" '
  /<!-- bench.sh:begin/ { while ((getline l < table) > 0) print l; skip = 1; next }
  /<!-- bench.sh:end/ { skip = 0; next }
  !skip { print }
' docs/benchmarks.md > docs/benchmarks.md.tmp && mv docs/benchmarks.md.tmp docs/benchmarks.md
rm -f "$table"
echo "wrote the table into docs/benchmarks.md"
