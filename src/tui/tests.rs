//! The dashboard driven through `App::handle` and drawn on a `TestBackend`: insta snapshots of
//! every view at 80×24, 120×40 and 220×60 on real samples, key sequences, pastes and replay with
//! injected time (the loop itself and terminal restoration: `loop_tests.rs`).

use std::sync::Arc;

use chrono::Duration;
use jvmem::model::{Timeline, Update};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::app::{App, Control, Event, Mode, View};
use super::test_support::{draw, judged, key, keys, now, sample, screen, snap};

const HEAP_LEAK: &str = "samples/scenarios/heap-leak-jdk17-g1/nmt.log";
const DEMO: &str = "samples/scenarios/demo-jdk21-g1/nmt.log";
const DIRECT_LEAK: &str = "samples/scenarios/direct-leak-jdk17-g1/nmt.log";

fn load(rel: &str) -> Timeline {
    super::test_support::load(&[rel])
}

fn app(rel: &str, mode: Mode) -> App {
    App::new(load(rel), mode)
        .with_color(false)
        .with_source_label(rel)
}

/// The overview's rows below its header line.
fn table_rows(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| !l.contains("Category"))
        .skip(1)
        .collect()
}

/// Pastes `text` through the paste source, as the loop does, and applies what it sends.
fn paste(app: &mut App, text: &str) {
    let (tx, rx) = std::sync::mpsc::channel();
    let source = jvmem::live::PasteSource::spawn(jvmem::live::Sink::new(tx, None)).unwrap();
    app.handle(Event::Paste(text.to_string()), now());
    source.paste(text.to_string(), now());
    source.finish();
    for update in rx.try_iter() {
        app.handle(Event::Update(update), now());
    }
}

#[test]
fn overview_of_a_heap_leak() {
    // NMT sees a heap leak only once the heap has to grow: here it stays committed, flat.
    let app = app(HEAP_LEAK, Mode::View);
    assert_eq!(app.cursor(), app.timeline().snapshots.len() - 1);
    snap!("overview_heap_leak", app);
}

#[test]
fn overview_of_the_demo_puts_the_leaks_first() {
    let mut app = app(DEMO, Mode::View);
    judged(&mut app);
    snap!("overview_demo", app);
    let text = screen(&app, 80, 24);
    let rows = table_rows(&text);
    assert!(
        rows[0].contains("! Other"),
        "the direct-buffer leak comes first:\n{text}"
    );
    // NMT alone (no GC log) leaves the heap a growing row the diagnosis is not sure of.
    assert!(rows[1].contains("▲ Java Heap"), "{text}");
}

#[test]
fn detail_view_with_a_suspect() {
    let mut app = app(DIRECT_LEAK, Mode::View).with_limit(Some(1 << 30));
    judged(&mut app);
    let text = screen(&app, 80, 24);
    let first = text
        .lines()
        .position(|l| l.contains("Category"))
        .expect("the table");
    assert!(
        text.lines().nth(first + 1).unwrap().contains("! Other"),
        "the direct leak grows most and is marked:\n{text}"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.view(), View::Detail);
    snap!("detail_direct_suspect", app);
}

#[test]
fn detail_view_of_class_on_jdk21() {
    let mut app = app(DEMO, Mode::View);
    keys(&mut app, "s"); // by size
    keys(&mut app, "/class");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.view(), View::Detail);
    snap!("detail_class_jdk21", app);
}

#[test]
fn gc_view_without_events_explains() {
    let mut app = app(DEMO, Mode::View);
    keys(&mut app, "3");
    snap!("gc_empty", app);
}

#[test]
fn compare_view_baseline_against_cursor() {
    let mut app = app(DEMO, Mode::View);
    keys(&mut app, "4");
    keys(&mut app, "]]]]]");
    assert_eq!(app.baseline(), 5);
    snap!("compare_demo", app);
}

