//! The first screen tells the story without a key press: the verdict line, the limit gauge and the
//! suspect's advice, drawn from real recordings at 80×24, 120×40 and 220×60; and the
//! diagnosis never holds the keyboard.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use jvmem::model::{Timeline, Update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::app::{App, Event, Mode, View};
use super::judge::{DiagnoseFn, Judge};
use super::test_support::{judged, key, load, now, press, sample, screen, snap};

const GIB: u64 = 1 << 30;

/// A scenario's NMT log and GC log, sources named relative to the checkout.
fn scenario(name: &str) -> Timeline {
    let dir = format!("samples/scenarios/{name}");
    load(&[&format!("{dir}/nmt.log"), &format!("{dir}/gc.log")])
}

/// A scenario in the view with a 1 GiB limit, judged: the first screen the user sees.
fn judged_with_1g_limit(name: &str) -> App {
    let mut app = App::new(scenario(name), Mode::View)
        .with_color(false)
        .with_limit(Some(GIB))
        .with_source_label(name);
    judged(&mut app);
    app
}

/// The demo session (samples/sessions/demo.jvmem) replayed at `speed`, paused at its start.
fn paused_demo(speed: f64) -> App {
    let session = include_str!("../../samples/sessions/demo.jvmem");
    let timeline = jvmem::session::read_session(&Arc::from("demo.jvmem"), session);
    App::new(
        timeline,
        Mode::Replay {
            playing: false,
            speed,
        },
    )
    .with_color(false)
}

