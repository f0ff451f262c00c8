#!/usr/bin/env bash
# Sessions on a full disk (issue 13 point 6): `jvmem live - --record` writes to a 256 KiB
# tmpfs; after 6 snapshots the disk is filled, after 12 it is freed again. Checks that every
# record jvmem counted as written is read back (no record glued to a torn line), that live
# exits 4 and says how many records were lost.
# Usage: scripts/full-disk.sh [BIN]   (default target/debug/jvmem; needs root for mount)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/jvmem}
dir=$(mktemp -d /tmp/jvmem-full-disk.XXXXXX)
mnt=$dir/mnt
mkdir -p "$mnt" "$dir/snaps"
cleanup() { umount "$mnt" 2> /dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
if ! mount -t tmpfs -o size=256k jvmem-full-disk "$mnt" 2> /dev/null; then
    echo "full-disk: SKIP (cannot mount a tmpfs here: not root or no tmpfs)"
    exit 0
fi
[ -x "$bin" ] || cargo build --quiet --bin jvmem

awk -v out="$dir/snaps" '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/ { n++ } n { print > sprintf("%s/%03d.txt", out, n) }' \
    samples/scenarios/demo-jdk21-g1/nmt.log
snaps=("$dir"/snaps/*.txt)

feed() {
    local i=0
    for f in "${snaps[@]:0:18}"; do
        i=$((i + 1))
        cat "$f"
        sleep 0.15
        if [ "$i" = 6 ]; then
            dd if=/dev/zero of="$mnt/filler" bs=1k 2> /dev/null || true
        fi
        if [ "$i" = 12 ]; then
            rm -f "$mnt/filler"
        fi
    done
}

rc=0
feed | "$bin" live - --record "$mnt/s.jvmem" > /dev/null 2> "$dir/err" || rc=$?
recorded=$(sed -n 's/^jvmem: recorded \([0-9]*\) record(s).*/\1/p' "$dir/err")
lost=$(sed -n 's/^jvmem: \([0-9]*\) record(s) could not be written.*/\1/p' "$dir/err")
read_back=$("$bin" export "$mnt/s.jvmem" 2> "$dir/export.err" | grep -c '"kind": "summary"' || true)
echo "full-disk: exit $rc, recorded ${recorded:-?}, lost ${lost:-?}, read back $read_back snapshot(s)"
fail=0
[ "$rc" = 4 ] || { echo "full-disk: FAIL: exit $rc, expected 4"; fail=1; }
[ -n "$lost" ] && [ "$lost" -gt 0 ] || { echo "full-disk: FAIL: no count of lost records"; fail=1; }
[ "$read_back" = "${recorded:-x}" ] || { echo "full-disk: FAIL: $recorded recorded, $read_back read back"; fail=1; }
[ $((recorded + lost)) = 18 ] || { echo "full-disk: FAIL: recorded + lost != 18 snapshots fed"; fail=1; }
if [ "$fail" = 1 ]; then
    sed 's/^/  /' "$dir/err" | tail -20
    exit 1
fi
echo "full-disk: ok"
