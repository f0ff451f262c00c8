//! Drawing: one plain `render(f, area, &app)` function per screen region. Layout:
//!
//! ```text
//! ┌ Heap ──────┐┌ Metaspace ─┐┌ Direct ────┐┌ Threads 18 ┐┌ Total ─────┐   header: 5 rows
//! │378.0 MiB ▲ ││  6.8 MiB · ││  1.2 MiB · ││  1.0 MiB · ││455.0 MiB ▲ │
//! │+120.0 MiB  ││ +0 B       ││ …          ││            ││ 45% of 1Gi │
//! │▁▁▂▃▄▅▆▇█   ││▁▁▁▁▁▁▁▁    ││            ││            ││▁▂▃▄▅▆▇█    │
//! └────────────┘└────────────┘└────────────┘└────────────┘└────────────┘
//!  ▶ Other +4.0 MiB/min (direct buffers) · limit 1.0 GiB reached in about 41 min · cap it: …
//!                                                                       verdict: 1–3 rows
//!  1 Overview  2 Detail  3 GC  4 Compare                 sort: Δ base      tabs: 1 row
//!  the view (overview table, detail chart, GC, compare)                      the rest
//!  VIEW  nmt.log  #31/31 07:29:41  base #1  message                ? help   status: 1 row
//! ```

mod chart;
mod compare;
mod detail;
mod detail_drill;
pub mod fleet;
pub mod fleet_columns;
mod gc;
mod gc_series;
mod header;
mod overview;
mod verdict;

use jvmem::model::units::format_bytes;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row, Table, Wrap};

pub(super) use gc_series::GcSeriesCache;

use super::app::{App, Mode, Overlay, View, format_speed};
use super::keys::help_rows;

/// Draws the whole dashboard into the frame.
pub fn render(app: &App, frame: &mut Frame) {
    // A tall terminal gets a fourth line per header box (heap after GC, classes, stacks, RSS).
    let header_height = if frame.area().height >= 40 { 6 } else { 5 };
    let verdict_height = verdict::height(app, frame.area().width);
    let [header_area, verdict_area, tabs_area, body, status_area] = Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Length(verdict_height),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    header::render(frame, header_area, app);
    verdict::render(frame, verdict_area, app);
    render_tabs(frame, tabs_area, app);
    if app.timeline.snapshots.is_empty() && app.view != View::Gc {
        render_empty(frame, body, app);
    } else {
        match app.view {
            View::Overview => overview::render(frame, body, app),
            View::Detail => detail::render(frame, body, app),
            View::Gc => gc::render(frame, body, app),
            View::Compare => compare::render(frame, body, app),
        }
    }
    render_status(frame, status_area, app);
    match app.overlay {
        Some(Overlay::Help) => render_help(frame, frame.area(), app),
        Some(Overlay::Messages) => render_messages(frame, frame.area(), app),
        None => {}
    }
}

fn render_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme;
    let mut spans = Vec::new();
    for view in View::ALL {
        let style = if view == app.view {
            theme
                .selected()
                .add_modifier(ratatui::style::Modifier::BOLD)
        } else {
            theme.dim()
        };
        spans.push(Span::styled(format!(" {} ", view.title()), style));
        spans.push(Span::raw(" "));
    }
    let right = match &app.filter_input {
        Some(input) => format!("filter: {input}▏"),
        None if !app.filter.is_empty() => {
            format!("filter: {}  sort: {}", app.filter, app.sort.label())
        }
        None => format!("sort: {}", app.sort.label()),
    };
    let [left_area, right_area] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(cells(right.chars().count()).saturating_add(1)),
    ])
    .areas(area);
    frame.render_widget(Line::from(spans), left_area);
    frame.render_widget(Line::styled(right, theme.dim()), right_area);
}

fn render_status(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme;
    let mode = match app.mode {
        Mode::View => " VIEW ".to_string(),
        Mode::Live => " LIVE ".to_string(),
        Mode::Replay { playing, speed } => {
            format!(
                " {} {} ",
                if playing { "▶" } else { "⏸" },
                format_speed(speed)
            )
        }
    };
    let mut parts: Vec<Span> = vec![Span::styled(mode, theme.title().patch(theme.selected()))];
    let n = app.timeline.snapshots.len();
    if let Some(cur) = app.current() {
        let time = cur
            .timestamp
            .map(|t| t.format(" %H:%M:%S").to_string())
            .unwrap_or_default();
        parts.push(Span::raw(format!(" #{}/{}{}", app.cursor + 1, n, time)));
        parts.push(Span::raw(format!("  base #{}", app.baseline + 1)));
    }
    if !app.loading.is_empty() {
        let done: u64 = app.loading.iter().map(|l| l.done_bytes).sum();
        let total: Option<u64> = app.loading.iter().map(|l| l.total_bytes).sum();
        let progress = match total {
            Some(t) if t > 0 => format!("{}%", done * 100 / t),
            _ => format_bytes(done),
        };
        parts.push(Span::styled(
            format!("  loading… {progress}"),
            theme.warning(),
        ));
    }
    if app.unread > 0 {
        parts.push(Span::styled(
            format!("  m: {} new", app.unread),
            theme.title(),
        ));
    }
    if let Some(message) = &app.message {
        parts.push(Span::styled(format!("  {message}"), theme.warning()));
    }
    if !app.source_label.is_empty() {
        parts.push(Span::raw(format!("  {}", app.source_label)));
    }
    let help = " ? help ";
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(cells(help.len()))]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(parts)).style(theme.status()),
        left,
    );
    frame.render_widget(Paragraph::new(help).style(theme.status()), right);
}