/// The verdict rows between the header's boxes and the tabs, unwrapped.
fn verdict_of(screen: &str) -> String {
    screen
        .lines()
        .skip_while(|l| !l.starts_with("\"└"))
        .skip(1)
        .take_while(|l| !l.contains("1 Overview"))
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_demo_at_its_end_with_a_1g_limit() {
    let mut app = paused_demo(8.0)
        .with_default_limit(GIB, "demo default, --limit to change")
        .with_source_label("demo");
    key(&mut app, KeyCode::End);
    judged(&mut app);
    let first = screen(&app, 80, 24);
    let verdict = verdict_of(&first);
    assert!(
        verdict.starts_with("as of #61: ▶ Java Heap +69.6 MiB/min (heap)"),
        "{first}"
    );
    // The heap's live set (old gen after GC, 227 MiB, +69.6 MiB/min) reaches -Xmx512m
    // before the total reaches the limit: the first failure is the heap's, the kill later.
    assert!(
        verdict.contains(
            "heap full (-Xmx 512.0 MiB) in about 4.1 min, limit 1.0 GiB in about 8.5 min"
        ),
        "{first}"
    );
    // At 80 columns the whole does not fit in three rows: the other suspects are counted,
    // the limit's note is left out, and the flag and the count are still on screen.
    assert!(verdict.contains("size -Xmx512m to the limit"), "{first}");
    assert!(
        verdict.ends_with("· 2 more suspects (2: detail)"),
        "{first}"
    );
    assert!(!verdict.contains("(limit: demo default"), "{first}");
    assert!(
        first.contains("Total "),
        "the Total row is never cut:\n{first}"
    );
    // A wide screen has room for all of it: the note and the others by name.
    let wide = verdict_of(&screen(&app, 220, 60));
    assert!(
        wide.contains("(limit: demo default, --limit to change)"),
        "{wide}"
    );
    assert!(
        wide.ends_with(
            "also Other +30.0 MiB/min (direct buffers), Class +10.8 MiB/min (class loaders)"
        ),
        "{wide}"
    );
    snap!("demo_end_limit_1g", app);
    key(&mut app, KeyCode::Char('3'));
    let gc = screen(&app, 120, 40);
    assert!(gc.contains("┈ container limit 1.0 GiB"), "{gc}");
}

#[test]
fn a_direct_leak_says_who_how_fast_when_and_what_to_do() {
    let mut app = judged_with_1g_limit("direct-leak-jdk17-g1");
    let first = screen(&app, 80, 24);
    let verdict = verdict_of(&first);
    assert!(
        verdict.contains("▶ Other +29.9 MiB/min (direct buffers)"),
        "{first}"
    );
    assert!(
        verdict.contains("limit 1.0 GiB reached in about 22 min"),
        "{first}"
    );
    assert!(verdict.contains("-XX:MaxDirectMemorySize="), "{first}");
    assert!(first.contains("36% of 1.0 GiB"), "{first}");
    snap!("direct_leak_limit_1g", app);
    // The detail view's advice scrolls down to the flag.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.view(), View::Detail);
    let mut seen = screen(&app, 80, 24);
    for _ in 0..10 {
        if seen.contains("-XX:MaxDirectMemorySize") {
            break;
        }
        key(&mut app, KeyCode::PageDown);
        seen = screen(&app, 80, 24);
    }
    assert!(seen.contains("-XX:MaxDirectMemorySize"), "{seen}");
}

#[test]
fn a_steady_control_has_no_growth_toward_the_limit() {
    let app = judged_with_1g_limit("steady-jdk17-g1");
    let first = screen(&app, 80, 24);
    assert!(first.contains("no growth toward the limit"), "{first}");
    assert!(!first.contains("! "), "nothing is marked:\n{first}");
    snap!("steady_limit_1g", app);
}

#[test]
fn three_snapshots_are_not_enough_data_yet() {
    let mut t = scenario("direct-leak-jdk17-g1");
    t.snapshots.truncate(3);
    t.gc_events.clear();
    let mut app = App::new(Timeline::default(), Mode::Live)
        .with_color(false)
        .with_limit(Some(GIB))
        .with_source_label("pid 4242");
    app.handle(
        Event::Update(Update::Snapshots(t.snapshots.to_vec())),
        now(),
    );
    judged(&mut app);
    let first = screen(&app, 80, 24);
    assert!(
        first.contains("not enough data yet: 6 s recorded (3 snapshots) — growing +"),
        "{first}"
    );
    assert!(first.contains("not yet sure"), "{first}");
    snap!("not_enough_data", app);
}

#[test]
fn a_paste_from_a_second_jvm_joins_the_live_view() {
    let mut app = App::new(scenario("steady-jdk17-g1"), Mode::Live)
        .with_color(false)
        .with_limit(Some(GIB))
        .with_source_label("pid 1 · paste");
    let text = std::fs::read_to_string(sample("samples/nmt/jdk21.0.8/summary.txt")).unwrap();
    let (tx, rx) = mpsc::channel();
    let source = jvmem::live::PasteSource::spawn(jvmem::live::Sink::new(tx, None)).unwrap();
    source.paste(text.replace('\n', "\r"), now());
    source.finish();
    for update in rx.try_iter() {
        app.handle(Event::Update(update), now());
    }
    judged(&mut app);
    assert_eq!(app.timeline().snapshots.len(), 32);
    assert_eq!(app.message(), Some("paste: 1 snapshot read"));
    let text = screen(&app, 80, 24);
    assert!(text.contains("⚠ JVM changed at #32"), "{text}");
    // The verdict judges the new JVM alone: one snapshot is not enough to say anything.
    assert!(text.contains("not enough data yet"), "{text}");
    assert!(
        app.messages()
            .any(|m| m.contains("snapshot #32 is from another JVM (pid 6183 after pid")),
        "{:?}",
        app.messages().collect::<Vec<_>>()
    );
    snap!("paste_from_a_second_jvm", app);
    key(&mut app, KeyCode::Char('4'));
    let compare = screen(&app, 120, 40);
    assert!(compare.contains("⚠ A is pid"), "{compare}");
    assert!(compare.contains("B pid 6183: two JVMs"), "{compare}");
}

#[test]
fn with_only_a_gc_log_it_opens_on_the_gc_view() {
    let t = jvmem::input::load(&[sample("samples/scenarios/heap-leak-jdk17-g1/gc.log")]);
    assert!(t.snapshots.is_empty() && !t.gc_events.is_empty());
    let app = App::new(t, Mode::View).with_color(false);
    assert_eq!(app.view(), View::Gc);
    // Loaded through updates (`jvmem view gc.log`): the same once loading has finished.
    let mut app = App::new(Timeline::default(), Mode::View).with_color(false);
    let mut updates = Vec::new();
    jvmem::input::load_streaming(
        &[sample("samples/scenarios/heap-leak-jdk17-g1/gc.log")],
        &mut |u| {
            updates.push(u);
            true
        },
    );
    for u in updates {
        app.handle(Event::Update(u), now());
    }
    assert_eq!(app.view(), View::Gc);
    assert!(screen(&app, 80, 24).contains("collections"));
    key(&mut app, KeyCode::Char('1'));
    assert!(screen(&app, 80, 24).contains("GC events were read: press 3 for the GC view"));
}

/// A diagnosis that blocks until released: keys are handled meanwhile, the judgement arrives
/// after. The loop is the real one, on a `TestBackend`.
#[test]
fn a_key_press_never_waits_for_the_diagnosis() {
    let (started_tx, started_rx) = mpsc::channel::<usize>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = std::sync::Mutex::new(release_rx);
    let slow: DiagnoseFn = Box::new(move |timeline: &Timeline, limit| {
        let _ = started_tx.send(timeline.snapshots.len());
        let _ = release_rx
            .lock()
            .map(|r| r.recv_timeout(Duration::from_secs(30)));
        (super::judge::report_diagnosis())(timeline, limit)
    });
    let timeline = scenario("direct-leak-jdk17-g1");
    let app = App::new(timeline, Mode::View).with_color(false);
    let (_tx, rx) = mpsc::channel();
    let feeds = super::Feeds {
        updates: rx,
        pastes: None,
        judge: Some(Judge::spawn(slow).unwrap()),
        driller: None,
    };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut script = vec![press(KeyCode::Char('q')), press(KeyCode::Char('2'))];
    let mut diagnosing = None;
    let app = super::run_loop(
        &mut terminal,
        app,
        &feeds,
        |_| {
            // The first key comes only once the diagnosis is running (and blocked).
            if diagnosing.is_none() {
                diagnosing = started_rx.recv_timeout(Duration::from_secs(30)).ok();
            }
            Ok(script.pop())
        },
        now,
    )
    .unwrap();
    assert_eq!(
        diagnosing,
        Some(31),
        "the diagnosis of all 31 snapshots had started"
    );
    assert_eq!(app.view(), View::Detail, "the key was handled");
    assert!(
        app.judgement().is_none(),
        "while the diagnosis was still running"
    );
    assert!(terminal.backend().to_string().contains("2 Detail"));
    release_tx.send(()).unwrap();
}

/// Marks come from the diagnosis's suspect (all its growing categories), not one category:
/// a class-loader leak on JDK 21 marks both `Class` and `Metaspace`.
#[test]
fn a_class_loader_leak_marks_class_and_metaspace() {
    let mut app = App::new(scenario("class-leak-jdk21-g1"), Mode::View)
        .with_color(false)
        .with_limit(Some(GIB));
    judged(&mut app);
    let text = screen(&app, 120, 40);
    assert!(text.contains("! Class "), "{text}");
    assert!(text.contains("! Metaspace "), "{text}");
    assert!(
        !text.contains("! Module"),
        "a follower is not a cause:\n{text}"
    );
}

/// Status messages are cut to one line in the status bar; `m` shows each in full, newest
/// first, and says how many arrived unread.
#[test]
fn the_messages_pane_shows_every_message_in_full_newest_first() {
    let mut app = App::new(scenario("steady-jdk17-g1"), Mode::Live).with_color(false);
    let long = "kubectl: error: unable to upgrade connection: container not found (\"app\"); \
                the pod was restarted 3 times, last state: OOMKilled at 07:31:02";
    for message in [
        long,
        "NMT not enabled — restart with -XX:NativeMemoryTracking=summary",
    ] {
        app.handle(
            Event::Update(Update::Status {
                source: Arc::from("cmd"),
                message: message.into(),
            }),
            now(),
        );
    }
    assert!(screen(&app, 80, 24).contains("m: 2 new"));
    key(&mut app, KeyCode::Char('m'));
    let text = screen(&app, 80, 24);
    let joined: String = text
        .lines()
        .map(|l| l.trim_matches('"').trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    let newest = joined
        .find("cmd: NMT not enabled")
        .expect("the newest message");
    let oldest = joined
        .find("cmd: kubectl: error")
        .expect("the oldest message");
    assert!(newest < oldest, "newest first:\n{text}");
    assert!(joined.contains("OOMKilled at 07:31:02"), "in full:\n{text}");
    key(&mut app, KeyCode::Esc);
    assert!(!screen(&app, 80, 24).contains("m: 2 new"), "read now");
}

/// In replay the marks are of the snapshots up to the cursor: at #3 of the demo nothing has
/// grown long enough to be a suspect; at the end all three leaks are.
#[test]
fn replay_marks_only_what_has_grown_by_the_cursor() {
    let mut app = paused_demo(1.0);
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    assert_eq!(app.cursor(), 2);
    judged(&mut app);
    let early = screen(&app, 120, 40);
    assert!(!early.contains("│! "), "nothing marked at #3:\n{early}");
    assert!(early.contains("as of #3: not enough data yet"), "{early}");
    key(&mut app, KeyCode::End);
    judged(&mut app);
    let late = screen(&app, 120, 40);
    for name in ["! Other", "! Java Heap", "! Class"] {
        assert!(late.contains(name), "{name} at the end:\n{late}");
    }
}

/// The real diagnosis of 100k snapshots on its thread while keys arrive: prints how long the
/// key took to be handled and how long the diagnosis ran (a measurement, not an assertion on
/// time: `cargo test --release --bin jvmem diagnosis_of_100k -- --ignored --nocapture`).
#[test]
#[ignore = "measurement: 100k snapshots, seconds of diagnosis"]
fn diagnosis_of_100k_snapshots_while_a_key_is_pressed() {
    use std::time::Instant;
    let base = scenario("direct-leak-jdk17-g1");
    let t0 = base.snapshots.first().unwrap().timestamp.unwrap();
    let mut timeline = Timeline::default();
    for i in 0..100_000usize {
        let mut s = base
            .snapshots
            .get(i % base.snapshots.len())
            .unwrap()
            .to_snapshot();
        s.timestamp = Some(t0 + chrono::Duration::seconds(3 * i as i64));
        timeline.snapshots.push(s);
    }
    let app = App::new(timeline, Mode::View).with_color(false);
    let (_tx, rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<Duration>();
    let diagnose: DiagnoseFn = Box::new(move |t: &Timeline, limit| {
        let start = Instant::now();
        let d = (super::judge::report_diagnosis())(t, limit);
        let _ = done_tx.send(start.elapsed());
        d
    });
    let feeds = super::Feeds {
        updates: rx,
        pastes: None,
        judge: Some(Judge::spawn(diagnose).unwrap()),
        driller: None,
    };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut script = vec![press(KeyCode::Char('q')), press(KeyCode::Char('2'))];
    let mut sent: Option<Instant> = None;
    let mut calls = 0;
    let app = super::run_loop(
        &mut terminal,
        app,
        &feeds,
        |_| {
            calls += 1;
            if calls == 3 {
                // Let the diagnosis get going, then press `2`.
                std::thread::sleep(Duration::from_millis(200));
                sent = Some(Instant::now());
                return Ok(script.pop());
            }
            if calls == 4 {
                println!(
                    "key `2` handled and the frame drawn {:?} after it was sent",
                    sent.map(|s| s.elapsed())
                );
                return Ok(script.pop());
            }
            Ok(None)
        },
        now,
    )
    .unwrap();
    assert_eq!(app.view(), View::Detail);
    assert!(
        app.judgement().is_none(),
        "the key did not wait for the diagnosis"
    );
    let took = done_rx.recv_timeout(Duration::from_secs(600)).unwrap();
    println!("the diagnosis of 100,000 snapshots took {took:?} on its own thread");
}

/// `s` sorts by what the tab bar says, and only by that (suspects are marked, not moved).
#[test]
fn sort_is_what_it_says() {
    let mut app = App::new(scenario("demo-jdk21-g1"), Mode::View).with_color(false);
    judged(&mut app);
    let committed_column = |text: &str| -> Vec<f64> {
        text.lines()
            .skip_while(|l| !l.contains("Category"))
            .skip(1)
            .take_while(|l| !l.contains("Total"))
            .filter_map(|l| {
                let cells: Vec<&str> = l.split_whitespace().collect();
                // … Reserved (n unit) Committed (n unit) Δ base …: committed is the 2nd amount.
                let amounts: Vec<(f64, &str)> = cells
                    .windows(2)
                    .filter_map(|w| Some((w[0].parse::<f64>().ok()?, w[1])))
                    .collect();
                let (n, unit) = *amounts.get(1)?;
                let scale = match unit {
                    "B" => 1.0,
                    "KiB" => 1024.0,
                    "MiB" => 1024.0 * 1024.0,
                    "GiB" => 1024.0 * 1024.0 * 1024.0,
                    _ => return None,
                };
                Some(n * scale)
            })
            .collect()
    };
    key(&mut app, KeyCode::Char('s'));
    let text = screen(&app, 120, 40);
    assert!(text.contains("sort: committed"), "{text}");
    let values = committed_column(&text);
    assert!(values.len() >= 15, "{values:?}\n{text}");
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "{values:?}\n{text}"
    );
    key(&mut app, KeyCode::Char('s'));
    assert!(screen(&app, 120, 40).contains("sort: name"));
}
