//! The drill-down parsers over real recordings (`samples/drill/`, made by
//! `samples/gen/gen-culprits.sh`) and hand-written JDK 8 shapes.

use std::sync::Arc;

use super::*;

fn sample(rel: &str) -> String {
    let path = format!("{}/samples/drill/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(rel: &str) -> DrillParse {
    let source: Arc<str> = Arc::from(rel);
    parse_str(&source, &sample(rel))
}

const JDKS: [&str; 4] = ["11", "17", "21", "25"];

fn of(p: &DrillParse, kind: DrillKind) -> Vec<&DrillCapture> {
    p.captures.iter().filter(|c| c.kind == kind).collect()
}

#[test]
fn every_kind_is_read_from_every_jdk_with_its_time_and_pid() {
    for jdk in JDKS {
        for mode in ["leak", "steady"] {
            let rel = format!("{mode}-jdk{jdk}/capture.txt");
            let p = parse(&rel);
            let polls = sample(&rel).matches("VM.classloader_stats").count().max(
                // Each poll prints one loader-stats table.
                of(&p, DrillKind::ClassLoaderStats).len(),
            );
            // These recordings poll plain `VM.metaspace` (show-loaders has its own samples).
            for kind in DrillKind::ALL
                .into_iter()
                .filter(|k| *k != DrillKind::MetaspaceLoaders)
            {
                let n = of(&p, kind).len();
                assert!(n >= 6 && n == polls, "{rel}: {n} {kind:?} (polls {polls})");
            }
            assert!(p.diagnostics.is_empty(), "{rel}: {:?}", p.diagnostics);
            let pid = p.captures[0].pid;
            assert!(pid.is_some());
            for c in &p.captures {
                assert!(c.timestamp.is_some(), "{rel}:{} {:?}", c.line, c.kind);
                assert_eq!(c.pid, pid, "{rel}:{}", c.line);
            }
            let mut last = None;
            for c in of(&p, DrillKind::ClassHistogram) {
                assert!(c.timestamp >= last, "{rel}: out of order");
                last = c.timestamp;
            }
        }
    }
}

#[test]
fn histogram_rows_add_up_to_the_printed_total() {
    for jdk in JDKS {
        let rel = format!("leak-jdk{jdk}/capture.txt");
        let p = parse(&rel);
        for c in of(&p, DrillKind::ClassHistogram) {
            let bytes: u64 = c.rows.iter().map(|r| r.bytes).sum();
            let count: u64 = c.rows.iter().map(|r| r.count).sum();
            assert_eq!(Some(bytes), c.total_bytes, "{rel}:{}", c.line);
            assert_eq!(Some(count), c.total_count, "{rel}:{}", c.line);
            let entry = c.row("ThumbnailCache$Entry").expect("cache entries");
            // One `int[64*64]` per entry (16 KiB + header), plus the JVM's own int arrays.
            let ints = c.row("[I").expect("int arrays");
            assert!(ints.count >= entry.count && ints.bytes >= entry.count * 16384);
            assert_eq!(entry.note, None, "an application class has no module");
            assert!(
                ints.note
                    .as_deref()
                    .is_some_and(|m| m.starts_with("java.base@"))
            );
        }
    }
}

#[test]
fn loader_stats_add_up_to_the_printed_total() {
    for jdk in JDKS {
        let rel = format!("leak-jdk{jdk}/capture.txt");
        let p = parse(&rel);
        for c in of(&p, DrillKind::ClassLoaderStats) {
            let loaders: u64 = c
                .rows
                .iter()
                .filter(|r| !r.name.ends_with("(hidden classes)"))
                .map(|r| r.count)
                .sum();
            assert_eq!(Some(loaders), c.total_count, "{rel}:{}", c.line);
            let chunks: u64 = c.rows.iter().map(|r| r.bytes).sum();
            assert_eq!(Some(chunks), c.total_bytes, "{rel}:{}", c.line);
            let plugin = c.row("PluginClassLoader").expect("plugin loaders");
            assert_eq!(plugin.classes, Some(plugin.count), "one class per loader");
        }
        // Hidden classes (lambdas) are counted under their loader type.
        let last = of(&p, DrillKind::ClassLoaderStats).pop().expect("captures");
        assert!(
            last.rows
                .iter()
                .any(|r| r.name.ends_with("(hidden classes)")),
            "{rel}"
        );
    }
}

#[test]
fn metaspace_totals_per_space_type() {
    for jdk in JDKS {
        let rel = format!("leak-jdk{jdk}/capture.txt");
        let p = parse(&rel);
        let caps = of(&p, DrillKind::Metaspace);
        let (first, last) = (caps[0], caps[caps.len() - 1]);
        for c in [first, last] {
            let part = |n: &str| c.row(n).map_or(0, |r| r.bytes);
            let both = part("Both");
            // `Both` is the sum of the two, give or take the rounding of printed amounts.
            let sum = part("Non-Class") + part("Class");
            assert!(
                both.abs_diff(sum) <= both / 100 + 1024,
                "{rel}:{} {both} vs {sum}",
                c.line
            );
            assert!(c.total_count.is_some_and(|loaders| loaders > 10));
        }
        // A loader per request: more loaders and more metaspace at the end.
        assert!(last.total_count > first.total_count);
        assert!(last.row("Both").map(|r| r.bytes) > first.row("Both").map(|r| r.bytes));
    }
}

#[test]
fn thread_groups_strip_numbers_and_keep_the_top_frame() {
    for jdk in JDKS {
        let rel = format!("leak-jdk{jdk}/capture.txt");
        let p = parse(&rel);
        let last = of(&p, DrillKind::ThreadDump).pop().expect("dumps");
        let jobs = last.row("job-runner-%d").expect("job runners");
        assert!(jobs.count > 50, "{rel}: {}", jobs.count);
        let note = jobs.note.as_deref().unwrap_or_default();
        assert!(note.starts_with("java.lang.Thread.sleep"), "{rel}: {note}");
        let threads: u64 = last.rows.iter().map(|r| r.count).sum();
        assert_eq!(Some(threads), last.total_count);
        assert_eq!(
            Some(threads as usize),
            Some(last.text.lines().filter(|l| l.starts_with('"')).count())
        );
        assert!(last.row("main").is_some());
    }
}

#[test]
fn nmt_call_sites_with_their_category() {
    for jdk in JDKS {
        let rel = format!("leak-jdk{jdk}/capture.txt");
        let p = parse(&rel);
        let sites = of(&p, DrillKind::NmtDetail);
        let last = sites[sites.len() - 1];
        let other: Vec<_> = last
            .rows
            .iter()
            .filter(|r| r.category.as_deref() == Some("Other"))
            .collect();
        let biggest = other.iter().max_by_key(|r| r.bytes).expect("an Other site");
        // The leaked direct buffers: ~1,500 mallocs of 16 KiB.
        assert!(
            biggest.count > 1000 && biggest.bytes > 16 << 20,
            "{rel}: {biggest:?}"
        );
        assert!(
            last.rows.iter().all(|r| r.category.as_deref() != Some("?")),
            "{rel}"
        );
        assert!(
            last.rows
                .iter()
                .any(|r| r.category.as_deref() == Some("Java Heap"))
        );
    }
}

#[test]
fn summary_only_text_costs_no_drill_pass() {
    let text = "1:\n\nNative Memory Tracking:\n\nTotal: reserved=10KB, committed=5KB\n";
    assert!(!looks_like_drill(text));
    assert!(parse_str(&Arc::from("t"), text).captures.is_empty());
}

/// JDK 8 shapes. The histogram is real (a GC log excerpt from mgm3746/garbagecat in
/// /work/shared/corpus, `-XX:+PrintClassHistogram`): JDK 8 cannot run here. The loader stats,
/// thread dump and NMT detail lines below are hand-written after the JDK 8u sources.
#[test]
fn jdk8_shapes() {
    let corpus = "/work/shared/corpus/gc/garbagecat/dataset221.txt";
    if let Ok(text) = std::fs::read_to_string(corpus) {
        let p = parse_str(&Arc::from("jdk8"), &text);
        let h = of(&p, DrillKind::ClassHistogram);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].rows[0].name.as_ref(), "[C");
        assert_eq!(
            (h[0].rows[0].count, h[0].rows[0].bytes),
            (13269691, 2158610984)
        );
        assert_eq!(h[0].total_bytes, Some(8583124392));
        assert_eq!(h[1].total_count, Some(167906324));
        assert_eq!(h[0].rows[0].note, None);
    }
    let text = "\
4242:
ClassLoader         Parent              CLD*               Classes   ChunkSz   BlockSz  Type
0x00000007c0034c48  0x00000007c0034cb8  0x00007f2b6c19ef30       1      1024       600  sun.reflect.DelegatingClassLoader
0x00000007c0034cb8  0x00000007c0034d28  0x00007f2b6c0f6bd0     890   5529600   5346448  sun.misc.Launcher$AppClassLoader
                                                                  2      2048      1200   + unsafe anonymous classes
