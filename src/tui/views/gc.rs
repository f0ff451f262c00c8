//! GC: heap before/after collections and capacity, old gen after GC and metaspace over time,
//! pause times, and a summary line. On the same time axis as the NMT snapshots when both have
//! wall-clock timestamps (seconds since the first snapshot), else on JVM uptime.

use jvmem::model::units::format_bytes;
use jvmem::model::{GcSlice, Severity};
use jvmem::num::u64_from_f64;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::super::app::App;
use super::chart;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let events = app.gc_events_visible();
    if events.is_empty() {
        render_empty(frame, area, app);
        return;
    }
    let [summary_area, heap_area, pause_area] = Layout::vertical([
        Constraint::Length(if area.width >= 120 { 3 } else { 4 }),
        Constraint::Percentage(65),
        Constraint::Min(5),
    ])
    .areas(area);
    render_summary(frame, summary_area, app, &events);
    let t0 = app.timeline.snapshots.first().and_then(|s| s.timestamp);
    let buckets = chart::buckets(area);
    let series = app
        .gc_series
        .get(app.timeline.gc_events.len(), &events, t0, buckets);
    let theme = app.theme;
    let super::gc_series::GcSeries {
        before,
        after,
        capacity,
        old_after,
        metaspace,
        pauses,
    } = &*series;
    // The NMT snapshots' span too, so both views share one time axis.
    let last_snapshot_x = match (t0, app.current().and_then(|s| s.timestamp)) {
        (Some(t0), Some(t)) => chart::seconds_since(t0, t),
        _ => 1.0,
    };
    let x_hi = [before, after, pauses]
        .iter()
        .flat_map(|s| s.iter().map(|p| p.0))
        .fold(last_snapshot_x.max(1.0), f64::max);
    let heap_hi = [before, capacity, after]
        .iter()
        .flat_map(|s| s.iter().map(|p| p.1))
        .fold(1.0, f64::max);
    // The container limit, drawn where it lies when it is within 3x of the heap's scale (a
    // heap whose maximum is near the limit leaves no room for the rest of the JVM).
    let limit = app
        .timeline
        .limit_bytes
        .map(|l| l as f64)
        .filter(|&l| l <= heap_hi * 3.0);
    let y_hi = limit.map_or(heap_hi, |l| l.max(heap_hi)) * 1.05;
    let limit_points = limit.map_or_else(Vec::new, |l| chart::limit_points(l, x_hi, buckets));
    let mut datasets = Vec::new();
    let mut legend = vec![Span::styled(" heap around collections ", theme.title())];
    if let Some(l) = limit {
        legend.push(Span::styled(
            format!("┈ container limit {} ", format_bytes(u64_from_f64(l))),
            theme.growing(),
        ));
        datasets.push(chart::limit_line(theme, &limit_points));
    }
    for (name, data, style) in [
        ("capacity", capacity, theme.dim()),
        ("before GC", before, theme.reserved()),
        ("after GC", after, theme.committed()),
        ("old after", old_after, theme.growing()),
        ("metaspace", metaspace, theme.title()),
    ] {
        if !data.is_empty() {
            legend.push(Span::styled(format!("━ {name} "), style));
            datasets.push(chart::line(name, style, data));
        }
    }
    let heap = Chart::new(datasets)
        .block(theme.panel(Line::from(legend)))
        .x_axis(chart::time_axis(theme, x_hi, "s"))
        .y_axis(chart::bytes_axis(theme, 0.0, y_hi))
        .legend_position(None);
    frame.render_widget(heap, heap_area);

    let p_hi = pauses.iter().map(|p| p.1).fold(1.0, f64::max) * 1.1;
    let pause_chart = Chart::new(vec![
        Dataset::default()
            .name("pause")
            .marker(Marker::Braille)
            .graph_type(GraphType::Scatter)
            .style(theme.warning())
            .data(pauses),
    ])
    .block(theme.panel(" pauses "))
    .x_axis(chart::time_axis(theme, x_hi, "s"))
    .y_axis(
        Axis::default()
            .bounds([0.0, p_hi])
            .labels(["0 ms".to_string(), format!("{:.0} ms", p_hi / 1000.0)])
            .style(theme.dim()),
    );
    frame.render_widget(pause_chart, pause_area);
}

/// The summary line: the library's [`GcSummary`](jvmem::analysis::gc_summary::GcSummary) of
/// the events up to the cursor, made on the diagnosis thread.
fn render_summary(frame: &mut Frame, area: Rect, app: &App, events: &GcSlice<'_>) {
    let text = match app.judgement().and_then(|j| j.gc.as_ref()) {
        Some(g) => {
            let collector = g
                .collector
                .or_else(|| events.last().map(|e| e.collector))
                .map_or("?", |c| c.as_str());
            let kinds: Vec<String> = g
                .events_by_kind
                .iter()
                .map(|(kind, n)| format!("{n} {kind}"))
                .collect();
            let ms = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format!("{v:.1} ms"));
            let mut text = format!(
                "{collector}: {} collections ({}) · pauses {:.0} ms total, p50 {}, p99 {}, max {}",
                g.events,
                kinds.join(", "),
                g.pause_total_ms,
                ms(g.pause_p50_ms),
                ms(g.pause_p99_ms),
                ms(g.pause_max_ms),
            );
            if let Some(t) = g.throughput_percent {
                text.push_str(&format!(" · throughput {t:.1}%"));
            }
            if let Some(rate) = g.allocation_rate_bytes_per_s {
                text.push_str(&format!(
                    " · allocating {}/s",
                    format_bytes(u64_from_f64(rate))
                ));
            }
            if let Some(max) = g.heap_after_max_bytes {
                text.push_str(&format!(" · heap after GC up to {}", format_bytes(max)));
            }
            text
        }
        None => format!("{} collections · summarising…", events.len()),
    };
    let block = app.theme.panel(" GC ");
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

fn render_empty(frame: &mut Frame, area: Rect, app: &App) {
    let gc_messages: Vec<String> = app
        .timeline
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.message.contains("GC"))
        .take(3)
        .map(super::super::app::short_diagnostic)
        .collect();
    let first = if gc_messages.is_empty() {
        "No GC events to show."
    } else {
        "No GC events could be read from the GC log given:"
    };
    let mut lines: Vec<Line> = gc_messages
        .iter()
        .map(|m| Line::styled(format!("  {m}"), app.theme.warning()))
        .collect();
    lines.insert(0, Line::from(first));
    lines.extend([
        Line::from(""),
        Line::from("Give a GC log next to the NMT snapshots:  jvmem view nmt.log gc.log"),
        Line::from(""),
        Line::from("  JDK 9+  -Xlog:gc*:file=gc.log:time,uptime,level,tags"),
        Line::from("  JDK 8   -XX:+PrintGCDetails -XX:+PrintGCDateStamps -Xloggc:gc.log"),
        Line::from(""),
        Line::from("With wall-clock times in both, GC and NMT share one time axis."),
    ]);
    let block = app.theme.panel(" GC ");
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
