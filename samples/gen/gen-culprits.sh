#!/usr/bin/env bash
# Record jvmem's drill-down samples: samples/gen/Culprits.java (four named leaks, or the steady
# control) on JDK 11/17/21/25, polled with every drill-down jcmd command.
#
# Usage: samples/gen/gen-culprits.sh [-k KEYS] [-m MODES]   (KEYS default 11,17,21,25; MODES leak,steady)
# Env: SECONDS_RUN (default 170), INTERVAL (default 20).
# NMT is polled with `VM.native_memory detail` (summary + call sites). JDK 17 in the default scale
# (KB); the other JDKs with `scale=MB`, which omits call sites under half a MiB and keeps the stored
# samples small (a KB-scale detail answer is ~150 KB, an MB-scale one ~20 KB).
# Writes samples/drill/<mode>-jdk<KEY>/capture.txt: each jcmd answer preceded by a `date -u -Is`
# line, in poll order (NMT, GC.class_histogram, VM.classloader_stats, VM.metaspace, Thread.print),
# plus cmd.txt (how it was run). GC.class_histogram forces a full GC at every poll.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib-jdks.sh"
OUT="$(dirname "$HERE")/drill"
BUILD="${BUILD:-/tmp/jvmem-culprits-build}"
key_mode_options 2,11 "$@"
SECONDS_RUN="${SECONDS_RUN:-170}"
INTERVAL="${INTERVAL:-20}"

jdk_bins 11.0.13.1 21.0.8.2 25.0.2.1

javac_11 "$BUILD" "$HERE/Culprits.java" || exit 1

run() { # key mode
  local key=$1 mode=$2 bin=${BIN[$1]} dir="$OUT/$2-jdk$1"
  rm -rf "$dir"; mkdir -p "$dir"
  local args=(-XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xms16m -Xmx256m -XX:MaxDirectMemorySize=256m -Xlog:gc:file=$dir/gc.log:time,uptime
              -XX:NativeMemoryTracking=detail -cp "$BUILD" Culprits "$mode" "$SECONDS_RUN")
  local shown="${args[*]}"
  { echo "# classpath = the compiled samples/gen/Culprits.java"; echo "java ${shown//$dir\//}";
    "$bin/java" -version 2>&1; } > "$dir/cmd.txt"
  "$bin/java" "${args[@]}" > "$dir/stdout.txt" 2>&1 &
  local pid=$! n=0
  sleep 3
  while kill -0 "$pid" 2>/dev/null; do
    n=$((n + 1))
    local nmt=detail
    [ "$key" != 17 ] && nmt="detail scale=MB"
    {
      for c in "VM.native_memory $nmt" GC.class_histogram VM.classloader_stats VM.metaspace Thread.print; do
        date -u -Is
        # shellcheck disable=SC2086
        "$bin/jcmd" "$pid" $c
      done
    } >> "$dir/capture.txt" 2>&1
    kill -0 "$pid" 2>/dev/null || break
    sleep "$INTERVAL"
  done
  wait "$pid"
  echo "[$(date +%T)] $mode-jdk$key: $n polls, $(du -h "$dir/capture.txt" | cut -f1)" >&2
}

each_key_and_mode run
