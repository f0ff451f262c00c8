//! The fleet view on real recordings (samples/scenarios: JDK 17 JVMs leaking direct buffers,
//! threads and heap, and steady ones), ranked by the library as `jvmem fleet` ranks them:
//! the column plan at every width, the cells' formats, the screen at 80×24 and 220×60, keys,
//! re-reads, and the loop through a JVM's dashboard and back on a `TestBackend`.

use std::collections::VecDeque;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use jvmem::analysis::diagnosis::DiagnoseOptions;
use jvmem::fleet::{Exporter, Fleet};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{Control, Event, View};
use super::fleet::{FleetApp, FleetControl, FleetSource};
use super::fleet_loop::{DiagnoseFactory, run_fleet_loop};
use super::views::fleet_columns::{fit_middle, minutes_text, plan, rate_text};

const PODS: &[(&str, &str)] = &[
    ("gw-7d9f8c6b5-steady1", "steady-jdk17-g1"),
    ("gw-7d9f8c6b5-direct", "direct-leak-jdk17-g1"),
    ("gw-7d9f8c6b5-steady2", "steady-jdk21-g1"),
    ("gw-7d9f8c6b5-threads", "thread-leak-jdk17-g1"),
    ("gw-7d9f8c6b5-heap", "heap-leak-jdk17-g1"),
];

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-12-02T04:00:00+00:00").unwrap()
}

fn fleet() -> Fleet {
    let mut jvms: Vec<(String, jvmem::model::Timeline)> = PODS
        .iter()
        .map(|(pod, scenario)| {
            let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            dir.push("samples/scenarios");
            dir.push(scenario);
            let files = ["nmt.log", "gc.log"].map(|f| dir.join(f).to_string_lossy().into_owned());
            let key = format!("namespace=\"prod\",pid=\"1\",pod=\"{pod}\"");
            (key, jvmem::input::load(&files))
        })
        .collect();
    jvms.sort_by(|a, b| a.0.cmp(&b.0));
    let options = DiagnoseOptions {
        limit_bytes: Some(1 << 30),
        ..DiagnoseOptions::default()
    };
    Fleet {
        exporter: Exporter::Jvmem,
        queries: Vec::new(),
        rows: jvmem::fleet::rank(&jvms, &options),
        jvms,
    }
}

fn app() -> FleetApp {
    FleetApp::new(fleet(), source(), now()).with_color(false)
}

fn source() -> FleetSource {
    FleetSource {
        url: "http://prom:9090".into(),
        label: "http://prom:9090 {namespace=\"prod\"} · last 1h".into(),
        limit_bytes: Some(1 << 30),
    }
}

fn ctrl_c() -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn screen(app: &FleetApp, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| super::views::fleet::render(app, f))
        .unwrap();
    terminal.backend().to_string()
}

/// The table's rows (between its header and its bottom border).
fn table_rows(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.contains(" Pod "))
        .skip(1)
        .take_while(|l| !l.contains('└'))
        .map(|l| l.trim_matches('"').to_string())
        .collect()
}

#[test]
fn the_plan_fits_every_width_and_drops_columns_in_order() {
    for longest in [4, 12, 27, 60] {
        for width in 20..=300u16 {
            let p = plan(width, longest);
            let fails = match (p.fails, p.kind) {
                (false, _) => 0,
                (true, false) => 5,
                (true, true) => 9,
            };
            let mut used =
                1 + 1 + usize::from(p.name) + 1 + usize::from(p.suspect) + 9 + 9 + fails + 5;
            used += [(p.usage, 10), (p.share, 5), (p.limit, 10), (p.snapshots, 6)]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, w)| w)
                .sum::<usize>();
            used += p.trend.map_or(0, |w| usize::from(w) + 1);
            assert!(
                used <= usize::from(width) || width < 40,
                "{width} {longest}: {p:?} uses {used}"
            );
            // Each column comes only with the one before it.
            assert!(!p.usage || p.fails, "{p:?}");
            assert_eq!(p.fails, width >= 45, "{width} {longest}: {p:?}");
            assert!(!p.share || p.usage, "{p:?}");
            assert!(!p.limit || p.share, "{p:?}");
            assert!(!p.kind || p.limit, "{p:?}");
            assert!(p.trend.is_none() || p.snapshots, "{p:?}");
            assert!(usize::from(p.name) <= longest.clamp(4, 48), "{p:?}");
        }
    }
    // 80 columns (78 inside the border) with a Kubernetes pod name: usage and its share stay,
    // the name keeps 22 characters or more.
    let p = plan(78, 27);
    assert!(p.fails && p.usage && p.share && !p.limit, "{p:?}");
    assert!(p.name >= 22, "{p:?}");
    // 220 columns: everything, the name in full, a trend.
    let p = plan(218, 27);
    assert!(
        p.limit && p.kind && p.snapshots && p.trend.is_some(),
        "{p:?}"
    );
    assert_eq!(p.name, 27);
}

