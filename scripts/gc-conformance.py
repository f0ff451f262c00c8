#!/usr/bin/env python3
"""GC conformance: jvmem's collections against the text's own records, counted independently.

For every GC log given (files, or directories searched recursively), runs
`jvmem gc --format json FILE` and compares its collections by kind with a count made here,
from the text alone, with rules much simpler than jvmem's (so a phantom or missing collection
cannot hide behind "0 unrecognized lines"):

- unified logs (a `GC(N)` id): one collection per id (per JVM run: a `Using …` line after
  collections starts a new run). Kind: `full` when a `Pause Full`/`Pause Degenerated` line has
  the id, else `pause` for a `Minor Collection`, else `concurrent` when a `Concurrent …` (no
  colon: not a statistics line), `Garbage Collection`, `Major Collection` or generational
  Shenandoah old-cycle phase has it (the cycle's pauses share its id), else `pause` when a
  `Pause …` line has it, else `other`.
- legacy logs: every `[GC` / `[Full GC` / `[Pause …` record opening (not `[GC concurrent…`,
  `[GC Worker…`, `[GC ref-proc…`), wherever it is in a line. Kind: `full` for `[Full GC`,
  `Pause Full`/`Pause Degenerated`, or a young record whose old generation was collected
  (`[CMS:`, `[CMSCMS:`, `[ASCMS:`, `[Tenured:`, `concurrent mode failure`); `mark` for initial
  marks, remarks (a `[YG occupancy:` record is one) and cleanups (CMS `-verbose:gc` prints them
  as `[GC 46468K(83008K), 0.0039 secs]`: an occupancy without `->`); `pause` for a `CMS Final
  Remark` record with a `->` transition and no `CMS-remark` (the scavenge before remark);
  `mixed` for G1 `(mixed)`; `pause` (young) for the rest.

jvmem's kinds map to the same buckets (initial-mark/remark/cleanup → mark; young → pause for
legacy; every non-full, non-concurrent pause → pause for unified). Concurrent cycles are
compared for unified logs only (legacy cycles have no single opening record to count).

Prints one row per file with a mismatch, then a table per collector and format: files read /
collections / unrecognized lines / mismatching files. Exits 1 when any kind's count differs in
a file not listed, with its reason, in scripts/gc-conformance-known.txt.
"""

import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict

DECOR = re.compile(rb"^(?:\[[^\]]*\])+\s?")
GCID = re.compile(rb"GC\((\d+)\) ?(.*)$")
USING = re.compile(
    rb"^Using (G1|Parallel|Serial|Shenandoah|The Z Garbage Collector|Concurrent Mark Sweep)\s*$"
)
UNIFIED_START = re.compile(
    rb"^(?:Pause |Concurrent |Coalescing and filling|Garbage Collection|Minor Collection|Major Collection|"
    rb"(?:Eden|Survivor|Old|Humongous|Archive) regions|PSYoungGen:|ParOldGen:|PSOldGen:|"
    rb"DefNew:|Tenured:|ParNew:|CMS:|Metaspace:|Old:)"
)
# Generational Shenandoah (JDK 25) old-generation cycle phases.
SHEN_OLD = re.compile(rb"^(?:Coalescing and filling \(Old\)|Concurrent .* \(Old\))")
LEGACY_OPEN = re.compile(
    rb"\[(Full GC|GC|Pause [A-Z][a-z]+)(?! concurrent| Worker| ref-proc| ref-PRC|[a-z])"
    rb"(?![^\]]*, start\])"
)
# `[CMS: …]`, `[CMSCMS: Large block …` (-XX:PrintFLSStatistics), JDK 6's `[ASCMS: …]`.
OLD_COLLECTED = re.compile(rb"\[(?:AS)?CMS(?:[:0-9]|CMS| \(concurrent)|concurrent mode failure|\[Tenured")
TRANSITION = re.compile(rb"[0-9][KMG]->[0-9]")
SHEN_CYCLE_PAUSE = re.compile(rb"Pause (?:Init|Final) (?:Update Refs|Evac|Roots)|Pause Relocate Start")
OCCUPANCY_ONLY = re.compile(rb"^\[GC [0-9.,]+[KMG]\([0-9.,]+[KMG]\), ")


