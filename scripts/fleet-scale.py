#!/usr/bin/env python3
"""Synthetic fleet for `jvmem fleet`'s scale run (issue 20): N JVMs' worth of the series
`jvmem serve` exposes, as one timestamped OpenMetrics file for `promtool tsdb
create-blocks-from openmetrics`. Everything here is synthetic (shapes, not a real JVM): each
JVM has 8 NMT categories (committed + reserved), the totals, RSS, the limit, G1 young
and mixed collection counters with the old gen after each; every 10th JVM leaks 2 MiB/min of direct
buffers (`Other`), every 10th (+5) leaks 4 MiB/min of old gen inside a flat heap, the rest are
flat with noise. Usage: fleet-scale.py N MINUTES STEP_S END_UNIX [POD_PREFIX] > fleet.om
(pods are named POD_PREFIX + a 4-digit number, default `jvm-`)."""
import random
import sys

n, minutes, step, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
prefix = sys.argv[5] if len(sys.argv) > 5 else "jvm-"
points = int(minutes * 60 / step)
times = [end - (points - 1 - i) * step for i in range(points)]
MIB = 1 << 20
# A G1 mixed collection every this many samples (3 min at 30 s): it reclaims old memory, so the
# old gen after it is what a heap leak shows in (after young pauses alone it is never sure).
MIXED_EVERY = 6
CATS = {"Java Heap": 256, "Class": 40, "Thread": 20, "Code": 12, "GC": 60, "Compiler": 1,
        "Internal": 1, "Other": 8}
out = sys.stdout
rnd = random.Random(20)


def pod(i):
    return f'namespace="scale",pod="{prefix}{i:04d}"'


def committed(i, cat, k):
    base = CATS[cat] * MIB
    if cat == "Java Heap":
        return base
    if cat == "Other" and i % 10 == 0:
        return base + int(2 * MIB * k * step / 60)
    return base + rnd.randrange(0, 64 * 1024)


def family(name, unit, kind="gauge"):
    out.write(f"# TYPE {name} {kind}\n")
    if unit:
        out.write(f"# UNIT {name} {unit}\n")


for metric in ("jvm_nmt_committed_bytes", "jvm_nmt_reserved_bytes"):
    family(metric, "bytes")
    for i in range(n):
        for cat in CATS:
            labels = f'category="{cat}",{pod(i)}'
            for k, t in enumerate(times):
                v = committed(i, cat, k)
                if metric == "jvm_nmt_reserved_bytes":
                    v = v * 2
                out.write(f"{metric}{{{labels}}} {v} {t:.3f}\n")
family("jvm_process_resident_memory_bytes", "bytes")
for i in range(n):
    for k, t in enumerate(times):
        v = 420 * MIB + (int(2 * MIB * k * step / 60) if i % 10 == 0 else rnd.randrange(0, MIB))
        out.write(f"jvm_process_resident_memory_bytes{{{pod(i)}}} {v} {t:.3f}\n")
family("jvm_cgroup_memory_limit_bytes", "bytes")
for i in range(n):
    for t in times:
        out.write(f"jvm_cgroup_memory_limit_bytes{{{pod(i)}}} {1 << 30} {t:.3f}\n")
family("jvm_gc_collections", None, "counter")
for i in range(n):
    for k, t in enumerate(times):
        out.write(f'jvm_gc_collections_total{{collector="G1",kind="young",{pod(i)}}} {k * 3} {t:.3f}\n')
        out.write(f'jvm_gc_collections_total{{collector="G1",kind="mixed",{pod(i)}}} {k // MIXED_EVERY} {t:.3f}\n')
family("jvm_gc_last_old_after_bytes", "bytes")
for i in range(n):
    for k, t in enumerate(times):
        leak = int(4 * MIB * k * step / 60) if i % 10 == 5 else 0
        v = 60 * MIB + leak + rnd.randrange(0, 256 * 1024)
        out.write(f'jvm_gc_last_old_after_bytes{{collector="G1",kind="young",{pod(i)}}} {v} {t:.3f}\n')
        # What the last mixed collection left: a little less than after the young pauses.
        done = k - k % MIXED_EVERY
        v = 56 * MIB + int(4 * MIB * done * step / 60 if i % 10 == 5 else 0) + rnd.randrange(0, 256 * 1024)
        out.write(f'jvm_gc_last_old_after_bytes{{collector="G1",kind="mixed",{pod(i)}}} {v} {t:.3f}\n')
out.write("# EOF\n")
