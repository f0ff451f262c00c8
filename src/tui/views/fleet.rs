//! The fleet table: one row per JVM, in [`jvmem::fleet::rank`]'s order (time to the first
//! failure: the OOM kill at the limit or the heap full at -Xmx, whichever comes first).
//!
//! ```text
//!  jvmem fleet  10 JVMs · 2 run out
//!  jvmem serve's series · http://127.0.0.1:9090 {namespace="scale"} · last 1h
//! ┌ ranked by time to failure ───────────────────────────────────────────────────┐
//! │  Pod                        Usage %lim Suspect     MiB/min Min left OOM  Conf│
//! │! payments-bo…8c6b5-0005 420.2 MiB  41% Java Heap      +4.0       75 heap 0.82│
//! │! payments-bo…8c6b5-0000 499.0 MiB  49% Other          +2.0      262 kill 0.95│
//! │  payments-bo…8c6b5-0001 420.8 MiB  41% -                 -        - -       -│
//! └──────────────────────────────────────────────────────────────────────────────┘
//! ┌ payments-bot-gateway-7d9f8c6b5-0000 · Enter: its timeline ───────────────────┐
//! │namespace="scale",pod="payments-bot-gateway-7d9f8c6b5-0000"                   │
//! │▶ Other +2.0 MiB/min (direct buffers) · limit 1.0 GiB reached in about 4.4 h ·│
//! │cap it: -XX:MaxDirectMemorySize=87m             (the selected JVM, when room) │
//! └──────────────────────────────────────────────────────────────────────────────┘
//!  FLEET   2/10  read 03:40:22               Enter opens · r reads again · ? help
//! ```
//!
//! Columns drop as the screen narrows ([`super::fleet_columns`]).
//!
//! Until the first read has JVMs, the body says how it goes (or why it failed):
//!
//! ```text
//!  jvmem fleet  reading…
//!  http://127.0.0.1:9090 {namespace="scale"} · last 1h
//! ┌ reading the fleet ───────────────────────────────────────────────────────────┐
//! │Reading Prometheus at http://127.0.0.1:9090…                                  │
//! │1 of 2 queries, 11,000 series so far · 12 s                                   │
//! │                                                                              │
//! │q quits                                                                       │
//! └──────────────────────────────────────────────────────────────────────────────┘
//!  FLEET   reading…                                                 q quits · ? help
//! ```

use jvmem::analysis::verdict::Verdict;
use jvmem::fleet::{Exporter, FleetRow, ReadProgress};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use super::super::fleet::{FLEET_BINDINGS, FleetApp};
use super::super::keys::key_label;
use super::fleet_columns::{columns, mark, plan, row_cells};
use super::{cells, popup, right};

/// Rows of the selected JVM's details panel, at most.
const DETAILS: u16 = 10;

fn row_style(app: &FleetApp, row: &FleetRow) -> Style {
    match mark(row) {
        "!" => app.theme.growing(),
        "▲" => app.theme.warning(),
        "?" => app.theme.dim(),
        _ => Style::new(),
    }
}

