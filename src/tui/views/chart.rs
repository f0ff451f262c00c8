//! The pieces every braille chart of the dashboard is drawn with (the detail and overview
//! charts of a category and of the total, the GC view's heap and pauses): the time axis and
//! its labels, a byte axis, one line series, the dashed limit, and how many points fit.

use chrono::{DateTime, FixedOffset};
use jvmem::model::SnapshotRange;
use jvmem::model::units::format_bytes;
use jvmem::num::u64_from_f64;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType};

use super::super::theme::Theme;

/// Chart points: (seconds or index, value).
pub(super) type Series = Vec<(f64, f64)>;

/// Points kept per series: one min/max bucket per column inside the axes (never under 8).
pub(super) fn buckets(area: Rect) -> usize {
    area.width.saturating_sub(12).max(8) as usize
}

/// Seconds from `t0` to `t`, to the millisecond.
pub(super) fn seconds_since(t0: DateTime<FixedOffset>, t: DateTime<FixedOffset>) -> f64 {
    (t - t0).num_milliseconds() as f64 / 1000.0
}

/// X position of a snapshot: seconds since the first one when all have timestamps, else index.
pub(super) fn x_axis(visible: SnapshotRange<'_>) -> (Vec<f64>, &'static str) {
    let first = visible.first().and_then(|s| s.timestamp);
    if let (Some(t0), true) = (first, visible.iter().all(|s| s.timestamp.is_some())) {
        let xs = visible
            .iter()
            .map(|s| s.timestamp.map_or(0.0, |t| seconds_since(t0, t)))
            .collect();
        (xs, "s")
    } else {
        ((0..visible.len()).map(|i| i as f64).collect(), "#")
    }
}

/// `90s`, `12m`, `3.5h`.
pub(super) fn format_x(x: f64, unit: &str) -> String {
    match unit {
        "s" if x >= 7200.0 => format!("{:.1}h", x / 3600.0),
        "s" if x >= 600.0 => format!("{:.0}m", x / 60.0),
        "s" => format!("{x:.0}s"),
        _ => format!("#{}", u64_from_f64(x).saturating_add(1)),
    }
}

/// The x axis from 0 to `x_hi` in `unit` (`s` or `#`), labelled at both ends and the middle.
pub(super) fn time_axis(theme: Theme, x_hi: f64, unit: &str) -> Axis<'static> {
    Axis::default()
        .bounds([0.0, x_hi])
        .labels([
            format_x(0.0, unit),
            format_x(x_hi / 2.0, unit),
            format_x(x_hi, unit),
        ])
        .style(theme.dim())
}

/// A y axis in bytes from `lo` to `hi`, labelled at both ends and the middle.
pub(super) fn bytes_axis(theme: Theme, lo: f64, hi: f64) -> Axis<'static> {
    Axis::default()
        .bounds([lo, hi])
        .labels([
            format_bytes(u64_from_f64(lo)),
            format_bytes(u64_from_f64((lo + hi) / 2.0)),
            format_bytes(u64_from_f64(hi)),
        ])
        .style(theme.dim())
}

/// One series drawn as a braille line.
pub(super) fn line<'a>(name: &'static str, style: Style, data: &'a [(f64, f64)]) -> Dataset<'a> {
    Dataset::default()
        .name(name)
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(style)
        .data(data)
}

/// The points of a dashed horizontal line at `limit` across `0..=x_hi`: every other bucket,
/// so that the distance left to the limit is seen, not only read.
pub(super) fn limit_points(limit: f64, x_hi: f64, buckets: usize) -> Series {
    (0..=buckets)
        .step_by(2)
        .map(|i| (x_hi * i as f64 / buckets as f64, limit))
        .collect()
}

/// The limit's dashed line (from [`limit_points`]) in the warning colour.
pub(super) fn limit_line(theme: Theme, points: &[(f64, f64)]) -> Dataset<'_> {
    Dataset::default()
        .name("limit")
        .marker(Marker::Dot)
        .graph_type(GraphType::Scatter)
        .style(theme.growing())
        .data(points)
}

/// Bytes over time (`x_hi` in `unit`, y from `y[0]` to `y[1]`) in a dim frame whose title is
/// the legend: each span in its series' colour, so the chart draws no legend box of its own.
pub(super) fn bytes_over_time<'a>(
    theme: Theme,
    legend: Vec<Span<'a>>,
    datasets: Vec<Dataset<'a>>,
    (x_hi, unit): (f64, &str),
    [y_lo, y_hi]: [f64; 2],
) -> Chart<'a> {
    Chart::new(datasets)
        .block(
            Block::bordered()
                .title(Line::from(legend))
                .border_style(theme.dim()),
        )
        .x_axis(time_axis(theme, x_hi, unit))
        .y_axis(bytes_axis(theme, y_lo, y_hi))
        .legend_position(None)
}