#[test]
fn cells_are_written_to_fit() {
    assert_eq!(
        fit_middle("bot-gateway-7d9f8c6b5-x2k4q", 19),
        "bot-gatew…6b5-x2k4q"
    );
    assert_eq!(fit_middle("short", 19), "short");
    assert_eq!(fit_middle("ééééé", 3), "é…é");
    assert_eq!(fit_middle("abc", 0), "");
    assert_eq!(rate_text(Some(4.0 * 1048576.0)), "+4.0");
    assert_eq!(rate_text(Some(0.05 * 1048576.0)), "+0.05");
    assert_eq!(rate_text(Some(-2.5 * 1048576.0)), "-2.5");
    assert_eq!(rate_text(None), "-");
    assert_eq!(minutes_text(Some(8.46)), "8.5");
    assert_eq!(minutes_text(Some(290.4)), "290");
    assert_eq!(minutes_text(Some(0.05)), "<0.1");
    assert_eq!(minutes_text(Some(-3.0)), "now");
    assert_eq!(minutes_text(Some(1e9)), ">99999");
    assert_eq!(minutes_text(None), "-");
}

#[test]
fn leaking_pods_come_first_with_their_categories_at_80x24() {
    let app = app();
    let text = screen(&app, 80, 24);
    let rows = table_rows(&text);
    assert_eq!(rows.len(), PODS.len(), "{text}");
    // The heap leak fills its fully committed heap (-Xmx160m) in 0.25 min: OutOfMemoryError
    // long before the direct leak (30 MiB/min) reaches the limit in 22 min, the thread leak in
    // 54; the steady ones are clean.
    assert!(
        rows[0].contains("-heap") && rows[0].contains("Java Heap"),
        "{text}"
    );
    assert!(rows[0].contains(" 0.2 heap "), "{text}");
    assert!(
        rows[1].contains("-direct") && rows[1].contains("Other"),
        "{text}"
    );
    assert!(rows[1].contains(" 22 kill "), "{text}");
    assert!(
        rows[2].contains("-threads") && rows[2].contains("Thread"),
        "{text}"
    );
    assert!(rows[2].contains(" 54 kill "), "{text}");
    for row in &rows[..3] {
        assert!(row.starts_with("│!"), "{text}");
    }
    for row in &rows[3..] {
        assert!(row.contains("-steady"), "{text}");
        assert!(!row.starts_with("│!") && !row.starts_with("│▲"), "{text}");
    }
    // Short names: the namespace is the same for all, the pid too.
    assert!(rows.iter().all(|r| !r.contains("namespace=")), "{text}");
    assert!(text.contains("3 run out"), "{text}");
    assert!(text.contains("%lim") && !text.contains("Limit "), "{text}");
    assert!(text.contains("Min left OOM "), "{text}");
    // The selected pod's verdict under the table, as the dashboard words it.
    assert!(text.contains("▶ Java Heap +"), "{text}");
}

