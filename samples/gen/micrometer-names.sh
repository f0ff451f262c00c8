#!/usr/bin/env bash
# Records samples/fleet/*.om: what Micrometer, cAdvisor and kube-state-metrics would have
# exported for three real JVMs (a direct-buffer leak, a heap leak under -Xms = -Xmx, a steady
# one), sampled every 3 s for 90 s by MicrometerNames.java inside each JVM. Which parts are
# real and which synthetic: see MicrometerNames.java. Takes ~100 s (the three run at once).
# Used by tests/fleet_standard.rs (backfilled with promtool).
set -euo pipefail
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(dirname "$HERE")/fleet"
BUILD="${BUILD:-/tmp/jvmem-micrometer-build}"
SECONDS_RUN="${SECONDS_RUN:-96}"
mkdir -p "$BUILD" "$OUT"
javac -d "$BUILD" "$HERE/Workload.java" "$HERE/MicrometerNames.java"
LIMIT=$((1024 * 1024 * 1024))
run() { # pod heap-flags workload-args...
  local pod=$1 heap=$2; shift 2
  # shellcheck disable=SC2086
  java -XX:ActiveProcessorCount=1 -XX:+UseG1GC $heap -cp "$BUILD" MicrometerNames \
    "$OUT/$pod.om" 3 "$pod" prod "$LIMIT" Workload "$@" --seconds "$SECONDS_RUN" >"$OUT/$pod.stdout.txt" 2>&1
}
run direct-leak "-Xmx128m" direct-leak &
run heap-leak-xms-xmx "-Xms160m -Xmx160m" heap-leak &
run steady "-Xmx128m" steady &
wait
java -version 2>&1 | head -1 >"$OUT/java-version.txt"
ls -la "$OUT"
