//! The culprits section of `report` (text, Markdown) and the JSON report with `"culprits"`.

use std::fmt::Write;

use serde::Serialize;

use crate::analysis::Diagnosis;
use crate::analysis::culprits::Culprit;
use crate::model::units::{format_bytes, format_delta, format_rate_per_min};
use crate::model::{DrillKind, Timeline};

/// `report --format json`: the diagnosis's fields, plus `culprits` (largest growth first).
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    #[serde(flatten)]
    pub diagnosis: &'a Diagnosis,
    pub culprits: &'a [Culprit],
}

/// Names come from the JVM's output (class and thread names): no control characters in a
/// report that may go to a terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// How many captures of each kind were read: `12 GC.class_histogram, 12 Thread.print`.
pub fn captures_read(timeline: &Timeline) -> String {
    DrillKind::ALL
        .iter()
        .filter_map(|k| {
            let n = timeline.drills.iter().filter(|d| d.kind == *k).count();
            (n > 0).then(|| format!("{n} {}", k.command()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rate(c: &Culprit) -> String {
    if c.kind.has_bytes() {
        format_rate_per_min(c.rate_per_min)
    } else {
        format!("{:+.1} {}/min", c.rate_per_min, c.rate_unit)
    }
}

fn explains(c: &Culprit) -> String {
    match &c.explains_suspect {
        Some(s) => format!("explains suspect {s}"),
        None => format!("{} is not a suspect", c.category),
    }
}

/// The text section; empty when the inputs held no drill-down captures.
pub fn render_text(timeline: &Timeline, culprits: &[Culprit]) -> String {
    let mut out = String::new();
    let read = captures_read(timeline);
    if read.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\n== Culprits: what grows inside each category ({read}), largest growth first"
    );
    if culprits.is_empty() {
        let _ = writeln!(
            out,
            "  none: no class, loader type, thread group or call site grows steadily."
        );
    }
    for (i, c) in culprits.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. [{}] {} — {}",
            i + 1,
            c.category,
            printable(&c.headline()),
            explains(c)
        );
    }
    out
}

/// Thread groups have no bytes: a dash, not `0 B`.
fn bytes_or_dash(c: &Culprit, amount: String) -> String {
    if c.kind.has_bytes() {
        amount
    } else {
        "—".to_string()
    }
}

fn cell(s: &str) -> String {
    printable(s).replace('|', "\\|")
}

/// The Markdown section; empty when the inputs held no drill-down captures.
pub fn render_markdown(timeline: &Timeline, culprits: &[Culprit]) -> String {
    let mut out = String::new();
    let read = captures_read(timeline);
    if read.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n## Culprits\n\nFrom {read}, largest growth first.\n");
    if culprits.is_empty() {
        let _ = writeln!(
            out,
            "None: no class, loader type, thread group or call site grows steadily."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "| category | source | name | first | last | growth | count | rate | explains | note |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---:|---:|---:|---|---|");
    for c in culprits {
        let note = [
            c.holder.as_ref().map(|h| format!("held by {h}?")),
            c.note.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} | {} | {} | {} → {} {} | {} | {} | {} |",
            c.category,
            c.source,
            cell(&c.name),
            bytes_or_dash(c, format_bytes(c.first_bytes)),
            bytes_or_dash(c, format_bytes(c.last_bytes)),
            bytes_or_dash(c, format_delta(c.growth_bytes)),
            c.first_count,
            c.last_count,
            c.kind.count_noun(),
            rate(c),
            c.explains_suspect.as_deref().unwrap_or("—"),
            cell(&note)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{DiagnoseOptions, diagnose};

    fn leak() -> (Timeline, Vec<Culprit>) {
        let dir = format!("{}/samples/drill/leak-jdk21", env!("CARGO_MANIFEST_DIR"));
        let t = crate::input::load(&[format!("{dir}/capture.txt"), format!("{dir}/gc.log")]);
        let options = DiagnoseOptions::default();
        let d = diagnose(&t, &options);
        let c = crate::analysis::culprits::culprits(&t, Some(&d), &options);
        (t, c)
    }

    #[test]
    fn text_and_markdown_sections_of_the_jdk21_leak() {
        let (t, c) = leak();
        insta::assert_snapshot!("culprits_text_jdk21", render_text(&t, &c));
        insta::assert_snapshot!("culprits_markdown_jdk21", render_markdown(&t, &c));
    }

    #[test]
    fn no_drill_captures_no_section_and_control_characters_are_replaced() {
        assert_eq!(render_text(&Timeline::default(), &[]), "");
        assert_eq!(render_markdown(&Timeline::default(), &[]), "");
        assert_eq!(printable("a\u{1b}[31mb"), "a?[31mb");
    }
}
