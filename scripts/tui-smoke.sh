#!/usr/bin/env bash
# Smoke test of the dashboard in a real terminal (tmux): start `jvmem view` on a sample, switch
# views, resize, paste, quit; check the pane shows what it should and the terminal is back to
# normal (alternate screen and mouse reporting off, process exited 0).
# Usage: scripts/tui-smoke.sh [path/to/jvmem]   (builds a debug binary when not given)
set -euo pipefail

if ! command -v tmux >/dev/null 2>&1; then
    echo "tui-smoke: SKIPPED: tmux is not installed"
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
sample="$PWD/samples/scenarios/demo-jdk21-g1/nmt.log"
session="jvmem-smoke-$$"
done_file=$(mktemp)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -f "$done_file"' EXIT

fail() {
    echo "tui-smoke: FAIL: $*" >&2
    echo "---- pane ----" >&2
    tmux capture-pane -p -t "$session" >&2 || true
    exit 1
}

# Waits until the pane shows $1 (up to ~5 s).
expect() {
    for _ in $(seq 50); do
        if tmux capture-pane -p -t "$session" | grep -qF -- "$1"; then
            return 0
        fi
        sleep 0.1
    done
    fail "pane never showed: $1"
}

tmux new-session -d -s "$session" -x 80 -y 24 \
    "$bin view $sample --limit 1Gi; echo \"exit=\$?\" > $done_file; sleep 60"

expect "Heap"
expect "! Other"            # the direct-buffer leak: first row, marked a suspect
expect "% of 1.0 GiB"
[[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 1 ]] || fail "not on the alternate screen"

tmux send-keys -t "$session" Enter
expect "━ committed"
tmux send-keys -t "$session" 3
expect "No GC events"
tmux send-keys -t "$session" 4
expect "A #1"
tmux send-keys -t "$session" '?'
expect "Esc closes"
tmux send-keys -t "$session" x
tmux send-keys -t "$session" 1

tmux resize-window -t "$session" -x 200 -y 50
expect "String Deduplication"   # more rows fit at 200x50

tmux set-buffer -b jvmem-smoke "no snapshot in here"
tmux paste-buffer -p -b jvmem-smoke -t "$session"
expect "paste: nothing readable"
tmux set-buffer -b jvmem-smoke "$(cat samples/nmt/jdk25/summary.txt)"
tmux paste-buffer -p -b jvmem-smoke -t "$session"
expect "paste: 1 snapshot read"
tmux delete-buffer -b jvmem-smoke

tmux resize-window -t "$session" -x 80 -y 24
expect "#62/62"
tmux resize-window -t "$session" -x 120 -y 40
expect "#62/62"

tmux send-keys -t "$session" q
for _ in $(seq 50); do
    [[ -s "$done_file" ]] && break
    sleep 0.1
done
[[ "$(cat "$done_file")" == "exit=0" ]] || fail "jvmem did not exit 0: $(cat "$done_file")"
[[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 0 ]] || fail "alternate screen left on"
[[ "$(tmux display -p -t "$session" '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')" == 000 ]] \
    || fail "mouse reporting left on"
if tmux capture-pane -p -t "$session" | grep -q '[│┌└]'; then
    fail "parts of the dashboard were left on the normal screen"
fi
echo "tui-smoke: OK"
