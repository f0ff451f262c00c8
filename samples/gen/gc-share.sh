#!/usr/bin/env bash
# Measures NMT `GC` (+ `GCCardSet`) committed per collector and maximum heap, for the budget's
# GC line (issue 11; the figures are in docs/diagnosis.md "Budget" and src/analysis/budget_gc.rs).
#
# Each run: the workload's `steady` mode (churn over a 16 MiB live set) with -Xms = -Xmx (the
# heap fully committed: the worst case the budget must hold), ActiveProcessorCount as given,
# NMT summary taken after SECONDS. One line per run:
#   jdk collector cpus xmx_mib heap_committed_mib gc_committed_mib
# Usage: samples/gen/gc-share.sh [SECONDS]   (default 12); JDKS="17 21" selects the JDKs
# (17 = the system java, 21/25 from ~/jdks via install-jdks.sh). Runs one JVM at a time.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib-jdks.sh"
SECONDS_RUN=${1:-12}
BUILD=${BUILD:-/tmp/jvmem-gc-share}
javac_11 "$BUILD/classes" "$HERE/Workload.java" || exit 1
# One at a time, quietly: a JDK that cannot be installed is only left out.
for v in 21.0.8.2 25.0.2.1; do jdk_bins "$v" 2>/dev/null; done
for jdk in ${JDKS:-17 21}; do
  for gc in G1 Parallel Serial Z Shenandoah; do
    for cpus in ${CPUS:-1 2}; do
      for xmx in ${XMXS:-128 512 2048}; do
        java="${BIN[$jdk]}/java"
        "$java" -XX:+Use${gc}GC -version >/dev/null 2>&1 || { echo "$jdk $gc $cpus $xmx unsupported"; continue; }
        "$java" -XX:ActiveProcessorCount=$cpus -XX:+Use${gc}GC -Xms${xmx}m -Xmx${xmx}m \
          -XX:NativeMemoryTracking=summary -cp "$BUILD/classes" Workload steady --churn-mb 16 \
          --seconds $((SECONDS_RUN + 5)) >/dev/null 2>&1 &
        pid=$!
        sleep "$SECONDS_RUN"
        nmt=$("${BIN[$jdk]}/jcmd" "$pid" VM.native_memory summary scale=KB 2>/dev/null)
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        echo "$nmt" | awk -v j="$jdk" -v g="$gc" -v c="$cpus" -v x="$xmx" '
          /^-? *Java Heap \(/ { match($0, /committed=[0-9]+/); h = substr($0, RSTART + 10, RLENGTH - 10) / 1024 }
          /^-? *(GC|GCCardSet) \(/ { match($0, /committed=[0-9]+/); s += substr($0, RSTART + 10, RLENGTH - 10) / 1024 }
          END { printf "%s %s %s %s %.1f %.1f\n", j, g, c, x, h, s }'
      done
    done
  done
done
