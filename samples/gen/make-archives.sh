#!/usr/bin/env bash
# Builds samples/archives/ by compressing real samples (issue 14 point 10): what support tickets
# and CI artifacts contain. Deterministic (no names or times inside gzip, fixed mtimes), so a
# re-run gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=archives
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=UTC
stamp=202611260000

gzip -9 -n -c gc/jdk17/g1-gcstar.log > "$out/g1-gcstar.log.gz"
cp gc/jdk17/g1-gcstar.log "$work/g1-gcstar.log"
touch -t $stamp "$work/g1-gcstar.log"
(cd "$work" && zip -q -X -9 g1-gcstar.log.zip g1-gcstar.log)
mv "$work/g1-gcstar.log.zip" "$out/"

# A rotated set in a sub-folder, with the command that made it (text of no known kind) and
# macOS debris, as a ZIP and as a .tar.gz.
mkdir -p "$work/set/logs/rotated-jdk17-g1" "$work/set/__MACOSX/logs"
cp gc/rotated-jdk17-g1/* "$work/set/logs/rotated-jdk17-g1/"
printf '\0\5\26\7binary' > "$work/set/__MACOSX/logs/._gc.log"
find "$work/set" -exec touch -t $stamp {} +
(cd "$work/set" && zip -q -X -9 -r ../rotated-jdk17-g1.zip logs __MACOSX)
(cd "$work/set" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1795651200 \
    -cf - logs | gzip -9 -n > ../rotated-jdk17-g1.tar.gz)
mv "$work/rotated-jdk17-g1.zip" "$work/rotated-jdk17-g1.tar.gz" "$out/"

# The same set with each rotated file gzipped (logrotate's habit), in a plain tar.
mkdir -p "$work/gz"
for f in gc/rotated-jdk17-g1/gc.log*; do gzip -9 -n -c "$f" > "$work/gz/$(basename "$f").gz"; done
find "$work/gz" -exec touch -t $stamp {} +
(cd "$work/gz" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1795651200 \
    -cf ../rotated-gz.tar .)
mv "$work/rotated-gz.tar" "$out/"

# NMT snapshots with timestamp lines, from two jcmd runs, as a .tgz.
mkdir -p "$work/nmt"
cp nmt/jdk17/concat-date-iso.txt nmt/jdk17/summary.txt "$work/nmt/"
find "$work/nmt" -exec touch -t $stamp {} +
(cd "$work/nmt" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1795651200 \
    -cf - . | gzip -9 -n > ../nmt-jdk17.tgz)
mv "$work/nmt-jdk17.tgz" "$out/"
ls -l "$out"
