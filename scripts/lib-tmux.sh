# Shared preamble of the scripts that drive the dashboard in a real terminal (tmux):
# tui-smoke.sh, tui-verdict.sh, live-smoke.sh, signals.sh. Source it, after `set -euo pipefail`:
#
#     name=tui-smoke
#     source "$(dirname "$0")/lib-tmux.sh"
#
# It skips the script (exit 0, saying so) when tmux is absent, goes to the repository root,
# and sets:
#   bin      the jvmem binary, absolute (the script's first argument; else target/debug/jvmem,
#            built) — absolute because panes start wherever the tmux server was started;
#   session  a tmux session name of this run's own;
#   work     a temporary directory, removed on exit.
# `tmux` runs on a server of this run's own (other tmux users and parallel runs are unaffected),
# killed on exit. Helpers: `fail MSG` (prints the pane, exits 1; a script may redefine it),
# `pane` (the screen, wrapped rows joined), `pane_has TEXT` / `pane_matches REGEX` (wait up to
# ~10 s, return 1 if never), `expect TEXT` / `expect_re REGEX` (the same, failing instead).

if ! command -v tmux > /dev/null 2>&1; then
    echo "$name: SKIPPED: tmux is not installed"
    exit 0
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${1:-}
if [[ -z "$bin" ]]; then
    cargo build --quiet
    bin=target/debug/jvmem
fi
bin=$(realpath "$bin")
session="jvmem-$name-$$"
work=$(mktemp -d "/tmp/jvmem-$name.XXXXXX")
tmux_socket="jvmem-$name-$$"
tmux() { command tmux -L "$tmux_socket" "$@"; }
trap 'tmux kill-server 2> /dev/null || true; rm -rf "$work"' EXIT
# Keep this run's server up between sessions: by default tmux exits with its last session, and
# a `new-session` right after a `kill-session` then races the exiting server ("server exited
# unexpectedly", seen in CI about one run in three of live-smoke.sh).
tmux start-server \; set-option -g exit-empty off

fail() {
    echo "$name: FAIL: $*" >&2
    echo "---- pane ----" >&2
    tmux capture-pane -p -t "$session" >&2 || true
    exit 1
}

pane() {
    tmux capture-pane -p -J -t "$session" | tr '\n' ' ' | tr -s ' '
}

pane_has() {
    for _ in $(seq 100); do
        tmux capture-pane -p -t "$session" | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

pane_matches() {
    for _ in $(seq 100); do
        pane | grep -qE -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

expect() { pane_has "$1" || fail "pane never showed: $1"; }
expect_re() { pane_matches "$1" || fail "pane never matched: $1"; }
