#!/usr/bin/env bash
# The diagnosis evaluation (issue 10): every recording of samples/eval/ (and the older
# samples/scenarios/), as the markdown tables of docs/diagnosis.md.
#   scripts/eval-diagnosis.sh            tuning part, held-out part, older scenarios
#   scripts/eval-diagnosis.sh held       one part only (tune | held | old)
# Record the set again with samples/gen/eval.sh (about 40 min of JVM time, 3 at once).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --example eval
bin=target/release/examples/eval
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(tune held old)
for p in "${parts[@]}"; do
  echo "### part: $p"
  echo
  "$bin" --part "$p" samples/eval samples/scenarios 2>/dev/null
done
