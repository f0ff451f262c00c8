#!/usr/bin/env python3
"""Write the HAND-MADE JDK 8 NMT fixtures in samples/nmt/jdk8/.

JDK 8 cannot run on this machine, so these three files are synthetic. They follow, line by line,
the printf formats of JDK 8u's hotspot/src/share/vm/services/memReporter.cpp
(MemSummaryReporter::report / MemSummaryDiffReporter::report_diff) and the real JDK 8u262 NMT
section in shared/corpus/nmt/krashpad-dataset26-jdk8-hs_err.txt:
  - jcmd header "<pid>:" then "\\nNative Memory Tracking:\\n"; no "(Omitting categories...)" line
  - "Total:" line directly followed by the first category (no blank line) in the summary;
    in the diff "Total:" is followed by one blank line
  - no "malloc:"/"mmap:" total lines, no instance/array class split, no Metadata block
  - "(thread #N)" (singular), "(stack: reserved=, committed=)"
  - "(malloc=...)" and "(mmap: ...)" lines end with one trailing space in the summary, not in the diff;
    "(arena=...)" lines have none; the separator after each category is a single space
  - the "Arena Chunk" malloc line has no "#count"
  - diff: arena delta printed without unit ("(arena=8632KB +1236 #15 +2)")
  - direct ByteBuffers are malloc'd under "Internal" (the leak shown in the diff)
Numbers are in bytes below (multiples of 1 KiB so that KB-scale categories add up exactly to Total);
every printed number is rounded separately with HotSpot's rule (amount + scale/2) / scale.
"""
import os
import sys

K = 1024


