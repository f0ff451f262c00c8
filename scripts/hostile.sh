#!/usr/bin/env bash
# Whole-process runs of the release jvmem on generated hostile and huge inputs (issue 7):
# a 2 GiB GC log, a 1 GiB single line, a 100 MiB paste-like NMT file, 1 GiB of random bytes,
# a directory of 10,000 files. For each: exit code, first message, peak RSS, wall time; fails
# (exit 1) when an exit code is not the expected one or a memory bound is broken.
# Inputs are generated under $HOSTILE_DIR (default /tmp/jvmem-hostile) and deleted after use.
# Usage: scripts/hostile.sh [GC_LOG_MIB]   (default 2048)
set -euo pipefail
cd "$(dirname "$0")/.."
gc_mib=${1:-2048}
dir=${HOSTILE_DIR:-/tmp/jvmem-hostile}
rm -rf "$dir"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet --bin jvmem
bin=$PWD/target/release/jvmem
snapshot=samples/nmt/jdk25/summary.txt
failed=0
rows=()

# run NAME EXPECTED_EXIT RSS_BOUND_MIB INPUT_DESCRIPTION -- jvmem args…
run() {
    local name=$1 want=$2 bound=$3 size=$4
    shift 5
    local stats=$dir/time.txt err=$dir/stderr.txt code=0
    /usr/bin/time -v -o "$stats" "$bin" "$@" > /dev/null 2> "$err" || code=$?
    local rss_kb wall message verdict=ok
    rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$stats")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$stats")
    # The first line naming a problem, with the temporary directory taken out.
    message=$(grep -m1 -E 'error|warning' "$err" | sed "s#$dir/##g; s/^jvmem: //" || true)
    [ -n "$message" ] || message="(none)"
    local rss_mib
    rss_mib=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    if [ "$code" != "$want" ]; then verdict="FAIL: exit $code, wanted $want"; failed=1; fi
    if awk -v r="$rss_mib" -v b="$bound" 'BEGIN { exit !(r >= b) }'; then
        verdict="FAIL: RSS over $bound MiB"
        failed=1
    fi
    if grep -q panicked "$err"; then verdict="FAIL: panic"; failed=1; fi
    rows+=("| $name | $size | \`jvmem $(echo "$*" | sed "s#$dir/##g")\` | $code | $rss_mib MiB (< $bound) | $wall | $message | $verdict |")
    echo "$name: exit $code, $rss_mib MiB, $wall, $verdict" >&2
}

mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }

# 1. A 2 GiB GC log: `jvmem gc` streams events into the summary.
scripts/gen-big-gc-log.sh "$dir/big-gc.log" "$gc_mib" > /dev/null
run "GC log" 0 100 "$(mib "$dir/big-gc.log")" -- gc "$dir/big-gc.log"
rm -f "$dir/big-gc.log"

# 2. A 1 GiB line, then a real snapshot: the line is skipped and named, the snapshot read.
{ head -c $((1 << 30)) /dev/zero | tr '\0' 'x'; echo; cat "$snapshot"; } > "$dir/one-line.txt"
run "1 GiB line + snapshot" 0 100 "$(mib "$dir/one-line.txt")" -- export --format csv "$dir/one-line.txt"
rm -f "$dir/one-line.txt"

# 3. A 100 MiB paste-like file: real scenario snapshots concatenated.
while [ ! -f "$dir/paste.txt" ] || [ "$(stat -c %s "$dir/paste.txt")" -lt $((100 << 20)) ]; do
    cat samples/scenarios/*/nmt.log >> "$dir/paste.txt"
done
snapshots=$(grep -c 'Native Memory Tracking:' "$dir/paste.txt")
run "paste-like NMT ($snapshots snapshots)" 0 1024 "$(mib "$dir/paste.txt")" -- export --format csv "$dir/paste.txt"
rm -f "$dir/paste.txt"

# 4. 1 GiB of random bytes: refused from its first 64 KiB.
head -c $((1 << 30)) /dev/urandom > "$dir/random.bin"
run "random binary" 1 100 "$(mib "$dir/random.bin")" -- export "$dir/random.bin"
rm -f "$dir/random.bin"

# 5. 10,000 files: 6,000 snapshots, 4,000 junk (empty or random bytes).
mkdir -p "$dir/many"
head -c 300 /dev/urandom > "$dir/junk.bin"
for i in $(seq 1 10000); do
    case $((i % 5)) in
        0) cp "$dir/junk.bin" "$dir/many/f-$i.txt" ;;
        1) : > "$dir/many/f-$i.txt" ;;
        *) cp "$snapshot" "$dir/many/f-$i.txt" ;;
    esac
done
run "directory of 10,000 files" 0 200 "10,000 files" -- export --format csv "$dir/many"
rm -rf "$dir/many"

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| input | size | command | exit | peak RSS (bound) | wall | first message | verdict |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit $failed
