//! Drilling from the detail view (`d`), driven through `App::handle` on real recordings: the
//! topic each category asks for, the class histogram's confirmation, the reason given without a
//! live JVM, the request handed to the worker once, the outcome, and the latest capture drawn
//! as evidence; and the whole loop with a scripted drill worker.

use std::sync::{Arc, mpsc};

use chrono::{DateTime, FixedOffset};
use jvmem::live::{DrillTarget, DrillTopic};
use jvmem::model::{Timeline, Update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::app::{App, Event, Mode, View};
use super::driller::{DrillOutcome, Driller};
use super::test_support::{press, screen};

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-12-01T23:30:00+00:00").unwrap()
}

/// The JDK 17 leak recording of `samples/gen/gen-culprits.sh`: NMT detail snapshots and every
/// drill-down kind, polled every 20 s.
fn recording() -> Timeline {
    let dir = format!("{}/samples/drill/leak-jdk17", env!("CARGO_MANIFEST_DIR"));
    let mut t = jvmem::input::load(&[dir]);
    let short: Arc<str> = Arc::from("leak-jdk17");
    t.snapshots.edit(|_, s| {
        s.source = Arc::clone(&short);
    });
    t
}

fn key(app: &mut App, code: KeyCode) {
    app.handle(press(code), now());
}

fn keys(app: &mut App, text: &str) {
    text.chars().for_each(|c| key(app, KeyCode::Char(c)));
}

/// Opens the detail view of `category` through the filter.
fn open(app: &mut App, category: &str) {
    key(app, KeyCode::Esc);
    keys(app, "/");
    keys(app, category);
    key(app, KeyCode::Enter);
    key(app, KeyCode::Enter);
    assert_eq!(app.view(), View::Detail);
    assert_eq!(app.detail.as_deref(), Some(category));
}

fn live(timeline: Timeline) -> App {
    App::new(timeline, Mode::Live)
        .with_color(false)
        .with_drill_target(DrillTarget::Pid {
            pid: 4242,
            jcmd: "jcmd".into(),
        })
}

/// What the diagnosis thread would send for the app's state now.
fn judge(app: &mut App) {
    if let Some(request) = app.take_judge_request() {
        let judgement = super::judge::judge_now(app.timeline(), request);
        app.handle(Event::Judged(Arc::new(judgement)), now());
    }
}

#[test]
fn a_class_histogram_asks_first_because_it_forces_a_full_gc() {
    let mut app = live(recording());
    open(&mut app, "Java Heap");
    keys(&mut app, "d");
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.contains("forces a full GC of pid 4242") && message.contains("y takes it"),
        "{message}"
    );
    assert!(app.confirming_drill());
    assert_eq!(app.take_drill_request(), None);
    // Any other key cancels, and does nothing else (`j` would move the selection).
    keys(&mut app, "j");
    assert!(!app.confirming_drill());
    assert_eq!(app.view(), View::Detail);
    assert!(app.message().is_some_and(|m| m.contains("cancelled")));
    assert_eq!(app.take_drill_request(), None);

    keys(&mut app, "dy");
    assert_eq!(app.take_drill_request(), Some(DrillTopic::Heap));
    // Handed over once; a second `d` while it runs says so.
    assert_eq!(app.take_drill_request(), None);
    keys(&mut app, "d");
    assert!(
        app.message()
            .is_some_and(|m| m.contains("already taking GC.class_histogram"))
    );
    assert!(!app.confirming_drill());
    app.handle(
        Event::Drilled(DrillOutcome {
            topic: DrillTopic::Heap,
            result: Ok("1 drill-down capture(s) at 23:30:01".into()),
        }),
        now(),
    );
    assert_eq!(
        app.message(),
        Some("GC.class_histogram: 1 drill-down capture(s) at 23:30:01")
    );
    assert!(
        app.messages()
            .next()
            .is_some_and(|m| m.contains("23:30:01"))
    );
    // Done: the next `d` asks again.
    keys(&mut app, "d");
    assert!(app.confirming_drill());
}

