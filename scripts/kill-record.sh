#!/usr/bin/env bash
# Crash-safety of `jvmem live - --record` (issue 7): feeds real snapshots into its stdin at a
# steady rate, `kill -9`s it at a random moment, then checks with `jvmem export` that every
# complete record (every line after the header that ends in a newline) is read back as a
# snapshot, that a torn last record is only a warning, and that a second `--record` run on
# the same file continues it and the whole stays readable. Exits 1 on any lost record.
# Usage: scripts/kill-record.sh [ITERATIONS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-30}
dir=${KILL_RECORD_DIR:-/tmp/jvmem-kill-record}
rm -rf "$dir"
mkdir -p "$dir/snaps"
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet --bin jvmem
bin=$PWD/target/release/jvmem

# One file per snapshot of a real recording (each starts at its timestamp line).
awk -v out="$dir/snaps" '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ { n++ } n { print > sprintf("%s/%03d.txt", out, n) }' \
    samples/scenarios/demo-jdk21-g1/nmt.log
snaps=("$dir"/snaps/*.txt)

# Writes snapshots forever, one every 20 ms (the snapshot before is complete once the next
# one starts).
writer() {
    while :; do
        for f in "${snaps[@]}"; do
            cat "$f" || return 0
            sleep 0.02
        done
    done
}

# Snapshots `jvmem export` reads from a session (json), or 0 when it exits non-zero.
exported() {
    "$bin" export "$1" 2> "$dir/export.err" | grep -c '"kind": "summary"' || true
}

lost=0
torn_total=0
printf '%-4s %-8s %-9s %-6s %-9s %-10s %s\n' run kill_ms complete torn exported continued verdict
for i in $(seq 1 "$iterations"); do
    session=$dir/s-$i.jvmem
    kill_ms=$((200 + RANDOM % 1800))
    writer | "$bin" live - --record "$session" > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$kill_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    # Complete records: newline-terminated lines after the header.
    lines=$(wc -l < "$session")
    complete=$((lines > 0 ? lines - 1 : 0))
    torn=0
    if [ -s "$session" ] && [ "$(tail -c 1 "$session" | od -An -c | tr -d ' ')" != '\n' ]; then
        torn=1
        torn_total=$((torn_total + 1))
    fi
    got=$(exported "$session")
    verdict=ok
    if [ "$got" != "$complete" ]; then
        verdict="LOST: $complete complete records, $got read"
        lost=1
    elif grep -q ': error:' "$dir/export.err" && [ "$complete" -gt 0 ]; then
        verdict="ERROR: $(grep -m1 ': error:' "$dir/export.err")"
        lost=1
    elif [ "$torn" = 1 ] && ! grep -q 'last record is incomplete' "$dir/export.err"; then
        verdict="torn record not reported"
        lost=1
    fi
    # Continue the same recording with 3 more snapshots; stdin ends, so jvmem exits.
    cat "${snaps[@]:0:3}" | "$bin" live - --record "$session" > /dev/null 2>&1
    continued=$(exported "$session")
    if [ "$continued" != $((complete + 3)) ]; then
        verdict="$verdict; CONTINUE: $continued read, wanted $((complete + 3))"
        lost=1
    fi
    printf '%-4s %-8s %-9s %-6s %-9s %-10s %s\n' "$i" "$kill_ms" "$complete" "$torn" "$got" "$continued" "$verdict"
    rm -f "$session"
done
echo "$iterations runs, $torn_total with a torn last record; $([ $lost = 0 ] && echo 'no complete record lost' || echo 'RECORDS LOST')"
exit $lost
