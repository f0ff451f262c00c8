//! One category in detail: a braille chart of committed (and reserved, when it fits the same
//! scale) over time up to the cursor, and a side table of the sub-fields the JVM printed,
//! with the leak suspect's headline and hints on top when there is one.

use std::sync::Arc;

use jvmem::model::units::{format_bytes, format_delta};
use jvmem::model::{Field, FieldUnit};
use jvmem::num::u64_from_f64;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::super::app::App;
use super::super::metrics;
use super::chart::{self, Series};
use super::{cells, delta_style, right};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(name) = app
        .detail
        .clone()
        .or_else(|| app.rows().get(app.selected).cloned())
    else {
        return;
    };
    let side_width = if area.width >= 120 { 48 } else { 37 };
    let [chart_area, side_area] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(side_width)]).areas(area);
    render_chart(frame, chart_area, app, &name);
    render_side(frame, side_area, app, &name);
}

pub(super) fn render_chart(frame: &mut Frame, area: Rect, app: &App, name: &Arc<str>) {
    let theme = app.theme;
    let visible = app.visible();
    let (xs, unit) = chart::x_axis(visible);
    // One lookup per snapshot for both series: this is the only O(snapshots) loop in a frame.
    let (committed, reserved): (Series, Series) = visible
        .iter()
        .zip(&xs)
        .map(|(s, &x)| {
            let (r, c) = s.amounts(name).unwrap_or((0, 0));
            let (c, r) = (c as f64, r as f64);
            ((x, c), (x, r))
        })
        .unzip();
    let buckets = chart::buckets(area);
    let committed = metrics::min_max_buckets(&committed, buckets);
    let reserved = metrics::min_max_buckets(&reserved, buckets);
    let max_of = |v: &[(f64, f64)]| v.iter().map(|p| p.1).fold(0.0, f64::max);
    let min_of = |v: &[(f64, f64)]| v.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let (c_max, r_max) = (max_of(&committed), max_of(&reserved));
    // Reserved is often a huge address-space range (1 GiB of class space) next to a few MiB
    // committed: drawn together, committed would be a flat line at zero.
    let show_reserved = r_max <= c_max * 3.0;
    let mut lo = min_of(&committed);
    let mut hi = c_max;
    if show_reserved {
        lo = lo.min(min_of(&reserved));
        hi = hi.max(r_max);
    }
    if !lo.is_finite() {
        lo = 0.0;
    }
    let pad = ((hi - lo) * 0.1).max(hi * 0.01).max(1024.0);
    let (y_lo, y_hi) = ((lo - pad).max(0.0), hi + pad);
    let x_hi = xs.last().copied().unwrap_or(0.0).max(1.0);

    let mut datasets = vec![chart::line("committed", theme.committed(), &committed)];
    if show_reserved {
        datasets.push(chart::line("reserved", theme.reserved(), &reserved));
    }
    let mut title = vec![
        Span::styled(format!(" {name} "), theme.title()),
        Span::styled("━ committed ", theme.committed()),
    ];
    if show_reserved {
        title.push(Span::styled("━ reserved ", theme.reserved()));
    } else {
        title.push(Span::styled(
            format!(
                "(reserved {} off scale) ",
                format_bytes(u64_from_f64(r_max))
            ),
            theme.dim(),
        ));
    }
    let chart = chart::bytes_over_time(theme, title, datasets, (x_hi, unit), [y_lo, y_hi]);
    frame.render_widget(chart, area);
}

fn render_side(frame: &mut Frame, area: Rect, app: &App, name: &Arc<str>) {
    let theme = app.theme;
    let (Some(cur), base) = (app.current(), app.base()) else {
        return;
    };
    let mut area = area;
    let suspect = app.suspect(name);
    let drill = super::detail_drill::lines(app, name);
    if suspect.is_some() || !drill.is_empty() {
        // The field table takes the rows it needs (at least 6), the advice the rest.
        let table_rows = cells(
            metrics::find_category(cur, name)
                .map_or(1, |c| 2 + c.usage.field_count() + c.usage.extra_count()),
        );
        let table_height = table_rows.saturating_add(3).clamp(6, area.height / 2);
        let [top, rest] =
            Layout::vertical([Constraint::Min(4), Constraint::Length(table_height)]).areas(area);
        render_advice(frame, top, app, suspect, drill);
        area = rest;
    }
    let category = metrics::find_category(cur, name);
    let base_category = base.and_then(|b| metrics::find_category(b, name));
    let mut rows = Vec::new();
    let amount = |v: i64, unit: FieldUnit| match unit {
        FieldUnit::Bytes => format_bytes(u64::try_from(v).unwrap_or(0)),
        FieldUnit::Count => format!("{v}"),
        FieldUnit::CentiPercent => format!("{:.2}%", v as f64 / 100.0),
        FieldUnit::Flag => "yes".into(),
    };
    let change = |d: i64, unit: FieldUnit| match unit {
        FieldUnit::Bytes => format_delta(d),
        FieldUnit::Flag => String::new(),
        FieldUnit::CentiPercent => format!("{:+.2}", d as f64 / 100.0),
        FieldUnit::Count if d == 0 => "0".into(),
        FieldUnit::Count => format!("{d:+}"),
    };
    let mut push = |label: String, value: String, d: Option<i64>, d_text: String| {
        rows.push(Row::new([
            Cell::from(label),
            Cell::from(right(value)),
            Cell::from(right(d_text)).style(delta_style(app, d.unwrap_or(0))),
        ]));
    };
    match category {
        None => push(
            "(not in this snapshot)".into(),
            String::new(),
            None,
            String::new(),
        ),
        Some(c) => {
            let u = c.usage;
            let bu = base_category.map(|b| b.usage);
            for (label, now, then) in [
                (
                    "committed",
                    u.committed_bytes,
                    bu.map(|b| b.committed_bytes),
                ),
                ("reserved", u.reserved_bytes, bu.map(|b| b.reserved_bytes)),
            ] {
                let d = metrics::delta(then.unwrap_or(0), now);
                push(label.into(), format_bytes(now), Some(d), format_delta(d));
            }
            for fv in u.fields() {
                let unit = fv.field.unit();
                let then = bu.and_then(|b| b.field(fv.field));
                let d = then.map(|t| fv.value.saturating_sub(t));
                let d_text = d.map(|d| change(d, unit)).unwrap_or_default();
                push(field_label(fv.field), amount(fv.value, unit), d, d_text);
            }
            for extra in u.extras() {
                let v = extra.committed_bytes.or(extra.reserved_bytes).unwrap_or(0);
                push(extra.name.to_string(), format_bytes(v), None, String::new());
            }
        }
    }
    let table = Table::new(
        rows,
        [
            Constraint::Min(12),
            Constraint::Length(9),
            Constraint::Length(10),
        ],
    )
    .header(Row::new(["field", "      now", "    Δ base"]).style(theme.header_row()))
    .column_spacing(1)
    .block(
        Block::bordered()
            .title(format!(
                " #{} vs base #{} ",
                app.cursor + 1,
                app.baseline + 1
            ))
            .title_style(theme.title())
            .border_style(theme.dim()),
    );
    frame.render_widget(table, area);
}

