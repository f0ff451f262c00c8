#!/usr/bin/env bash
# The fleet view in a real terminal (issue 20): a real Prometheus holding a small synthetic
# fleet (scripts/fleet-scale.py, backfilled with promtool: 10 pods with long Kubernetes-style
# names, 40 min of 30 s samples of jvmem serve's series; pod 0000 leaks direct buffers, pod
# 0005 leaks old gen inside a flat heap, the 8 others are steady), then `jvmem fleet` in tmux:
# at 80x24 and 220x60 the two leaking pods are ranked first by the time to their first failure
# (pod 0005's heap is full in 75 min, OutOfMemoryError: "heap"; pod 0000 reaches the limit in
# 262: "kill") with the right categories, and the steady ones after them, clean; Enter opens a
# pod's timeline in the dashboard (its verdict names its suspect, the GC view has its
# collections), Esc comes back to the table, the second pod opens on its own suspect, r reads again, q quits with exit 0 and the terminal restored;
# SIGTERM inside a pod exits 143, restored. Then the same on Micrometer's series of three
# real JVMs (samples/fleet): the heap leak first with its heap OOM (jvm_memory_max_bytes),
# the direct leak's OOM kill second. Between them the first read, which runs off the UI thread:
# a slow Prometheus (a proxy taking 2 s a request) and a closed port (see below). ~12 s.
# Usage: scripts/tui-fleet.sh [path/to/jvmem]   (builds a debug binary when not given)
# Skips (exit 0, saying so) without tmux, prometheus, promtool, python3 or curl.
set -euo pipefail
name=tui-fleet
for tool in prometheus promtool python3 curl; do
    command -v "$tool" > /dev/null || { echo "$name: SKIPPED: $tool is not installed"; exit 0; }
done
source "$(dirname "$0")/lib-tmux.sh"
proms=()
trap 'for p in "${proms[@]}"; do kill "$p" 2> /dev/null; done; tmux kill-server 2> /dev/null || true; rm -rf "$work"' EXIT

# start_prometheus DATA: a Prometheus on a free loopback port over DATA; sets $port.
start_prometheus() {
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'global:\n  scrape_interval: 1m\n' > "$work/prometheus.yml"
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$1" \
        --web.listen-address="127.0.0.1:$port" > "$1.log" 2>&1 &
    proms+=($!)
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null 2>&1 && return 0
        sleep 0.2
    done
    fail "Prometheus never got ready: $(tail -3 "$1.log")"
}

prefix=payments-bot-gateway-7d9f8c6b5-
end=$(($(date +%s) - 60))
python3 scripts/fleet-scale.py 10 40 30 "$end" "$prefix" > "$work/fleet.om"
promtool tsdb create-blocks-from openmetrics "$work/fleet.om" "$work/data" > /dev/null
start_prometheus "$work/data"

done_file="$work/done"
tmux new-session -d -s "$session" -x 80 -y 24 \
    "$bin fleet --prometheus http://127.0.0.1:$port --selector '{namespace=\"scale\"}' --range 1h; echo \"exit=\$?\" > $done_file; sleep 60"

# The table's rows (between its header and its bottom border), one per line.
rows() {
    tmux capture-pane -p -t "$session" | sed -n '/│ *Pod /,/└/p' | sed '1d;$d'
}
row_has() { # row_has N REGEX: row N (1-based) matches
    rows | sed -n "${1}p" | grep -qE -- "$2"
}
check_ranking() { # at the current size: leaking pods first with their categories, then clean ones
    expect "10 JVMs"
    row_has 1 "^│! .*0005 .*Java Heap .* 75 heap( OOM)? " \
        || fail "row 1 is not pod 0005's heap leak (Java Heap), heap OOM in 75 min"
    row_has 2 "^│! .*0000 .*Other .* 262 (OOM )?kill " \
        || fail "row 2 is not pod 0000's direct leak (Other), OOM kill in 262 min"
    local steady
    steady=$(rows | sed -n '3,10p' | grep -cE '^│  .*[0-9]{4} .* - +- +- +-' || true)
    [[ "$steady" == 8 ]] || fail "rows 3-10 are not the 8 steady pods, clean ($steady)"
}

expect "ranked by time to failure"
check_ranking
# 80 columns: the long pod names shortened in the middle, their numbers kept.
rows | sed -n 1p | grep -qF "…" || fail "the long pod name was not shortened at 80 columns"
echo "80x24 row 1: $(rows | sed -n 1p)"
echo "80x24 row 2: $(rows | sed -n 2p)"

tmux resize-window -t "$session" -x 220 -y 60
expect "Usage trend"
check_ranking
row_has 1 "${prefix}0005 .*Java Heap \(heap\) .* 75 heap OOM " || fail "220 columns: no full name, suspect kind or failure"
row_has 2 "Other \(direct buffers\) .* 262 OOM kill " || fail "220 columns: row 2 has not the direct leak's kind or failure"
expect "Enter: its timeline"    # the selected pod's details below the table
echo "220x60 row 1: $(rows | sed -n 1p | tr -s ' ')"
echo "220x60 row 2: $(rows | sed -n 2p | tr -s ' ')"