def amount(v, scale):
    return (v + scale // 2) // scale


def diff(cur, early, scale):
    d = cur - early
    d = d + scale // 2 if d > 0 else d - scale // 2
    # C integer division truncates toward zero
    return int(d / scale)


# category: malloc (size, count), arena (size, count), mmap (reserved, committed), extras
BASE = "Java Heap,Class,Thread,Code,GC,Compiler,Internal,Symbol,Native Memory Tracking,Arena Chunk".split(",")


def snapshot(internal_kb, internal_count, classes, class_malloc_kb, class_mmap_c_kb, threads,
             code_malloc_kb, code_c_kb, compiler_arena_kb, compiler_arena_n, symbol_kb, nmt_kb, nmt_n, overhead_kb):
    s = {
        "Java Heap": dict(vm=(1048576 * K, 262144 * K)),
        "Class": dict(malloc=(class_malloc_kb * K, classes + 717), vm=(1083392 * K, class_mmap_c_kb * K),
                      classes=classes),
        "Thread": dict(malloc=((16 + threads) * K, 5 * threads + 22), arena=((threads * 2 - 1) * K, threads * 2 - 2),
                       threads=threads, stack=(threads * 1028 * K, threads * 1028 * K)),
        "Code": dict(malloc=(code_malloc_kb * K, 7921 + (code_malloc_kb - 6112) * 2), vm=(245760 * K, code_c_kb * K)),
        "GC": dict(malloc=(3312 * K, 306), vm=(36864 * K, 12288 * K)),
        "Compiler": dict(malloc=(157 * K, 1245), arena=(compiler_arena_kb * K, compiler_arena_n)),
        "Internal": dict(malloc=(internal_kb * K, internal_count), vm=(36 * K, 36 * K)),
        "Symbol": dict(malloc=(symbol_kb * K, 118223 + (symbol_kb - 11810) * 9), arena=(1488 * K, 1)),
        "Native Memory Tracking": dict(malloc=(nmt_kb * K, nmt_n), overhead=overhead_kb * K),
        "Arena Chunk": dict(malloc=(1023 * K, 0)),
    }
    return s


def totals(c):
    m = c.get("malloc", (0, 0))[0] + c.get("arena", (0, 0))[0] + c.get("overhead", 0)
    r = m + c.get("vm", (0, 0))[0] + c.get("stack", (0, 0))[0]
    cm = m + c.get("vm", (0, 0))[1] + c.get("stack", (0, 0))[1]
    return r, cm


def grand(snap):
    r = sum(totals(snap[n])[0] for n in BASE)
    c = sum(totals(snap[n])[1] for n in BASE)
    return r, c


def unit(scale):
    return {K: "KB", K * K: "MB", K * K * K: "GB"}[scale]


def summary(pid, snap, scale):
    u = unit(scale)
    a = lambda v: amount(v, scale)
    out = [f"{pid}:", "", "Native Memory Tracking:", ""]
    r, c = grand(snap)
    out.append(f"Total: reserved={a(r)}{u}, committed={a(c)}{u}")
    for name in BASE:
        cat = snap[name]
        cr, cc = totals(cat)
        if a(cr) == 0:
            continue
        out.append(f"-{name:>26} (reserved={a(cr)}{u}, committed={a(cc)}{u})")
        pad = " " * 27
        if "classes" in cat:
            out.append(f"{pad} (classes #{cat['classes']})")
        if "threads" in cat:
            out.append(f"{pad} (thread #{cat['threads']})")
            sr, sc = cat["stack"]
            out.append(f"{pad} (stack: reserved={a(sr)}{u}, committed={a(sc)}{u})")
        if "malloc" in cat and a(cat["malloc"][0]) > 0:
            size, count = cat["malloc"]
            cnt = f" #{count}" if count > 0 else ""
            out.append(f"{' ' * 28}(malloc={a(size)}{u}{cnt}) ")
        if "vm" in cat and a(cat["vm"][0]) > 0:
            vr, vc = cat["vm"]
            out.append(f"{' ' * 28}(mmap: reserved={a(vr)}{u}, committed={a(vc)}{u}) ")
        if "arena" in cat and a(cat["arena"][0]) > 0:
            size, count = cat["arena"]
            out.append(f"{pad} (arena={a(size)}{u} #{count})")
        if "overhead" in cat and a(cat["overhead"]) > 0:
            out.append(f"{pad} (tracking overhead={a(cat['overhead'])}{u})")
        out.append(" ")
    return "\n".join(out) + "\n"


def summary_diff(pid, early, cur, scale):
    u = unit(scale)
    a = lambda v: amount(v, scale)
    d = lambda x, y: diff(x, y, scale)

    def vm_diff(cr, cc, er, ec):
        s = f"reserved={a(cr)}{u}"
        if d(cr, er) != 0:
            s += f" {d(cr, er):+d}{u}"
        s += f", committed={a(cc)}{u}"
        if d(cc, ec) != 0:
            s += f" {d(cc, ec):+d}{u}"
        return s

    out = [f"{pid}:", "", "Native Memory Tracking:", ""]
    r, c = grand(cur)
    er, ec = grand(early)
    out.append("Total: " + vm_diff(r, c, er, ec))
    out.append("")
    for name in BASE:
        ce, cc_ = early[name], cur[name]
        crr, ccc = totals(cc_)
        err, ecc = totals(ce)
        if not (a(crr) > 0 or d(crr, err) != 0):
            continue
        out.append(f"-{name:>26} (" + vm_diff(crr, ccc, err, ecc) + ")")
        pad = " " * 27
        if "classes" in cc_:
            s = f"{pad} (classes #{cc_['classes']}"
            if cc_["classes"] != ce["classes"]:
                s += f" {cc_['classes'] - ce['classes']:+d}"
            out.append(s + ")")
        if "threads" in cc_:
            s = f"{pad} (thread #{cc_['threads']}"
            if cc_["threads"] != ce["threads"]:
                s += f" {cc_['threads'] - ce['threads']:+d}"
            out.append(s + ")")
            out.append(f"{pad} (stack: " + vm_diff(*cc_["stack"], *ce["stack"]) + ")")
        if "malloc" in cc_:
            (cs, cn), (es, en) = cc_["malloc"], ce["malloc"]
            if a(cs) > 0 or d(cs, es) != 0:
                s = f"malloc={a(cs)}{u}"
                if d(cs, es) != 0:
                    s += f" {d(cs, es):+d}{u}"
                if cn > 0:
                    s += f" #{cn}"
                    if cn != en:
                        s += f" {cn - en:+d}"
                out.append(f"{' ' * 28}({s})")
        if "vm" in cc_:
            if a(cc_["vm"][0]) > 0 or d(cc_["vm"][0], ce["vm"][0]) != 0:
                out.append(f"{pad} (mmap: " + vm_diff(*cc_["vm"], *ce["vm"]) + ")")
        if "arena" in cc_:
            (cs, cn), (es, en) = cc_["arena"], ce["arena"]
            if a(cs) > 0 or d(cs, es) != 0:
                s = f"arena={a(cs)}{u}"
                if d(cs, es) != 0:
                    s += f" {d(cs, es):+d}"  # JDK 8: no unit on the arena delta
                s += f" #{cn}"
                if cn != en:
                    s += f" {cn - en:+d}"
                out.append(f"{' ' * 28}({s})")
        if "overhead" in cc_:
            s = f"{pad} (tracking overhead={a(cc_['overhead'])}{u}"
            if d(cc_["overhead"], ce["overhead"]) != 0:
                s += f" {d(cc_['overhead'], ce['overhead']):+d}{u}"
            out.append(s + ")")
        out.append(" ")
    return "\n".join(out) + "\n"


def main():
    dest = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "nmt", "jdk8")
    os.makedirs(dest, exist_ok=True)
    pid = 28417
    # baseline taken ~10 minutes before "current": direct buffers (Internal) grew by ~20 MB
    early = snapshot(internal_kb=31936, internal_count=5390, classes=8908, class_malloc_kb=4098, class_mmap_c_kb=55552,
                     threads=35, code_malloc_kb=5931, code_c_kb=22080, compiler_arena_kb=7396, compiler_arena_n=13,
                     symbol_kb=11637, nmt_kb=1904, nmt_n=28113, overhead_kb=2864)
    cur = snapshot(internal_kb=52480, internal_count=8123, classes=9120, class_malloc_kb=4242, class_mmap_c_kb=56832,
                   threads=38, code_malloc_kb=6112, code_c_kb=24512, compiler_arena_kb=8632, compiler_arena_n=15,
                   symbol_kb=11810, nmt_kb=2107, nmt_n=31042, overhead_kb=2984)
    files = {
        "summary.txt": summary(pid, cur, K),
        "summary-scale-mb.txt": summary(pid, cur, K * K),
        "summary-diff.txt": summary_diff(pid, early, cur, K),
    }
    for name, text in files.items():
        with open(os.path.join(dest, name), "w") as f:
            f.write(text)
    r, c = grand(cur)
    print(f"wrote {', '.join(files)} to {dest}; Total reserved={r // K}KB committed={c // K}KB")


if __name__ == "__main__":
    main()
