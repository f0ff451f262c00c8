#!/usr/bin/env bash
# Proof that `jvmem report --limit`'s flags survive a real memory limit (issue 11).
#
# 1. record each workload without budget flags (NMT every few seconds, RSS, GC log);
# 2. run `jvmem report --limit L --format json` on the recording and take its flags;
# 3. run the same workload again with those flags inside a cgroup-v1 memory group of limit L
#    (/sys/fs/cgroup/memory/jvmem-budget-*; a pids group too when the advice caps threads);
# 4. expect: steady workloads are never OOM-killed and stay under L; leaking workloads end in a
#    Java OutOfMemoryError (exit code and message recorded), not a kernel kill (exit 137).
#
# Usage: scripts/budget-proof.sh [--quick] [record|prove|all]   (default: all)
#   --quick   the CI version: two workloads, short recordings, 512Mi only (about 2 minutes)
# Environment: OUT (default /tmp/jvmem-budget-proof), JAVA (default `java`, JDK 17),
#   RECORD_SECONDS (75), INTERVAL (3), PROVE_SECONDS (180), LIMITS ("512Mi 1Gi"), JOBS (3).
# Prints the table `workload | limit | flags | outcome | peak usage` (Markdown) at the end and
# writes it to $OUT/table.md. Exits 1 when any run breaks the expectation.
set -uo pipefail
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; shift; fi
PHASE=${1:-all}
if [ $QUICK = 1 ]; then OUT=${OUT:-/tmp/jvmem-budget-proof-quick}; else OUT=${OUT:-/tmp/jvmem-budget-proof}; fi
JAVA=${JAVA:-java}
JCMD=${JCMD:-$(dirname "$(command -v "$JAVA")")/jcmd}
RECORD_SECONDS=${RECORD_SECONDS:-75}
INTERVAL=${INTERVAL:-3}
PROVE_SECONDS=${PROVE_SECONDS:-180}
LIMITS=${LIMITS:-512Mi 1Gi}
JOBS=${JOBS:-3}
CG=/sys/fs/cgroup/memory
PG=/sys/fs/cgroup/pids

# name | the service's own flags (kept in both runs) | workload arguments | expectation
# [| flags for the limited run only: -XX:+AlwaysPreTouch with -Xms = the suggested -Xmx makes the
#    whole heap resident from the start, the worst case the budget must hold]
WORKLOADS=(
  "steady|-XX:+UseG1GC -Xmx256m|steady --churn-mb 16|fits"
  "steady-pretouch|-XX:+UseG1GC -Xmx256m|steady --churn-mb 16|fits|-XX:+AlwaysPreTouch -Xms=Xmx"
  "plateau|-XX:+UseG1GC -Xmx256m|budget-plateau --churn-mb 16 --cache-mb 64 --fill-seconds 30|fits"
  "sawtooth|-XX:+UseG1GC -Xmx256m|budget-sawtooth --churn-mb 16 --saw-mb 96 --saw-seconds 20|fits"
  "heap-leak|-XX:+UseG1GC -Xmx256m|heap-leak --churn-mb 16 --heap-kb 1536|oome"
  "heap-leak-roomy|-XX:+UseParallelGC -Xmx640m|heap-leak --churn-mb 16 --heap-kb 3072|oome"
  "direct-leak|-XX:+UseParallelGC -Xmx256m|direct-leak --churn-mb 16 --direct-kb 1024|oome"
  "class-leak|-Xmx256m|class-leak --churn-mb 16 --classes 60|oome"
  "thread-leak|-XX:+UseG1GC -Xmx256m|thread-leak --churn-mb 16 --threads 4|oome"
  "steady-zgc|-XX:+UseZGC -Xmx256m|steady --churn-mb 16|fits"
  "sawtooth-shenandoah|-XX:+UseShenandoahGC -Xmx256m|budget-sawtooth --churn-mb 16 --saw-mb 96 --saw-seconds 20|fits"
)
# ONLY="steady plateau" limits a run to these workloads.
if [ -n "${ONLY:-}" ]; then
  kept=()
  for spec in "${WORKLOADS[@]}"; do
    case " $ONLY " in *" ${spec%%|*} "*) kept+=("$spec") ;; esac
  done
  WORKLOADS=("${kept[@]}")
fi
if [ $QUICK = 1 ]; then
  RECORD_SECONDS=${QUICK_RECORD_SECONDS:-30}
  INTERVAL=2
  PROVE_SECONDS=${QUICK_PROVE_SECONDS:-45}
  LIMITS=512Mi
  WORKLOADS=(
    "steady|-XX:+UseG1GC -Xmx256m|steady --churn-mb 16|fits"
    "direct-leak|-XX:+UseG1GC -Xmx256m|direct-leak --churn-mb 16 --direct-kb 1024|oome"
  )
fi

log() { echo "[$(date +%T)] $*" >&2; }
field() { echo "$1" | cut -d'|' -f"$2"; }

