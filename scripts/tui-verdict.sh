#!/usr/bin/env bash
# The first screen tells an SRE what is killing the pod (issue 12): opens a real leaking
# recording (samples/scenarios/direct-leak-jdk17-g1: a JDK 17 JVM leaking direct buffers,
# NMT + GC log) with --limit 1Gi in a real terminal (tmux) at 80x24, and finds on the first
# screen the top suspect's name, its rate and a time to the limit; then, in the detail view
# after scrolling the advice, the flag that bounds it (-XX:MaxDirectMemorySize). Then the
# demo's last screen at 80x24 still shows the heap's flag and that more suspects exist.
# Usage: scripts/tui-verdict.sh [path/to/jvmem]   (builds a debug binary when not given)
# Skips (exit 0) when tmux is not installed.
set -euo pipefail
name=tui-verdict
source "$(dirname "$0")/lib-tmux.sh"
dir="$PWD/samples/scenarios/direct-leak-jdk17-g1"

tmux new-session -d -s "$session" -x 80 -y 24 "$bin view $dir/nmt.log $dir/gc.log --limit 1Gi; sleep 60"

# First screen: who, how fast, when.
expect_re "▶ Other \+[0-9.]+ MiB/min \(direct buffers\)"
expect_re "limit 1\.0 GiB reached in about [0-9.]+ (s|min|h)"
echo "first screen: $(pane | grep -oE '▶ Other [^·]+· limit [^·]+')"

# The detail view of the top row (Other); the flag is in the advice, further down.
tmux send-keys -t "$session" Enter
expect_re "suspect"
# In the advice box (a bordered row), not the verdict line above the views.
in_advice() {
    tmux capture-pane -p -t "$session" | grep -qE -- "│.*MaxDirectMemorySize.*│"
}
! in_advice || fail "the flag was already in view: nothing to scroll for"
found=
for _ in $(seq 12); do
    if in_advice; then
        found=1
        break
    fi
    tmux send-keys -t "$session" PgDn
    sleep 0.2
done
[[ -n "$found" ]] || fail "the advice never showed -XX:MaxDirectMemorySize"
echo "advice: $(tmux capture-pane -p -t "$session" | grep -oE -- "│[^│]*MaxDirectMemorySize[^│]*│" | head -1)"
tmux send-keys -t "$session" Escape
expect_re "Category"
tmux send-keys -t "$session" q
tmux kill-session -t "$session"

# The demo's last screen at 80x24: the heap's verdict names two failures and a two-step
# action, too long for three rows with the others listed; the flag and the count of the
# other suspects must still be on screen (they were cut once).
tmux new-session -d -s "$session" -x 80 -y 24 "$bin demo --speed 1000; sleep 60"
expect "#61/61"
expect_re "▶ Java Heap \+[0-9.]+ MiB/min \(heap\) · heap full \(-Xmx [0-9.]+ MiB\) in about [0-9.]+ (s|min|h)"
expect_re "size -Xmx[0-9]+m to the limit"
expect "· 2 more suspects (2: detail)"
echo "demo's end: $(pane | grep -oE '▶ Java Heap .* \(2: detail\)')"
tmux send-keys -t "$session" q
echo "tui-verdict: OK"