# Enter: the pod's timeline in the dashboard's own views, its suspect in the verdict.
tmux send-keys -t "$session" Enter
expect "Esc: back to the fleet"
expect_re "▶ Java Heap \+[0-9.]+ MiB/min \(heap\)"
expect "1 Overview"
echo "pod 0005: $(pane | grep -oE '▶ Java Heap [^·]+')"
tmux send-keys -t "$session" 3
expect_re "GC events|collections"
tmux send-keys -t "$session" Escape    # GC view → overview
expect "Category"
tmux send-keys -t "$session" Escape    # overview → the fleet
expect "ranked by time to failure"
check_ranking

# Back at 80x24, the second row: the direct leak.
tmux resize-window -t "$session" -x 80 -y 24
expect "%lim"
tmux send-keys -t "$session" j Enter
expect "Esc: back to the fleet · ${prefix:0:10}"
expect_re "▶ Other \+[0-9.]+ MiB/min \(direct buffers\)"
echo "pod 0000: $(pane | grep -oE '▶ Other [^·]+·[^·]+')"
tmux send-keys -t "$session" Escape
expect "ranked by time to failure"
row_has 2 "0000" || fail "the selection did not come back to row 2"

# r reads the fleet again from Prometheus, off the UI thread: the same ranking.
tmux send-keys -t "$session" r
expect "read again at"
check_ranking
tmux send-keys -t "$session" q
for _ in $(seq 50); do
    [[ -s "$done_file" ]] && break
    sleep 0.1
done
[[ "$(cat "$done_file" 2> /dev/null)" == "exit=0" ]] || fail "jvmem did not exit 0: $(cat "$done_file" 2> /dev/null)"
[[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 0 ]] || fail "alternate screen left on"
[[ "$(tmux display -p -t "$session" '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')" == 000 ]] \
    || fail "mouse reporting left on"

# A signal inside a pod's dashboard: the terminal is restored, exit 128 + 15.
done_file="$work/done-term"
tmux kill-session -t "$session"
tmux new-session -d -s "$session" -x 80 -y 24 \
    "sh -c 'echo \$\$ > $work/pid; exec $bin fleet --prometheus http://127.0.0.1:$port --range 1h'; echo \"exit=\$?\" > $done_file; sleep 60"
expect "ranked by time to failure"
tmux send-keys -t "$session" Enter
expect "Esc: back to the fleet"
kill -TERM "$(cat "$work/pid")"
for _ in $(seq 50); do
    [[ -s "$done_file" ]] && break
    sleep 0.1
done
[[ "$(cat "$done_file" 2> /dev/null)" == "exit=143" ]] || fail "SIGTERM: not exit 143: $(cat "$done_file" 2> /dev/null)"
[[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 0 ]] || fail "SIGTERM: alternate screen left on"

# The first read runs off the UI thread: the screen opens at once and says how far the read
# is. A Prometheus that takes 2 s a request (a Python proxy in front of the real one): the
# waiting screen at 80x24 before the first answer, then the same table; at 220x60 q, Ctrl-c
# and SIGTERM leave during the read with the terminal restored (exit 0, 0, 143). Then a
# closed port: the error on screen, r tries again, q exits 1.
cat > "$work/slow.py" << 'PY'
import http.server, sys, time, urllib.request
portfile, delay, upstream = sys.argv[1], float(sys.argv[2]), sys.argv[3]
class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(delay)
        with urllib.request.urlopen(upstream + self.path) as r:
            body = r.read()
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except BrokenPipeError:
            pass  # jvmem quit during the read: what is tested
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
open(portfile + ".tmp", "w").write(str(server.server_address[1]))
__import__("os").rename(portfile + ".tmp", portfile)
server.serve_forever()
PY
python3 "$work/slow.py" "$work/slow-port" 2 "http://127.0.0.1:$port" 2> "$work/slow.log" &
proms+=($!)
for _ in $(seq 50); do [[ -s "$work/slow-port" ]] && break; sleep 0.1; done
slow="http://127.0.0.1:$(cat "$work/slow-port")"
wait_done() { # wait_done FILE: up to 5 s for the pane's exit line
    for _ in $(seq 50); do
        [[ -s "$1" ]] && return 0
        sleep 0.1
    done
}
restored() { # restored WHAT: the alternate screen and mouse reporting are off
    [[ "$(tmux display -p -t "$session" '#{alternate_on}')" == 0 ]] || fail "$1: alternate screen left on"
    [[ "$(tmux display -p -t "$session" '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')" == 000 ]] \
        || fail "$1: mouse reporting left on"
}
start_fleet() { # start_fleet URL WIDTH HEIGHT DONE_FILE: jvmem fleet in a new session
    tmux kill-session -t "$session" 2> /dev/null || true
    tmux new-session -d -s "$session" -x "$2" -y "$3" \
        "sh -c 'echo \$\$ > $work/pid; exec $bin fleet --prometheus $1 --selector \"{namespace=\\\"scale\\\"}\" --range 1h 2> $4.err'; echo \"exit=\$?\" > $4; sleep 60"
}
start_fleet "$slow" 80 24 "$work/done-slow"
t0=$(date +%s%N)
expect "Reading Prometheus at $slow…"
expect "0 of 1 query, 0 series so far"    # sent, no answer yet
(( ($(date +%s%N) - t0) / 1000000 < 1900 )) || fail "the screen opened after the first answer"
echo "80x24 while reading:"
tmux capture-pane -p -t "$session" | sed -n '1,6p'
expect "ranked by time to failure"
check_ranking
tmux send-keys -t "$session" q
wait_done "$work/done-slow"
[[ "$(cat "$work/done-slow")" == exit=0 ]] || fail "slow read: not exit 0: $(cat "$work/done-slow")"
restored "slow read"

