//! The fleet table: one row per JVM, in [`jvmem::fleet::rank`]'s order (time to the limit).
//!
//! ```text
//!  jvmem fleet  8 JVMs · 2 reach the limit · 1 more growing · 1 unsure
//!  http://127.0.0.1:9090 {namespace="prod"} · last 1h · jvmem serve's series
//! ┌ ranked by time to the limit ───────────────────────────────────────────────────────────┐
//! │  Pod                 Usage   %lim Suspect     MiB/min Min left Conf                     │
//! │! gw-7d9f-x2k4q    820.0 MiB   80% Other          +4.0       50 0.95                     │
//! └────────────────────────────────────────────────────────────────────────────────────────┘
//! ┌ gw-7d9f-x2k4q ─ the selected JVM: its labels and verdict (when the screen has room) ────┐
//!  FLEET  1/8  read 03:20:11  message                          Enter opens · r reads again · ? help
//! ```
//!
//! Columns drop by [`plan`] as the screen narrows: the name, the suspect, its rate, the
//! minutes left and the confidence always stay; usage and its share of the limit next; the
//! limit, the suspect's kind, the snapshot count and a usage trend come with width.

use jvmem::analysis::verdict::{Verdict, short_kind};
use jvmem::fleet::{Exporter, FleetRow};
use jvmem::model::Timeline;
use jvmem::model::units::format_bytes;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use super::super::fleet::{FLEET_BINDINGS, FleetApp};
use super::super::keys::key_label;
use super::super::metrics;
use super::{cells, popup, right};

const MIB: f64 = 1024.0 * 1024.0;

/// Rows of the selected JVM's details panel, at most.
const DETAILS: u16 = 10;

/// The longest a name column gets, and what it keeps before others are dropped for it.
const NAME_MAX: usize = 48;
const NAME_KEEP: usize = 22;

/// Which columns fit in `width` cells (inside the border) for names up to `longest` long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub name: u16,
    pub suspect: u16,
    /// The suspect's kind after its name: `Other (direct buffers)`.
    pub kind: bool,
    pub usage: bool,
    pub share: bool,
    pub limit: bool,
    pub snapshots: bool,
    /// Width of a sparkline of usage, when there is room.
    pub trend: Option<u16>,
}

const MARK: usize = 1;
const SUSPECT: usize = 10;
const SUSPECT_LONG: usize = 26;
const RATE: usize = 8;
const LEFT: usize = 8;
const CONF: usize = 4;
const BYTES: usize = 9;
const SHARE: usize = 4;
const SNAPS: usize = 5;
const TREND_MIN: usize = 10;

/// The columns for a table `width` cells wide (see the module doc for the order they go in).
pub fn plan(width: u16, longest: usize) -> Plan {
    let inner = usize::from(width);
    let want = longest.clamp(4, NAME_MAX);
    let keep = want.min(NAME_KEEP);
    // Every column after the marker is preceded by one space.
    let mut used = MARK + (SUSPECT + 1) + (RATE + 1) + (LEFT + 1) + (CONF + 1) + 1;
    let room = |used: usize| inner.saturating_sub(used);
    let mut plan = Plan {
        name: 0,
        suspect: cells(SUSPECT),
        kind: false,
        usage: false,
        share: false,
        limit: false,
        snapshots: false,
        trend: None,
    };
    let take = |cost: usize, used: &mut usize| {
        let fits = room(*used + cost) >= keep;
        if fits {
            *used += cost;
        }
        fits
    };
    plan.usage = take(BYTES + 1, &mut used);
    plan.share = plan.usage && take(SHARE + 1, &mut used);
    plan.limit = plan.share && take(BYTES + 1, &mut used);
    plan.kind = plan.limit && take(SUSPECT_LONG - SUSPECT, &mut used);
    if plan.kind {
        plan.suspect = cells(SUSPECT_LONG);
    }
    plan.snapshots = plan.kind && take(SNAPS + 1, &mut used);
    let name = room(used).min(want).max(4);
    plan.name = cells(name);
    let rest = room(used + name + 1);
    if plan.snapshots && rest >= TREND_MIN {
        plan.trend = Some(cells(rest));
    }
    plan
}

