//! The overview: every category with reserved, committed, Δ since the baseline, Δ since the
//! previous snapshot and a sparkline of committed up to the cursor; growing rows carry `▲`
//! (readable without colour) and suspects `!`; a total row closes the table.

use jvmem::model::units::{format_bytes, format_delta};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, TableState};

use super::super::app::App;
use super::super::metrics::{self, Trend};
use super::{cells, delta_style, right};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme;
    let (Some(cur), Some(base)) = (app.current(), app.base()) else {
        return;
    };
    let visible = app.visible();
    let prev = visible.len().checked_sub(2).and_then(|i| visible.get(i));
    // Charts of the top suspect and of the total against the limit, under the table, when
    // the table leaves room for them.
    let table_height = cells(app.rows().len()).saturating_add(4);
    let area = if area.height >= table_height + 12 {
        let [table, charts] =
            Layout::vertical([Constraint::Length(table_height), Constraint::Min(12)]).areas(area);
        render_charts(frame, charts, app);
        table
    } else {
        area
    };
    let show_reserved = area.width >= 76;
    // `Native Memory Tracking` is 22 characters.
    let name_width: u16 = if area.width >= 96 { 22 } else { 17 };
    let fixed = 2 + name_width + 10 + 11 + 11 + if show_reserved { 10 } else { 0 } + 6;
    let spark_width = area.width.saturating_sub(fixed + 2).max(4);
    let points = metrics::sample_indices(visible.len(), spark_width as usize);

    let rows_names = app.rows();
    let rows: Vec<Row> = rows_names
        .iter()
        .map(|name| {
            let committed = metrics::committed_of(cur, name);
            let reserved = metrics::reserved_of(cur, name);
            let d_base = metrics::delta(metrics::committed_of(base, name), committed);
            let d_prev = prev.map(|p| metrics::delta(metrics::committed_of(p, name), committed));
            let trend = app.trend(name);
            let suspect = app.suspect(name).is_some();
            let marker = match (suspect, trend) {
                (true, _) => "!",
                (false, Trend::Up) => "▲",
                (false, Trend::Down) => "▼",
                _ => " ",
            };
            let values: Vec<u64> = points
                .iter()
                .filter_map(|&i| visible.get(i))
                .map(|s| metrics::committed_of(s, name))
                .collect();
            let name_style = if suspect || trend == Trend::Up {
                theme.growing()
            } else {
                ratatui::style::Style::new()
            };
            // Below significance the sparkline is drawn on the noise threshold's scale and
            // dimmed: +0.5% must not look like +2,000%.
            let spark_style = if trend == Trend::Flat {
                theme.dim()
            } else {
                name_style
            };
            let mut cells = vec![
                Cell::from(marker).style(name_style),
                Cell::from(name.to_string()).style(name_style),
            ];
            if show_reserved {
                cells.push(Cell::from(right(format_bytes(reserved))).style(theme.dim()));
            }
            cells.extend([
                Cell::from(right(format_bytes(committed))),
                Cell::from(right(format_delta(d_base))).style(delta_style(app, d_base)),
                Cell::from(right(
                    d_prev.map(format_delta).unwrap_or_else(|| "–".into()),
                ))
                .style(delta_style(app, d_prev.unwrap_or(0))),
                Cell::from(metrics::sparkline_significant(&values)).style(spark_style),
            ]);
            Row::new(cells)
        })
        .collect();

    let d_total = metrics::delta(base.total.committed_bytes, cur.total.committed_bytes);
    let d_total_prev =
        prev.map(|p| metrics::delta(p.total.committed_bytes, cur.total.committed_bytes));
    let total_values: Vec<u64> = points
        .iter()
        .filter_map(|&i| visible.get(i))
        .map(|s| s.total.committed_bytes)
        .collect();
    let mut total = vec![Cell::from(""), Cell::from("Total")];
    if show_reserved {
        total.push(Cell::from(right(format_bytes(cur.total.reserved_bytes))));
    }
    total.extend([
        Cell::from(right(format_bytes(cur.total.committed_bytes))),
        Cell::from(right(format_delta(d_total))).style(delta_style(app, d_total)),
        Cell::from(right(
            d_total_prev.map(format_delta).unwrap_or_else(|| "–".into()),
        )),
        Cell::from(metrics::sparkline_significant(&total_values)),
    ]);
    // The total is the table's footer: always drawn, however many rows are cut.
    let footer = Row::new(total).style(
        theme
            .header_row()
            .remove_modifier(ratatui::style::Modifier::UNDERLINED),
    );

    let mut header = vec!["", "Category"];
    let mut widths = vec![Constraint::Length(1), Constraint::Length(name_width)];
    if show_reserved {
        header.push("  Reserved");
        widths.push(Constraint::Length(10));
    }
    header.extend(["  Committed", "     Δ base", "     Δ prev", "Trend"]);
    widths.extend([
        Constraint::Length(10),
        Constraint::Length(11),
        Constraint::Length(11),
        Constraint::Min(4),
    ]);
    let header = Row::new(header.into_iter().map(|h| Cell::from(right_if_numeric(h))))
        .style(theme.header_row());

    let growing = rows_names
        .iter()
        .filter(|n| app.trend(n) == Trend::Up)
        .count();
    let mut title = vec![ratatui::text::Span::raw(format!(
        " {} categories, {growing} growing since #{} ",
        rows_names.len(),
        app.baseline + 1
    ))];
    // A baseline from another JVM makes every Δ base a difference between two processes.
    if let Some(change) = app
        .jvm_change_before(app.cursor)
        .filter(|&c| c > app.baseline)
    {
        title.push(ratatui::text::Span::styled(
            format!("⚠ JVM changed at #{}: Δ base spans two JVMs ", change + 1),
            theme.warning(),
        ));
    }
    let title = Line::from(title);
    let table = Table::new(rows, widths)
        .header(header)
        .footer(footer)
        .column_spacing(1)
        .block(theme.panel(title))
        .row_highlight_style(theme.selected());
    let mut state = TableState::default()
        .with_selected(Some(app.selected.min(rows_names.len().saturating_sub(1))));
    frame.render_stateful_widget(table, area, &mut state);
}

fn right_if_numeric(h: &'static str) -> ratatui::text::Text<'static> {
    if h.starts_with(' ') {
        right(h.trim().to_string())
    } else {
        ratatui::text::Text::from(h)
    }
}

/// Under the table at large sizes: the top suspect's committed bytes, and the total against
/// the limit (a dashed line where the limit lies).
fn render_charts(frame: &mut Frame, area: Rect, app: &App) {
    let top = app
        .judgement()
        .and_then(|j| j.verdict.contributors.first())
        .map(|c| std::sync::Arc::<str>::from(c.category.as_str()));
    match top {
        Some(name) => {
            let [left, right] =
                Layout::horizontal([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)]).areas(area);
            super::detail::render_chart(frame, left, app, &name);
            super::detail::render_total_chart(frame, right, app);
        }
        None => super::detail::render_total_chart(frame, area, app),
    }
}