for how in q C-c TERM; do
    start_fleet "$slow" 220 60 "$work/done-$how"
    expect "Reading Prometheus at $slow…"
    [[ "$how" == q ]] && { echo "220x60 while reading:"; tmux capture-pane -p -t "$session" | sed -n '1,6p'; }
    t0=$(date +%s%N)
    case $how in
        TERM) kill -TERM "$(cat "$work/pid")" ;;
        *) tmux send-keys -t "$session" "$how" ;;
    esac
    wait_done "$work/done-$how"
    ms=$((($(date +%s%N) - t0) / 1000000))
    want=exit=0
    [[ "$how" == TERM ]] && want=exit=143
    [[ "$(cat "$work/done-$how" 2> /dev/null)" == "$want" ]] || fail "$how during the read: not $want: $(cat "$work/done-$how" 2> /dev/null)"
    (( ms < 1500 )) || fail "$how during the read took $ms ms"
    restored "$how during the read"
    echo "$how during the read: $want after $ms ms, terminal restored"
done

closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for size in "80 24" "220 60"; do
    read -r w h <<< "$size"
    start_fleet "http://127.0.0.1:$closed" "$w" "$h" "$work/done-closed"
    expect "Could not read the fleet from http://127.0.0.1:$closed:"
    expect "Connection refused"
    expect "r reads again · q quits"
    echo "${w}x$h, closed port:"
    tmux capture-pane -p -t "$session" | sed -n '1,6p'
done
tmux send-keys -t "$session" r
expect "Connection refused"
tmux send-keys -t "$session" q
wait_done "$work/done-closed"
[[ "$(cat "$work/done-closed")" == exit=1 ]] || fail "closed port: not exit 1: $(cat "$work/done-closed")"
grep -q "jvmem: error: reading the fleet from http://127.0.0.1:$closed: cannot reach Prometheus" "$work/done-closed.err" \
    || fail "closed port: the error is not on stderr: $(cat "$work/done-closed.err")"
restored "closed port"

# Without jvmem serve: three real JVMs' values (samples/fleet, MXBeans read inside each JVM,
# as tests/fleet_standard.rs reads them) under Micrometer's, cAdvisor's and kube-state-metrics'
# names, moved to end a minute ago. The view says whose series; the same ranking.
for pod in steady direct-leak heap-leak-xms-xmx; do
    python3 - "samples/fleet/$pod.om" "$end" > "$work/$pod.om" << 'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
samples = [l for l in lines if l and not l.startswith("#")]
shift = float(sys.argv[2]) - max(float(l.rsplit(" ", 1)[1]) for l in samples)
for l in lines:
    if l and not l.startswith("#"):
        head, t = l.rsplit(" ", 1)
        l = f"{head} {float(t) + shift:.3f}"
    print(l)
PY
    promtool tsdb create-blocks-from openmetrics "$work/$pod.om" "$work/data2" > /dev/null
done
start_prometheus "$work/data2"
tmux kill-session -t "$session"
tmux new-session -d -s "$session" -x 80 -y 24 \
    "$bin fleet --prometheus http://127.0.0.1:$port --selector '{namespace=\"prod\",job=\"bot-gateway\"}' --range 1h; sleep 60"
expect "Micrometer's series"
# The heap leak's live set reaches jvm_memory_max_bytes (old gen 160 MiB) first: heap OOM.
row_has 1 "^│! heap-leak-xms-xmx .*Java Heap .* heap " || fail "Micrometer: row 1 is not the heap leak, heap OOM"
row_has 2 "^│! direct-leak .*Other .* kill " || fail "Micrometer: row 2 is not the direct leak, OOM kill"
row_has 3 "^│[ ?] steady " || fail "Micrometer: row 3 is not the steady JVM, clean"
echo "Micrometer row 1: $(rows | sed -n 1p)"
echo "Micrometer row 2: $(rows | sed -n 2p)"
tmux send-keys -t "$session" j Enter
expect_re "▶ Other \+[0-9.]+ MiB/min \(direct buffers\)"
tmux send-keys -t "$session" Escape
expect "Micrometer's series"
tmux send-keys -t "$session" q
echo "tui-fleet: OK"
