#!/usr/bin/env bash
# issue 20's proof with real parts only: three real JVMs (a direct-buffer leak, a heap leak
# under -Xms = -Xmx, a steady one), a `jvmem serve --pid --gc-log` per JVM, a real Prometheus
# on 127.0.0.1 scraping them every 5 s, then `jvmem fleet` against it. Meanwhile each JVM's
# own NMT snapshots are recorded with jcmd, and `jvmem report` on those (with the GC log) is
# the reference: the leaking pods must be ranked first (the heap leak's heap OOM before the
# direct leak's OOM kill) with the right categories and failures, the steady one clean (no sure
# suspect), and fleet's rates within 10 % of report's.
#
# Usage: scripts/fleet-real.sh [SECONDS]   (default 240; takes SECONDS + ~40 s)
# The heap leak (384 KiB/s into a 192 MiB heap, 90 MiB in 4 min) must reach G1's mixed
# collections early enough for the live set to have points: at 256 KiB/s into 256 MiB,
# jvmem report itself found nothing in 4 min (6 mixed collections over 1.6 min).
# Needs: java/jcmd 17, prometheus (apt-get install -y prometheus), python3. Not in CI (minutes);
# CI runs the backfilled tests/fleet_prometheus.rs and tests/fleet_standard.rs.
set -uo pipefail
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_S="${1:-240}"
JVMEM="${JVMEM:-$ROOT/target/debug/jvmem}"
for tool in java javac jcmd prometheus python3; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 0; }
done
[ -x "$JVMEM" ] || (cd "$ROOT" && cargo build -q) || exit 1
W="$(mktemp -d /tmp/jvmem-fleet-real.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT INT TERM
log() { echo "[$(date +%T)] $*" >&2; }
javac -d "$W/classes" "$ROOT/samples/gen/Workload.java" || exit 1

PODS=(direct-leak heap-leak-xms-xmx steady)
declare -A FLAGS=(
  [direct-leak]="-Xmx128m"
  [heap-leak-xms-xmx]="-Xms192m -Xmx192m"
  [steady]="-Xmx128m"
)
declare -A MODE=(
  [direct-leak]="direct-leak --direct-kb 512"
  [heap-leak-xms-xmx]="heap-leak --heap-kb 384"
  [steady]="steady"
)
declare -A JPID
port=19471
targets=""
for pod in "${PODS[@]}"; do
  # shellcheck disable=SC2086
  (cd "$W" && exec java -XX:ActiveProcessorCount=1 -XX:+UseG1GC -XX:NativeMemoryTracking=summary ${FLAGS[$pod]} \
    "-Xlog:gc*:file=$W/$pod.gc.log:time,uptime,level,tags" -cp "$W/classes" \
    Workload ${MODE[$pod]} --seconds $((RUN_S + 60))) >"$W/$pod.stdout" 2>&1 &
  JPID[$pod]=$!
  PIDS+=($!)
done
sleep 2
for pod in "${PODS[@]}"; do
  "$JVMEM" serve --pid "${JPID[$pod]}" --gc-log "$W/$pod.gc.log" --interval 5s \
    --listen "127.0.0.1:$port" --label "pod=$pod" --label namespace=prod --limit 1Gi \
    2>"$W/$pod.serve.err" &
  PIDS+=($!)
  targets="$targets'127.0.0.1:$port',"
  port=$((port + 1))
done
cat >"$W/prometheus.yml" <<YML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: jvmem
    static_configs:
      - targets: [${targets%,}]
YML
prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/data" \
  --web.listen-address=127.0.0.1:19470 >"$W/prometheus.log" 2>&1 &
PIDS+=($!)
log "3 JVMs, 3 jvmem serve, prometheus on 127.0.0.1:19470; recording NMT snapshots for ${RUN_S}s in $W"
t0=$(date +%s)
while [ $(($(date +%s) - t0)) -lt "$RUN_S" ]; do
  for pod in "${PODS[@]}"; do
    { date -Is; jcmd "${JPID[$pod]}" VM.native_memory summary; } >>"$W/$pod.nmt.log" 2>&1
  done
  sleep 5
done
log "fleet:"
"$JVMEM" fleet --prometheus http://127.0.0.1:19470 --selector '{namespace="prod"}' --range 10m | tee "$W/fleet.txt"
"$JVMEM" fleet --prometheus http://127.0.0.1:19470 --selector '{namespace="prod"}' --range 10m --format json >"$W/fleet.json"
for pod in "${PODS[@]}"; do
  "$JVMEM" report "$W/$pod.nmt.log" "$W/$pod.gc.log" --limit 1Gi --format json >"$W/$pod.report.json" 2>/dev/null
done
python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
rows = json.load(open(f"{w}/fleet.json"))
def pod(r): return r["jvm"].split('pod="')[1].split('"')[0]
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
order = [pod(r) for r in rows]
# Ranked by the first failure: the heap leak's full heap (minutes) before the direct leak's
# OOM kill (~25 min at 30 MiB/min into 1 GiB).
check(order[:2] == ["heap-leak-xms-xmx", "direct-leak"], f"leaking pods first, soonest failure first: {order}")
want = {"direct-leak": "Other", "heap-leak-xms-xmx": "Java Heap"}
fails = {"direct-leak": "oom_kill", "heap-leak-xms-xmx": "heap_oom"}
for r in rows:
    p = pod(r)
    rep = json.load(open(f"{w}/{p}.report.json"))
    sure = [s for s in rep["suspects"] if s["confidence"] >= 0.25]
    if p in want:
        check(r["top_suspect"] == want[p] and r["sure"], f"{p}: {r['top_suspect']} (sure={r['sure']})")
        check(r["failure"] == fails[p] and r["minutes_left"] is not None, f"{p}: fails by {r['failure']} in {r['minutes_left']} min")
        rr = sure[0]["rate_bytes_per_min"] if sure else float("nan")
        fr = r["rate_bytes_per_min"] or float("nan")
        d = abs(fr - rr) / rr
        check(d <= 0.10, f"{p}: fleet {fr/2**20:.2f} MiB/min vs report {rr/2**20:.2f} MiB/min ({d*100:.1f} %)")
    else:
        check(not r["sure"] and not sure, f"{p}: clean (fleet top={r['top_suspect']} sure={r['sure']}; report sure suspects={len(sure)})")
print("PASS" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
rc=$?
log "done (files in $W)"
exit $rc