#[test]
fn each_category_asks_for_its_own_drill_without_confirmation() {
    for (category, topic) in [
        ("Thread", DrillTopic::Threads),
        ("Class", DrillTopic::Classes),
        ("Metaspace", DrillTopic::Classes),
        ("Other", DrillTopic::Native),
        ("Internal", DrillTopic::Native),
    ] {
        let mut app = live(recording());
        open(&mut app, category);
        keys(&mut app, "d");
        assert!(!app.confirming_drill(), "{category}");
        assert_eq!(app.take_drill_request(), Some(topic), "{category}");
        assert!(
            app.message().is_some_and(|m| m.contains(&topic.describe())),
            "{category}: {:?}",
            app.message()
        );
    }
    // A failure is said, with jcmd's reason.
    let mut app = live(recording());
    open(&mut app, "Other");
    keys(&mut app, "d");
    app.take_drill_request();
    app.handle(
        Event::Drilled(DrillOutcome {
            topic: DrillTopic::Native,
            result: Err("VM.native_memory detail: Detail tracking is not enabled".into()),
        }),
        now(),
    );
    assert_eq!(
        app.message(),
        Some(
            "VM.native_memory detail failed: VM.native_memory detail: Detail tracking is not enabled"
        )
    );
}

#[test]
fn without_a_live_jvm_or_a_drill_the_key_says_why() {
    // Files: `jvmem view` of the same recording.
    let mut app = App::new(recording(), Mode::View).with_color(false);
    open(&mut app, "Java Heap");
    keys(&mut app, "d");
    assert!(!app.confirming_drill());
    assert_eq!(app.take_drill_request(), None);
    let message = app.message().unwrap_or_default().to_string();
    assert_eq!(
        message,
        "d: no live JVM (files shown): `jvmem live --pid PID` drills"
    );
    assert!(screen(&app, 80, 24).contains("d: no live JVM (files shown)"));
    assert!(
        app.messages()
            .next()
            .is_some_and(|m| m.contains("live --pid PID"))
    );

    let mut app = live(recording());
    open(&mut app, "Native Memory Tracking");
    keys(&mut app, "d");
    assert!(
        app.message()
            .is_some_and(|m| m.contains("no drill-down explains Native Memory Tracking")),
        "{:?}",
        app.message()
    );
    assert_eq!(app.take_drill_request(), None);

    // In the overview there is no category to drill into yet.
    let mut app = live(recording());
    keys(&mut app, "d");
    assert!(app.message().is_some_and(|m| m.contains("open one first")));
    assert_eq!(app.take_drill_request(), None);
}

#[test]
fn the_latest_capture_is_drawn_in_the_detail_view_at_both_sizes() {
    let mut app = live(recording());
    judge(&mut app);
    open(&mut app, "Java Heap");
    let wide = screen(&app, 220, 60);
    // (wrapped in the 48-column side box)
    assert!(
        wide.contains("d: take a class histogram now (forces a full"),
        "{wide}"
    );
    // The recording's last histogram, 25 s after the one before it: the decoded images lead.
    assert!(
        wide.contains("GC.class_histogram 20:40:37 · pid 22316 (7"),
        "{wide}"
    );
    assert!(wide.contains("largest now:"), "{wide}");
    assert!(wide.contains("• [I 22.6 MiB (1582 instances)"), "{wide}");
    assert!(wide.contains("• [I +4.0 MiB (+257 instances)"), "{wide}");
    assert!(
        wide.contains("grown since the previous (0.4 min):"),
        "{wide}"
    );
    // And the culprit judged over all the captures, as the suspect's hint.
    assert!(wide.contains("class [I grows"), "{wide}");
    // At 80×24 the box is small but says what the key does; PgDn scrolls to the rest.
    let small = screen(&app, 80, 24);
    assert!(small.contains("PgDn/PgUp scroll"), "{small}");

    // Confirming: the box says what y does.
    keys(&mut app, "d");
    let text = screen(&app, 220, 60);
    assert!(
        text.contains("y: take the class histogram (full GC)"),
        "{text}"
    );
}

