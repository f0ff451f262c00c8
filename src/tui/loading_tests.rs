//! Loading a big input into the dashboard: snapshots read in many batches are put in time
//! order a logarithmic number of times (and fully once the load ends), updates wait while a
//! judgement reads the shared timeline (and go in once it lets go, or after a second), and
//! the diagnosis thread answers only the newest of the requests queued while it was busy.

use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use jvmem::model::{Snapshot, Timeline, Update};

use super::app::{App, Event, Mode};
use super::judge::{DiagnoseFn, Judge, JudgeRequest};

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-26T08:00:00+00:00").unwrap()
}

/// The demo recording's 61 snapshots.
fn demo() -> Vec<Snapshot> {
    let mut p = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    p.push("samples/scenarios/demo-jdk21-g1/nmt.log");
    let t = jvmem::input::load(&[p.to_string_lossy().into_owned()]);
    assert_eq!(t.snapshots.len(), 61);
    t.snapshots.to_vec()
}

/// The demo recording `copies` times over, as a file of concatenated recordings reads: the
/// time goes back at each copy, so the timeline is out of order until sorted.
fn concatenated(copies: usize) -> Vec<Vec<Snapshot>> {
    let one = demo();
    (0..copies).map(|_| one.clone()).collect()
}

fn progress(done: u64) -> Update {
    Update::Progress {
        source: Arc::from("big.log"),
        done_bytes: done,
        total_bytes: Some(1 << 30),
    }
}

fn times(t: &Timeline) -> Vec<Option<DateTime<FixedOffset>>> {
    t.snapshots.iter().map(|s| s.timestamp).collect()
}

fn in_time_order(t: &Timeline) -> bool {
    let times = times(t);
    times.windows(2).all(|w| w[0] <= w[1])
}

#[test]
fn a_load_in_many_batches_sorts_a_logarithmic_number_of_times() {
    let batches = concatenated(64);
    let mut app = App::new(Timeline::default(), Mode::View);
    app.handle(Event::Update(progress(0)), now());
    let mut expected = Timeline::default();
    for (i, batch) in batches.into_iter().enumerate() {
        expected.apply(Update::Snapshots(batch.clone()));
        app.handle(Event::Update(Update::Snapshots(batch)), now());
        app.handle(Event::Update(progress(i as u64 + 1)), now());
        // The data read so far are on screen at once, the cursor on the newest.
        assert_eq!(app.timeline().snapshots.len(), 61 * (i + 1));
        assert_eq!(app.cursor(), 61 * (i + 1) - 1);
    }
    // 64 batches: sorted at 1, 2, 4, 8, 16, 32 and 64 batches' worth (a sort per batch was 64).
    assert_eq!(app.intake.sorts, 7);
    app.handle(
        Event::Update(Update::Finished {
            source: Arc::from("big.log"),
        }),
        now(),
    );
    assert!(in_time_order(app.timeline()));
    assert_eq!(times(app.timeline()), times(&expected));
    assert_eq!(app.intake.sorts, 7, "nothing left to sort at the end");
    assert_eq!(app.cursor(), 61 * 64 - 1);
}

#[test]
fn the_end_of_a_load_sorts_what_is_left() {
    let mut app = App::new(Timeline::default(), Mode::View);
    app.handle(Event::Update(progress(0)), now());
    for batch in concatenated(3) {
        app.handle(Event::Update(Update::Snapshots(batch)), now());
    }
    // Sorted at 1 and 2 batches; the third waits for the end of the load.
    assert_eq!(app.intake.sorts, 2);
    assert!(!in_time_order(app.timeline()));
    assert_eq!(app.take_judge_request(), None, "not judged while loading");
    app.handle(
        Event::Update(Update::Finished {
            source: Arc::from("big.log"),
        }),
        now(),
    );
    assert_eq!(app.intake.sorts, 3);
    assert!(in_time_order(app.timeline()));
    assert!(app.take_judge_request().is_some());
}

#[test]
fn without_a_load_every_batch_is_sorted_at_once() {
    let mut app = App::new(Timeline::default(), Mode::Live);
    for (i, batch) in concatenated(4).into_iter().enumerate() {
        app.handle(Event::Update(Update::Snapshots(batch)), now());
        assert_eq!(app.intake.sorts, i + 1);
        assert!(in_time_order(app.timeline()));
    }
}

#[test]
fn a_change_of_jvm_read_while_loading_is_said_once() {
    let one = demo();
    let other: Vec<Snapshot> = one
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.pid = s.pid.map(|p| p + 1);
            s.timestamp = s.timestamp.map(|t| t + chrono::Duration::hours(1));
            s
        })
        .collect();
    let mut app = App::new(Timeline::default(), Mode::View);
    app.handle(Event::Update(progress(0)), now());
    for batch in [one.clone(), one, other.clone(), other] {
        app.handle(Event::Update(Update::Snapshots(batch)), now());
    }
    app.handle(
        Event::Update(Update::Finished {
            source: Arc::from("big.log"),
        }),
        now(),
    );
    let said: Vec<&str> = app
        .messages()
        .filter(|m| m.contains("from another JVM"))
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("snapshot #123 "), "{said:?}");
}

