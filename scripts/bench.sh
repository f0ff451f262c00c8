#!/usr/bin/env bash
# Whole-process benchmarks of jvmem, each figure measured as pairs against `wc -l` on the same
# file in the same run (wc, then jvmem, PAIRS times; the ratio is the median of the per-pair
# ratios, so a load change between pairs moves both halves of a pair together).
# Prints the machine (cores, CPU model, load before/after) and writes the table between the
# `bench.sh:begin`/`bench.sh:end` markers of docs/benchmarks.md (regenerated, never typed).
#
# Usage: scripts/bench.sh            (env: PAIRS=5, NMT_MB=88, GC_MB=128, LEGACY_MB=32,
#                                     NMT_100K=1 for the 100k row, SCALE_PAIRS=3, CORE=0, BENCH_DIR=target/bench,
#                                     NO_DOC=1 to only print, BASE=path/to/older/jvmem)
#
# BASE: an older jvmem binary run in the same pairs (wc -l, jvmem, BASE): the rows gain
# "CPU vs BASE" (median of BASE's CPU time over this build's, per triple). `wc -l` reads the
# page cache at memory speed and swings far more with the host than jvmem does (this machine,
# 2026-12-02: 128 MiB in 17.8 ms at 06:10 and 28.5 ms at 07:29, while the same jvmem binary
# moved 104 -> 110 ms), so the ratio to wc -l of one run says less than the speed-up to BASE.
#
# Every run is pinned to one core (`taskset -c $CORE`; CORE= to not pin) and timed twice over:
# wall time and CPU time (user+sys: `perf stat`'s duration_time and task-clock, else `date` and
# /usr/bin/time), the CPU time being the steadier figure on a machine shared with other work.
# Ratios are given for both.
#
# Two tables: the figures (one row per `row` call) and the scaling rows (one block per `scale`
# call): the same command on the first 1/8, 1/4, 1/2 and all of an input's lines (`head -n`),
# so that linear time and flat memory show. GC paths are also measured against `jvmem gc` on
# the same file in the same run.
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
# - <input>.1of8/.1of4/.1of2: the first 1/8, 1/4, 1/2 of an input's lines, for `scale`.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${PAIRS:-5}
scale_pairs=${SCALE_PAIRS:-3}
core=${CORE-0}
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

pin=()
[ -n "$core" ] && command -v taskset > /dev/null && pin=(taskset -c "$core")
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT
run() { # "wall-seconds cpu-seconds" of one run of a command, stdout discarded
  if command -v perf > /dev/null; then
    # The child's own wall time (duration_time) and CPU time (task-clock): perf's start-up
    # is in neither.
    "${pin[@]}" perf stat -x, -e task-clock,duration_time -o "$timing" -- "$@" > /dev/null
    awk -F, '/task-clock/ {cpu = $1 / 1000} /duration_time/ {wall = $1 / 1e9} END {print wall, cpu}' "$timing"
  else
    local start end
    start=$(date +%s.%N)
    "${pin[@]}" /usr/bin/time -f '%U %S' -o "$timing" "$@" > /dev/null
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc -l) $(awk '{print $1 + $2}' "$timing")"
  fi
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
med() { printf '%s\n' "$@" | median; }
lo() { printf '%s\n' "$@" | sort -g | head -1; }
hi() { printf '%s\n' "$@" | sort -g | tail -1; }
peak_rss_mib() {
  /usr/bin/time -v "${pin[@]}" "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}'
}
mib_of() { echo "$(stat -c %s "$1") / 1048576" | bc -l; }