#[test]
fn a_wide_screen_shows_every_column() {
    let text = screen(&app(), 220, 60);
    let rows = table_rows(&text);
    assert!(rows[0].contains("Java Heap (heap)"), "{text}");
    assert!(rows[0].contains(" 0.2 heap OOM "), "{text}");
    assert!(rows[1].contains("Other (direct buffers)"), "{text}");
    assert!(rows[1].contains(" 22 OOM kill "), "{text}");
    assert!(rows[2].contains("Thread (threads)"), "{text}");
    assert!(
        text.contains("Limit")
            && text.contains("Snaps")
            && text.contains("Usage trend")
            && text.contains("Fails by"),
        "{text}"
    );
    assert!(rows[1].contains("1.0 GiB"), "{text}");
    assert!(rows[1].contains('█'), "a usage trend: {text}");
    assert!(text.contains("namespace=\"prod\",pid=\"1\",pod=\"gw-7d9f8c6b5-heap\""));
}

#[test]
fn keys_move_open_and_quit() {
    let mut app = app();
    assert_eq!(app.handle(&key(KeyCode::Char('j'))), FleetControl::Continue);
    assert_eq!(app.handle(&key(KeyCode::Down)), FleetControl::Continue);
    assert_eq!(app.selected(), 2);
    assert_eq!(app.handle(&key(KeyCode::Enter)), FleetControl::Open(2));
    assert_eq!(app.handle(&key(KeyCode::Char('G'))), FleetControl::Continue);
    assert_eq!(app.selected(), PODS.len() - 1);
    app.handle(&key(KeyCode::Down));
    assert_eq!(app.selected(), PODS.len() - 1, "stays on the last");
    app.handle(&key(KeyCode::Char('g')));
    assert_eq!(app.selected(), 0);
    app.handle(&key(KeyCode::Char('?')));
    assert!(screen(&app, 80, 24).contains("any key closes"));
    // A key closes the help and does nothing else.
    assert_eq!(app.handle(&key(KeyCode::Enter)), FleetControl::Continue);
    assert!(!screen(&app, 80, 24).contains("any key closes"));
    assert_eq!(app.handle(&key(KeyCode::Char('x'))), FleetControl::Continue);
    assert_eq!(app.handle(&key(KeyCode::Char('q'))), FleetControl::Quit);
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(app.handle(&ctrl_c), FleetControl::Quit);
}

#[test]
fn an_opened_pod_is_the_dashboard_on_its_timeline_and_esc_goes_back() {
    let app = app();
    let row = &app.rows()[1];
    let mut jvm = app.open(1).expect("opens");
    let own = app.fleet.timeline(&row.jvm).expect("timeline");
    assert_eq!(jvm.timeline().snapshots.len(), own.snapshots.len());
    assert_eq!(jvm.timeline().gc_events.len(), own.gc_events.len());
    assert_eq!(jvm.timeline().limit_bytes, Some(1 << 30));
    // Esc goes back from detail to the overview, then from the overview to the fleet.
    let esc = key(KeyCode::Esc);
    jvm.handle(key(KeyCode::Enter), now());
    assert_eq!(jvm.view(), View::Detail);
    assert_eq!(jvm.handle(esc.clone(), now()), Control::Continue);
    assert_eq!(jvm.view(), View::Overview);
    assert!(!jvm.went_back());
    assert_eq!(jvm.handle(esc, now()), Control::Quit);
    assert!(jvm.went_back());
    // q quits for good.
    let mut jvm = app.open(0).expect("opens");
    assert_eq!(jvm.handle(key(KeyCode::Char('q')), now()), Control::Quit);
    assert!(!jvm.went_back());
    assert!(app.open(PODS.len()).is_none());
}

#[test]
fn a_re_read_keeps_the_selected_jvm_or_says_why_not() {
    let mut app = app();
    app.handle(&key(KeyCode::Char('j')));
    let selected = app.rows()[1].jvm.clone();
    assert_eq!(app.handle(&key(KeyCode::Char('r'))), FleetControl::Refresh);
    // A second `r` while reading does not start another.
    assert_eq!(app.handle(&key(KeyCode::Char('r'))), FleetControl::Continue);
    let mut again = fleet();
    again.rows.reverse();
    app.refreshed(Ok(again), now());
    assert_eq!(app.rows()[app.selected()].jvm, selected);
    assert_eq!(app.selected(), PODS.len() - 2);
    app.refreshed(Err("connection refused".into()), now());
    assert_eq!(app.rows().len(), PODS.len());
    assert!(screen(&app, 80, 24).contains("reading again failed: connection refused"));
    assert_eq!(app.handle(&key(KeyCode::Char('r'))), FleetControl::Refresh);
}

