#!/usr/bin/env bash
# How fast `jvmem view` shows something on big inputs, measured in a real terminal (tmux):
# for each input and terminal size, the time from the exec of `jvmem view` until
#   frame   the first frame is drawn (the header boxes are on screen),
#   data    the first frame with data (NMT: a cursor `#i/n` in the status bar; GC log: the GC
#           view's pause chart),
#   loaded  the loading indicator (`loading…`) is gone,
#   judged  the verdict is in (no `judging…` left);
# the latency of key presses while loading and while the diagnosis runs (NMT: `2` then `1`,
# waiting each time for the detail view's `vs base #`, then the overview's `Category`; GC log:
# `?` then Esc, waiting for the help box to open and to close), the median and the worst of up
# to KEYS presses; and the whole run's peak RSS and CPU time (user+sys, /usr/bin/time).
#
# Usage: scripts/view-first-frame.sh [path/to/jvmem...]   (builds the release binary when not
# given; several binaries, e.g. before and after a change, run in turn on each input and size)
# Environment: VIEW_DIR (inputs, default target/viewfast), SIZES (default "80x24 220x60"),
# INPUTS (default "nmt-10k nmt-100k gc-128mb"), KEYS (presses per phase, default 4),
# POLL (seconds between two looks at the pane, default 0.02: the resolution of every figure).
#
# Inputs, built once from the repo's samples:
# - nmt-10k.log / nmt-100k.log: samples/scenarios/demo-jdk21-g1/nmt.log (a real JDK 21
#   recording of 61 snapshots) repeated 164 / 1,640 times: 10,004 / 100,040 snapshots,
#   42 / 420 MB (the NMT_100K input of scripts/bench.sh);
# - gc-128mb.log: scripts/gen-big-gc-log.sh (the real JDK 17 -Xlog:gc* G1 log repeated with
#   shifted times) at 128 MiB.
# Skips (exit 0) when tmux is not installed (scripts/lib-tmux.sh).
set -euo pipefail
name=view-first-frame
if [[ -z "${1:-}" ]]; then
    (cd "$(dirname "$0")/.." && cargo build --release --quiet --bin jvmem)
    set -- "$(dirname "$0")/../target/release/jvmem"
fi
bins=()
for b in "$@"; do bins+=("$(realpath "$b")"); done
set -- "${bins[0]}"
source "$(dirname "$0")/lib-tmux.sh"
dir=${VIEW_DIR:-target/viewfast}
sizes=${SIZES:-80x24 220x60}
inputs=${INPUTS:-nmt-10k nmt-100k gc-128mb}
keys=${KEYS:-4}
poll=${POLL:-0.02}
mkdir -p "$dir"
demo=samples/scenarios/demo-jdk21-g1/nmt.log
build_input() {
    local out="$dir/$1.log"
    [[ -s "$out" ]] && return 0
    case $1 in
        nmt-10k) for _ in $(seq 164); do cat "$demo"; done > "$out" ;;
        nmt-100k) for _ in $(seq 1640); do cat "$demo"; done > "$out" ;;
        gc-128mb) scripts/gen-big-gc-log.sh "$out" 128 > /dev/null ;;
        *) echo "$name: unknown input $1" >&2; exit 2 ;;
    esac
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
screen() { tmux capture-pane -p -t "$session" 2> /dev/null || true; }

# Waits until the screen matches (mode `has`) or stops matching (`lacks`) the regex, for at
# most $3 seconds; prints the time it was seen, or nothing on a timeout.
wait_screen() {
    local mode=$1 re=$2 deadline
    deadline=$(awk -v t="$(now)" -v d="$3" 'BEGIN { printf "%.6f", t + d }')
    while awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t < d) }'; do
        if screen | grep -qE -- "$re"; then
            [[ $mode == has ]] && { now; return 0; }
        else
            [[ $mode == lacks ]] && { now; return 0; }
        fi
        sleep "$poll"
    done
}