rows=()
row() { # name input-description file command...
  local name=$1 what=$2 file=$3; shift 3
  local mb ws=() js=() ratios=() cratios=() bratios=() w j i b b_cpu
  mb=$(mib_of "$file")
  for ((i = 0; i < pairs; i++)); do
    read -r w wc_cpu < <(run wc -l "$file"); read -r j j_cpu < <(run "$@")
    ws+=("$w"); js+=("$j"); ratios+=("$(echo "$j / $w" | bc -l)")
    cratios+=("$(echo "$j_cpu / $wc_cpu" | bc -l)")
    if [ -n "${BASE:-}" ]; then
      read -r b b_cpu < <(run "$BASE" "${@:2}")
      bratios+=("$(echo "$b_cpu / $j_cpu" | bc -l)")
    fi
  done
  local vs_base=""
  [ -n "${BASE:-}" ] && vs_base=$(printf ' %.2f× (%.2f–%.2f) |' "$(med "${bratios[@]}")" "$(lo "${bratios[@]}")" "$(hi "${bratios[@]}")")
  local wc_med j_med rss line
  wc_med=$(med "${ws[@]}")
  j_med=$(med "${js[@]}")
  rss=$(peak_rss_mib "$@")
  line=$(printf '| `%s` | %s, %.0f MiB | %.0f MiB/s | %.1f MiB/s (%.2f s) | **1/%.1f** (1/%.1f–1/%.1f) | 1/%.1f (1/%.1f–1/%.1f) | %s MiB |' \
    "$name" "$what" "$mb" "$(echo "$mb / $wc_med" | bc -l)" "$(echo "$mb / $j_med" | bc -l)" "$j_med" \
    "$(med "${ratios[@]}")" "$(lo "${ratios[@]}")" "$(hi "${ratios[@]}")" \
    "$(med "${cratios[@]}")" "$(lo "${cratios[@]}")" "$(hi "${cratios[@]}")" "$rss")
  line="$line$vs_base"
  echo "$line"
  rows+=("$line")
}

part() { # file 8|4|2: the first 1/N of its lines, built once
  local out="$1.1of$2"
  [ -s "$out" ] || head -n $(($(wc -l < "$1") / $2)) "$1" > "$out"
  echo "$out"
}
scales=()
scale() { # name vs-gc(gc|-) file command-with-FILE...: one row per 1/8, 1/4, 1/2, 1 of file
  local name=$1 vs=$2 whole=$3; shift 3
  local n f args a i
  for n in 8 4 2 1; do
    if [ "$n" = 1 ]; then f=$whole; else f=$(part "$whole" "$n"); fi
    args=()
    for a in "$@"; do args+=("${a//FILE/$f}"); done
    local cw=() cj=() cg=() ws=() r_wc=() r_gc=() w c g
    for ((i = 0; i < scale_pairs; i++)); do
      read -r _ w < <(run wc -l "$f")
      read -r c j_cpu < <(run "${args[@]}")
      ws+=("$c"); cj+=("$j_cpu"); r_wc+=("$(echo "$j_cpu / $w" | bc -l)")
      if [ "$vs" = gc ]; then
        read -r _ g < <(run $jvmem gc "$f")
        r_gc+=("$(echo "$j_cpu / $g" | bc -l)")
      fi
    done
    local vs_gc="–"
    [ "$vs" = gc ] && vs_gc=$(printf '%.2f×' "$(med "${r_gc[@]}")")
    local line
    line=$(printf '| `%s` | 1/%s, %.0f MiB | %.3f s | %.3f s | 1/%.1f | %s | %s MiB |' \
      "$name" "$n" "$(mib_of "$f")" "$(med "${ws[@]}")" "$(med "${cj[@]}")" \
      "$(med "${r_wc[@]}")" "$vs_gc" "$(peak_rss_mib "${args[@]}")")
    line=${line/| 1\/1, /| all, }
    echo "$line"
    scales+=("$line")
  done
}