fn render_empty(frame: &mut Frame, area: Rect, app: &App) {
    let lines: Vec<Line> = if !app.loading.is_empty() {
        app.loading
            .iter()
            .map(|l| {
                let of = l
                    .total_bytes
                    .map(|t| format!(" of {}", format_bytes(t)))
                    .unwrap_or_default();
                Line::from(format!(
                    "Loading {}: {}{of} read…",
                    l.source,
                    format_bytes(l.done_bytes)
                ))
            })
            .collect()
    } else if app.mode == Mode::Live {
        [
            "No snapshot yet. Feed me `jcmd <pid> VM.native_memory summary` output:",
            "",
            "  paste it here        (one or many outputs; noise around them is fine)",
            "  jvmem live --pid PID [--interval 5s]        runs jcmd for you",
            "  jvmem live --cmd 'kubectl exec POD -- jcmd 1 VM.native_memory summary'",
            "  jvmem live --follow nmt.log                 a file a loop appends to",
            "  … | jvmem live -                            snapshots on stdin",
            "",
            "The JVM needs -XX:NativeMemoryTracking=summary.",
        ]
        .into_iter()
        .map(Line::from)
        .collect()
    } else {
        let mut lines = vec![
            Line::from("No NMT snapshot was read."),
            Line::from(""),
            Line::from("Give files of `jcmd <pid> VM.native_memory summary` output (the JVM needs"),
            Line::from("-XX:NativeMemoryTracking=summary), or paste one here."),
        ];
        let events = app.timeline.gc_events.len();
        if events > 0 {
            lines.insert(
                1,
                Line::styled(
                    format!("{events} GC events were read: press 3 for the GC view."),
                    app.theme.title(),
                ),
            );
        }
        if !app.timeline.diagnostics.is_empty() {
            lines.push(Line::from(""));
        }
        lines.extend(
            app.timeline
                .diagnostics
                .iter()
                .take(8)
                .map(|d| Line::styled(super::app::short_diagnostic(d), app.theme.warning())),
        );
        lines
    };
    let block = Block::bordered()
        .title(" jvmem ")
        .border_style(app.theme.dim());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// A centred box of at most `width` × `height` in `area`.
/// `n` terminal cells (rows or columns), at most what a terminal can have.
pub(super) fn cells(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The key table; scrolls (j k) when the terminal is too short for all of it.
fn render_help(frame: &mut Frame, area: Rect, app: &App) {
    let help = help_rows();
    let popup = popup(area, 66, cells(help.len()).saturating_add(2));
    let fits = usize::from(popup.height.saturating_sub(2)) >= help.len();
    let max_scroll = help
        .len()
        .saturating_sub(usize::from(popup.height.saturating_sub(2)));
    let scroll = usize::from(app.overlay_scroll).min(max_scroll);
    let rows = help
        .into_iter()
        .skip(scroll)
        .map(|(keys, what)| Row::new([keys, what]));
    let title = if fits {
        " keys (Esc closes) ".to_string()
    } else {
        format!(" keys · j k scroll ({scroll}/{max_scroll}) · Esc closes ")
    };
    let table = Table::new(rows, [Constraint::Length(14), Constraint::Min(10)]).block(
        Block::bordered()
            .title(title)
            .title_style(app.theme.title()),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(table, popup);
}

/// Every status message and parse warning, newest first, wrapped in full; j/k scroll.
fn render_messages(frame: &mut Frame, area: Rect, app: &App) {
    let width = area.width.saturating_sub(4).max(20);
    let popup = popup(area, width, area.height.saturating_sub(2).max(5));
    let mut lines: Vec<Line> = app.messages().map(Line::from).collect();
    if lines.is_empty() {
        lines.push(Line::styled("No messages.", app.theme.dim()));
    }
    let title = format!(
        " messages, newest first ({}) · j k PgUp PgDn scroll · Esc closes ",
        app.messages.len()
    );
    let paragraph = Paragraph::new(lines)
        .block(
            Block::bordered()
                .title(title)
                .title_style(app.theme.title()),
        )
        .wrap(Wrap { trim: false })
        .scroll((app.overlay_scroll, 0));
    frame.render_widget(Clear, popup);
    frame.render_widget(paragraph, popup);
}

/// A right-aligned cell text.
pub(super) fn right(text: String) -> ratatui::text::Text<'static> {
    ratatui::text::Text::from(text).alignment(ratatui::layout::Alignment::Right)
}

/// The style of a signed delta: growth stands out.
pub(super) fn delta_style(app: &App, delta: i64) -> Style {
    if delta > 0 {
        app.theme.growing()
    } else if delta < 0 {
        app.theme.shrinking()
    } else {
        Style::new()
    }
}