def unified_counts(lines):
    runs = 0
    seen_event = False
    ids = {}
    for raw in lines:
        line = raw.rstrip(b"\r\n")
        msg = DECOR.sub(b"", line)
        if USING.match(msg):
            if seen_event:
                runs += 1
                seen_event = False
            continue
        m = GCID.search(msg)
        if not m or m.start() != 0:
            continue
        gid = (runs, int(m.group(1)))
        body = m.group(2)
        for p in (b"Y: ", b"O: ", b"y: ", b"o: "):
            if body.startswith(p):
                body = body[3:]
        if body.startswith(b" "):
            continue
        flags = ids.get(gid)
        if flags is None:
            if not UNIFIED_START.match(body):
                continue
            flags = set()
            ids[gid] = flags
            seen_event = True
        if body.startswith(b"Pause Full") or body.startswith(b"Pause Degenerated"):
            flags.add("full")
        elif SHEN_CYCLE_PAUSE.match(body):
            flags.add("cycle-pause")
        elif body.startswith(b"Minor Collection"):
            flags.add("minor")
        elif body.startswith(b"Pause "):
            flags.add("pause")
        elif (
            (body.startswith(b"Concurrent ") and b":" not in body)
            or body.startswith(b"Garbage Collection")
            or body.startswith(b"Major Collection")
            or SHEN_OLD.match(body)
        ):
            flags.add("concurrent")
    counts = defaultdict(int)
    for flags in ids.values():
        if "full" in flags:
            counts["full"] += 1
        elif "minor" in flags:
            counts["pause"] += 1
        elif "concurrent" in flags:
            # A concurrent cycle's id also has its pauses (G1 Remark/Cleanup, ZGC Mark Start…).
            counts["concurrent"] += 1
        elif "pause" in flags:
            counts["pause"] += 1
        else:
            counts["other"] += 1
    return counts


def legacy_kind(seg):
    has = lambda s: s in seg
    if seg.startswith(b"[Full GC") or seg.startswith(b"[Pause Full") or seg.startswith(
        b"[Pause Degenerated"
    ):
        return "full"
    if seg.startswith(b"[Pause "):
        # JDK 8 Shenandoah: Init Mark, Final Mark (marks), Init/Final Update Refs (other).
        return "other" if SHEN_CYCLE_PAUSE.match(seg[1:]) else "mark"
    if OLD_COLLECTED.search(seg):
        return "full"
    if has(b"[YG occupancy"):
        # Only a CMS remark prints the young generation's occupancy first.
        return "mark"
    if has(b"[ParNew") or has(b"[DefNew") or has(b"[PSYoungGen") or has(b"[ASParNew"):
        return "pause"
    if seg.startswith(b"[GC pause") or seg.startswith(b"[GC Pause"):
        if has(b"(mixed)") or has(b"(partial)"):
            return "mixed"
        if has(b"initial-mark"):
            return "mark"
        return "pause"
    if seg.startswith(b"[GC remark") or seg.startswith(b"[GC cleanup"):
        return "mark"
    if has(b"CMS Final Remark") and TRANSITION.search(seg) and not has(b"CMS-remark"):
        # -XX:+CMSScavengeBeforeRemark without details: the remark's young collection
        # (`[GC (CMS Final Remark)  890910K->620060K(7992832K), 0.12 secs]`).
        return "pause"
    if has(b"CMS-initial-mark") or has(b"CMS Initial Mark") or has(b"CMS-remark") or has(
        b"CMS Final Remark"
    ):
        return "mark"
    if OCCUPANCY_ONLY.match(seg):
        return "mark"
    return "pause"


def legacy_counts(lines):
    counts = defaultdict(int)
    pending = None  # the last record of the previous line, still open to continuation lines
    for raw in lines:
        line = raw.rstrip(b"\r\n")
        opens = [m.start() for m in LEGACY_OPEN.finditer(line)]
        if not opens:
            if pending is not None:
                pending += b" " + line
            continue
        if pending is not None:
            counts[legacy_kind(pending)] += 1
            pending = None
        for a, b in zip(opens, opens[1:] + [None]):
            seg = line[a:b] if b is not None else line[a:]
            if b is None:
                pending = seg
            else:
                counts[legacy_kind(seg)] += 1
    if pending is not None:
        counts[legacy_kind(pending)] += 1
    return counts