0x0000000000000000  0x0000000000000000  0x00007f2b6c0427f0    1841   9011200   8917088  <boot class loader>
Total = 3                                                      2734  14543872  14265336
ChunkSz: Total size of all allocated metaspace chunks
BlockSz: Total size of all allocated metaspace blocks (each chunk has several blocks)
4242:
2026-11-30 10:00:00
Full thread dump OpenJDK 64-Bit Server VM (25.262-b10 mixed mode):

\"pool-1-thread-3\" #12 prio=5 os_prio=0 tid=0x00007f2b6c1f4000 nid=0x1a2 waiting on condition [0x00007f2b4f9fe000]
   java.lang.Thread.State: WAITING (parking)
\tat sun.misc.Unsafe.park(Native Method)
\tat java.util.concurrent.locks.LockSupport.park(LockSupport.java:175)

\"VM Thread\" os_prio=0 tid=0x00007f2b6c0a8000 nid=0x1a0 runnable

JNI global refs: 12
";
    let p = parse_str(&Arc::from("jdk8"), text);
    let l = &of(&p, DrillKind::ClassLoaderStats)[0];
    assert_eq!(l.total_count, Some(3));
    assert_eq!(
        l.row("sun.misc.Launcher$AppClassLoader (hidden classes)")
            .map(|r| r.count),
        Some(2)
    );
    let t = &of(&p, DrillKind::ThreadDump)[0];
    assert_eq!(t.pid, Some(4242));
    assert!(t.timestamp.is_some());
    let pool = t.row("pool-%d-thread-%d").expect("pool group");
    assert_eq!(pool.note.as_deref(), Some("sun.misc.Unsafe.park"));
    assert_eq!(t.total_count, Some(2));
}