#[test]
fn help_overlay_lists_every_key() {
    let mut app = app(HEAP_LEAK, Mode::View);
    keys(&mut app, "?");
    let text = screen(&app, 80, 40);
    for (keys, _) in super::keys::help_rows() {
        assert!(text.contains(&keys), "help lacks {keys}:\n{text}");
    }
    snap!("help", app);
    // At 80x24 the table scrolls: the last rows come into view.
    assert!(!screen(&app, 80, 24).contains("Ctrl-c"));
    keys(&mut app, "jjjjjjjjjjjj");
    assert!(screen(&app, 80, 24).contains("Ctrl-c"));
    keys(&mut app, "x");
    assert!(!screen(&app, 80, 24).contains("Esc closes"));
}

#[test]
fn live_mode_empty_says_how_to_feed_it() {
    let app = App::new(Timeline::default(), Mode::Live).with_color(false);
    snap!("live_empty", app);
}

#[test]
fn keys_move_cursor_baseline_views_and_quit() {
    let mut app = app(HEAP_LEAK, Mode::View);
    let last = app.timeline().snapshots.len() - 1;
    key(&mut app, KeyCode::Left);
    assert_eq!(app.cursor(), last - 1);
    keys(&mut app, "g");
    assert_eq!(app.cursor(), 0);
    keys(&mut app, "lllb");
    assert_eq!((app.cursor(), app.baseline()), (3, 3));
    keys(&mut app, "G");
    assert_eq!(app.cursor(), last);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.view(), View::Detail);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.view(), View::Overview);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.view(), View::Compare);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.view(), View::Overview, "Esc goes back from compare");
    assert_eq!(
        key(&mut app, KeyCode::Esc),
        Control::Continue,
        "Esc never quits"
    );
    keys(&mut app, "m");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.view(), View::Overview, "Esc closed the messages only");
    assert!(!screen(&app, 80, 24).contains("newest first"));
    // j/k past the ends, sort, filter with Esc: nothing breaks.
    for c in "kkkkjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjsss1".chars() {
        key(&mut app, KeyCode::Char(c));
        screen(&app, 80, 24);
    }
    keys(&mut app, "/zzz");
    assert!(screen(&app, 80, 24).contains("0 categories"));
    key(&mut app, KeyCode::Esc);
    assert!(screen(&app, 80, 24).contains("Java Heap"));
    assert_eq!(key(&mut app, KeyCode::Char('q')), Control::Quit);
}

#[test]
fn every_key_on_every_view_at_tiny_and_odd_sizes() {
    let mut app = app(DEMO, Mode::View);
    let codes = [
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
    ];
    for view in "12344".chars() {
        keys(&mut app, &view.to_string());
        for code in codes
            .iter()
            .copied()
            .chain("jkhlgGbs[]+-? ".chars().map(KeyCode::Char))
        {
            key(&mut app, code);
            for (w, h) in [(80, 24), (20, 6), (1, 1), (250, 70)] {
                draw(&app, w, h);
            }
        }
        key(&mut app, KeyCode::Esc); // closes help or detail when open
    }
}

const PASTE_TWO: &str = "some shell prompt $ jcmd 4242 VM.native_memory summary\r\n4242:\r\n\r\nNative Memory Tracking:\r\n\r\nTotal: reserved=1000KB, committed=500KB\r\n-                 Java Heap (reserved=800KB, committed=400KB)\r\n                            (mmap: reserved=800KB, committed=400KB)\r\n\r\n-                     Other (reserved=200KB, committed=100KB)\r\n                            (malloc=100KB #3)\r\n\r\n$ noise here\r\n2026-11-26T07:59:00+00:00\r\nNative Memory Tracking:\r\n\r\nTotal: reserved=1200KB, committed=700KB\r\n-                 Java Heap (reserved=800KB, committed=400KB)\r\n                            (mmap: reserved=800KB, committed=400KB)\r\n\r\n-                     Other (reserved=400KB, committed=300KB)\r\n                            (malloc=300KB #9)\r\n\r\n";

