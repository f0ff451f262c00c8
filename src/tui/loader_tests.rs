//! `view` (the dashboard fed by the streaming loader, update by update) and `report` (the
//! loader's updates added up by `input::load`) find the same snapshots and GC events on every
//! sample: there is one loader, and this checks nothing is lost between it and the screen.

use std::path::{Path, PathBuf};

use jvmem::model::{Timeline, Update};

use super::app::{App, Event, Mode};

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-26T08:00:00+00:00").unwrap()
}

/// Every directory under samples/ that holds files, as a user would open it.
fn sample_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut dirs = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let mut has_files = false;
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("gen") {
                    stack.push(path);
                }
            } else {
                has_files = true;
            }
        }
        if has_files {
            dirs.push(dir);
        }
    }
    dirs.sort();
    dirs
}

fn through_the_dashboard(paths: &[String]) -> Timeline {
    let mut app = App::new(Timeline::default(), Mode::View).with_color(false);
    let mut updates = Vec::new();
    jvmem::input::load_streaming(paths, &mut |u| {
        updates.push(u);
        true
    });
    for u in updates {
        app.handle(Event::Update(u), now());
    }
    app.timeline().clone()
}

type Fingerprint = (
    Vec<(Option<String>, u64)>,
    Vec<(Option<f64>, u64, Option<u64>)>,
);

fn fingerprint(t: &Timeline) -> Fingerprint {
    (
        t.snapshots
            .iter()
            .map(|s| (s.timestamp.map(|t| t.to_rfc3339()), s.total.committed_bytes))
            .collect(),
        t.gc_events
            .iter()
            .map(|e| (e.uptime_s, (e.pause_ms * 1000.0) as u64, e.heap_after_bytes))
            .collect(),
    )
}

#[test]
fn view_and_report_find_the_same_data_on_every_sample() {
    let dirs = sample_dirs();
    assert!(dirs.len() >= 30, "samples/ is missing: {dirs:?}");
    let mut events = 0;
    for dir in dirs {
        let paths = [dir.to_string_lossy().into_owned()];
        let report = jvmem::input::load(&paths);
        let view = through_the_dashboard(&paths);
        assert_eq!(
            fingerprint(&view),
            fingerprint(&report),
            "{}",
            dir.display()
        );
        // `load` also says where the JVM changes inside one input; the dashboard says that
        // itself as snapshots arrive (its messages), so it is counted apart here.
        assert_eq!(
            view.diagnostics.len() + view.jvm_change_diagnostics().len(),
            report.diagnostics.len()
        );
        events += report.gc_events.len();
    }
    assert!(events > 1000, "{events}");
}

#[test]
fn the_rotated_g1_set_is_read_as_one_log_by_both() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/gc/rotated-jdk17-g1");
    let paths = [dir.to_string_lossy().into_owned()];
    let report = jvmem::input::load(&paths);
    let view = through_the_dashboard(&paths);
    // 294 before the loaders were one: `view` read each rotated file apart and lost none of
    // the collections split across two files, so it counted them twice.
    assert_eq!(report.gc_events.len(), view.gc_events.len());
    assert_eq!(report.gc_events.len(), 289);
}

#[test]
fn progress_is_reported_while_a_big_file_is_read() {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/scenarios/demo-jdk21-g1/nmt.log");
    let text = std::fs::read_to_string(sample).unwrap();
    let path = std::env::temp_dir().join(format!("jvmem-progress-{}.log", std::process::id()));
    let copies = (12 << 20) / text.len() + 1;
    std::fs::write(&path, text.repeat(copies)).unwrap();
    let mut progress = Vec::new();
    let mut snapshots = 0;
    jvmem::input::load_streaming(&[path.to_string_lossy().into_owned()], &mut |u| {
        match u {
            Update::Progress {
                done_bytes,
                total_bytes,
                ..
            } => progress.push((done_bytes, total_bytes)),
            Update::Snapshots(s) => snapshots += s.len(),
            _ => {}
        }
        true
    });
    let _ = std::fs::remove_file(&path);
    let size = (text.len() * copies) as u64;
    // 0, then every 4 MiB read: at 4, 8 and 12 MiB of a file of just over 12 MiB.
    let done: Vec<u64> = progress.iter().map(|p| p.0).collect();
    assert_eq!(done.len(), 4, "{progress:?}");
    assert_eq!(done[0], 0);
    assert!(
        done.windows(2).all(|w| w[0] < w[1] && w[1] <= size),
        "{done:?}"
    );
    assert!(progress.iter().all(|p| p.1 == Some(size)));
    assert!(snapshots > 0);
}

#[test]
fn the_loader_stops_when_nobody_listens() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/nmt");
    let mut sent = 0;
    jvmem::input::load_streaming(&[dir.to_string_lossy().into_owned()], &mut |_| {
        sent += 1;
        false
    });
    assert_eq!(sent, 1);
}