/// `text` in at most `width` characters: the middle gives way to `…` (pod names differ at
/// their ends: `bot-gateway-7d9f8c6b5-x2k4q` → `bot-gatew…6b5-x2k4q`).
pub fn fit_middle(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    if width <= 1 {
        return "…".chars().take(width).collect();
    }
    let tail = (width - 1) / 2;
    let head = width - 1 - tail;
    let chars: Vec<char> = text.chars().collect();
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[n - tail..]);
    out
}

/// `text` in at most `width` characters, cut at the end with `…`.
pub fn fit_end(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A growth rate in MiB/min, signed: `+4.0`, `+0.05`, `-` for none.
pub fn rate_text(bytes_per_min: Option<f64>) -> String {
    match bytes_per_min {
        None => "-".into(),
        Some(r) if (r / MIB).abs() >= 0.1 || r == 0.0 => format!("{:+.1}", r / MIB),
        Some(r) => format!("{:+.2}", r / MIB),
    }
}

/// Minutes to the limit: `8.5`, `290`, `<0.1`, `-` when the limit is not reached.
pub fn minutes_text(minutes: Option<f64>) -> String {
    match minutes {
        None => "-".into(),
        Some(m) if m <= 0.0 => "now".into(),
        Some(m) if m < 0.1 => "<0.1".into(),
        Some(m) if m < 10.0 => format!("{m:.1}"),
        Some(m) if m < 99_999.5 => format!("{m:.0}"),
        Some(_) => ">99999".into(),
    }
}

/// How a row is marked, readable without colour: `!` reaches the limit, `▲` grows for sure,
/// `?` grows maybe, blank clean.
pub fn mark(row: &FleetRow) -> &'static str {
    match (row.top_suspect.is_some(), row.sure, row.minutes_to_limit) {
        (false, _, _) => " ",
        (true, true, Some(_)) => "!",
        (true, true, None) => "▲",
        (true, false, _) => "?",
    }
}

fn share_text(row: &FleetRow) -> String {
    match (row.usage_bytes, row.limit_bytes) {
        (Some(u), Some(l)) if l > 0 => format!("{:.0}%", u as f64 * 100.0 / l as f64),
        _ => "-".into(),
    }
}

/// The top suspect, its kind when there is room (`Other (direct buffers)`), `?` after it when
/// unsure, as the text table writes it.
fn suspect_text(row: &FleetRow, plan: &Plan) -> String {
    let (Some(name), Some(s)) = (&row.top_suspect, row.diagnosis.suspects.first()) else {
        return row.top_suspect_text();
    };
    let mut text = name.clone();
    if plan.kind {
        text = format!("{text} ({})", short_kind(s.kind));
    }
    let unsure = if row.sure { "" } else { "?" };
    let width = usize::from(plan.suspect).saturating_sub(unsure.len());
    format!("{}{unsure}", fit_end(&text, width))
}

/// Usage over time: RSS (else the container's working set) when sampled, else NMT committed.
fn usage_series(timeline: &Timeline, points: usize) -> Vec<u64> {
    let process: Vec<u64> = timeline
        .process
        .iter()
        .filter_map(|p| p.rss_bytes.or(p.cgroup_usage_bytes))
        .collect();
    let values: Vec<u64> = if process.len() >= 2 {
        process
    } else {
        timeline
            .snapshots
            .iter()
            .map(|s| s.total.committed_bytes)
            .collect()
    };
    metrics::sample_indices(values.len(), points)
        .into_iter()
        .map(|i| values[i])
        .collect()
}

/// The cells of one row, as the plan lays them out.
pub fn row_cells(app: &FleetApp, index: usize, plan: &Plan) -> Vec<String> {
    let Some(row) = app.rows().get(index) else {
        return Vec::new();
    };
    let name = app
        .names
        .get(index)
        .map_or(row.jvm.as_str(), String::as_str);
    let bytes = |v: Option<u64>| v.map_or_else(|| "-".to_string(), format_bytes);
    let mut out = vec![
        mark(row).to_string(),
        fit_middle(name, usize::from(plan.name)),
    ];
    if plan.usage {
        out.push(bytes(row.usage_bytes));
    }
    if plan.share {
        out.push(share_text(row));
    }
    if plan.limit {
        out.push(bytes(row.limit_bytes));
    }
    out.push(suspect_text(row, plan));
    out.push(rate_text(row.rate_bytes_per_min));
    out.push(minutes_text(row.minutes_to_limit));
    out.push(
        row.confidence
            .map_or_else(|| "-".to_string(), |c| format!("{c:.2}")),
    );
    if plan.snapshots {
        out.push(row.snapshots.to_string());
    }
    if let Some(width) = plan.trend {
        let values = app
            .fleet
            .timeline(&row.jvm)
            .map(|t| usage_series(t, usize::from(width)))
            .unwrap_or_default();
        out.push(metrics::sparkline_significant(&values));
    }
    out
}

