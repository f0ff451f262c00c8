#!/usr/bin/env bash
# The dashboard's `d` key against a real JVM, in a real terminal (tmux): samples/gen/Culprits.java
# (leak mode, NMT=detail) watched by `jvmem live --pid`; in the detail view of Java Heap, `d` asks
# first (a class histogram forces a full GC), `y` takes it and the capture shows; on Thread, `d`
# takes Thread.print at once; at 80×24 and 220×60. Then `jvmem view` of a file: `d` says why not.
# Usage: scripts/tui-drill.sh [path/to/jvmem]   Env: KEEP=dir keeps the screens there.
# Skips (exit 0) without tmux (scripts/lib-tmux.sh), java, javac or jcmd. Takes ~40 s.
set -euo pipefail
name=tui-drill
for tool in java javac jcmd; do
    if ! command -v "$tool" > /dev/null 2>&1; then
        echo "$name: SKIPPED: $tool is not installed"
        exit 0
    fi
done
source "$(dirname "$0")/lib-tmux.sh"
keep=${KEEP:-$work}
mkdir -p "$keep"
jvm=""
# The preamble's cleanup, and the JVM of this run.
trap '[[ -z "$jvm" ]] || kill "$jvm" 2> /dev/null || true; tmux kill-server 2> /dev/null || true; rm -rf "$work"' EXIT

# Waits until the pane shows $1, up to $2 tenths of a second (a histogram takes seconds).
wait_for() {
    for _ in $(seq "$2"); do
        tmux capture-pane -p -t "$session" | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    fail "pane never showed: $1"
}

shot() { tmux capture-pane -p -t "$session" > "$keep/$1.txt"; }

javac --release 11 -d "$work" samples/gen/Culprits.java
java -XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xms16m -Xmx128m -XX:NativeMemoryTracking=detail \
    -cp "$work" Culprits leak 120 > "$work/jvm.out" 2>&1 &
jvm=$!
sleep 2

tmux new-session -d -s "$session" -x 80 -y 24 "$bin live --pid $jvm --interval 2s; sleep 60"
wait_for "#3/3" 200
tmux send-keys -t "$session" / J a v a Space H e a p Enter Enter
expect "━ committed"
tmux send-keys -t "$session" d
# The status bar says it first (a live poll's status may replace it); the box keeps saying it.
expect "y: take the class histogram (full"
shot confirm-80x24
tmux send-keys -t "$session" n
expect "class histogram cancelled"
expect "d: take a class histogram now"
tmux send-keys -t "$session" d y
wait_for "largest now:" 300
shot heap-80x24
tmux send-keys -t "$session" m
expect "GC.class_histogram: 1 drill-down capture(s)"
tmux send-keys -t "$session" Escape
sleep 0.3

tmux resize-window -t "$session" -x 220 -y 60
expect "• [I "
shot heap-220x60
# Esc then a key at once reads as Alt+key: each Esc goes alone.
esc() { tmux send-keys -t "$session" Escape; sleep 0.3; }
esc                                  # back to the overview
tmux send-keys -t "$session" /
esc                                  # the filter, cleared
tmux send-keys -t "$session" / T h r e a d Enter Enter
expect "━ committed"
tmux send-keys -t "$session" d
wait_for "• job-runner-%d" 300
shot thread-220x60
tmux send-keys -t "$session" m
expect "Thread.print: 1 drill-down capture(s)"
tmux send-keys -t "$session" Escape
sleep 0.3
tmux resize-window -t "$session" -x 80 -y 24
expect "Thread.print"
shot thread-80x24
tmux send-keys -t "$session" q
tmux kill-session -t "$session"

# Files: no JVM to drill into, and the key says so.
tmux new-session -d -s "$session" -x 80 -y 24 \
    "$bin view samples/drill/leak-jdk17/capture.txt; sleep 60"
expect "loaded 7 snapshots"
tmux send-keys -t "$session" / J a v a Space H e a p Enter Enter
expect "━ committed"
tmux send-keys -t "$session" d
expect "d: no live JVM (files shown)"
shot view-80x24
tmux send-keys -t "$session" q
sleep 0.5
echo "tui-drill: OK (screens in $keep)"
