#!/usr/bin/env bash
# GC conformance (issue 14 proof): every real GC log the project has (samples/gc and
# ../shared/corpus/gc) read by jvmem, its collections by kind compared with the text's own
# records counted independently (scripts/gc-conformance.py). Fails on a new mismatch.
# Usage: scripts/gc-conformance.sh [JVMEM_BINARY]   (default target/debug/jvmem, built if absent)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/jvmem}
[ -x "$bin" ] || cargo build --quiet
dirs=(samples/gc)
corpus=${JVMEM_CORPUS:-../shared/corpus}/gc
if [ -d "$corpus" ]; then dirs+=("$corpus"); else echo "note: $corpus not found: samples only"; fi
JVMEM="$bin" python3 scripts/gc-conformance.py "${dirs[@]}"