/// Runs the whole loop on a `TestBackend` with these keys (then Ctrl-c, should they not
/// end it); the app returned and the last screen drawn.
fn run_keys(keys: &[KeyCode]) -> (FleetApp, String, usize) {
    let mut script: VecDeque<Event> = keys.iter().map(|&k| key(k)).collect();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let diagnose: DiagnoseFactory = Box::new(super::judge::report_diagnosis);
    let next = |_timeout| {
        Ok(Some(script.pop_front().unwrap_or_else(|| {
            Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
        })))
    };
    let app = run_fleet_loop(&mut terminal, app(), None, &diagnose, next, now).expect("runs");
    let left = script.len();
    (app, terminal.backend().to_string(), left)
}

#[test]
fn the_loop_goes_into_a_pod_and_back() {
    use KeyCode::*;
    // Into the second pod, its GC view, back to its overview, back to the fleet, down, quit.
    let (app, text, left) =
        run_keys(&[Char('j'), Enter, Char('3'), Esc, Esc, Char('j'), Char('q')]);
    assert_eq!(left, 0);
    assert_eq!(app.selected(), 2);
    assert!(text.contains("ranked by time to failure"), "{text}");
    // `q` inside a pod quits from there: its dashboard is the last screen.
    let (_, text, left) = run_keys(&[Enter, Char('q')]);
    assert_eq!(left, 0);
    assert!(
        text.contains("Esc: back to the fleet · gw-7d9f8c6b5-heap"),
        "{text}"
    );
    assert!(text.contains("1 Overview"), "{text}");
    // `r` without a Prometheus says so.
    let (_, text, _) = run_keys(&[Char('r'), Char('j')]);
    assert!(text.contains("no Prometheus to read from"), "{text}");
}

#[test]
fn any_size_draws_without_panicking() {
    let mut app = app();
    app.handle(&key(KeyCode::Char('G')));
    for (w, h) in [
        (1, 1),
        (10, 3),
        (20, 5),
        (40, 8),
        (80, 24),
        (120, 7),
        (300, 100),
    ] {
        let text = screen(&app, w, h);
        assert_eq!(text.lines().count(), usize::from(h));
    }
    // The selection stays on screen when the page is shorter than the table.
    let text = screen(&app, 80, 10);
    assert!(text.contains("-steady1"), "{text}");
    assert!(text.contains(&format!("of {}", PODS.len())), "{text}");
}

#[test]
fn the_screen_opens_before_the_first_read_and_says_how_far_it_is() {
    let mut app = FleetApp::reading(source(), now()).with_color(false);
    assert!(app.refreshing() && !app.loaded());
    app.read_started(now());
    assert!(screen(&app, 80, 24).contains("sending the first query · 0 s"));
    app.read_progress(jvmem::fleet::ReadProgress {
        requests_done: 1,
        requests_known: 2,
        series: 11_000,
        ..Default::default()
    });
    app.tick(now() + chrono::Duration::seconds(12));
    for (w, h) in [(80, 24), (220, 60)] {
        let text = screen(&app, w, h);
        assert!(
            text.contains("Reading Prometheus at http://prom:9090…"),
            "{text}"
        );
        assert!(
            text.contains("1 of 2 queries, 11,000 series so far · 12 s"),
            "{text}"
        );
        assert!(
            text.contains("reading…") && text.contains("q quits"),
            "{text}"
        );
        assert!(!text.contains("ranked by time to failure"), "{text}");
    }
    app.read_progress(jvmem::fleet::ReadProgress {
        requests_done: 2,
        requests_known: 2,
        series: 22_000,
        ..Default::default()
    });
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("22,000 series read; building the timelines"),
        "{text}"
    );
    // Then each JVM is judged.
    app.read_progress(jvmem::fleet::ReadProgress {
        requests_done: 2,
        requests_known: 2,
        series: 22_000,
        judged: 412,
        jvms: 1_000,
    });
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("22,000 series read; judging 412 of 1,000 JVMs"),
        "{text}"
    );
    // Keys that need rows do nothing; `r` does not start a second read.
    assert_eq!(app.handle(&key(KeyCode::Enter)), FleetControl::Continue);
    assert_eq!(app.handle(&key(KeyCode::Char('r'))), FleetControl::Continue);
    // The rows replace the waiting screen.
    app.refreshed(Ok(fleet()), now());
    assert!(app.loaded() && app.failure().is_none());
    let rows = table_rows(&screen(&app, 80, 24));
    assert_eq!(rows.len(), PODS.len());
    assert!(rows[0].contains("-heap"), "{rows:?}");
    // Now Esc only says how to quit.
    assert_eq!(app.handle(&key(KeyCode::Esc)), FleetControl::Continue);
}

