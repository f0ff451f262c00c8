//! `jvmem report --format html`: one self-contained page to attach to an incident ticket or a
//! postmortem. Inline CSS and inline SVG (no network, no script needed to read it), in the
//! order of the text report: the verdict, a pair of charts per suspect, every category as
//! small multiples, the GC charts, the budget table, the advice, and what was read.
//!
//! ```text
//! ┌ jvmem report ─ inputs · span · JVM ──────────────────────────────┐
//! │ Verdict: suspects by rate · container line · notes · Flags       │
//! │ Container total ─────────────── limit ─ ─ ─ ─                   │
//! │ Suspect 1: [own scale]        [share of the limit | GC evidence] │
//! │ Every category: ▢ ▢ ▢ ▢ (small multiples, largest growth first)  │
//! │ GC: heap after GC · pauses                                       │
//! │ Budget table · What to do · Inputs read and warnings             │
//! └──────────────────────────────────────────────────────────────────┘
//! ```

use std::fmt::Write;

use super::diagnosis_text::{budget_verdict, series_amounts};
use super::html_escape::escape;
use super::html_tables::{budget_section, culprits_section, inputs_section};
use super::svg::{self, Chart, Series, YUnit};
use crate::analysis::Diagnosis;
use crate::analysis::diagnosis::{Suspect, SuspectKind};
use crate::analysis::growth::Metric;
use crate::model::units::{format_bytes, format_minutes};
use crate::model::{GcEvents, GcKind, SnapshotRef, Snapshots, Timeline};

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#111;max-width:1240px;margin:24px auto;padding:0 16px;background:#fff}\
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}\
.meta{color:#444}.verdict{border-left:6px solid #B00020;background:#fdf3f4;padding:10px 14px}.verdict.clean{border-color:#009E73;background:#f0faf6}\
.verdict ol{margin:6px 0 6px 20px;padding:0}.flags{font-family:ui-monospace,Menlo,Consolas,monospace;background:#f4f4f4;padding:6px 8px;display:block;white-space:pre-wrap;word-break:break-all}\
.pair{display:flex;flex-wrap:wrap;gap:12px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:8px}\
svg.chart{max-width:100%;height:auto;background:#fff}svg .tick,svg .legend{font:11px sans-serif;fill:#333}svg .ctitle{font:bold 12px sans-serif;fill:#111}svg .limit-label{font:bold 11px sans-serif}\
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
.warn{color:#8a4b00}.err{color:#B00020}code{font-family:ui-monospace,Menlo,Consolas,monospace}\
@media print{body{max-width:none;margin:0}.pair,.grid{break-inside:avoid}h2{break-after:avoid}}";

/// Minutes since the report's origin for each snapshot (its timestamp when all have one,
/// else the diagnosis' assumed spacing), so every chart shares one x axis.
fn snapshot_minutes(snapshots: &Snapshots, assumed_interval_s: f64) -> Vec<f64> {
    let first = snapshots.first().and_then(|s| s.timestamp);
    let measured: Option<Vec<f64>> = snapshots
        .iter()
        .map(|s| Some((s.timestamp? - first?).num_milliseconds() as f64 / 60_000.0))
        .collect();
    measured.unwrap_or_else(|| {
        (0..snapshots.len())
            .map(|i| i as f64 * assumed_interval_s / 60.0)
            .collect()
    })
}

/// Minutes for each GC event on the snapshots' clock when both have wall-clock times, else
/// since the first event's uptime (or its position).
fn gc_minutes(events: &GcEvents, snapshots: &Snapshots) -> Vec<f64> {
    let origin = snapshots.first().and_then(|s| s.timestamp);
    if let Some(origin) = origin
        && events.iter().all(|e| e.timestamp.is_some())
    {
        return events
            .iter()
            .map(|e| {
                e.timestamp
                    .map_or(0.0, |t| (t - origin).num_milliseconds() as f64 / 60_000.0)
            })
            .collect();
    }
    let first_uptime = events.iter().find_map(|e| e.uptime_s).unwrap_or(0.0);
    events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            e.uptime_s
                .map_or(i as f64 / 60.0, |u| (u - first_uptime) / 60.0)
        })
        .collect()
}

fn committed_series(
    label: &str,
    snapshots: &Snapshots,
    minutes: &[f64],
    value: impl Fn(&SnapshotRef<'_>) -> u64,
    colour: usize,
) -> Series {
    Series {
        label: label.to_string(),
        points: snapshots
            .iter()
            .zip(minutes)
            .map(|(s, &m)| (m, value(&s) as f64))
            .collect(),
        colour,
        dots: false,
    }
}

/// The limit line's value and label, when a limit is known.
fn limit_line(d: &Diagnosis) -> Option<(f64, String)> {
    d.budget.as_ref().map(|b| {
        (
            b.limit_bytes as f64,
            format!("limit {}", format_bytes(b.limit_bytes)),
        )
    })
}

fn gc_series(timeline: &Timeline, minutes: &[f64]) -> (Vec<Series>, Vec<Series>) {
    let events = &timeline.gc_events;
    let heap_after: Vec<(f64, f64)> = events
        .iter()
        .zip(minutes)
        .filter_map(|(e, &m)| e.heap_after_bytes.map(|b| (m, b as f64)))
        .collect();
    let old_after: Vec<(f64, f64)> = events
        .iter()
        .zip(minutes)
        .filter_map(|(e, &m)| e.old_after_bytes.map(|b| (m, b as f64)))
        .collect();
    let pauses: Vec<(f64, f64)> = events
        .iter()
        .zip(minutes)
        .filter(|(e, _)| e.kind != GcKind::Concurrent && e.pause_ms > 0.0)
        .map(|(e, &m)| (m, e.pause_ms))
        .collect();
    let mut heap = Vec::new();
    if !heap_after.is_empty() {
        heap.push(Series {
            label: "heap after GC".into(),
            points: heap_after,
            colour: 0,
            dots: false,
        });
    }
    if !old_after.is_empty() {
        heap.push(Series {
            label: "old gen after GC".into(),
            points: old_after,
            colour: 1,
            dots: false,
        });
    }
    let pause = if pauses.is_empty() {
        Vec::new()
    } else {
        vec![Series {
            label: "pause".into(),
            points: pauses,
            colour: 2,
            dots: true,
        }]
    };
    (heap, pause)
}

fn suspect_section(
    out: &mut String,
    i: usize,
    s: &Suspect,
    d: &Diagnosis,
    timeline: &Timeline,
    minutes: &[f64],
    gc_heap: &[Series],
) {
    let _ = writeln!(
        out,
        "<h3 id=\"suspect-{}\">Suspect {}: {} — {}</h3>",
        i + 1,
        i + 1,
        escape(&s.categories.join(" + ")),
        escape(s.kind.meaning())
    );
    let _ = writeln!(out, "<p>{}</p>", escape(&s.evidence));
    let own: Vec<Series> = s
        .categories
        .iter()
        .enumerate()
        .map(|(k, name)| {
            committed_series(
                &format!("{name} committed"),
                &timeline.snapshots,
                minutes,
                |snap| snap.committed(name),
                k + 1,
            )
        })
        .collect();
    out.push_str("<div class=\"pair\">");
    let own_title = format!("{} committed (own scale)", s.categories.join(" + "));
    out.push_str(&svg::render(&Chart {
        title: &own_title,
        series: own,
        y_unit: YUnit::Bytes,
        limit: None,
        width: 600,
        height: 260,
    }));
    if s.kind == SuspectKind::Heap && !gc_heap.is_empty() {
        out.push_str(&svg::render(&Chart {
            title: "GC evidence: heap and old gen after each collection",
            series: gc_heap.to_vec(),
            y_unit: YUnit::Bytes,
            limit: None,
            width: 600,
            height: 260,
        }));
    } else if !timeline.snapshots.is_empty() {
        let name = s.category.clone();
        let series = vec![
            committed_series(
                "NMT total committed",
                &timeline.snapshots,
                minutes,
                |snap| snap.total.committed_bytes,
                6,
            ),
            committed_series(
                &format!("{name} committed"),
                &timeline.snapshots,
                minutes,
                |snap| snap.committed(&name),
                1,
            ),
        ];
        out.push_str(&svg::render(&Chart {
            title: "Its share of the container",
            series,
            y_unit: YUnit::Bytes,
            limit: limit_line(d),
            width: 600,
            height: 260,
        }));
    }
    out.push_str("</div>\n");
    out.push_str("<table><tr><th>category</th><th>series</th><th class=n>start</th><th class=n>growth</th><th class=n>rate</th><th class=n>tau</th><th class=n>points</th></tr>\n");
    for row in &s.series {
        let (start, growth, rate) = series_amounts(row);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{:.2}</td><td class=n>{}</td></tr>",
            escape(&row.category),
            escape(row.metric.label()),
            escape(&start),
            escape(&growth),
            escape(&rate),
            row.trend.tau,
            row.trend.points
        );
    }
    out.push_str("</table>\n");
    for h in d.hints_for(s) {
        let _ = writeln!(out, "<p><b>What to do:</b> {}</p><ul>", escape(&h.title));
        for step in &h.steps {
            let _ = writeln!(out, "<li>{}</li>", escape(step));
        }
        out.push_str("</ul>\n");
    }
}

fn verdict_section(out: &mut String, d: &Diagnosis) {
    let clean = d.suspects.is_empty();
    let _ = writeln!(
        out,
        "<section class=\"verdict{}\" id=\"verdict\">",
        if clean { " clean" } else { "" }
    );
    if clean {
        let _ = writeln!(
            out,
            "<p><b>Verdict: no growth found</b> ({}).</p>",
            escape(&d.window.summary())
        );
    } else {
        let _ = writeln!(
            out,
            "<p><b>Verdict: {} suspect(s)</b>, in the order the diagnosis ranks them:</p><ol>",
            d.suspects.len()
        );
        for (i, s) in d.suspects.iter().enumerate() {
            let _ = writeln!(
                out,
                "<li><a href=\"#suspect-{}\">{}</a></li>",
                i + 1,
                escape(&s.headline())
            );
        }
        out.push_str("</ol>\n");
    }
    if let Some(b) = &d.budget {
        let _ = writeln!(
            out,
            "<p><b>Container:</b> {}.</p>",
            escape(&budget_verdict(b))
        );
        if !b.flags.is_empty() {
            let _ = writeln!(
                out,
                "<p>Flags:<code class=\"flags\">{}</code></p>",
                escape(&b.flags)
            );
        }
    }
    for note in &d.notes {
        let _ = writeln!(out, "<p class=\"warn\">Note: {}</p>", escape(note));
    }
    out.push_str("</section>\n");
}

/// The whole page. `inputs` are the paths as the user gave them (shown, escaped).
pub fn render(timeline: &Timeline, d: &Diagnosis, inputs: &[String]) -> String {
    let mut out = String::with_capacity(64 << 10);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>jvmem report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>jvmem report</h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} NMT snapshots and {} GC events over {} · generated by jvmem {}</p>",
        d.window.snapshots,
        d.window.gc_events,
        escape(&format_minutes(d.window.span_min)),
        env!("CARGO_PKG_VERSION")
    );
    let short = crate::analysis::verdict::Verdict::new(d, timeline).sentence();
    let _ = writeln!(
        out,
        "<p class=\"meta\"><b>In short:</b> {}</p>",
        escape(&short)
    );
    verdict_section(&mut out, d);

    let assumed = crate::analysis::DiagnoseOptions::default().assumed_interval_s;
    let minutes = snapshot_minutes(&timeline.snapshots, assumed);
    let gc_min = gc_minutes(&timeline.gc_events, &timeline.snapshots);
    let (gc_heap, gc_pause) = gc_series(timeline, &gc_min);

    if !timeline.snapshots.is_empty() {
        out.push_str("<h2 id=\"total\">The container's view: NMT total committed</h2>\n");
        out.push_str(&svg::render(&Chart {
            title: "NMT total committed",
            series: vec![committed_series(
                "total committed",
                &timeline.snapshots,
                &minutes,
                |s| s.total.committed_bytes,
                0,
            )],
            y_unit: YUnit::Bytes,
            limit: limit_line(d),
            width: 1200,
            height: 280,
        }));
    }

    if !d.suspects.is_empty() {
        out.push_str("<h2 id=\"suspects\">Suspects</h2>\n");
        for (i, s) in d.suspects.iter().enumerate() {
            suspect_section(&mut out, i, s, d, timeline, &minutes, &gc_heap);
        }
    }

    if !timeline.snapshots.is_empty() {
        out.push_str("<h2 id=\"categories\">Every category, largest growth first</h2>\n<div class=\"grid\">\n");
        let mut names: Vec<String> = d
            .growth
            .iter()
            .filter(|g| g.metric == Metric::Committed)
            .map(|g| g.category.clone())
            .collect();
        for n in timeline.category_names() {
            if !names.iter().any(|m| **m == *n) {
                names.push(n.to_string());
            }
        }
        for name in &names {
            let growth = d
                .growth
                .iter()
                .find(|g| g.metric == Metric::Committed && &g.category == name)
                .map(|g| {
                    let (_, growth, rate) = series_amounts(g);
                    format!("{name}: {growth}, {rate}")
                })
                .unwrap_or_else(|| name.clone());
            out.push_str(&svg::render(&Chart {
                title: &growth,
                series: vec![committed_series(
                    "committed",
                    &timeline.snapshots,
                    &minutes,
                    |s| s.committed(name),
                    if d.suspect_for(name).is_some() { 1 } else { 0 },
                )],
                y_unit: YUnit::Bytes,
                limit: None,
                width: 290,
                height: 150,
            }));
        }
        out.push_str("</div>\n");
    }

    if !timeline.gc_events.is_empty() {
        out.push_str("<h2 id=\"gc\">Garbage collection</h2>\n<div class=\"pair\">\n");
        if !gc_heap.is_empty() {
            out.push_str(&svg::render(&Chart {
                title: "Heap after each collection",
                series: gc_heap.clone(),
                y_unit: YUnit::Bytes,
                limit: None,
                width: 600,
                height: 260,
            }));
        }
        if !gc_pause.is_empty() {
            out.push_str(&svg::render(&Chart {
                title: "Pause per collection",
                series: gc_pause,
                y_unit: YUnit::Millis,
                limit: None,
                width: 600,
                height: 260,
            }));
        }
        out.push_str("</div>\n");
    }

    culprits_section(&mut out, timeline, d);
    budget_section(&mut out, d);
    inputs_section(&mut out, timeline, inputs);
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
