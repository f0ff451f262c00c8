#!/usr/bin/env bash
# Real JVM logs for the GC shapes of samples/gc/shapes/ that a JVM here can print:
#   jdk25-shenandoah-generational-gcstar.log  old-generation cycles of generational Shenandoah
#   jdk17-epsilon-gcstar.log                  a log with no collection at all (Epsilon)
#   jdk17-g1-gcstar-debug.log                 G1 at debug level (concurrent refinement lines in pauses)
#   jdk17-g1-two-runs.log                     two JVM runs in one file (`cat` of two real logs)
# Usage: samples/gen/gc-shapes.sh   (needs samples/gen/install-jdks.sh run once for JDK 25)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/../gc/shapes"
CLASSES=/tmp/jvmem-samples-build/classes
mkdir -p "$OUT" "$CLASSES"
source "$HERE/lib-jdks.sh"
jdk_bins 25.0.2.1
javac_11 "$CLASSES" "$HERE/Workload.java"
common=(-XX:ActiveProcessorCount=1 -XX:+UseSerialGC)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"${BIN[25]}/java" -XX:ActiveProcessorCount=1 -Xmx96m -XX:+UseShenandoahGC -XX:ShenandoahGCMode=generational \
  "-Xlog:gc*:file=$OUT/jdk25-shenandoah-generational-gcstar.log:time,uptime,level,tags" \
  -cp "$CLASSES" Workload heap-leak --seconds 25 --churn-mb 64 >/dev/null

"${BIN[17]}/java" -XX:ActiveProcessorCount=1 -Xmx64m -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC \
  "-Xlog:gc*:file=$OUT/jdk17-epsilon-gcstar.log:time,uptime,level,tags" \
  -cp "$CLASSES" Workload steady --seconds 1 --churn-mb 1 --live-mb 1 >/dev/null || true

"${BIN[17]}/java" -XX:ActiveProcessorCount=1 -Xmx64m -XX:+UseG1GC \
  "-Xlog:gc*=debug:file=$OUT/jdk17-g1-gcstar-debug.log:uptime,level,tags" \
  -cp "$CLASSES" Workload steady --seconds 4 --churn-mb 32 --live-mb 8 >/dev/null

for run in 1 2; do
  "${BIN[17]}/java" -XX:ActiveProcessorCount=1 -Xmx64m -XX:+UseG1GC \
    "-Xlog:gc:file=$tmp/run$run.log:uptime,level,tags" \
    -cp "$CLASSES" Workload steady --seconds 3 --churn-mb 32 --live-mb 8 >/dev/null
done
cat "$tmp/run1.log" "$tmp/run2.log" >"$OUT/jdk17-g1-two-runs.log"
ls -la "$OUT"
