//! Culprits over real recordings of `samples/gen/Culprits.java` (four named leaks, and the
//! steady control) on JDK 11, 17, 21 and 25, made by `samples/gen/gen-culprits.sh`.

use super::*;

const JDKS: [&str; 4] = ["11", "17", "21", "25"];

fn load(dir: &str) -> Timeline {
    let path = format!("{}/samples/drill/{dir}", env!("CARGO_MANIFEST_DIR"));
    assert!(std::path::Path::new(&path).is_dir(), "{path} missing");
    let t = crate::input::load(&[path]);
    assert!(t.drills.len() >= 25, "{dir}: {} captures", t.drills.len());
    t
}

fn found(dir: &str) -> (Diagnosis, Vec<Culprit>) {
    let t = load(dir);
    let options = DiagnoseOptions::default();
    let d = crate::analysis::diagnose(&t, &options);
    let c = culprits(&t, Some(&d), &options);
    (d, c)
}

/// The first culprit of a category.
fn first<'a>(culprits: &'a [Culprit], category: &str) -> &'a Culprit {
    for_category(culprits, category)
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no culprit for {category}: {culprits:#?}"))
}

#[test]
fn each_named_leak_is_first_in_its_category_on_every_jdk() {
    for jdk in JDKS {
        let dir = format!("leak-jdk{jdk}");
        let (d, culprits) = found(&dir);

        let heap = first(&culprits, "Java Heap");
        assert_eq!(
            (heap.name.as_str(), heap.source),
            ("[I", "GC.class_histogram"),
            "{dir}"
        );
        assert_eq!(
            heap.holder.as_deref(),
            Some("ThumbnailCache$Entry"),
            "{dir}"
        );
        // 10 decoded 16 KiB images a second: ~9.4 MiB/min.
        let rate_mib = heap.rate_per_min / (1 << 20) as f64;
        assert!((8.0..10.5).contains(&rate_mib), "{dir}: {rate_mib}");
        assert_eq!(heap.explains_suspect.as_deref(), Some("Java Heap"), "{dir}");

        let class_suspect = d
            .suspect_for("Class")
            .or_else(|| d.suspect_for("Metaspace"))
            .map(|s| s.category.clone());
        let loaders = first(&culprits, "Class");
        assert_eq!(loaders.name, "PluginClassLoader", "{dir}");
        assert_eq!(loaders.source, "VM.classloader_stats");
        // One loader every 0.3 s: ~200 a minute, each with one class.
        assert!(
            (150.0..260.0).contains(&loaders.trend.slope_per_min),
            "{dir}: {}",
            loaders.trend.slope_per_min
        );
        assert!(
            loaders
                .note
                .as_deref()
                .is_some_and(|n| n.contains("(1.0 each)")),
            "{dir}"
        );
        assert_eq!(loaders.explains_suspect, class_suspect, "{dir}");

        let threads = first(&culprits, "Thread");
        assert_eq!(threads.name, "job-runner-%d", "{dir}");
        assert!(
            (25.0..32.0).contains(&threads.rate_per_min),
            "{dir}: {}",
            threads.rate_per_min
        );
        let note = threads.note.as_deref().unwrap_or_default();
        assert!(
            note.contains("java.lang.Thread.sleep")
                && note.contains("JobScheduler.lambda$schedule$0"),
            "{dir}: {note}"
        );

        let direct = first(&culprits, "Other");
        assert_eq!(direct.source, "VM.native_memory detail", "{dir}");
        // JDK 25 prints only the JIT-compiled caller of the allocation.
        let expected = if jdk == "25" {
            "[no symbol: JIT-compiled code]"
        } else {
            "Unsafe_AllocateMemory0"
        };
        assert_eq!(direct.name, expected, "{dir}");
        assert_eq!(direct.explains_suspect.as_deref(), Some("Other"), "{dir}");

        // Exactly the four leaks, nothing else, largest byte growth first.
        assert_eq!(culprits.len(), 4, "{dir}: {culprits:#?}");
        assert!(
            culprits
                .windows(2)
                .all(|w| w[0].growth_bytes >= w[1].growth_bytes),
            "{dir}"
        );
    }
}

#[test]
fn the_steady_control_names_nothing() {
    for jdk in JDKS {
        let dir = format!("steady-jdk{jdk}");
        let (d, culprits) = found(&dir);
        assert!(culprits.is_empty(), "{dir}: {culprits:#?}");
        assert!(d.suspects.is_empty(), "{dir}: {}", d.headline());
    }
}

