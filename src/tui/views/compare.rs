//! Compare: snapshot A (the baseline, `[`/`]` or `b`) against B (the cursor, `←`/`→`), per
//! category committed before and after, Δ and %, with `new`/`gone` markers; computed by
//! `jvmem::analysis::diff`, the same diff `jvmem diff` prints.

use jvmem::analysis::diff::{DiffStatus, diff};
use jvmem::model::SnapshotRef;
use jvmem::model::units::{format_bytes, format_delta, percent_change};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, TableState};

use super::super::app::App;
use super::super::metrics::Trend;
use super::{delta_style, right};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme;
    let (Some(a), Some(b)) = (app.base(), app.current()) else {
        return;
    };
    let d = diff(a, b);
    let filter = app.filter.to_lowercase();
    let wide = area.width >= 100;
    // On a wide terminal a bar per row shows the size of each change at a glance.
    let bar_width = area.width.saturating_sub(2 + 4 + 26 + 11 * 4 + 8 + 7) as usize;
    let max_delta = d
        .categories
        .iter()
        .map(|c| c.committed_delta_bytes.unsigned_abs())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut rows: Vec<Row> = d
        .categories
        .iter()
        .filter(|c| filter.is_empty() || c.name.to_lowercase().contains(&filter))
        .map(|c| {
            // The same noise threshold as the overview, so both views flag the same rows.
            let trend = Trend::of(
                c.old_committed_bytes.unwrap_or(0),
                c.new_committed_bytes.unwrap_or(0),
            );
            let marker = match (c.status, trend) {
                (DiffStatus::New, _) => "new",
                (DiffStatus::Gone, _) => "gone",
                (_, Trend::Up) => "▲",
                (_, Trend::Down) => "▼",
                _ => "",
            };
            let pct = c
                .committed_percent()
                .map(|p| format!("{p:+.1}%"))
                .unwrap_or_default();
            let style = delta_style(app, c.committed_delta_bytes);
            let mut cells = vec![
                Cell::from(marker).style(style),
                Cell::from(c.name.to_string()),
                Cell::from(right(
                    c.old_committed_bytes
                        .map(format_bytes)
                        .unwrap_or_else(|| "–".into()),
                )),
                Cell::from(right(
                    c.new_committed_bytes
                        .map(format_bytes)
                        .unwrap_or_else(|| "–".into()),
                )),
                Cell::from(right(format_delta(c.committed_delta_bytes))).style(style),
                Cell::from(right(pct)).style(style),
            ];
            if wide {
                let len = (c.committed_delta_bytes.unsigned_abs() as u128 * bar_width as u128
                    / max_delta as u128) as usize;
                let bar = if c.committed_delta_bytes < 0 {
                    "░"
                } else {
                    "█"
                }
                .repeat(len);
                cells.push(
                    Cell::from(right(format_delta(c.reserved_delta_bytes))).style(theme.dim()),
                );
                cells.push(Cell::from(bar).style(style));
            }
            Row::new(cells)
        })
        .collect();
    let total_pct = percent_change(a.total.committed_bytes, b.total.committed_bytes)
        .map(|p| format!("{p:+.1}%"))
        .unwrap_or_default();
    let mut total = vec![
        Cell::from(""),
        Cell::from("Total"),
        Cell::from(right(format_bytes(a.total.committed_bytes))),
        Cell::from(right(format_bytes(b.total.committed_bytes))),
        Cell::from(right(format_delta(d.committed_delta_bytes)))
            .style(delta_style(app, d.committed_delta_bytes)),
        Cell::from(right(total_pct)),
    ];
    if wide {
        total.push(Cell::from(right(format_delta(d.reserved_delta_bytes))));
    }
    rows.push(
        Row::new(total).style(
            theme
                .header_row()
                .remove_modifier(ratatui::style::Modifier::UNDERLINED),
        ),
    );

    let mut header = vec![
        Cell::from(""),
        Cell::from("Category"),
        Cell::from(right("A committed".into())),
        Cell::from(right("B committed".into())),
        Cell::from(right("Δ".into())),
        Cell::from(right("%".into())),
    ];
    let mut widths = vec![
        Constraint::Length(4),
        if wide {
            Constraint::Length(26)
        } else {
            Constraint::Min(12)
        },
        Constraint::Length(11),
        Constraint::Length(11),
        Constraint::Length(11),
        Constraint::Length(8),
    ];
    if wide {
        header.push(Cell::from(right("Δ reserved".into())));
        header.push(Cell::from("Δ committed"));
        widths.push(Constraint::Length(11));
        widths.push(Constraint::Fill(1));
    }
    let mut title = vec![ratatui::text::Span::raw(format!(
        " A #{} {}  →  B #{} {}  ([ ] move A, ← → move B) ",
        app.baseline + 1,
        when(a),
        app.cursor + 1,
        when(b)
    ))];
    // Two processes: the differences are between JVMs, not growth.
    if let (Some(pa), Some(pb)) = (a.pid, b.pid) {
        if pa != pb {
            title.push(ratatui::text::Span::styled(
                format!("⚠ A is pid {pa}, B pid {pb}: two JVMs "),
                theme.warning(),
            ));
        }
    }
    let title = Line::from(title);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header_row()))
        .column_spacing(1)
        .block(theme.panel(title))
        .row_highlight_style(theme.selected());
    let mut state = TableState::default().with_selected(Some(app.selected.min(d.categories.len())));
    frame.render_stateful_widget(table, area, &mut state);
}

fn when(s: SnapshotRef<'_>) -> String {
    match s.timestamp {
        Some(t) => t.format("%H:%M:%S").to_string(),
        None => s
            .location()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}