#[test]
fn paste_of_several_snapshots_with_noise_and_crlf() {
    let mut app = App::new(Timeline::default(), Mode::Live).with_color(false);
    paste(&mut app, PASTE_TWO);
    let s = &app.timeline().snapshots;
    assert_eq!(s.len(), 2, "{:?}", app.message());
    assert!(s.iter().all(|s| &**s.source == "paste"));
    assert_eq!(
        s.get(1).unwrap().timestamp,
        Some(now()),
        "no timestamp: the paste time"
    );
    assert_eq!(
        s.get(0).unwrap().timestamp,
        Some(now() - Duration::minutes(1))
    );
    assert_eq!(app.cursor(), 1, "live cursor follows the newest");
    assert_eq!(app.message(), Some("paste: 2 snapshots read"));
    judged(&mut app);
    snap!("live_after_paste", app);
}

#[test]
fn paste_with_lone_carriage_returns_as_terminals_send_it() {
    let mut app = App::new(Timeline::default(), Mode::Live).with_color(false);
    let cr_only = PASTE_TWO.replace("\r\n", "\r");
    paste(&mut app, &cr_only);
    assert_eq!(app.timeline().snapshots.len(), 2, "{:?}", app.message());
}

#[test]
fn paste_of_garbage_changes_nothing_and_says_why() {
    let mut app = app(HEAP_LEAK, Mode::Live);
    let before = app.timeline().snapshots.len();
    for garbage in [
        "hello world\r\n",
        "",
        "4242:\nAttachNotSupportedException: Unable to open socket file",
        "Native Memory Tracking:\n\nTotal: re",
    ] {
        paste(&mut app, garbage);
        assert_eq!(app.timeline().snapshots.len(), before, "{garbage:?}");
        let message = app.message().unwrap_or_default();
        assert!(
            message.starts_with("paste: nothing readable"),
            "{garbage:?}: {message}"
        );
        assert!(screen(&app, 80, 24).contains("paste: nothing readable"));
    }
}

#[test]
fn replay_steps_and_plays_with_injected_time() {
    let mut app = app(
        HEAP_LEAK,
        Mode::Replay {
            playing: false,
            speed: 1.0,
        },
    );
    assert_eq!(app.cursor(), 0, "replay starts at the beginning");
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    assert_eq!(app.cursor(), 2);
    key(&mut app, KeyCode::Left);
    assert_eq!(app.cursor(), 1);
    keys(&mut app, "g ");
    assert_eq!(
        app.mode(),
        Mode::Replay {
            playing: true,
            speed: 1.0
        }
    );
    // Snapshots are ~3 s apart: first tick starts the clock, 2.9 s later nothing, 3.2 s later one.
    let t0 = now();
    app.handle(Event::Tick, t0);
    app.handle(Event::Tick, t0 + Duration::milliseconds(1500));
    assert_eq!(app.cursor(), 0);
    app.handle(Event::Tick, t0 + Duration::milliseconds(3500));
    assert_eq!(app.cursor(), 1);
    keys(&mut app, "+++"); // 8x
    assert_eq!(
        app.mode(),
        Mode::Replay {
            playing: true,
            speed: 8.0
        }
    );
    app.handle(Event::Tick, t0 + Duration::milliseconds(5000)); // 1.5 s × 8 = 12 s ≈ 4 snapshots
    assert!((4..=6).contains(&app.cursor()), "cursor {}", app.cursor());
    keys(&mut app, " ");
    let paused_at = app.cursor();
    app.handle(Event::Tick, t0 + Duration::seconds(60));
    assert_eq!(app.cursor(), paused_at, "paused");
    keys(&mut app, " ");
    app.handle(Event::Tick, t0 + Duration::seconds(61));
    app.handle(Event::Tick, t0 + Duration::seconds(3600));
    let last = app.timeline().snapshots.len() - 1;
    assert_eq!(app.cursor(), last);
    assert_eq!(
        app.mode(),
        Mode::Replay {
            playing: false,
            speed: 8.0
        },
        "stops at the end"
    );
    // All views show data up to the cursor only.
    keys(&mut app, "g");
    let first = screen(&app, 80, 24);
    assert!(first.contains(&format!("#1/{}", last + 1)), "{first}");
    snap!("replay_at_start", app);
}