#[test]
fn too_few_captures_name_nothing() {
    let mut t = load("leak-jdk17");
    // Keep the first four captures of each kind: under the diagnosis's minimum of five points.
    let mut kept = std::collections::HashMap::new();
    t.drills.retain(|c| {
        let n = kept.entry(c.kind).or_insert(0);
        *n += 1;
        *n <= 4
    });
    assert!(culprits(&t, None, &DiagnoseOptions::default()).is_empty());
}

#[test]
fn without_a_diagnosis_culprits_explain_no_suspect() {
    let t = load("leak-jdk21");
    let c = culprits(&t, None, &DiagnoseOptions::default());
    assert_eq!(c.len(), 4);
    assert!(c.iter().all(|c| c.explains_suspect.is_none()));
}

/// The drill captures of `samples/drill/metaspace-loaders/<rel>.txt.gz` (only `VM.metaspace
/// show-loaders` answers, made by `samples/gen/gen-metaspace-loaders.sh`).
fn metaspace_loaders(rel: &str) -> Timeline {
    let parsed = crate::drill::tests::metaspace_loaders(rel);
    let mut t = Timeline::default();
    t.apply(crate::model::Update::Drills(parsed.captures));
    t
}

/// Per-loader metaspace growth names the leaking loader type, from `show-loaders` alone, on
/// every JDK, and is attached to the Class suspect of a diagnosis that has one (the diagnosis
/// of the same workload's `gen-culprits.sh` recording on that JDK); the control names nothing.
#[test]
fn metaspace_show_loaders_names_the_loader_per_request_on_every_jdk() {
    for jdk in JDKS {
        let options = DiagnoseOptions::default();
        let (d, _) = found(&format!("leak-jdk{jdk}"));
        let class_suspect = d
            .suspect_for("Class")
            .or_else(|| d.suspect_for("Metaspace"))
            .map(|s| s.category.clone());
        assert!(class_suspect.is_some(), "jdk{jdk}: {}", d.headline());

        let leak = metaspace_loaders(&format!("leak-jdk{jdk}"));
        let found = culprits(&leak, Some(&d), &options);
        let c = first(&found, "Class");
        assert_eq!(
            (c.name.as_str(), c.source, c.category.as_str()),
            ("PluginClassLoader", "VM.metaspace show-loaders", "Class"),
            "jdk{jdk}: {found:#?}"
        );
        assert_eq!(c.explains_suspect, class_suspect, "jdk{jdk}");
        // One loader every 0.3 s (slower while decoding on one CPU): ~200 a minute.
        assert!(
            (120.0..260.0).contains(&c.trend.slope_per_min),
            "jdk{jdk}: {}",
            c.trend.slope_per_min
        );
        assert!(
            c.growth_count > 150 && c.growth_bytes > 0,
            "jdk{jdk}: {c:?}"
        );
        assert!(
            c.note.as_deref().is_some_and(|n| n.contains("(1.0 each)")),
            "jdk{jdk}: {:?}",
            c.note
        );
        // Only the loader type leaks: the JDK's own loaders and hidden classes are steady.
        // ~6 KB committed per loader (JDK 16+); JDK 11 prints used only, ~1.4 KB.
        let kib_per_min = c.rate_per_min / 1024.0;
        let expected = if jdk == "11" {
            200.0..350.0
        } else {
            900.0..1500.0
        };
        assert!(
            expected.contains(&kib_per_min),
            "jdk{jdk}: {}",
            c.headline()
        );
        assert_eq!(found.len(), 1, "jdk{jdk}: {found:#?}");

        let steady = metaspace_loaders(&format!("steady-jdk{jdk}"));
        let none = culprits(&steady, None, &options);
        assert!(none.is_empty(), "jdk{jdk}: {none:#?}");
    }
}

#[test]
fn each_category_is_explained_by_its_own_kinds() {
    use DrillKind::*;
    assert_eq!(kinds_explaining("Java Heap"), [ClassHistogram]);
    assert_eq!(
        kinds_explaining("Class"),
        [ClassLoaderStats, MetaspaceLoaders]
    );
    assert_eq!(
        kinds_explaining("Metaspace"),
        [ClassLoaderStats, MetaspaceLoaders]
    );
    assert_eq!(kinds_explaining("Thread"), [ThreadDump]);
    assert_eq!(kinds_explaining("Other"), [NmtDetail]);
    assert_eq!(kinds_explaining("Internal"), [NmtDetail]);
    assert!(kinds_explaining("Native Memory Tracking").is_empty());
}
