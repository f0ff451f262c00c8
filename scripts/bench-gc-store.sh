#!/usr/bin/env bash
# Peak RSS and CPU of the commands that keep a GC log's events (export csv/json, report
# --gc-log, the dashboard on a GC log) next to `jvmem gc`, which keeps none, at 1/8, 1/4, 1/2
# and all of a big unified log, for two builds run alternately (before/after a change, same
# load). The dashboard runs in tmux: timed from start to the GC summary on screen, then `q`.
# Usage: scripts/bench-gc-store.sh BEFORE_BIN AFTER_BIN [LOG] [RUNS]
#   LOG: default target/bench/gc-128mb.log (scripts/gen-big-gc-log.sh builds it, as bench.sh)
#   RUNS: runs per figure and build (default 3; medians are printed)
# Prints one markdown row per command, part and build; `uptime` before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(realpath "$1")
after=$(realpath "$2")
log=${3:-target/bench/gc-128mb.log}
runs=${4:-3}
[ -s "$log" ] || scripts/gen-big-gc-log.sh "$log" 128 > /dev/null
log=$(realpath "$log")
demo=$PWD/samples/scenarios/demo-jdk21-g1/nmt.log
work=$(mktemp -d /tmp/bench-gc-store.XXXXXX)
socket="bench-gc-store-$$"
trap 'tmux -L "$socket" kill-server 2> /dev/null || true; rm -rf "$work"' EXIT

part() { # 8|4|2|1: the first 1/N of the log's lines, built once
  if [ "$1" = 1 ]; then echo "$log"; return; fi
  local out="$log.1of$1"
  [ -s "$out" ] || head -n $(($(wc -l < "$log") / $1)) "$log" > "$out"
  echo "$out"
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

one() { # bin kind file: "cpu-seconds max-rss-kib" of one run
  local bin=$1 kind=$2 f=$3 out=$work/time
  case $kind in
    gc) /usr/bin/time -f '%U %S %M' -o "$out" "$bin" gc "$f" > /dev/null ;;
    csv) /usr/bin/time -f '%U %S %M' -o "$out" "$bin" export "$f" --format csv > /dev/null ;;
    json) /usr/bin/time -f '%U %S %M' -o "$out" "$bin" export "$f" --format json > /dev/null ;;
    report) /usr/bin/time -f '%U %S %M' -o "$out" "$bin" report "$demo" --gc-log "$f" > /dev/null ;;
    view)
      tmux -L "$socket" new-session -d -s v -x 160 -y 48 \
        "/usr/bin/time -f '%U %S %M' -o $out $bin view $f; touch $work/done; sleep 600"
      for _ in $(seq 1200); do
        tmux -L "$socket" capture-pane -p -t v | grep -q ' collections (' && break
        sleep 0.1
      done
      tmux -L "$socket" send-keys -t v q
      for _ in $(seq 300); do [ -e "$work/done" ] && break; sleep 0.1; done
      tmux -L "$socket" kill-session -t v
      rm -f "$work/done"
      ;;
  esac
  awk '{print $1 + $2, $3}' "$out"
}

echo "before: $before"
echo "after:  $after"
echo "log: $log ($(($(stat -c %s "$log") >> 20)) MiB); $runs runs per figure and build, alternating"
echo "uptime before: $(uptime)"
echo
echo "| command | part | build | CPU s | vs jvmem gc | peak RSS |"
echo "|---|---|---|---:|---:|---:|"
for n in 8 4 2 1; do
  f=$(part "$n")
  declare -A cpu=() rss=()
  for ((i = 0; i < runs; i++)); do
    for kind in gc csv json report view; do
      for build in before after; do
        bin=$before; [ "$build" = after ] && bin=$after
        read -r c r < <(one "$bin" "$kind" "$f")
        cpu[$kind.$build]+="$c "
        rss[$kind.$build]+="$r "
      done
    done
  done
  for kind in gc csv json report view; do
    for build in before after; do
      c=$(printf '%s\n' ${cpu[$kind.$build]} | median)
      g=$(printf '%s\n' ${cpu[gc.$build]} | median)
      r=$(printf '%s\n' ${rss[$kind.$build]} | median)
      printf '| %s | 1/%s, %d MiB | %s | %.2f | %.2f× | %.0f MiB |\n' "$kind" "$n" \
        $(($(stat -c %s "$f") >> 20)) "$build" "$c" "$(echo "$c / $g" | bc -l)" "$(echo "$r / 1024" | bc -l)"
    done
  done
  unset cpu rss
done
echo
echo "uptime after: $(uptime)"
