//! The header: Heap, Metaspace, Direct, Threads and Total, each with committed bytes at the
//! cursor, Δ since the baseline, a trend arrow and a sparkline up to the cursor.

use jvmem::model::units::{format_bytes, format_delta};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::super::app::App;
use super::super::metrics::{self, Headline, Trend};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let boxes = Layout::horizontal([Constraint::Ratio(1, 5); 5]).split(area);
    for (headline, area) in Headline::ALL.into_iter().zip(boxes.iter()) {
        render_box(frame, *area, app, headline);
    }
}

fn render_box(frame: &mut Frame, area: Rect, app: &App, headline: Headline) {
    let theme = app.theme;
    let mut title = format!(" {} ", headline.label());
    if headline == Headline::Threads {
        if let Some(count) = app.current().and_then(metrics::thread_count) {
            title = format!(" Threads {count} ");
        }
    }
    let (Some(cur), Some(base)) = (app.current(), app.base()) else {
        let block = Block::bordered().title(title).border_style(theme.dim());
        frame.render_widget(Paragraph::new("–").block(block), area);
        return;
    };
    let now = headline.committed_bytes(cur);
    let then = headline.committed_bytes(base);
    let trend = Trend::of(then, now);
    let style = match trend {
        Trend::Up => theme.growing(),
        Trend::Down => theme.shrinking(),
        Trend::Flat => ratatui::style::Style::new(),
    };
    let suspect = headline
        .categories(cur)
        .iter()
        .any(|c| app.suspect(c).is_some());
    // The Total box warns by its share of the limit (from 80 %), the others by growth.
    let limit_pct = app
        .timeline
        .limit_bytes
        .filter(|&l| l > 0 && headline == Headline::Total)
        .map(|l| now as f64 * 100.0 / l as f64);
    let (title_style, border_style) = match limit_pct {
        Some(pct) if pct >= WARN_PERCENT => (gauge_style(app, pct), gauge_style(app, pct)),
        _ if trend == Trend::Up || suspect => (theme.growing(), theme.growing()),
        _ => (theme.title(), theme.dim()),
    };
    let block = Block::bordered()
        .title(title)
        .title_style(title_style)
        .border_style(border_style);
    let inner_width = area.width.saturating_sub(2) as usize;
    let limit = app.timeline.limit_bytes.filter(|&l| l > 0);
    let third = if let (Headline::Total, Some(limit)) = (headline, limit) {
        let pct = now as f64 * 100.0 / limit as f64;
        Span::styled(
            format!("{pct:.0}% of {}", format_bytes(limit)),
            gauge_style(app, pct),
        )
    } else {
        let visible = app.visible();
        let values: Vec<u64> = metrics::sample_indices(visible.len(), inner_width)
            .into_iter()
            .filter_map(|i| visible.get(i))
            .map(|s| headline.committed_bytes(s))
            .collect();
        let spark_style = if trend == Trend::Flat {
            theme.dim()
        } else {
            style
        };
        Span::styled(metrics::sparkline_significant(&values), spark_style)
    };
    let mut first = vec![
        Span::styled(
            format_bytes(now),
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::raw(" "),
        Span::styled(trend.arrow(), style),
    ];
    if suspect {
        // Readable without colour: the same `!` the overview puts on suspect rows.
        first.push(Span::styled(" !", theme.growing()));
    }
    // The heap's story is in the GC log when there is one: what stays after collections.
    let second = match (headline, heap_after_gc(app)) {
        (Headline::Heap, Some((first_after, last_after))) => {
            let gc_trend = Trend::of(first_after, last_after);
            let gc_style = match gc_trend {
                Trend::Up => theme.growing(),
                Trend::Down => theme.shrinking(),
                Trend::Flat => ratatui::style::Style::new(),
            };
            // Not the NMT `GC` category: the old generation left after collections.
            let label = if inner_width >= 24 {
                "old after GC"
            } else {
                "old"
            };
            Line::styled(
                format!("{label} {} {}", format_bytes(last_after), gc_trend.arrow()),
                gc_style,
            )
        }
        _ => Line::styled(
            format!("Δ {}", format_delta(metrics::delta(then, now))),
            style,
        ),
    };
    let mut lines = vec![Line::from(first), second, Line::from(third)];
    if area.height >= 6 {
        lines.push(match (headline, limit) {
            (Headline::Total, Some(limit)) => gauge(app, now, limit, inner_width),
            _ => Line::styled(fourth_line(app, headline, cur, inner_width), theme.dim()),
        });
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Share of the limit at which the gauge warns (yellow) and alarms (red): at 80 % a pod has
/// minutes, not hours, when something grows.
const WARN_PERCENT: f64 = 80.0;
const ALARM_PERCENT: f64 = 95.0;

fn gauge_style(app: &App, pct: f64) -> ratatui::style::Style {
    if pct >= ALARM_PERCENT {
        app.theme.growing()
    } else if pct >= WARN_PERCENT {
        app.theme.warning()
    } else {
        ratatui::style::Style::new()
    }
}

/// `████████▌·····│` : the total's share of the limit, the limit at the right edge.
fn gauge(app: &App, now: u64, limit: u64, width: usize) -> Line<'static> {
    let cells = width.saturating_sub(1).max(1);
    let pct = now as f64 * 100.0 / limit as f64;
    let filled = jvmem::num::usize_from_f64(((pct / 100.0).min(1.0) * cells as f64).round());
    let bar = format!("{}{}│", "█".repeat(filled), "·".repeat(cells - filled));
    Line::styled(bar, gauge_style(app, pct))
}

/// The extra line a tall header shows under each headline.
fn fourth_line(
    app: &App,
    headline: Headline,
    cur: jvmem::model::SnapshotRef<'_>,
    width: usize,
) -> String {
    use jvmem::model::Field;
    let field = |category: &str, field: Field| cur.category(category)?.usage.field(field);
    match headline {
        Headline::Heap => app
            .gc_events_visible()
            .iter()
            .rev()
            .find_map(|e| e.heap_after_bytes)
            .map(|b| {
                let label = if width >= 24 {
                    "heap after GC"
                } else {
                    "after GC"
                };
                format!("{label} {}", format_bytes(b))
            })
            .unwrap_or_default(),
        Headline::Metaspace => field("Class", Field::ClassCount)
            .map(|n| format!("{n} classes"))
            .unwrap_or_default(),
        Headline::Threads => field("Thread", Field::StackCommittedBytes)
            .map(|b| format!("stacks {}", format_bytes(u64::try_from(b).unwrap_or(0))))
            .unwrap_or_default(),
        Headline::Total => {
            let at = cur.timestamp;
            app.timeline
                .process
                .iter()
                .rev()
                .find(|p| at.is_none_or(|t| p.timestamp <= t))
                .and_then(|p| p.rss_bytes)
                .map(|b| format!("RSS {}", format_bytes(b)))
                .unwrap_or_default()
        }
        Headline::Direct => String::new(),
    }
}

/// Heap left after old-generation collections (full/mixed; else after any collection) at the
/// first and the last GC event visible: the live set's direction, which NMT cannot show.
fn heap_after_gc(app: &App) -> Option<(u64, u64)> {
    use jvmem::model::GcKind;
    let events = app.gc_events_visible();
    let old: Vec<u64> = events
        .iter()
        .filter(|e| matches!(e.kind, GcKind::Full | GcKind::Mixed))
        .filter_map(|e| e.old_after_bytes.or(e.heap_after_bytes))
        .collect();
    let values = if old.len() >= 2 {
        old
    } else {
        events.iter().filter_map(|e| e.heap_after_bytes).collect()
    };
    Some((*values.first()?, *values.last()?))
}