#[test]
fn truncated_and_odd_answers_never_panic_and_keep_what_was_read() {
    let full = sample("leak-jdk17/capture.txt");
    let source: Arc<str> = Arc::from("cut");
    // Cut anywhere (on a char boundary): never a panic, and never more captures than whole.
    let whole = parse_str(&source, &full).captures.len();
    for cut in (0..full.len()).step_by(full.len() / 97 + 1) {
        let cut = (0..=cut)
            .rev()
            .find(|&i| full.is_char_boundary(i))
            .unwrap_or(0);
        let p = parse_str(&source, &full[..cut]);
        assert!(p.captures.len() <= whole);
    }
    let p = parse_str(
        &source,
        " num     #instances         #bytes  class name\nnot a row\n",
    );
    assert!(p.captures.is_empty());
    assert_eq!(p.diagnostics.len(), 1);
    assert!(p.diagnostics[0].message.contains("GC.class_histogram"));
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;

    /// Pieces of real lines of every kind, cut and shuffled.
    const PIECES: &[&str] = &[
        " num     #instances         #bytes  class name (module)",
        "   1:          1640       76009224  [I (java.base@17.0.15)",
        "   2:  x  ",
        "Total         14327        1299504",
        "ClassLoader         Parent              CLD*               Classes   ChunkSz   BlockSz  Type",
        "0x00007ff8cd001aa8  0x00007ff8cc07af08  0x00007ff92415cee0       1       768       176  PluginClassLoader",
        "                                                                 7      2688      1662   + hidden classes",
        "Total = 44     749    594048     56003",
        "Total Usage - 53 loaders, 752 classes (674 shared):",
        "  Non-Class:   55 chunks,      4,20 MB capacity,  592.00 KB ( 14%) committed,",
        "Full thread dump OpenJDK 64-Bit Server VM",
        "\"job-runner-3\" #15 daemon prio=5",
        "\"unterminated",
        "\tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)",
        "JNI global refs: 7, weak refs: 0",
        "Native Memory Tracking:",
        "Details:",
        "[0x00007f82cc0fef9a] Unsafe_AllocateMemory0+0x4a",
        "[0x00007f82",
        "                             ((malloc=1MB tag=Other #45) (at peak))",
        "   (reserved=256MB, committed=16MB Type=Java Heap)",
        "(malloc=99999999999999999999KB type=Other #1)",
        "2026-12-01T20:33:04+00:00",
        "4242:",
        "",
        "é€\u{0}",
    ];

    proptest! {
        #[test]
        fn any_mix_of_line_shapes_is_read_without_panic(
            picks in prop::collection::vec((0..PIECES.len(), 0usize..120), 0..60)
        ) {
            let text: String = picks
                .iter()
                .map(|&(i, cut)| {
                    let piece = PIECES[i];
                    let cut = (0..=cut.min(piece.len())).rev().find(|&c| piece.is_char_boundary(c)).unwrap_or(0);
                    format!("{}\n", &piece[..cut])
                })
                .collect();
            let p = parse_str(&Arc::from("prop"), &text);
            for c in &p.captures {
                prop_assert!(!c.rows.is_empty());
                prop_assert!(c.line >= 1);
            }
        }
    }
}

