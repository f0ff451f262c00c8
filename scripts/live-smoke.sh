#!/usr/bin/env bash
# Smoke test of the live dashboard through a real terminal (tmux): `jvmem demo` plays and
# quits; a bracketed paste of three jcmd outputs into `jvmem live --record` gives a
# three-point timeline, and the recording replays to the same three snapshots.
#
# usage: scripts/live-smoke.sh [path/to/jvmem]   (default: target/debug/jvmem, built if missing)
# Skips (exit 0) when tmux is not installed.
set -euo pipefail

cd "$(dirname "$0")/.."
if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIPPED: tmux is not installed"
    exit 0
fi
JVMEM="${1:-target/debug/jvmem}"
if [ ! -x "$JVMEM" ]; then
    cargo build --quiet
fi
JVMEM="$(cd "$(dirname "$JVMEM")" && pwd)/$(basename "$JVMEM")"
WORK="$(mktemp -d)"
SESSION="jvmem-smoke-$$"
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*"
    echo "--- screen ---"
    tmux capture-pane -p -t "$SESSION" 2>/dev/null || true
    exit 1
}

# Waits up to ~10 s for the screen to contain a fixed string.
wait_for() {
    for _ in $(seq 1 50); do
        if tmux capture-pane -p -t "$SESSION" | grep -qF -- "$1"; then
            return 0
        fi
        sleep 0.2
    done
    fail "screen never showed: $1"
}

# The replay cursor `#N/61` on the status bar.
cursor() {
    tmux capture-pane -p -t "$SESSION" | grep -oE '#[0-9]+/61' | head -1 | tr -d '#' | cut -d/ -f1
}

echo "== demo: plays from any directory, at 80x24, and quits on q"
tmux new-session -d -s "$SESSION" -x 80 -y 24 "cd '$WORK' && '$JVMEM' demo --speed 16; echo EXITED; sleep 30"
wait_for "Heap"
wait_for "/61"
first="$(cursor)"
sleep 2
second="$(cursor)"
[ -n "$first" ] && [ -n "$second" ] && [ "$second" -gt "$first" ] \
    || fail "the replay cursor did not advance ($first → $second)"
tmux send-keys -t "$SESSION" q
wait_for "EXITED"
tmux kill-session -t "$SESSION"
echo "ok: demo advanced from #$first to #$second and quit"

echo "== paste: three jcmd outputs in one bracketed paste, recorded"
# The first three snapshots of the demo log, with a shell prompt and noise around them.
{
    echo '$ for i in 1 2 3; do date -Is; jcmd 7796 VM.native_memory summary; sleep 3; done'
    awk '/^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ { n++ } n > 3 { exit } { print }' \
        samples/scenarios/demo-jdk21-g1/nmt.log
    echo '$ '
} > "$WORK/paste.txt"
tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "'$JVMEM' live --record '$WORK/pasted.jvmem'; echo EXITED; sleep 30"
wait_for "No snapshot yet"
tmux load-buffer -b jvmem-smoke "$WORK/paste.txt"
tmux paste-buffer -p -d -b jvmem-smoke -t "$SESSION"
wait_for "paste: 3 snapshots read"
tmux send-keys -t "$SESSION" q
wait_for "EXITED"
replayed="$("$JVMEM" replay "$WORK/pasted.jvmem" | grep -c '^2026-11-26T07:2' || true)"
[ "$replayed" = 3 ] || fail "the recording replays to $replayed snapshot lines, not 3"
echo "ok: paste gave three snapshots, recorded and replayed"

echo "== live -: after q, the producer still writing into the pipe is named"
tmux kill-session -t "$SESSION" 2>/dev/null || true
tmux new-session -d -s "$SESSION" -x 120 -y 30 \
    "cd '$PWD' && while sleep 1; do cat samples/nmt/jdk25/summary.txt; done | '$JVMEM' live -; sleep 30"
wait_for "Java Heap"
tmux send-keys -t "$SESSION" q
wait_for "still running"
tmux capture-pane -p -J -t "$SESSION" | grep -q "sleep pid" \
    || fail "the note does not name the loop's processes"
tmux kill-session -t "$SESSION"
echo "ok: quitting live - said the loop is still running"

echo "PASS"