#[test]
fn a_failed_first_read_is_on_screen_and_r_tries_again() {
    let mut app = FleetApp::reading(source(), now()).with_color(false);
    let refused = "cannot reach Prometheus at 127.0.0.1:1: Connection refused (os error 111)";
    app.refreshed(Err(refused.into()), now());
    assert_eq!(app.failure(), Some(refused));
    for (w, h) in [(80, 24), (220, 60)] {
        let text = screen(&app, w, h);
        assert!(
            text.contains("Could not read the fleet from http://prom:9090:"),
            "{text}"
        );
        assert!(text.contains("Connection refused"), "{text}");
        assert!(text.contains("r reads again · q quits"), "{text}");
    }
    assert_eq!(app.handle(&key(KeyCode::Char('r'))), FleetControl::Refresh);
    let text = screen(&app, 80, 24);
    assert!(text.contains("Reading Prometheus at"), "{text}");
    assert!(
        text.contains("The last read failed: cannot reach"),
        "{text}"
    );
    // Prometheus without any series of either exporter: said, and still no fleet.
    let mut empty = Fleet::empty();
    empty.queries = vec!["{a}".into(), "{b}".into()];
    app.refreshed(Ok(empty), now());
    let failure = app.failure().unwrap_or_default();
    assert!(
        failure.contains("neither jvmem's nor Micrometer's series")
            && failure.contains("{a} nor {b}"),
        "{failure}"
    );
    // An answer quoted in the error cannot drive the terminal.
    app.refreshed(Err("HTTP 500: \x1b[2J".into()), now());
    assert_eq!(app.failure(), Some("HTTP 500: \\x1b[2J"));
    // Esc leaves as q does: there is no table to come back to.
    assert_eq!(app.handle(&key(KeyCode::Esc)), FleetControl::Quit);
}

#[test]
fn the_loop_starts_the_first_read_as_r_does_and_quits_during_it() {
    // Without a Prometheus the first read fails at once, through the same path as `r`.
    let diagnose: DiagnoseFactory = Box::new(super::judge::report_diagnosis);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut script: VecDeque<Event> = [Event::Tick, key(KeyCode::Esc)].into();
    let next = |_timeout| Ok(script.pop_front().or_else(|| Some(ctrl_c())));
    let app = FleetApp::reading(source(), now()).with_color(false);
    let app = run_fleet_loop(&mut terminal, app, None, &diagnose, next, now).expect("runs");
    assert_eq!(app.failure(), Some("no Prometheus to read from"));
    assert!(
        terminal
            .backend()
            .to_string()
            .contains("no Prometheus to read from")
    );
    // A read that never answers: the screen says it is reading, and q leaves at once.
    let (gate, wait) = std::sync::mpsc::channel::<()>();
    let wait = std::sync::Mutex::new(wait);
    let read: super::fleet_loop::ReadFleet = std::sync::Arc::new(move |_progress| {
        let _ = wait.lock().map(|w| w.recv());
        Err("stopped".into())
    });
    let mut script: VecDeque<Event> = [Event::Tick, key(KeyCode::Char('q'))].into();
    let next = |_timeout| Ok(script.pop_front().or_else(|| Some(ctrl_c())));
    let app = FleetApp::reading(source(), now()).with_color(false);
    let app = run_fleet_loop(&mut terminal, app, Some(read), &diagnose, next, now).expect("runs");
    assert!(!app.loaded() && app.failure().is_none());
    assert!(
        terminal
            .backend()
            .to_string()
            .contains("Reading Prometheus at http://prom:9090…")
    );
    drop(gate);
}
