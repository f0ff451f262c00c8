#!/usr/bin/env bash
# Smoke test of the dashboard in a real terminal (tmux): start `jvmem view` on a sample, switch
# views, resize, paste, quit; check the pane shows what it should and the terminal is back to
# normal (alternate screen and mouse reporting off, process exited 0).
# Usage: scripts/tui-smoke.sh [path/to/jvmem]   (builds a debug binary when not given)
# Skips (exit 0) when tmux is not installed (scripts/lib-tmux.sh).
set -euo pipefail
name=tui-smoke
source "$(dirname "$0")/lib-tmux.sh"
sample="$PWD/samples/scenarios/demo-jdk21-g1/nmt.log"
done_file="$work/done"

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
