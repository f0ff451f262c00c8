//! One dashboard frame over 10,000 snapshots must render in under 5 ms.
//!
//! The TUI lives in the binary (the library stays free of terminal code), so the bench
//! includes its module tree by path: `src/tui` only depends on the `jvmem` library and
//! ratatui, and draws into a `TestBackend` here — no terminal I/O is measured.

// A failed unwrap in a bench's setup is the bench failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::PathBuf;

use chrono::Duration;
use criterion::{Criterion, criterion_group, criterion_main};
use jvmem::model::Timeline;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

// The bench draws one frame: what only the binary's commands or the TUI's own tests use is
// unused in this crate. clippy --all-targets also builds it with cfg(test), where the TUI's
// tests come along without main.rs's test-only cast allowance.
#[allow(
    dead_code,
    unused_imports,
    unused_macros,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]
#[path = "../src/tui/mod.rs"]
mod tui;

use tui::{App, Mode, View};

/// The demo session's snapshots repeated, 3 s apart, to `n` snapshots.
fn timeline(n: usize) -> Timeline {
    let mut path = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    path.push("samples/scenarios/demo-jdk21-g1/nmt.log");
    let source = jvmem::input::load(&[path.to_string_lossy().into_owned()]);
    assert!(!source.snapshots.is_empty(), "sample missing");
    let t0 = source
        .snapshots
        .first()
        .unwrap()
        .timestamp
        .expect("timestamped sample");
    let mut timeline = Timeline::default();
    for i in 0..n {
        let mut s = source
            .snapshots
            .get(i % source.snapshots.len())
            .unwrap()
            .to_snapshot();
        s.timestamp = Some(t0 + Duration::seconds(3 * i64::try_from(i).unwrap()));
        timeline.snapshots.push(s);
    }
    timeline
}

fn bench(c: &mut Criterion) {
    let timeline = timeline(10_000);
    for view in [View::Overview, View::Detail, View::Compare] {
        let app = App::new(timeline.clone(), Mode::View)
            .with_view(view)
            .with_compare(0, 9_999);
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
            c.bench_function(&format!("render {view:?} 10k snapshots {w}x{h}"), |b| {
                b.iter(|| {
                    terminal
                        .draw(|f| tui::render(black_box(&app), f))
                        .expect("draw");
                })
            });
        }
    }
}

/// The demo's GC log (a real JDK 21 G1 run) repeated, its times shifted, to `n` events: the
/// size of a 128 MiB `-Xlog:gc*` log (~165k collections).
fn gc_timeline(n: usize) -> Timeline {
    let mut path = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    path.push("samples/scenarios/demo-jdk21-g1/gc.log");
    let source = jvmem::input::load(&[path.to_string_lossy().into_owned()]);
    let events = &source.gc_events;
    assert!(!events.is_empty(), "sample missing");
    let span_s = events.last().and_then(|e| e.uptime_s).unwrap_or(1.0) + 1.0;
    let span_ms = i64::try_from(jvmem::num::u64_from_f64(span_s * 1000.0)).unwrap();
    let mut timeline = Timeline::default();
    for i in 0..n {
        let round = i64::try_from(i / events.len()).unwrap();
        let mut e = events.get(i % events.len()).unwrap();
        let shift_ms = span_ms * round;
        e.uptime_s = e.uptime_s.map(|u| u + shift_ms as f64 / 1000.0);
        e.timestamp = e.timestamp.map(|t| t + Duration::milliseconds(shift_ms));
        timeline.gc_events.push(e);
    }
    timeline
}

/// The GC view over a big log, redrawn as after a key press.
fn bench_gc(c: &mut Criterion) {
    let app = App::new(gc_timeline(165_000), Mode::View).with_view(View::Gc);
    for (w, h) in [(80u16, 24u16), (220, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        c.bench_function(&format!("render Gc 165k events {w}x{h}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| tui::render(black_box(&app), f))
                    .expect("draw");
            })
        });
    }
}

criterion_group!(benches, bench, bench_gc);
criterion_main!(benches);
