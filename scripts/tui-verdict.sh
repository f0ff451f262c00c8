#!/usr/bin/env bash
# The first screen tells an SRE what is killing the pod (issue 12): opens a real leaking
# recording (samples/scenarios/direct-leak-jdk17-g1: a JDK 17 JVM leaking direct buffers,
# NMT + GC log) with --limit 1Gi in a real terminal (tmux) at 80x24, and finds on the first
# screen the top suspect's name, its rate and a time to the limit; then, in the detail view
# after scrolling the advice, the flag that bounds it (-XX:MaxDirectMemorySize).
# Usage: scripts/tui-verdict.sh [path/to/jvmem]   (builds a debug binary when not given)
# Skips (exit 0) when tmux is not installed.
set -euo pipefail

if ! command -v tmux >/dev/null 2>&1; then
    echo "tui-verdict: SKIPPED: tmux is not installed"
    exit 0
fi
cd "$(dirname "$0")/.."
bin=${1:-}
if [[ -z "$bin" ]]; then
    cargo build --quiet
    bin=target/debug/jvmem
fi
# Absolute paths: the tmux server may have been started elsewhere (its panes start there).
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
dir="$PWD/samples/scenarios/direct-leak-jdk17-g1"
session="jvmem-verdict-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

fail() {
    echo "tui-verdict: FAIL: $*" >&2
    echo "---- pane ----" >&2
    tmux capture-pane -p -t "$session" >&2 || true
    exit 1
}

# The pane with its wrapped rows joined, so a sentence split over two rows is found.
pane() {
    tmux capture-pane -p -J -t "$session" | tr '\n' ' ' | tr -s ' '
}

# Waits until the pane matches the extended regex $1 (up to ~10 s).
expect() {
    for _ in $(seq 100); do
        if pane | grep -qE -- "$1"; then
            return 0
        fi
        sleep 0.1
    done
    fail "pane never showed: $1"
}

tmux new-session -d -s "$session" -x 80 -y 24 "$bin view $dir/nmt.log $dir/gc.log --limit 1Gi; sleep 60"

# First screen: who, how fast, when.
expect "▶ Other \+[0-9.]+ MiB/min \(direct buffers\)"
expect "limit 1\.0 GiB reached in about [0-9.]+ (s|min|h)"
echo "first screen: $(pane | grep -oE '▶ Other [^·]+· limit [^·]+')"

# The detail view of the top row (Other); the flag is in the advice, further down.
tmux send-keys -t "$session" Enter
expect "suspect"
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
expect "Category"
tmux send-keys -t "$session" q
echo "tui-verdict: OK"