cat "$nmt" "$gc" "$legacy" "$long" > /dev/null   # warm the page cache for both tools
cpu=$(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml || echo "+changes")
base_note=""
[ -n "${BASE:-}" ] && base_note="; BASE $BASE ($("$BASE" --version 2>/dev/null | head -1))"
echo "machine: $(nproc) cores, $cpu, load $load_before; jvmem $commit; $pairs pairs per figure; pinned: ${pin[*]:-no}$base_note"
row "jvmem export FILE --format csv" "real JDK 25 timestamped NMT snapshots" "$nmt" $jvmem export "$nmt" --format csv
row "jvmem export FILE --format json" "same" "$nmt" $jvmem export "$nmt" --format json
row "jvmem diff FILE" "same" "$nmt" $jvmem diff "$nmt"
row "jvmem gc FILE" "unified G1 \`-Xlog:gc*\` (real JDK 17 body repeated)" "$gc" $jvmem gc "$gc"
row "jvmem gc FILE" "legacy JDK 8 (the four jdk8-handwritten fixtures repeated)" "$legacy" $jvmem gc "$legacy"
row "jvmem report FILE --limit 1Gi" "the demo NMT recording ×165 (10,065 snapshots)" "$long" $jvmem report "$long" --limit 1Gi
if [ -s "$huge" ] && [ -n "${NMT_100K:-}" ]; then
  row "jvmem report FILE --limit 1Gi" "the demo NMT recording ×1640 (100,040 snapshots)" "$huge" $jvmem report "$huge" --limit 1Gi
fi
# Scaling rows. GC paths (vs `jvmem gc` on the same part): the summary, export, GC inputs to report.
demo=samples/scenarios/demo-jdk21-g1/nmt.log
scale "jvmem gc FILE" gc "$gc" $jvmem gc FILE
scale "jvmem export FILE --format csv" gc "$gc" $jvmem export FILE --format csv
scale "jvmem report demo --gc-log FILE" gc "$gc" $jvmem report "$demo" --gc-log FILE
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load after: $load_after"

[ -n "${NO_DOC:-}" ] && exit 0
table=$(mktemp)
{
  echo "<!-- bench.sh:begin (written by scripts/bench.sh; do not edit by hand) -->"
  echo "$(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), load $load_before before, $load_after after;"
  echo "jvmem $commit, release build, page cache warm, $pairs pairs (\`wc -l\` then jvmem) per row,"
  echo "each run pinned with \`${pin[*]:-(not pinned)}\`."
  echo "Throughputs are medians; a ratio is the median of the per-pair ratios (range in brackets),"
  echo "of wall time, then of CPU time (user+sys)."
  if [ -n "${BASE:-}" ]; then
    echo "\"CPU vs BASE\": BASE = ${BASE_NAME:-$BASE}, run after jvmem in each pair; its CPU time over jvmem's."
    echo
    echo "| command | input | wc -l | jvmem | wall ratio to wc -l | CPU ratio | peak RSS | CPU vs BASE |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
  else
    echo
    echo "| command | input | wc -l | jvmem | wall ratio to wc -l | CPU ratio | peak RSS |"
    echo "|---|---|---:|---:|---:|---:|---:|"
  fi
  printf '%s\n' "${rows[@]}"
  echo
  echo "Scaling: the first 1/8, 1/4, 1/2 and all lines of an input, $scale_pairs runs each (medians);"
  echo "CPU time is user+sys; \"vs jvmem gc\" is the CPU ratio to \`jvmem gc\` on the same part."
  echo
  echo "| command | part of input | wall | CPU | CPU ratio to wc -l | vs jvmem gc | peak RSS |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${scales[@]}"
  echo "<!-- bench.sh:end -->"
} > "$table"
awk -v table="$table" '
  /<!-- bench.sh:begin/ { while ((getline l < table) > 0) print l; skip = 1; next }
  /<!-- bench.sh:end/ { skip = 0; next }
  !skip { print }
' docs/benchmarks.md > docs/benchmarks.md.tmp && mv docs/benchmarks.md.tmp docs/benchmarks.md
rm -f "$table"
echo "wrote the table into docs/benchmarks.md"