mkdir -p "$OUT"
CLASSES=$OUT/classes
build() {
  if [ ! -f "$CLASSES/Workload.class" ] || [ samples/gen/Workload.java -nt "$CLASSES/Workload.class" ]; then
    mkdir -p "$CLASSES"
    javac --release 11 -d "$CLASSES" samples/gen/Workload.java || exit 1
  fi
}
build_jvmem() {
  cargo build --quiet --bin jvmem || exit 1
  # A copy: rebuilding during a long proof must not change the advice halfway.
  cp "$ROOT/target/debug/jvmem" "$OUT/jvmem"
  JVMEM=$OUT/jvmem
}

# ---------------------------------------------------------------- 1. record without budget flags
record_one() { # spec
  local spec=$1 name own args d pid t0 i n ts rss
  name=$(field "$spec" 1); own=$(field "$spec" 2); args=$(field "$spec" 3)
  d=$OUT/record/$name
  rm -rf "$d"; mkdir -p "$d"
  # shellcheck disable=SC2086
  (cd "$d" && exec "$JAVA" -XX:ActiveProcessorCount=1 -XX:NativeMemoryTracking=summary $own \
      "-Xlog:gc*:file=gc.log:time,uptime,level,tags" -cp "$CLASSES" Workload $args \
      --seconds $((RECORD_SECONDS + 5)) >stdout.txt 2>stderr.txt) &
  pid=$!
  echo "$JAVA -XX:ActiveProcessorCount=1 -XX:NativeMemoryTracking=summary $own -Xlog:gc*:file=gc.log:time,uptime,level,tags Workload $args" >"$d/cmd.txt"
  for _ in $(seq 50); do "$JCMD" "$pid" VM.version >/dev/null 2>&1 && break; sleep 0.2; done
  t0=$(date +%s); n=$((RECORD_SECONDS / INTERVAL))
  for i in $(seq 0 "$n"); do
    while [ "$(date +%s)" -lt $((t0 + i * INTERVAL)) ]; do sleep 0.2; done
    ts=$(date -Is)
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ -z "$rss" ] && break
    { echo "$ts"; "$JCMD" "$pid" VM.native_memory summary 2>&1; } >>"$d/nmt.log"
    echo "$ts $rss" >>"$d/rss.log"
  done
  wait "$pid"
  echo "# exit code: $?" >>"$d/cmd.txt"
  log "recorded $name"
}

# ---------------------------------------------------------------- 2. + 3. advice, then a real limit
bytes_of() { # 512Mi / 1Gi -> bytes
  case $1 in
    *Gi) echo $(( ${1%Gi} * 1024 * 1024 * 1024 )) ;;
    *Mi) echo $(( ${1%Mi} * 1024 * 1024 )) ;;
    *) echo "$1" ;;
  esac
}