/// The real loop with a scripted worker: `d` on Thread hands the topic to the worker, whose
/// captures arrive on the updates channel and are judged, and whose outcome is said.
#[test]
fn the_loop_hands_a_drill_to_the_worker_and_shows_what_it_took() {
    let thread_dump = {
        let text = std::fs::read_to_string(format!(
            "{}/samples/drill/leak-jdk17/capture.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let parsed = jvmem::drill::parse_str(&Arc::from("worker"), &text);
        parsed
            .captures
            .into_iter()
            .rev()
            .find(|c| c.kind == jvmem::model::DrillKind::ThreadDump)
            .unwrap()
    };
    let mut timeline = recording();
    let drills_before = timeline.drills.len();
    // The worker's capture is the newest.
    timeline.drills.retain(|c| {
        c.kind != jvmem::model::DrillKind::ThreadDump || c.timestamp < thread_dump.timestamp
    });
    let kept = timeline.drills.len();
    assert!(kept < drills_before);
    let app = live(timeline);
    let (tx, rx) = mpsc::channel();
    let (asked_tx, asked) = mpsc::channel();
    let worker_tx = tx.clone();
    let driller = Driller::spawn_with(Box::new(move |topic| {
        asked_tx.send(topic).unwrap();
        worker_tx
            .send(Update::Drills(vec![thread_dump.clone()]))
            .unwrap();
        Ok("1 drill-down capture(s) at 23:30:05".into())
    }))
    .unwrap();
    let feeds = super::Feeds {
        updates: rx,
        pastes: None,
        judge: None,
        driller: Some(driller),
    };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut script: Vec<Event> = "/Thread".chars().map(char_key).collect();
    script.push(press(KeyCode::Enter));
    script.push(press(KeyCode::Enter));
    script.push(char_key('d'));
    script.reverse();
    let mut ticks = 0;
    let app = super::run_loop(
        &mut terminal,
        app,
        &feeds,
        |_| {
            if let Some(e) = script.pop() {
                return Ok(Some(e));
            }
            ticks += 1;
            // Give the worker time, then quit.
            std::thread::sleep(std::time::Duration::from_millis(20));
            Ok(Some(if ticks > 100 {
                char_key('q')
            } else {
                Event::Tick
            }))
        },
        now,
    )
    .unwrap();
    drop(tx);
    assert_eq!(asked.try_iter().collect::<Vec<_>>(), [DrillTopic::Threads]);
    assert_eq!(app.timeline().drills.len(), kept + 1);
    assert_eq!(
        app.message(),
        Some("Thread.print: 1 drill-down capture(s) at 23:30:05")
    );
}

fn char_key(c: char) -> Event {
    press(KeyCode::Char(c))
}

/// Drills that arrive while the dashboard runs reach the diagnosis thread with the app's
/// timeline, and a new capture asks for a new judgement: its evidence comes back.
#[test]
fn live_drills_reach_the_diagnosis_thread_and_ask_again() {
    let mut timeline = recording();
    let drills = std::mem::take(&mut timeline.drills);
    let mut app = live(timeline);
    let judge = super::Judge::spawn(super::judge::report_diagnosis()).unwrap();
    let first = app.take_judge_request().expect("a first judgement");
    assert_eq!(first.drills, 0);
    assert_eq!(app.take_judge_request(), None);
    app.handle(Event::Update(Update::Drills(drills)), now());
    let second = app
        .take_judge_request()
        .expect("asked again for the drills");
    assert!(second.drills >= 30, "{second:?}");
    judge.request(second, app.shared_timeline());
    let mut judgement = None;
    for _ in 0..300 {
        judgement = judge.try_result().filter(|j| j.request == second);
        if judgement.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let judgement = judgement.expect("a judgement within 15 s");
    let heap = judgement.drills_for("Java Heap");
    assert_eq!(heap.len(), 1);
    assert_eq!(heap[0].captures, 7);
    assert_eq!(&*heap[0].largest[0].name, "[I");
    assert!(!judgement.drills_for("Thread").is_empty());
    // Call sites are shown under their own category only.
    let other = judgement.drills_for("Other");
    assert_eq!(other.len(), 1);
    assert!(
        other[0]
            .largest
            .iter()
            .all(|r| r.category.as_deref() == Some("Other")),
        "{other:?}"
    );
}