/// Draws the fleet screen.
pub fn render(app: &FleetApp, frame: &mut Frame) {
    let area = frame.area();
    let [title_area, source_area, body, status_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    render_title(frame, title_area, app);
    frame.render_widget(Line::styled(source_text(app), app.theme.dim()), source_area);
    if !app.loaded {
        render_waiting(frame, body, app);
        render_status(frame, status_area, app);
        if app.help {
            render_help(frame, area, app);
        }
        return;
    }
    // The selected JVM's details under the table when there is room: always on a tall
    // screen (the table scrolls), else when the table leaves 8 rows.
    let table_needed = cells(app.rows().len()).saturating_add(3);
    let details = if body.height >= 30 {
        DETAILS
    } else if body.height >= table_needed + 8 {
        (body.height - table_needed).min(DETAILS)
    } else {
        0
    };
    let table_height = table_needed.min(body.height - details);
    let [table_area, details_area, _] = Layout::vertical([
        Constraint::Length(table_height),
        Constraint::Length(details),
        Constraint::Min(0),
    ])
    .areas(body);
    render_table(frame, table_area, app);
    if details > 0 {
        render_details(frame, details_area, app);
    }
    render_status(frame, status_area, app);
    if app.help {
        render_help(frame, area, app);
    }
}

/// Thousands with commas: `11,000`.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How far a read has come: `1 of 2 queries, 11,000 series so far` (before the first
/// report: `sending the first query`), `building the timelines` once all are answered, then
/// `judging 412 of 1,000 JVMs`.
fn progress_text(p: &ReadProgress) -> String {
    if p.jvms > 0 {
        return format!(
            "{} series read; judging {} of {} JVMs",
            count(p.series),
            count(p.judged),
            count(p.jvms)
        );
    }
    if p.requests_known == 0 {
        return "sending the first query".into();
    }
    if p.requests_done == p.requests_known {
        // At 1,000 JVMs ~2 s (release) between the last answer and the first JVM judged.
        return format!("{} series read; building the timelines", count(p.series));
    }
    let plural = if p.requests_known == 1 {
        "query"
    } else {
        "queries"
    };
    format!(
        "{} of {} {plural}, {} series so far",
        count(p.requests_done),
        count(p.requests_known),
        count(p.series)
    )
}

/// Before the first fleet: the read's progress, or its error and how to try again.
fn render_waiting(frame: &mut Frame, area: Rect, app: &FleetApp) {
    let theme = app.theme;
    let mut lines = Vec::new();
    let title = if app.refreshing {
        lines.push(Line::from(format!(
            "Reading Prometheus at {}…",
            app.source.url
        )));
        let mut progress = progress_text(&app.progress);
        if let Some(started) = app.started {
            let seconds = (app.now - started).num_seconds().max(0);
            progress.push_str(&format!(" · {seconds} s"));
        }
        lines.push(Line::styled(progress, theme.dim()));
        if let Some(failure) = &app.failure {
            lines.push(Line::styled(
                format!("The last read failed: {failure}"),
                theme.warning(),
            ));
        }
        lines.push(Line::from(""));
        lines.push(Line::from("q quits"));
        " reading the fleet "
    } else {
        let failure = app.failure.as_deref().unwrap_or("no fleet");
        lines.push(Line::from(format!(
            "Could not read the fleet from {}:",
            app.source.url
        )));
        lines.push(Line::styled(failure.to_string(), theme.growing()));
        lines.push(Line::from(""));
        lines.push(Line::from("r reads again · q quits"));
        " no fleet "
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(theme.panel(title))
            .wrap(Wrap { trim: true }),
        area,
    );
}

fn render_title(frame: &mut Frame, area: Rect, app: &FleetApp) {
    if !app.loaded {
        let state = match (app.refreshing, app.failure.is_some()) {
            (true, _) => Span::raw(" reading…"),
            (false, true) => Span::styled(" could not read the fleet", app.theme.growing()),
            (false, false) => Span::raw(" no fleet"),
        };
        let title = Span::styled(" jvmem fleet ", app.theme.title());
        frame.render_widget(Line::from(vec![title, state]), area);
        return;
    }
    let rows = app.rows();
    let fails = rows.iter().filter(|r| mark(r) == "!").count();
    let growing = rows.iter().filter(|r| mark(r) == "▲").count();
    let mut spans = vec![
        Span::styled(" jvmem fleet ", app.theme.title()),
        Span::raw(format!(" {} JVMs", rows.len())),
    ];
    let maybe = rows.iter().filter(|r| mark(r) == "?").count();
    if fails > 0 {
        let verb = if fails == 1 { "runs" } else { "run" };
        spans.push(Span::styled(
            format!(" · {fails} {verb} out"),
            app.theme.growing(),
        ));
    }
    if growing > 0 {
        let other = if fails > 0 { " more" } else { "" };
        spans.push(Span::styled(
            format!(" · {growing}{other} growing"),
            app.theme.warning(),
        ));
    }
    if maybe > 0 {
        spans.push(Span::raw(format!(" · {maybe} unsure")));
    }
    if fails + growing + maybe == 0 {
        spans.push(Span::raw(" · none growing"));
    }
    frame.render_widget(Line::from(spans), area);
}

/// Whose series, then where from: at 80 columns a long selector is what gets cut.
fn source_text(app: &FleetApp) -> String {
    if !app.loaded {
        return format!(" {}", app.source.label);
    }
    let series = match app.exporter() {
        Exporter::Jvmem => "jvmem serve's series",
        Exporter::Standard => "Micrometer's series (no NMT)",
    };
    format!(" {series} · {}", app.source.label)
}

fn render_table(frame: &mut Frame, area: Rect, app: &FleetApp) {
    let theme = app.theme;
    let longest = app
        .names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4);
    let plan = plan(area.width.saturating_sub(2), longest);
    let cols = columns(&plan);
    let page = usize::from(area.height.saturating_sub(3)).max(1);
    app.page.set(page);
    let n = app.rows().len();
    let mut offset = app.offset.get();
    if app.selected < offset {
        offset = app.selected;
    } else if app.selected >= offset + page {
        offset = app.selected + 1 - page;
    }
    offset = offset.min(n.saturating_sub(page));
    app.offset.set(offset);
    let rows: Vec<Row> = (offset..(offset + page).min(n))
        .map(|i| {
            let texts = row_cells(app, i, &plan);
            let style = row_style(app, &app.rows()[i]);
            Row::new(texts.into_iter().zip(&cols).map(|(t, (_, _, r))| {
                if *r {
                    Cell::from(right(t))
                } else {
                    Cell::from(t)
                }
            }))
            .style(style)
        })
        .collect();
    let header = Row::new(cols.iter().map(|(h, _, r)| {
        if *r {
            Cell::from(right(h.to_string()))
        } else {
            Cell::from(*h)
        }
    }))
    .style(theme.header_row());
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|(_, w, _)| Constraint::Length(*w))
        .collect();
    let more = if n > page {
        format!(" · {}–{} of {n}", offset + 1, (offset + page).min(n))
    } else {
        String::new()
    };
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(theme.panel(format!(" ranked by time to failure{more} ")))
        .row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected(Some(app.selected - offset));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The selected JVM: its labels, the verdict the dashboard would show, its top evidence.