/// The suspect's headline and evidence, the drill-down (the `d` key and the latest capture),
/// then every hint step, scrolled by PgUp/PgDn.
fn render_advice(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    suspect: Option<&jvmem::analysis::Suspect>,
    drill: Vec<Line<'static>>,
) {
    let theme = app.theme;
    let mut lines = Vec::new();
    if let Some(suspect) = suspect {
        lines.push(Line::styled(
            format!("! {}", suspect.headline()),
            theme.growing(),
        ));
        lines.push(Line::from(suspect.evidence.clone()));
    }
    // The key and the latest capture before the hints: what the user can do next comes first.
    lines.extend(drill);
    if let Some(suspect) = suspect {
        if let Some(judgement) = app.judgement() {
            for hint in judgement.diagnosis.hints_for(suspect) {
                lines.push(Line::styled(hint.title.clone(), theme.title()));
                lines.extend(
                    hint.steps
                        .iter()
                        .map(|step| Line::from(format!("• {step}"))),
                );
            }
        }
    }
    let inner_width = usize::from(area.width.saturating_sub(2).max(1));
    let wrapped: usize = lines
        .iter()
        .map(|l| (l.width() * 11 / 10).div_ceil(inner_width).max(1))
        .sum();
    let visible = usize::from(area.height.saturating_sub(2));
    let max_scroll = cells(wrapped.saturating_sub(visible));
    let scroll = app.advice_scroll.min(max_scroll);
    let name = if suspect.is_some() {
        "suspect"
    } else {
        "drill-down"
    };
    let title = if max_scroll > 0 {
        format!(" {name} · PgDn/PgUp scroll ({}/{}) ", scroll, max_scroll)
    } else {
        format!(" {name} ")
    };
    let border = if suspect.is_some() {
        theme.growing()
    } else {
        theme.dim()
    };
    let block = Block::bordered().title(title).border_style(border);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: true })
            .scroll((scroll, 0)),
        area,
    );
}

/// `metadata committed` from `metadata_committed_bytes`.
fn field_label(field: Field) -> String {
    field
        .key()
        .trim_end_matches("_bytes")
        .trim_end_matches("_percent")
        .replace('_', " ")
}

/// The total committed over time against the container limit: the limit is a dashed line,
/// so the distance left is seen, not only read.
pub(super) fn render_total_chart(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme;
    let visible = app.visible();
    let (xs, unit) = chart::x_axis(visible);
    let total: Series = visible
        .iter()
        .zip(&xs)
        .map(|(s, &x)| (x, s.total.committed_bytes as f64))
        .collect();
    let buckets = chart::buckets(area);
    let total = metrics::min_max_buckets(&total, buckets);
    let x_hi = xs.last().copied().unwrap_or(0.0).max(1.0);
    let hi = total.iter().map(|p| p.1).fold(0.0, f64::max);
    let limit = app.timeline.limit_bytes.map(|l| l as f64);
    let y_hi = limit.map_or(hi, |l| l.max(hi)) * 1.05 + 1024.0;
    let limit_points = limit.map_or_else(Vec::new, |l| chart::limit_points(l, x_hi, buckets));
    let mut datasets = vec![chart::line("total", theme.committed(), &total)];
    let mut title = vec![
        Span::styled(" Total ", theme.title()),
        Span::styled("━ committed ", theme.committed()),
    ];
    if let Some(l) = limit {
        datasets.push(chart::limit_line(theme, &limit_points));
        title.push(Span::styled(
            format!("┈ limit {} ", format_bytes(u64_from_f64(l))),
            theme.growing(),
        ));
    } else {
        title.push(Span::styled("(no limit known: --limit) ", theme.dim()));
    }
    let chart = chart::bytes_over_time(theme, title, datasets, (x_hi, unit), [0.0, y_hi]);
    frame.render_widget(chart, area);
}
