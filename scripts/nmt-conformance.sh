#!/usr/bin/env bash
# Conformance run of the NMT reader over real outputs from other projects (../shared/corpus/nmt)
# and over our own samples: per file, snapshots read, errors and warnings.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/nmt}
cargo build --release --quiet
printf "%-70s %9s %6s %8s\n" file snapshots errors warnings
find "$corpus" samples/nmt -type f \( -name '*.txt' -o -name '*.log' \) | sort | while read -r f; do
  json=$(target/release/jvmem export "$f" 2>/dev/null || true)
  if [ -z "$json" ]; then
    # Nothing readable (exit 1): count the diagnostics from stderr instead.
    errs=$(target/release/jvmem export "$f" 2>&1 >/dev/null | grep -c ': error:' || true)
    printf "%-70s %9s %6s %8s\n" "$f" 0 "$errs" 0
    continue
  fi
  # The JSON on stdin: as an argument, a large sample's exceeded the kernel's argument size
  # limit (E2BIG) and, under `set -e`, ended the loop there.
  printf '%s' "$json" | python3 -c '
import json, sys
f, doc = sys.argv[1], json.load(sys.stdin)
d = doc["diagnostics"]
print("%-70s %9d %6d %8d" % (f, len(doc["snapshots"]),
      sum(x["severity"] == "error" for x in d), sum(x["severity"] == "warning" for x in d)))
' "$f"
done
