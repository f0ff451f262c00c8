#!/usr/bin/env bash
# issue 20's scale run: `jvmem fleet` over N synthetic JVMs (default 1,000; scripts/fleet-scale.py
# says what they are) in a real local Prometheus, backfilled with `promtool tsdb
# create-blocks-from openmetrics`: 75 min of 30 s samples, 22 series a JVM; fleet reads
# --range 2h, so the raw query goes in two 1 h pieces (RAW_PIECE_S). Prints the wall time and
# peak RSS of `jvmem fleet` (GNU time) and checks every JVM came back with its 150 snapshots
# and the leaking ones first. Takes a few minutes (the backfill dominates). Not in CI.
# Usage: scripts/fleet-scale.sh [N]     JVMEM=… to use another binary (default target/release)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000}"
JVMEM="${JVMEM:-$ROOT/target/release/jvmem}"
for tool in prometheus promtool python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 0; }
done
W="$(mktemp -d /tmp/jvmem-fleet-scale.XXXXXX)"
PROM=""
cleanup() { [ -n "$PROM" ] && kill "$PROM" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT INT TERM
end=$(( $(date +%s) - 120 ))
python3 "$ROOT/scripts/fleet-scale.py" "$N" 75 30 "$end" >"$W/fleet.om"
echo "generated: $(wc -l <"$W/fleet.om") lines, $(du -m "$W/fleet.om" | cut -f1) MB"
/usr/bin/time -f "backfill: %e s, peak RSS %M KB" promtool tsdb create-blocks-from openmetrics "$W/fleet.om" "$W/data" >/dev/null
rm -f "$W/fleet.om"
printf 'global:\n  scrape_interval: 1m\n' >"$W/prometheus.yml"
prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/data" \
  --web.listen-address=127.0.0.1:19480 >"$W/prometheus.log" 2>&1 &
PROM=$!
for _ in $(seq 120); do
  curl -sf http://127.0.0.1:19480/-/ready >/dev/null 2>&1 && break
  sleep 0.5
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2; do
  /usr/bin/time -f "fleet run $run: %e s wall, %U s user, %S s sys, peak RSS %M KB" \
    "$JVMEM" fleet --prometheus http://127.0.0.1:19480 --selector '{namespace="scale"}' \
    --range 2h --format json >"$W/rows.json"
done
echo "load after: $(cut -d" " -f1-3 /proc/loadavg)"
python3 - "$W/rows.json" "$N" <<'PY'
import json, sys
rows, n = json.load(open(sys.argv[1])), int(sys.argv[2])
leaks = {f"jvm-{i:04d}" for i in range(n) if i % 10 in (0, 5)}
pod = lambda r: r["jvm"].split('pod="')[1].split('"')[0]
first = {pod(r) for r in rows[:len(leaks)]}
snaps = {r["snapshots"] for r in rows}
ok = len(rows) == n and first == leaks and snaps == {150}
print(f"{len(rows)} JVMs, snapshots per JVM {sorted(snaps)}, the {len(leaks)} leaking ones first: {first == leaks}")
print("PASS" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
