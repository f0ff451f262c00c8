#!/usr/bin/env bash
# Record `jcmd PID VM.metaspace show-loaders` from samples/gen/Culprits.java (leak: a
# PluginClassLoader per plugin request, kept; steady: the same loaders dropped) on JDK 11/17/21/25.
#
# Usage: samples/gen/gen-metaspace-loaders.sh [-k KEYS] [-m MODES]   (KEYS 11,17,21,25; MODES leak,steady)
# Env: SECONDS_RUN (default 110), INTERVAL (default 7): 11–14 polls, each GC.run + jcmd + sleep.
# Each poll is `date -u -Is` then `jcmd PID VM.metaspace show-loaders`, after a `jcmd PID GC.run`
# whose output is dropped: a full GC unloads the steady control's dropped loaders before they are
# counted, as GC.class_histogram does when `live --drill heap,classes` polls both (without a full
# GC, SerialGC keeps dead loaders until the metaspace GC threshold, ~21 MB).
# Writes samples/drill/metaspace-loaders/<mode>-jdk<KEY>.txt.gz (gzip -9n: a leak's answers are
# ~300 KB each and repeat the same lines) and <mode>-jdk<KEY>.cmd.txt (how it was run).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib-jdks.sh"
OUT="$(dirname "$HERE")/drill/metaspace-loaders"
BUILD="${BUILD:-/tmp/jvmem-metaspace-build}"
key_mode_options 2,12 "$@"
SECONDS_RUN="${SECONDS_RUN:-110}"
INTERVAL="${INTERVAL:-7}"

jdk_bins 11.0.13.1 21.0.8.2 25.0.2.1

mkdir -p "$OUT"
javac_11 "$BUILD" "$HERE/Culprits.java" || exit 1

run() { # key mode
  local key=$1 mode=$2 bin=${BIN[$1]} base="$OUT/$2-jdk$1"
  local tmp="$base.txt"
  rm -f "$tmp" "$tmp.gz"
  local args=(-XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xms16m -Xmx128m -cp "$BUILD" Culprits "$mode" "$SECONDS_RUN")
  { echo "# classpath = the compiled samples/gen/Culprits.java; polled every ${INTERVAL}s"
    echo "java ${args[*]//$BUILD/<classes>}"; "$bin/java" -version 2>&1; } > "$base.cmd.txt"
  "$bin/java" "${args[@]}" > /dev/null 2>&1 &
  local pid=$! n=0
  sleep 3
  while kill -0 "$pid" 2>/dev/null; do
    "$bin/jcmd" "$pid" GC.run > /dev/null 2>&1
    { date -u -Is; "$bin/jcmd" "$pid" VM.metaspace show-loaders; } >> "$tmp" 2>&1 || true
    n=$((n + 1))
    sleep "$INTERVAL"
  done
  wait "$pid"
  gzip -9n "$tmp"
  echo "[$(date +%T)] $mode-jdk$key: $n polls, $(du -h "$tmp.gz" | cut -f1)" >&2
}

each_key_and_mode run