/// Column headers and widths of a plan; `true` for right-aligned columns.
fn columns(plan: &Plan) -> Vec<(&'static str, u16, bool)> {
    let mut out = vec![("", cells(MARK), false), ("Pod", plan.name, false)];
    if plan.usage {
        out.push(("Usage", cells(BYTES), true));
    }
    if plan.share {
        out.push(("%lim", cells(SHARE), true));
    }
    if plan.limit {
        out.push(("Limit", cells(BYTES), true));
    }
    out.extend([
        ("Suspect", plan.suspect, false),
        ("MiB/min", cells(RATE), true),
        ("Min left", cells(LEFT), true),
        ("Conf", cells(CONF), true),
    ]);
    if plan.snapshots {
        out.push(("Snaps", cells(SNAPS), true));
    }
    if let Some(w) = plan.trend {
        out.push(("Usage trend", w, false));
    }
    out
}

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

fn render_title(frame: &mut Frame, area: Rect, app: &FleetApp) {
    let rows = app.rows();
    let limit = rows.iter().filter(|r| mark(r) == "!").count();
    let growing = rows.iter().filter(|r| mark(r) == "▲").count();
    let mut spans = vec![
        Span::styled(" jvmem fleet ", app.theme.title()),
        Span::raw(format!(" {} JVMs", rows.len())),
    ];
    let maybe = rows.iter().filter(|r| mark(r) == "?").count();
    if limit > 0 {
        let verb = if limit == 1 { "reaches" } else { "reach" };
        spans.push(Span::styled(
            format!(" · {limit} {verb} the limit"),
            app.theme.growing(),
        ));
    }
    if growing > 0 {
        let other = if limit > 0 { " more" } else { "" };
        spans.push(Span::styled(
            format!(" · {growing}{other} growing"),
            app.theme.warning(),
        ));
    }
    if maybe > 0 {
        spans.push(Span::raw(format!(" · {maybe} unsure")));
    }
    if limit + growing + maybe == 0 {
        spans.push(Span::raw(" · none growing"));
    }
    frame.render_widget(Line::from(spans), area);
}

fn source_text(app: &FleetApp) -> String {
    let series = match app.exporter() {
        Exporter::Jvmem => "jvmem serve's series",
        Exporter::Standard => {
            "Micrometer's series (no NMT: heap, metaspace, code, direct, threads)"
        }
    };
    format!(" {} · {series}", app.source.label)
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
        .block(theme.panel(format!(" ranked by time to the limit{more} ")))
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
    let mut parts = vec![
        Span::styled(" FLEET ", theme.title().patch(theme.selected())),
        Span::raw(format!(
            "  {}/{}  read {}",
            (app.selected + 1).min(app.rows().len()),
            app.rows().len(),
            app.read_at.format("%H:%M:%S")
        )),
    ];
    if let Some(message) = &app.message {
        parts.push(Span::styled(format!("  {message}"), theme.warning()));
    }
    // The keys give way to a message that needs the room.
    let used: usize = parts.iter().map(|s| s.content.chars().count()).sum();
    let keys = " Enter opens · r reads again · ? help ";
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
        "! reaches the limit · ▲ grows · ? maybe (confidence < 0.25)".into(),
    ));
    let popup = popup(area, 78, cells(rows.len()).saturating_add(2));
    let table = Table::new(
        rows.into_iter().map(|(k, h)| Row::new([k, h])),
        [Constraint::Length(10), Constraint::Min(10)],
    )
    .block(theme_panel(app, " keys (any key closes) "));
    frame.render_widget(Clear, popup);
    frame.render_widget(table, popup);
}

fn theme_panel<'a>(app: &FleetApp, title: &'a str) -> ratatui::widgets::Block<'a> {
    app.theme.panel(title)
}
