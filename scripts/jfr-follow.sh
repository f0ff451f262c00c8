#!/usr/bin/env bash
# `live --follow DIR` on a real JFR repository, through `jvmem serve` (the same source thread
# the dashboard uses, read headless from /metrics): a JVM per JDK runs the Workload with NMT on
# and -XX:FlightRecorderOptions:repository=DIR; its chunk is rotated twice by `jcmd JFR.dump`.
# Every 3 s the script prints how many NMT snapshots and GCs jvmem has, which must keep rising
# while the JVM runs; at the end it dumps the whole recording and compares jvmem's counts with
# what the JDK's `jfr summary` says the recording holds (NativeMemoryUsageTotal on JDK 20+,
# GarbageCollection on 17, which records no NMT events).
#
# usage: scripts/jfr-follow.sh [17|21|25 ...]   (default: 17 21 25, run at the same time)
# Needs java/javac on PATH (JDK 17) and samples/gen/install-jdks.sh for 21/25 (PyPI); skips
# (exit 0) with a message when a JDK cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."
JDKS=("$@")
[ ${#JDKS[@]} -eq 0 ] && JDKS=(17 21 25)
if ! command -v javac >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    echo "SKIPPED: javac or curl is not installed"
    exit 0
fi
cargo build --quiet
JVMEM="$PWD/target/debug/jvmem"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
source samples/gen/lib-jdks.sh
javac_11 "$WORK/build" samples/gen/Workload.java

want=()
for v in "${JDKS[@]}"; do
    case $v in 21) want+=(21.0.8.2) ;; 25) want+=(25.0.2.1) ;; esac
done
if [ ${#want[@]} -gt 0 ]; then
    jdk_bins "${want[@]}" 2>/dev/null
fi

# Sum of a metric's samples (all label sets), 0 when absent.
metric() { # url name
    curl -s "$1" | awk -v n="$2" '$1 ~ "^"n"({|$)" { s += $NF } END { print s + 0 }'
}

follow_one() { # jdk
    local v=$1 bin=${BIN[$1]:-} out="$WORK/out-$1.txt"
    if [ -z "$bin" ] || [ ! -x "$bin/java" ]; then
        echo "JDK $v: SKIPPED (no runtime)" > "$out"
        return 0
    fi
    local jfr="$bin/jfr"
    [ -x "$jfr" ] || jfr=$(command -v jfr)
    local repo="$WORK/repo-$v"
    "$bin/java" -XX:ActiveProcessorCount=1 -Xms32m -Xmx128m -XX:NativeMemoryTracking=summary \
        "-XX:FlightRecorderOptions:repository=$repo" -XX:StartFlightRecording=settings=profile \
        -cp "$WORK/build" Workload direct-leak --seconds 45 --churn-mb 4 --direct-kb 256 \
        > "$WORK/java-$v.txt" 2>&1 &
    local java=$!
    for _ in $(seq 1 50); do [ -d "$repo" ] && break; sleep 0.2; done
    "$JVMEM" serve --follow "$repo" --listen 127.0.0.1:0 2> "$WORK/serve-$v.err" &
    local serve=$!
    trap 'kill "$serve" "$java" 2>/dev/null || true' EXIT
    local port=""
    for _ in $(seq 1 50); do
        port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$WORK/serve-$v.err" | head -1 || true)
        [ -n "$port" ] && break
        sleep 0.2
    done
    local url="http://$port/metrics" rises=0 last=-1 line="" chunks=0
    local name=jvmem_window_snapshots ref_event=jdk.NativeMemoryUsageTotal
    if [ "$v" = 17 ]; then name=jvm_gc_collections_total; ref_event=jdk.GarbageCollection; fi
    {
        for i in $(seq 1 10); do
            sleep 3
            local n g
            n=$(metric "$url" jvmem_window_snapshots)
            g=$(metric "$url" jvm_gc_collections_total)
            local c
            c=$(find "$repo" -name '*.jfr' | wc -l)
            [ "$c" -gt "$chunks" ] && chunks=$c
            local watched=$n
            [ "$v" = 17 ] && watched=$g
            [ "$watched" -gt "$last" ] && [ "$last" -ge 0 ] && rises=$((rises + 1))
            last=$watched
            line="$line ${n}/${g}"
            if [ "$i" = 3 ] || [ "$i" = 6 ]; then
                "$bin/jcmd" "$java" JFR.dump "filename=$WORK/rot-$v-$i.jfr" > /dev/null
            fi
        done
        "$bin/jcmd" "$java" JFR.dump "filename=$WORK/all-$v.jfr" > /dev/null
        sleep 2.5
        local got ref
        got=$(metric "$url" "$name")
        ref=$("$jfr" summary "$WORK/all-$v.jfr" | awk -v e="$ref_event" '$1 == e { print $2 }')
        echo "JDK $v: snapshots/GCs every 3 s:$line; chunk files seen: $chunks"
        echo "JDK $v: $name = $got, jfr summary $ref_event = $ref (recording dumped 2.5 s before)"
        local ok=1
        [ "$rises" -ge 8 ] || { echo "JDK $v: FAIL: the count rose only $rises times in 10 looks"; ok=0; }
        [ "$chunks" -ge 3 ] || { echo "JDK $v: FAIL: only $chunks chunk files (rotation?)"; ok=0; }
        local diff=$((got - ref))
        [ "${diff#-}" -le 3 ] || { echo "JDK $v: FAIL: jvmem $got vs jfr $ref"; ok=0; }
        [ $ok = 1 ] && echo "JDK $v: OK"
    } > "$out" 2>&1
    kill "$serve" "$java" 2>/dev/null || true
    wait "$serve" "$java" 2>/dev/null || true
}

for v in "${JDKS[@]}"; do
    follow_one "$v" &
    PIDS+=($!)
done
wait
cat "$WORK"/out-*.txt
! grep -q FAIL "$WORK"/out-*.txt
