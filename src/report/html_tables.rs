//! The HTML report's tables: culprits, the container budget, and what was read (the charts
//! and the verdict are `html.rs`).

use std::collections::BTreeSet;
use std::fmt::Write;

use super::diagnosis_text::budget_verdict;
use super::html_escape::escape;
use crate::analysis::Diagnosis;
use crate::model::units::format_bytes;
use crate::model::{Severity, Timeline};

/// What grows inside the categories (from drill-down captures), largest growth first, when
/// the input holds any.
pub(super) fn culprits_section(out: &mut String, timeline: &Timeline, d: &Diagnosis) {
    if timeline.drills.is_empty() {
        return;
    }
    let options = crate::analysis::DiagnoseOptions::default();
    let culprits = crate::analysis::culprits::culprits(timeline, Some(d), &options);
    out.push_str("<h2 id=\"culprits\">Culprits: what grows inside the categories</h2>\n");
    if culprits.is_empty() {
        out.push_str("<p>The drill-down captures show nothing that grows steadily.</p>\n");
        return;
    }
    out.push_str("<table><tr><th>category</th><th>source</th><th>what grows</th><th>explains suspect</th></tr>\n");
    for c in &culprits {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&c.category),
            escape(c.source),
            escape(&c.headline()),
            escape(c.explains_suspect.as_deref().unwrap_or("—"))
        );
    }
    out.push_str("</table>\n");
}

pub(super) fn budget_section(out: &mut String, d: &Diagnosis) {
    let Some(b) = &d.budget else {
        return;
    };
    out.push_str("<h2 id=\"budget\">Container budget</h2>\n");
    let _ = writeln!(out, "<p>{}.</p>", escape(&budget_verdict(b)));
    if let (Some(rss), Some(nmt), Some(gap)) = (b.rss_bytes, b.nmt_committed_bytes, b.rss_gap_bytes)
    {
        let _ = writeln!(
            out,
            "<p>RSS {} − NMT committed {} = {} not tracked by NMT (glibc arenas, JNI libraries, mapped files).</p>",
            escape(&format_bytes(rss)),
            escape(&format_bytes(nmt)),
            escape(&crate::model::units::format_delta(gap))
        );
    }
    out.push_str("<table><tr><th>item</th><th class=n>budget</th><th class=n>seen</th><th>flag</th><th>why</th></tr>\n");
    for l in &b.lines {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            escape(&l.item),
            escape(&format_bytes(l.budget_bytes)),
            escape(&format_bytes(l.observed_bytes)),
            escape(l.flag.as_deref().unwrap_or("")),
            escape(&l.why)
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(
        out,
        "<p{}>{}</p>",
        if b.fits { "" } else { " class=\"err\"" },
        escape(&super::diagnosis_text::fit_verdict(b))
    );
}

pub(super) fn inputs_section(out: &mut String, timeline: &Timeline, inputs: &[String]) {
    out.push_str("<h2 id=\"inputs\">What was read</h2>\n<table>\n");
    let _ = writeln!(
        out,
        "<tr><th>inputs</th><td>{}</td></tr>",
        inputs
            .iter()
            .map(|i| format!("<code>{}</code>", escape(i)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "<tr><th>NMT snapshots</th><td>{}</td></tr><tr><th>GC events</th><td>{}</td></tr>",
        timeline.snapshots.len(),
        timeline.gc_events.len()
    );
    let pids: BTreeSet<u32> = timeline.snapshots.iter().filter_map(|s| s.pid).collect();
    if !pids.is_empty() {
        let _ = writeln!(
            out,
            "<tr><th>JVM pid</th><td>{}</td></tr>",
            pids.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let collectors: BTreeSet<&str> = timeline
        .gc_events
        .iter()
        .map(|e| e.collector.as_str())
        .collect();
    if !collectors.is_empty() {
        let _ = writeln!(
            out,
            "<tr><th>collector</th><td>{}</td></tr>",
            escape(&collectors.into_iter().collect::<Vec<_>>().join(", "))
        );
    }
    if let (Some(first), Some(last)) = (
        timeline.snapshots.first().and_then(|s| s.timestamp),
        timeline.snapshots.last().and_then(|s| s.timestamp),
    ) {
        let _ = writeln!(
            out,
            "<tr><th>time span</th><td>{} → {}</td></tr>",
            escape(&first.format("%Y-%m-%d %H:%M:%S %:z").to_string()),
            escape(&last.format("%Y-%m-%d %H:%M:%S %:z").to_string())
        );
    }
    out.push_str("</table>\n");
    let shown = 50;
    if !timeline.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Warnings and errors ({})</h3><ul>",
            timeline.diagnostics.len()
        );
        for diag in timeline.diagnostics.iter().take(shown) {
            let class = match diag.severity {
                Severity::Error => "err",
                Severity::Warning => "warn",
            };
            let _ = writeln!(
                out,
                "<li class=\"{class}\"><code>{}:{}</code> {}</li>",
                escape(&diag.source),
                diag.line,
                escape(&diag.message)
            );
        }
        if timeline.diagnostics.len() > shown {
            let _ = writeln!(
                out,
                "<li>… and {} more (`jvmem report` on a terminal lists them all)</li>",
                timeline.diagnostics.len() - shown
            );
        }
        out.push_str("</ul>\n");
    }
}
