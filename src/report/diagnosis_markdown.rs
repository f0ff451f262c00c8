//! `jvmem report --format markdown`: the same diagnosis as the text report, as GitHub-flavoured
//! Markdown for tickets and CI summaries.

use std::fmt::Write;

use super::diagnosis_text::{budget_verdict, format_minutes, series_amounts};
use crate::analysis::Diagnosis;
use crate::model::units::format_bytes;

/// Table cells must not break the table.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders the whole diagnosis as Markdown.
pub fn render(d: &Diagnosis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# JVM memory report\n");
    if d.suspects.is_empty() {
        let _ = writeln!(
            out,
            "**Verdict: no growth found** ({} snapshots, {} GC events over {}).",
            d.window.snapshots,
            d.window.gc_events,
            format_minutes(d.window.span_min)
        );
    } else {
        let _ = writeln!(
            out,
            "**Verdict: {} suspect(s)**, most likely first:\n",
            d.suspects.len()
        );
        for (i, s) in d.suspects.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, cell(&s.headline()));
        }
    }
    if let Some(b) = &d.budget {
        let _ = writeln!(out, "\n**Container:** {}.", budget_verdict(b));
    }
    for note in &d.notes {
        let _ = writeln!(out, "\n> Note: {note}");
    }
    for (i, s) in d.suspects.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n## Suspect {}: {} ({})\n",
            i + 1,
            s.category,
            s.kind.meaning()
        );
        let _ = writeln!(out, "{}\n", s.evidence);
        let _ = writeln!(
            out,
            "| category | series | start | growth | rate | tau | points |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|");
        for row in &s.series {
            let (start, growth, rate) = series_amounts(row);
            let _ = writeln!(
                out,
                "| {} | {} | {start} | {growth} | {rate} | {:.2} | {} |",
                cell(&row.category),
                row.metric.label(),
                row.trend.tau,
                row.trend.points
            );
        }
        for h in d.hints_for(s) {
            let _ = writeln!(out, "\n**What to do: {}**\n", h.title);
            for step in &h.steps {
                let _ = writeln!(out, "- {}", cell(step));
            }
        }
    }
    if let Some(b) = &d.budget {
        let _ = writeln!(out, "\n## Container budget\n");
        let _ = writeln!(out, "| item | budget | seen | flag | why |");
        let _ = writeln!(out, "|---|---:|---:|---|---|");
        for l in &b.lines {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                l.item,
                format_bytes(l.budget_bytes),
                format_bytes(l.observed_bytes),
                l.flag
                    .as_deref()
                    .map(|f| format!("`{f}`"))
                    .unwrap_or_default(),
                cell(&l.why)
            );
        }
        let _ = writeln!(out, "\n{}", cell(&super::diagnosis_text::fit_verdict(b)));
        if !b.flags.is_empty() {
            let _ = writeln!(out, "\n```\n{}\n```", b.flags);
        }
    }
    out
}
