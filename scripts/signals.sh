#!/usr/bin/env bash
# Signals in the dashboard (issue 13 point 1), in a real terminal (tmux): `view`, `live --cmd
# … --record` and `replay` each get SIGTERM, SIGHUP, SIGINT and SIGQUIT (with `kill`), and must
# exit 128+n with the terminal restored (raw mode, alternate screen, mouse, bracketed paste
# off), `--cmd`'s shell and its `sleep` gone and the recording readable. Then SIGTSTP stops
# `view` with the terminal restored, SIGCONT brings it back redrawn; Ctrl-Z does the same.
# Usage: scripts/signals.sh [path/to/jvmem]   (builds a debug binary when not given)
set -euo pipefail
name=signals
source "$(dirname "$0")/lib-tmux.sh"
sample=$PWD/samples/scenarios/demo-jdk21-g1/nmt.log
dir=$work
# One session kept for all runs.
tmux new-session -d -s "$session" -x 100 -y 30 "sleep 1000"
"$bin" live - --record "$dir/replay.jvmem" < "$sample" > /dev/null 2>&1
marker="sleep 977.$$"
failures=0

# Counts a failure and goes on with the next case.
fail() {
    echo "signals: FAIL: $*" >&2
    tmux capture-pane -p -t "$session" 2> /dev/null | tail -5 | sed 's/^/  | /' >&2 || true
    failures=$((failures + 1))
}

# Waits for file $1 to be non-empty (up to ~10 s).
wait_file() {
    for _ in $(seq 100); do [[ -s "$1" ]] && return 0; sleep 0.1; done
    return 1
}

# The jvmem process in the pane (the child of the pane's shell).
jvmem_pid() { ps -o pid= --ppid "$(tmux display -p -t "$session" '#{pane_pid}')" | head -1 | tr -d ' '; }

# Starts "$@" in a fresh pane; after it exits the pane records exit code, stty and a paste.
start() {
    rm -f "$dir/done" "$dir/stty" "$dir/pasted"
    local cmd
    cmd=$(printf '%q ' "$@")
    tmux respawn-pane -k -t "$session" \
        "$cmd; echo \$? > $dir/done; stty -a > $dir/stty; cat -v > $dir/pasted"
    sleep 0.2
}

# Checks the terminal after jvmem exited: modes off, a paste arrives unbracketed.
terminal_restored() {
    local what=$1
    [[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 0 ]] || fail "$what: alternate screen left on"
    [[ "$(tmux display -p -t "$session" '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')" == 000 ]] \
        || fail "$what: mouse reporting left on"
    wait_file "$dir/stty" || fail "$what: no stty"
    grep -qw icanon "$dir/stty" && grep -qw echo "$dir/stty" || fail "$what: raw mode left on (no icanon/echo)"
    tmux set-buffer -b jvmem-sig "pasted-text"
    tmux paste-buffer -p -b jvmem-sig -t "$session"
    tmux send-keys -t "$session" Enter
    sleep 0.3
    grep -q "pasted-text" "$dir/pasted" 2> /dev/null || fail "$what: paste did not arrive"
    ! grep -q "200~" "$dir/pasted" 2> /dev/null || fail "$what: bracketed paste left on"
}

printf '%-8s %-8s %-5s %s\n' command signal exit checks
for signal in TERM HUP INT QUIT; do
    number=$(kill -l "$signal")
    for command in view live replay; do
        case $command in
            view) start "$bin" view "$sample"; ready="Heap" ;;
            live) start "$bin" live --cmd "$marker; cat $sample" --interval 1s --record "$dir/live.jvmem"; ready="running" ;;
            replay) start "$bin" replay "$dir/replay.jvmem"; ready="Heap" ;;
        esac
        what="$command SIG$signal"
        if ! pane_has "$ready"; then fail "$what: dashboard never showed $ready"; continue; fi
        [[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 1 ]] || fail "$what: not on the alternate screen"
        [[ $command == live ]] && sleep 0.5 # the first poll's sleep is running
        pid=$(jvmem_pid)
        kill "-$signal" "$pid"
        wait_file "$dir/done" || { fail "$what: did not exit"; kill -9 "$pid" 2> /dev/null || true; continue; }
        code=$(cat "$dir/done")
        [[ "$code" == $((128 + number)) ]] || fail "$what: exit $code, expected $((128 + number))"
        terminal_restored "$what"
        if [[ $command == live ]]; then
            sleep 0.2
            if ps -eo args | grep -v grep | grep -qF "$marker"; then fail "$what: --cmd's sleep left running"; fi
            "$bin" export "$dir/live.jvmem" > /dev/null 2> "$dir/export.err" \
                || grep -q "no NMT snapshot" "$dir/export.err" || fail "$what: recording unreadable"
        fi
        printf '%-8s %-8s %-5s %s\n' "$command" "SIG$signal" "$code" done
    done
done

# SIGTSTP / SIGCONT and Ctrl-Z in view.
for how in kill ctrl-z; do
    what="view $how"
    start "$bin" view "$sample"
    pane_has "Heap" || { fail "$what: dashboard never showed"; continue; }
    pid=$(jvmem_pid)
    if [[ $how == kill ]]; then kill -TSTP "$pid"; else tmux send-keys -t "$session" C-z; fi
    sleep 0.5
    state=$(ps -o stat= -p "$pid" | cut -c1)
    [[ "$state" == T ]] || fail "$what: not stopped (state $state)"
    [[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 0 ]] || fail "$what: stopped on the alternate screen"
    stty_raw=$(stty -a < "$(tmux display -p -t "$session" '#{pane_tty}')")
    grep -qw icanon <<< "$stty_raw" || fail "$what: stopped in raw mode"
    kill -CONT "$pid"
    sleep 0.5
    [[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 1 ]] || fail "$what: alternate screen not restored"
    pane_has "Heap" || fail "$what: not redrawn after SIGCONT"
    tmux send-keys -t "$session" j
    tmux send-keys -t "$session" q
    wait_file "$dir/done" || fail "$what: q did not quit after SIGCONT"
    [[ "$(cat "$dir/done" 2> /dev/null)" == 0 ]] || fail "$what: exit $(cat "$dir/done" 2> /dev/null)"
    terminal_restored "$what"
    printf '%-8s %-8s %-5s %s\n' view "$how" "$(cat "$dir/done" 2> /dev/null)" done
done

if [[ $failures -gt 0 ]]; then
    echo "signals: $failures failure(s)"
    exit 1
fi
echo "signals: OK"
