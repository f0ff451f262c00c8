//! Big pastes through `App::handle`: every snapshot counted, and how long the UI thread is
//! held (printed, not asserted: `cargo test --release --bin jvmem paste_timing -- --ignored
//! --nocapture`).

use std::time::Instant;

use chrono::{DateTime, FixedOffset};
use jvmem::model::Timeline;

use super::app::{App, Event, Mode};

const DEMO: &str = include_str!("../../samples/scenarios/demo-jdk21-g1/nmt.log");
const DEMO_SNAPSHOTS: usize = 61;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-26T08:00:00+00:00").unwrap()
}

/// The demo log repeated until it holds at least `bytes`, as a terminal sends it (CR line
/// ends); returns the text and its number of snapshots.
fn big_paste(bytes: usize) -> (String, usize) {
    let copies = bytes.div_ceil(DEMO.len());
    (
        DEMO.replace('\n', "\r").repeat(copies),
        copies * DEMO_SNAPSHOTS,
    )
}

#[test]
fn a_paste_of_2000_snapshots_is_read_and_counted() {
    let (text, n) = big_paste(33 * DEMO.len());
    assert!(n >= 2000);
    let mut app = App::new(Timeline::default(), Mode::Live).with_color(false);
    app.handle(Event::Paste(text), now());
    app.finish_pastes();
    assert_eq!(app.timeline().snapshots.len(), n, "{:?}", app.message());
    assert_eq!(app.cursor(), n - 1, "the live cursor follows the newest");
    assert_eq!(
        app.message(),
        Some(format!("pasted {n} snapshots").as_str())
    );
}

#[test]
#[ignore = "timing, for a release build: prints how long App::handle holds the UI thread"]
fn paste_timing() {
    let (text, n) = big_paste(100 << 20);
    let mb = text.len() >> 20;
    let mut app = App::new(Timeline::default(), Mode::Live).with_color(false);
    let start = Instant::now();
    app.handle(Event::Paste(text), now());
    let in_handle = start.elapsed();
    // Poll as the event loop does, timing the one call that applies the result (it runs on
    // the UI thread too).
    let mut applying = std::time::Duration::ZERO;
    while app.parsing_paste() {
        let poll = Instant::now();
        if app.poll_pastes() {
            applying = poll.elapsed();
        } else {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    let total = start.elapsed();
    println!(
        "paste of {mb} MiB ({n} snapshots): App::handle returned after {in_handle:?}; \
         applying the parsed result took {applying:?}; snapshots in the app after {total:?}"
    );
    assert_eq!(app.timeline().snapshots.len(), n);
}