prove_one() { # spec limit
  local spec=$1 limit=$2 name own args expect d json flags pids lb grp pgrp pid rc
  name=$(field "$spec" 1); own=$(field "$spec" 2); args=$(field "$spec" 3); expect=$(field "$spec" 4)
  local extra; extra=$(echo "$spec" | cut -s -d'|' -f5)
  d=$OUT/prove/$name-$limit
  rm -rf "$d"; mkdir -p "$d"
  json=$d/report.json
  "$JVMEM" report --limit "$limit" --format json "$OUT/record/$name" >"$json" 2>"$d/report.err"
  "$JVMEM" report --limit "$limit" "$OUT/record/$name" >"$d/report.txt" 2>&1
  flags=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])).get("budget") or {}; print(b.get("flags",""))' "$json")
  pids=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])).get("budget") or {}; print(b.get("pids_limit") or "")' "$json")
  fits=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])).get("budget") or {}; print("yes" if b.get("fits") else "no")' "$json")
  echo "$flags" >"$d/flags.txt"
  if [[ $extra == *-Xms=Xmx* ]]; then
    local xmx; xmx=$(echo "$flags" | grep -o -- '-Xmx[0-9]*[kmg]' | tail -1)
    extra=${extra/-Xms=Xmx/-Xms${xmx#-Xmx}}
  fi
  if [ "$fits" != yes ] || [ -z "$flags" ]; then
    echo "$name|$limit|(none: does not fit)|not run: $(grep -m1 -io 'does not fit: .* more than the [^ ]* [^ ]* limit' "$d/report.txt")|-|no flags (does not fit)" >"$d/row"
    return
  fi
  lb=$(bytes_of "$limit")
  grp=$CG/jvmem-budget-$name-$limit
  mkdir -p "$grp" && echo "$lb" >"$grp/memory.limit_in_bytes" || { echo "$name|$limit|$flags|cgroup failed|-|$expect" >"$d/row"; return; }
  echo "$lb" >"$grp/memory.memsw.limit_in_bytes" 2>/dev/null || true
  pgrp=""
  if [ -n "$pids" ] && [ -d "$PG" ]; then
    pgrp=$PG/jvmem-budget-$name-$limit
    mkdir -p "$pgrp" && echo "$pids" >"$pgrp/pids.max"
  fi
  # shellcheck disable=SC2086
  (cd "$d" && exec sh -c 'echo $$ > "$1/cgroup.procs"; [ -n "$2" ] && echo $$ > "$2/cgroup.procs"; shift 2; exec "$@"' sh "$grp" "$pgrp" \
      "$JAVA" -XX:ActiveProcessorCount=1 $own $extra $flags -cp "$CLASSES" Workload $args --seconds "$PROVE_SECONDS" \
      >stdout.txt 2>stderr.txt) &
  pid=$!
  # The cgroup's own peak (memory.max_usage_in_bytes) counts page cache too; sample its RSS.
  local rss_peak=0 r
  while kill -0 "$pid" 2>/dev/null; do
    r=$(awk '$1 == "total_rss" { print $2 }' "$grp/memory.stat" 2>/dev/null)
    [ -n "$r" ] && [ "$r" -gt "$rss_peak" ] && rss_peak=$r
    sleep 1
  done
  wait "$pid"; rc=$?
  local peak failcnt oom msg outcome ok
  peak=$(cat "$grp/memory.max_usage_in_bytes")
  failcnt=$(cat "$grp/memory.failcnt")
  oom=$(awk '/oom_kill /{print $2}' "$grp/memory.oom_control")
  msg=$(grep -m1 -o 'OutOfMemoryError[^"]*' "$d/stderr.txt" "$d/stdout.txt" 2>/dev/null | head -1 | cut -d: -f2- | cut -c1-80)
  rmdir "$grp" 2>/dev/null || { sleep 1; rmdir "$grp" 2>/dev/null; }
  [ -n "$pgrp" ] && { rmdir "$pgrp" 2>/dev/null || true; }
  if [ "$rc" = 137 ] || [ "${oom:-0}" != 0 ]; then outcome="KILLED by the kernel (exit $rc, oom_kill ${oom:-?})"
  elif [ -n "$msg" ]; then outcome="exit $rc: $msg"
  else outcome="exit $rc, ran ${PROVE_SECONDS} s"; fi
  ok=FAIL
  case $expect in
    fits) [ "$rc" = 0 ] && [ "${oom:-0}" = 0 ] && [ "$rss_peak" -lt "$lb" ] && ok=ok ;;
    oome) [ "$rc" != 137 ] && [ "${oom:-0}" = 0 ] && [ -n "$msg" ] && ok=ok ;;
  esac
  echo "$name|$limit|${extra:+$extra + }$flags${pids:+ (pids.max $pids)}|$outcome|$(awk -v b="$peak" -v r="$rss_peak" -v f="$failcnt" 'BEGIN{printf "%.1f MiB (RSS %.1f MiB, failcnt %d)", b/1048576, r/1048576, f}')|$ok" >"$d/row"
  log "proved $name $limit: $outcome ($ok)"
}

record_all() {
  local spec
  for spec in "${WORKLOADS[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    record_one "$spec" &
  done
  wait
}

# Skips (exit 0, with a message) where the proof cannot run.
check_facilities() {
  if ! command -v "$JAVA" >/dev/null || ! command -v javac >/dev/null; then
    echo "budget-proof: no java/javac: skipping the proof" >&2
    exit 0
  fi
  if ! [ -w "$CG" ] || ! mkdir "$CG/jvmem-budget-probe" 2>/dev/null; then
    echo "budget-proof: $CG is not writable (no cgroup-v1 memory controller): skipping the proof" >&2
    exit 0
  fi
  rmdir "$CG/jvmem-budget-probe"
}

prove_all() {
  local spec limit
  for limit in $LIMITS; do
    for spec in "${WORKLOADS[@]}"; do
      while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
      prove_one "$spec" "$limit" &
    done
  done
  wait
  local bad=0 row
  {
    echo "| workload | limit | flags | outcome | peak usage | as expected |"
    echo "|---|---|---|---|---|---|"
    for limit in $LIMITS; do
      for spec in "${WORKLOADS[@]}"; do
        row=$(cat "$OUT/prove/$(field "$spec" 1)-$limit/row" 2>/dev/null || echo "$(field "$spec" 1)|$limit|?|no result|-|FAIL")
        echo "| ${row//|/ | } |"
        case $row in *"|FAIL") bad=1 ;; esac
      done
    done
  } | tee "$OUT/table.md"
  return $bad
}

case $PHASE in prove | all) check_facilities ;; esac
build
case $PHASE in
  record) record_all ;;
  prove) build_jvmem; prove_all ;;
  all) record_all; build_jvmem; prove_all ;;
  *) sed -n '2,18p' "$0"; exit 2 ;;
esac
