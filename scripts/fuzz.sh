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
  extra=()
  # The gclog target also reads with two worker threads; glibc registers each thread's TLS
  # destructors with a 32-byte calloc (__cxa_thread_atexit_impl) that LeakSanitizer reports
  # as a leak. Safe Rust here cannot leak otherwise, so leak detection is off for it alone.
  [ "$t" = gclog ] && extra=(-detect_leaks=0)
  # The other targets reach the GC reader too (GC records in sessions and inputs): one thread
  # keeps them deterministic (the default follows the machine's load) and their leak check true.
  JVMEM_GC_THREADS=1 cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 "${extra[@]}" 2>&1 | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|SUMMARY|Test unit|crash-|timeout-|oom-" | tail -5
done
