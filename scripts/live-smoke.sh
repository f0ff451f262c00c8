#!/usr/bin/env bash
# Smoke test of the live dashboard through a real terminal (tmux): `jvmem demo` plays and
# quits; a bracketed paste of three jcmd outputs into `jvmem live --record` gives a
# three-point timeline, and the recording replays to the same three snapshots.
#
# usage: scripts/live-smoke.sh [path/to/jvmem]   (default: target/debug/jvmem, built if missing)
# Skips (exit 0) when tmux is not installed.
set -euo pipefail
name=live-smoke
source "$(dirname "$0")/lib-tmux.sh"

# The replay cursor `#N/61` on the status bar.
cursor() {
    tmux capture-pane -p -t "$session" | grep -oE '#[0-9]+/61' | head -1 | tr -d '#' | cut -d/ -f1
}

echo "== demo: plays from any directory, at 80x24, and quits on q"
tmux new-session -d -s "$session" -x 80 -y 24 "cd '$work' && '$bin' demo --speed 16; echo EXITED; sleep 30"
expect "Heap"
expect "/61"
first="$(cursor)"
sleep 2
second="$(cursor)"
[ -n "$first" ] && [ -n "$second" ] && [ "$second" -gt "$first" ] \
    || fail "the replay cursor did not advance ($first → $second)"
tmux send-keys -t "$session" q
expect "EXITED"
tmux kill-session -t "$session"
echo "ok: demo advanced from #$first to #$second and quit"

echo "== paste: three jcmd outputs in one bracketed paste, recorded"
# The first three snapshots of the demo log, with a shell prompt and noise around them.
{
    echo '$ for i in 1 2 3; do date -Is; jcmd 7796 VM.native_memory summary; sleep 3; done'
    awk '/^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ { n++ } n > 3 { exit } { print }' \
        samples/scenarios/demo-jdk21-g1/nmt.log
    echo '$ '
} > "$work/paste.txt"
tmux new-session -d -s "$session" -x 100 -y 30 \
    "'$bin' live --record '$work/pasted.jvmem'; echo EXITED; sleep 30"
expect "No snapshot yet"
tmux load-buffer -b jvmem-smoke "$work/paste.txt"
tmux paste-buffer -p -d -b jvmem-smoke -t "$session"
expect "paste: 3 snapshots read"
tmux send-keys -t "$session" q
expect "EXITED"
replayed="$("$bin" replay "$work/pasted.jvmem" | grep -c '^2026-11-26T07:2' || true)"
[ "$replayed" = 3 ] || fail "the recording replays to $replayed snapshot lines, not 3"
echo "ok: paste gave three snapshots, recorded and replayed"

echo "== live -: after q, the producer still writing into the pipe is named"
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 120 -y 30 \
    "cd '$PWD' && while sleep 1; do cat samples/nmt/jdk25/summary.txt; done | '$bin' live -; sleep 30"
expect "Java Heap"
tmux send-keys -t "$session" q
expect "still running"
tmux capture-pane -p -J -t "$session" | grep -q "sleep pid" \
    || fail "the note does not name the loop's processes"
tmux kill-session -t "$session"
echo "ok: quitting live - said the loop is still running"

echo "PASS"
