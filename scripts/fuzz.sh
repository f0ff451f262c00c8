#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 300), seeding corpora from samples/.
# Needs cargo-fuzz and a nightly toolchain (`cargo +nightly fuzz`); crashes land in
# fuzz/artifacts/<target>/ — turn each into a regression test before fixing it.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(nmt input gclog session)
seed() { # target files...
  local dir=fuzz/corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do
    # libFuzzer works best on small inputs: cut big samples into 16 KiB pieces.
    split -b 16384 -d -a 3 "$f" "$dir/$(echo "$f" | tr / _)." 2>/dev/null || true
  done
}
seed nmt $(find samples/nmt -type f -name '*.txt' | head -80)
seed input $(find samples/nmt samples/gc -type f | head -60) samples/sessions/demo.jvmem
seed gclog $(find samples/gc -type f -name '*.log*' | head -80)
seed session samples/sessions/demo.jvmem
for t in "${targets[@]}"; do
  echo "== $t ($secs s)"
  # The GC reader runs on one thread (its parallel path was removed), so every target is
  # deterministic and keeps libFuzzer's leak check.
  extra=()
  cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 "${extra[@]}" 2>&1 | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|SUMMARY|Test unit|crash-|timeout-|oom-" | tail -5
done
