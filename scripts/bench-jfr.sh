#!/usr/bin/env bash
# JFR reading at the JDK's default maxsize (250 MB): a multi-chunk recording made by
# concatenating a real recording's chunks (a JFR file is a sequence of self-contained chunks, as
# in a JFR repository), read by `jvmem export` and by the JDK's `jfr summary` on the same file,
# in the same run: wall time and peak RSS of each.
#   scripts/bench-jfr.sh [MB]   (default 250)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-250}
cargo build --release --quiet
src=samples/jfr/direct-leak-jdk21/rec.jfr
big=$(mktemp --suffix=.jfr); trap 'rm -f "$big"' EXIT
size=$(stat -c %s "$src"); n=$(( mb * 1000000 / size + 1 ))
for _ in $(seq "$n"); do cat "$src"; done > "$big"
echo "input: $(du -h "$big" | cut -f1), $n chunks of $src; load $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
run() { /usr/bin/time -f "%e s, %M KiB peak RSS" "$@" > /dev/null; }
echo -n "wc -l:                  "; run wc -l "$big" 2>&1 | tail -1
echo -n "jvmem export --format csv: "; run target/release/jvmem export "$big" --format csv 2>&1 | tail -1
echo -n "jfr summary (JDK):      "; run jfr summary "$big" 2>&1 | tail -1