#[test]
fn replay_without_timestamps_is_one_snapshot_per_second() {
    let mut t = load(HEAP_LEAK);
    t.snapshots.edit(|_, s| {
        s.timestamp = None;
    });
    let mut app = App::new(
        t,
        Mode::Replay {
            playing: true,
            speed: 2.0,
        },
    );
    app.handle(Event::Tick, now());
    app.handle(Event::Tick, now() + Duration::milliseconds(1600)); // 3.2 recorded seconds
    assert_eq!(app.cursor(), 3);
}

#[test]
fn updates_from_a_loader_fill_an_empty_view() {
    let mut app = App::new(Timeline::default(), Mode::View).with_color(false);
    let source: Arc<str> = Arc::from("big.log");
    app.handle(
        Event::Update(Update::Progress {
            source: Arc::clone(&source),
            done_bytes: 50,
            total_bytes: Some(200),
        }),
        now(),
    );
    assert!(screen(&app, 80, 24).contains("loading… 25%"));
    let t = load(HEAP_LEAK);
    let n = t.snapshots.len();
    app.handle(
        Event::Update(Update::Snapshots(t.snapshots.to_vec())),
        now(),
    );
    app.handle(Event::Update(Update::Finished { source }), now());
    assert_eq!(app.cursor(), n - 1);
    let text = screen(&app, 80, 24);
    assert!(text.contains(&format!("loaded {n} snapshots")), "{text}");
}

#[test]
fn no_color_draws_no_colours() {
    let app = app(HEAP_LEAK, Mode::View);
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
}

#[test]
fn gc_view_with_events_on_the_nmt_time_axis() {
    let mut t = load(DEMO);
    let gc = jvmem::input::load(&[sample("samples/scenarios/demo-jdk21-g1/gc.log")]);
    let events = gc.gc_events.len();
    t.gc_events = gc.gc_events;
    let mut app = App::new(t, Mode::View).with_color(false);
    keys(&mut app, "3");
    judged(&mut app);
    snap!("gc_events", app);
    let text = screen(&app, 80, 24);
    // The summary is the library's (analysis::gc_summary), of the events up to the cursor.
    assert!(
        text.contains(&format!("G1: {events} collections (")),
        "{text}"
    );
    // Moving the cursor back shows only the collections up to its time.
    keys(&mut app, "g");
    keys(&mut app, &"l".repeat(30));
    judged(&mut app);
    let early = app
        .judgement()
        .and_then(|j| j.gc.as_ref())
        .map(|g| g.events);
    assert!(
        early.is_some_and(|n| n > 0 && n < events as u64),
        "{early:?} of {events}"
    );
}

#[test]
fn mouse_wheel_moves_the_selection() {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let mut app = app(DEMO, Mode::View);
    let wheel = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.handle(wheel(MouseEventKind::ScrollDown), now());
    app.handle(wheel(MouseEventKind::ScrollDown), now());
    app.handle(wheel(MouseEventKind::ScrollUp), now());
    key(&mut app, KeyCode::Enter);
    assert!(
        screen(&app, 80, 24).contains("Java Heap ━ committed"),
        "second row is Java Heap"
    );
}

#[test]
fn every_key_on_an_empty_timeline() {
    for mode in [
        Mode::Live,
        Mode::View,
        Mode::Replay {
            playing: true,
            speed: 1.0,
        },
    ] {
        let mut app = App::new(Timeline::default(), mode).with_color(false);
        for c in "1234jkhlgGbs[]+- ?x/ab".chars() {
            key(&mut app, KeyCode::Char(c));
            app.handle(Event::Tick, now());
            draw(&app, 80, 24);
            draw(&app, 10, 3);
        }
        for code in [
            KeyCode::Enter,
            KeyCode::Backspace,
            KeyCode::Esc,
            KeyCode::Enter,
            KeyCode::Tab,
            KeyCode::End,
        ] {
            key(&mut app, code);
            draw(&app, 80, 24);
        }
        assert_eq!(app.cursor(), 0);
    }
}