# Key presses while the screen still matches $1 (the phase: loading, judging): up to $keys
# presses, alternating two keys, each timed until its screen shows. Prints "median/max s (n)".
press_during() {
    local phase=$1 kind=$2 lat=() k t0 t1
    for ((k = 0; k < keys; k++)); do
        screen | grep -qE -- "$phase" || break
        t0=$(now)
        if [[ $kind == nmt ]]; then
            if ((k % 2 == 0)); then
                tmux send-keys -t "$session" 2
                t1=$(wait_screen has 'vs base #' 30)
            else
                tmux send-keys -t "$session" 1
                t1=$(wait_screen has 'Category' 30)
            fi
        else
            if ((k % 2 == 0)); then
                tmux send-keys -t "$session" '?'
                t1=$(wait_screen has 'Esc closes' 30)
            else
                tmux send-keys -t "$session" Escape
                t1=$(wait_screen lacks 'Esc closes' 30)
            fi
        fi
        [[ -n "$t1" ]] || { lat+=(timeout); break; }
        lat+=("$(elapsed "$t0" "$t1")")
    done
    # Leave the overview / no overlay on screen for the phases after this one.
    if [[ $kind == nmt ]] && ((k % 2 == 1)); then tmux send-keys -t "$session" 1; fi
    if [[ $kind == gc ]] && ((k % 2 == 1)); then tmux send-keys -t "$session" Escape; fi
    if ((${#lat[@]} == 0)); then
        echo "–"
    else
        printf '%s\n' "${lat[@]}" | sort -n | awk '{ v[NR] = $1 } END {
            printf "%s/%s s (%d)", v[int((NR + 1) / 2)], v[NR], NR }'
    fi
}

echo "load: $(uptime | sed 's/.*load average: //')  cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') ×$(nproc)"
echo
echo "| input | size | binary | frame | data | loaded | judged | keys while loading | keys while judging | peak RSS | CPU |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for input in $inputs; do
    build_input "$input"
    file=$(realpath "$dir/$input.log")
    kind=nmt
    data_re='#[0-9]+/[0-9]+'
    if [[ $input == gc-* ]]; then
        kind=gc
        data_re=' pauses '
    fi
    for size in $sizes; do
      for bin in "${bins[@]}"; do
        w=${size%x*} h=${size#*x}
        rm -f "$work/start" "$work/time"
        tmux new-session -d -s "$session" -x "$w" -y "$h" \
            "bash -c 'echo \$EPOCHREALTIME > $work/start; exec /usr/bin/time -f \"%M %U %S\" -o $work/time $bin view $file'; sleep 600"
        while [[ ! -s "$work/start" ]]; do sleep 0.005; done
        t0=$(cat "$work/start")
        t_frame=$(wait_screen has 'Heap' 60)
        t_data=$(wait_screen has "$data_re" 120)
        keys_loading=$(press_during 'loading…' "$kind")
        t_loaded=$(wait_screen lacks 'loading…' 300)
        keys_judging=$(press_during 'judging…' "$kind")
        t_judged=$(wait_screen lacks 'judging…' 300)
        tmux send-keys -t "$session" q
        for _ in $(seq 200); do
            [[ -s "$work/time" ]] && break
            sleep 0.05
        done
        read -r rss_kb user sys < "$work/time" || true
        tmux kill-session -t "$session" 2> /dev/null || true
        fmt() { if [[ -n "$1" ]]; then echo "$(elapsed "$t0" "$1") s"; else echo "timeout"; fi; }
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s MiB | %s s |\n' \
            "$input" "$size" "$(basename "$bin")" "$(fmt "$t_frame")" "$(fmt "$t_data")" "$(fmt "$t_loaded")" \
            "$(fmt "$t_judged")" "$keys_loading" "$keys_judging" \
            "$((${rss_kb:-0} / 1024))" "$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.1f", u + s }')"
      done
    done
done
echo
echo "load after: $(uptime | sed 's/.*load average: //')"