def jvmem_buckets(kinds, fmt):
    out = defaultdict(int)
    for k, n in kinds.items():
        if k == "full":
            out["full"] += n
        elif k == "concurrent":
            out["concurrent"] += n
        elif k == "other":
            out["other"] += n
        elif fmt == "legacy" and k in ("initial-mark", "remark", "cleanup"):
            out["mark"] += n
        elif fmt == "legacy" and k == "mixed":
            out["mixed"] += n
        else:
            out["pause"] += n
    return out


def files_of(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith((".md", ".txt.md", ".json", ".sh", ".py")) or n in (
                        "commands.txt",
                        "command.txt",
                        "java-version.txt",
                    ) or n.endswith("stderr.txt"):
                        continue
                    out.append(os.path.join(root, n))
        else:
            out.append(p)
    return out


def known_files():
    here = os.path.dirname(os.path.abspath(__file__))
    out = set()
    try:
        with open(os.path.join(here, "gc-conformance-known.txt")) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    out.add(line.replace("corpus:", ""))
    except OSError:
        pass
    return out


def is_known(path, known):
    return any(path.endswith("/" + k) or path == k for k in known)


def main():
    args = sys.argv[1:]
    known = known_files()
    known_hits = 0
    jvmem = os.environ.get("JVMEM", "target/debug/jvmem")
    started = time.time()
    groups = defaultdict(lambda: [0, 0, 0, 0])  # files, collections, unrecognized, mismatching
    mismatches = 0
    for path in files_of(args):
        with open(path, "rb") as f:
            lines = f.read().splitlines()
        unified = any(GCID.search(DECOR.sub(b"", l)) for l in lines[:5000])
        fmt = "unified" if unified else "legacy"
        mine = unified_counts(lines) if unified else legacy_counts(lines)
        if not unified and not mine:
            continue  # not a GC log with collections, by this script's own reading
        r = subprocess.run([jvmem, "gc", "--format", "json", path], capture_output=True)
        try:
            summary = json.loads(r.stdout)["gc_summary"]
        except (ValueError, KeyError):
            summary = {}
        kinds = summary.get("events_by_kind", {})
        theirs = jvmem_buckets(kinds, fmt)
        keys = ("full", "pause", "mixed", "mark", "other")
        if unified:
            keys += ("concurrent",)
        bad = [k for k in keys if mine.get(k, 0) != theirs.get(k, 0)]
        collector = summary.get("collector") or "?"
        g = groups[(collector, fmt)]
        g[0] += 1
        g[1] += summary.get("events", 0)
        g[2] += summary.get("unrecognized_lines", 0)
        if bad or r.returncode != 0:
            g[3] += 1
            detail = ", ".join(f"{k} text={mine.get(k, 0)} jvmem={theirs.get(k, 0)}" for k in bad)
            if is_known(path, known):
                known_hits += 1
                print(f"KNOWN    {path} [{fmt}, exit {r.returncode}]: {detail}")
            else:
                mismatches += 1
                print(f"MISMATCH {path} [{fmt}, exit {r.returncode}]: {detail}")
        elif is_known(path, known):
            print(f"FIXED    {path}: now matches; remove it from scripts/gc-conformance-known.txt")
    print()
    print(f"{'collector':<12} {'format':<8} {'files':>6} {'collections':>12} {'unrecognized':>13} {'mismatching':>12}")
    for (c, fmt), (n, ev, un, bad) in sorted(groups.items()):
        print(f"{c:<12} {fmt:<8} {n:>6} {ev:>12} {un:>13} {bad:>12}")
    print(
        f"time {time.time() - started:.1f} s; {mismatches} file(s) whose counts differ, "
        f"{known_hits} known (scripts/gc-conformance-known.txt)"
    )
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