/// `samples/drill/metaspace-loaders/<rel>.txt.gz`, made by `samples/gen/gen-metaspace-loaders.sh`
/// (also read by the culprit tests).
pub(crate) fn metaspace_loaders(rel: &str) -> DrillParse {
    use std::io::Read;
    let path = format!(
        "{}/samples/drill/metaspace-loaders/{rel}.txt.gz",
        env!("CARGO_MANIFEST_DIR")
    );
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_str(&Arc::from(rel), &text)
}

/// Every `show-loaders` answer is two captures, both dated and with the pid: the loader types
/// and the totals after them. The loader rows add up to the totals' loader and class counts
/// exactly, and their bytes to the `Both` total within the rounding of printed amounts.
#[test]
fn metaspace_show_loaders_on_every_jdk() {
    for jdk in JDKS {
        for mode in ["leak", "steady"] {
            let rel = format!("{mode}-jdk{jdk}");
            let p = metaspace_loaders(&rel);
            let loaders = of(&p, DrillKind::MetaspaceLoaders);
            let totals = of(&p, DrillKind::Metaspace);
            assert!(loaders.len() >= 10, "{rel}: {} answers", loaders.len());
            assert_eq!(loaders.len(), totals.len(), "{rel}");
            assert!(p.diagnostics.is_empty(), "{rel}: {:?}", p.diagnostics);
            for (l, t) in loaders.iter().zip(&totals) {
                assert!(l.timestamp.is_some() && l.pid.is_some(), "{rel}:{}", l.line);
                assert_eq!(
                    (t.timestamp, t.pid),
                    (l.timestamp, l.pid),
                    "{rel}:{}",
                    t.line
                );
                // A hidden row counts classes, each in a CLD of its own: the sum is the CLDs.
                let clds: u64 = l.rows.iter().map(|r| r.count).sum();
                let classes: u64 = l.rows.iter().filter_map(|r| r.classes).sum();
                assert_eq!(Some(clds), t.total_count, "{rel}:{} loaders", l.line);
                let both = t.row("Both").expect("Both");
                assert_eq!(Some(classes), both.classes, "{rel}:{} classes", l.line);
                let bytes: u64 = l.rows.iter().map(|r| r.bytes).sum();
                assert!(
                    bytes.abs_diff(both.bytes) <= both.bytes / 50 + 4096,
                    "{rel}:{} {bytes} vs {}",
                    l.line,
                    both.bytes
                );
                let boot = l.row("<boot class loader>").expect("boot loader");
                assert_eq!(boot.count, 1);
                assert!(boot.classes.is_some_and(|c| c > 600), "{rel}: {boot:?}");
            }
            let plugins = |c: &DrillCapture| c.row("PluginClassLoader").map_or(0, |r| r.count);
            let (first, last) = (plugins(loaders[0]), plugins(loaders[loaders.len() - 1]));
            if mode == "leak" {
                // A loader every 3rd request, 10 requests a second, kept: hundreds by the end.
                assert!(last > first + 150, "{rel}: {first} → {last}");
                let row = loaders[loaders.len() - 1]
                    .row("PluginClassLoader")
                    .expect("plugins");
                // Each holds one class, in a few KB of metaspace.
                assert_eq!(row.classes, Some(row.count), "{rel}");
                let per_loader = row.bytes / row.count;
                assert!((1024..=8192).contains(&per_loader), "{rel}: {per_loader} B");
            } else {
                // Dropped loaders are unloaded by the full GC before each answer.
                assert!(last <= 5, "{rel}: {first} → {last}");
            }
        }
    }
}