/// A live app given one batch of the demo, then a second one while a judgement (the returned
/// `Arc`) holds the timeline: the second waits.
fn second_batch_while_held() -> (App, Arc<Timeline>) {
    let mut app = App::new(Timeline::default(), Mode::Live);
    let mut batches = concatenated(2).into_iter();
    app.handle(
        Event::Update(Update::Snapshots(batches.next().unwrap())),
        now(),
    );
    let held = app.shared_timeline();
    app.handle(
        Event::Update(Update::Snapshots(batches.next().unwrap())),
        now(),
    );
    (app, held)
}

#[test]
fn updates_wait_while_a_judgement_reads_the_timeline() {
    let (mut app, held) = second_batch_while_held();
    assert_eq!(app.pending_updates(), 1);
    assert_eq!(
        app.timeline().snapshots.len(),
        61,
        "the screen shows what is judged"
    );
    app.handle(Event::Tick, now());
    assert_eq!(app.pending_updates(), 1, "still held");
    drop(held);
    app.handle(Event::Tick, now());
    assert_eq!(app.pending_updates(), 0);
    assert_eq!(app.timeline().snapshots.len(), 122);
}

#[test]
fn updates_held_too_long_go_in_on_a_copy() {
    let (mut app, held) = second_batch_while_held();
    app.handle(Event::Tick, now() + chrono::Duration::milliseconds(900));
    assert_eq!(app.pending_updates(), 1);
    app.handle(Event::Tick, now() + chrono::Duration::milliseconds(1000));
    assert_eq!(app.pending_updates(), 0);
    assert_eq!(app.timeline().snapshots.len(), 122);
    assert_eq!(
        held.snapshots.len(),
        61,
        "the judgement's timeline is left as it was"
    );
}

#[test]
fn the_diagnosis_answers_the_newest_of_the_requests_queued_meanwhile() {
    let (started_tx, started_rx) = mpsc::channel::<usize>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = std::sync::Mutex::new(release_rx);
    let diagnose: DiagnoseFn = Box::new(move |timeline: &Timeline, limit| {
        let _ = started_tx.send(timeline.snapshots.len());
        let _ = release_rx
            .lock()
            .map(|r| r.recv_timeout(Duration::from_secs(30)));
        (super::judge::report_diagnosis())(timeline, limit)
    });
    let judge = Judge::spawn(diagnose).unwrap();
    let mut timeline = Timeline::default();
    timeline.apply(Update::Snapshots(demo()));
    let timeline = Arc::new(timeline);
    let request = |as_of| JudgeRequest {
        as_of,
        limit_bytes: None,
        drills: 0,
    };
    judge.request(request(10), Arc::clone(&timeline));
    assert_eq!(started_rx.recv_timeout(Duration::from_secs(30)), Ok(10));
    for as_of in [20, 30, 40] {
        judge.request(request(as_of), Arc::clone(&timeline));
    }
    for _ in 0..2 {
        release_tx.send(()).unwrap();
    }
    assert_eq!(started_rx.recv_timeout(Duration::from_secs(30)), Ok(40));
    let mut last = None;
    for _ in 0..3000 {
        last = judge.try_result().map(|j| j.request.as_of).or(last);
        if last == Some(40) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(last, Some(40));
    assert!(
        started_rx.recv_timeout(Duration::from_millis(300)).is_err(),
        "20 and 30 were never judged"
    );
    // The worker let go of every timeline it was given.
    for _ in 0..100 {
        if Arc::strong_count(&timeline) == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(Arc::strong_count(&timeline), 1);
}

#[test]
fn redrawing_the_gc_view_reuses_its_series_until_something_changes() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut p = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    p.push("samples/scenarios/demo-jdk21-g1");
    let timeline = jvmem::input::load(&[p.to_string_lossy().into_owned()]);
    assert!(
        timeline.gc_events.len() > 20,
        "{}",
        timeline.gc_events.len()
    );
    let fresh = || {
        App::new(timeline.clone(), Mode::View)
            .with_color(false)
            .with_view(super::app::View::Gc)
    };
    let draw = |app: &App, w: u16, h: u16| {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| super::render(app, f)).unwrap();
        terminal.backend().to_string()
    };
    let mut app = fresh();
    let first = draw(&app, 80, 24);
    assert!(first.contains(" pauses "), "{first}");
    assert_eq!(draw(&app, 80, 24), first);
    assert_eq!(
        app.gc_series.computed(),
        1,
        "the second frame reused the series"
    );
    draw(&app, 120, 40);
    assert_eq!(app.gc_series.computed(), 2, "another width, other buckets");
    for _ in 0..20 {
        app.handle(
            Event::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE)),
            now(),
        );
    }
    let moved = draw(&app, 80, 24);
    assert_eq!(
        app.gc_series.computed(),
        3,
        "the cursor moved back: fewer events"
    );
    // What is drawn from the kept series is what a fresh dashboard draws.
    let mut other = fresh();
    for _ in 0..20 {
        other.handle(
            Event::Key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE)),
            now(),
        );
    }
    assert_eq!(draw(&other, 80, 24), moved);
    assert_ne!(moved, first);
}