fn render_details(frame: &mut Frame, area: Rect, app: &FleetApp) {
    let Some(row) = app.rows().get(app.selected) else {
        return;
    };
    let theme = app.theme;
    let name = app.names.get(app.selected).map_or("", String::as_str);
    let mut lines = vec![Line::styled(row.jvm.clone(), theme.dim())];
    match app.fleet.timeline(&row.jvm) {
        Some(timeline) if row.top_suspect.is_some() => {
            let verdict = Verdict::new(&row.diagnosis, timeline);
            lines.push(Line::styled(
                format!("▶ {}", verdict.sentence()),
                row_style(app, row),
            ));
            if let Some(s) = row.diagnosis.suspects.first() {
                lines.push(Line::from(s.evidence.clone()));
            }
        }
        _ => lines.push(Line::from(format!(
            "No growing suspect in {} snapshots.",
            row.snapshots
        ))),
    }
    let title = format!(" {name} · Enter: its timeline ");
    frame.render_widget(
        Paragraph::new(lines)
            .block(theme.panel(title))
            .wrap(Wrap { trim: true }),
        area,
    );
}

fn render_status(frame: &mut Frame, area: Rect, app: &FleetApp) {
    let theme = app.theme;
    let state = match (app.loaded, app.refreshing) {
        (true, _) => format!(
            "  {}/{}  read {}",
            (app.selected + 1).min(app.rows().len()),
            app.rows().len(),
            app.read_at.format("%H:%M:%S")
        ),
        (false, true) => "  reading…".to_string(),
        (false, false) => "  nothing read".to_string(),
    };
    let mut parts = vec![
        Span::styled(" FLEET ", theme.title().patch(theme.selected())),
        Span::raw(state),
    ];
    if let Some(message) = &app.message {
        parts.push(Span::styled(format!("  {message}"), theme.warning()));
    }
    // The keys give way to a message that needs the room.
    let used: usize = parts.iter().map(|s| s.content.chars().count()).sum();
    let keys = match (app.loaded, app.refreshing) {
        (true, _) => " Enter opens · r reads again · ? help ",
        (false, true) => " q quits · ? help ",
        (false, false) => " r reads again · q quits · ? help ",
    };
    let keys_width = keys.chars().count();
    let keys_width = if used + keys_width <= usize::from(area.width) {
        keys_width
    } else {
        0
    };
    let [left, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(cells(keys_width))]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(parts)).style(theme.status()),
        left,
    );
    frame.render_widget(Paragraph::new(keys).style(theme.status()), right_area);
}

fn render_help(frame: &mut Frame, area: Rect, app: &FleetApp) {
    let mut rows: Vec<(String, String)> = FLEET_BINDINGS
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| key_label(*k)).collect();
            (keys.join(" "), b.help.to_string())
        })
        .collect();
    rows.push(("Ctrl-c".into(), "quit, from anywhere".into()));
    rows.push((
        "marks".into(),
        "! runs out (OOM kill or heap OOM) · ▲ grows · ? maybe (confidence < 0.25)".into(),
    ));
    let popup = popup(area, 78, cells(rows.len()).saturating_add(2));
    let table = Table::new(
        rows.into_iter().map(|(k, h)| Row::new([k, h])),
        [Constraint::Length(10), Constraint::Min(10)],
    )
    .block(app.theme.panel(" keys (any key closes) "));
    frame.render_widget(Clear, popup);
    frame.render_widget(table, popup);
}
