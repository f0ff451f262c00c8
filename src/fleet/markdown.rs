//! `jvmem fleet --format markdown`: the ranked table for a ticket or a CI summary, then the
//! evidence of each JVM with a sure suspect. Cells go through the report's Markdown escaping
//! ([`cell`]); a JVM's labels are a code span.

use std::fmt::Write;

use super::FleetRow;
use crate::analysis::diagnosis::DEFAULT_MIN_CONFIDENCE;
use crate::report::diagnosis_markdown::{cell, prose};

/// Labels as a code span: a backtick inside would end it, and `|` must stay escaped even
/// there in a GitHub table.
fn code(labels: &str) -> String {
    format!("`{}`", labels.replace('`', "'").replace('|', "\\|"))
}

/// The fleet as Markdown.
pub fn render(rows: &[FleetRow]) -> String {
    let mut out = String::new();
    let sure = rows.iter().filter(|r| r.sure).count();
    let _ = writeln!(
        out,
        "# Fleet: {} JVM(s), {sure} with a growing suspect\n",
        rows.len()
    );
    out.push_str(
        "| JVM | Limit | Usage | Top suspect | Rate | Minutes left | Fails by | Confidence | Snapshots |\n",
    );
    out.push_str("|---|---:|---:|---|---:|---:|---|---:|---:|\n");
    for r in rows {
        let [jvm, limit, usage, suspect, rate, left, by, conf, snaps] = r.cells();
        let (jvm, suspect) = (code(&jvm), cell(&suspect));
        let _ = writeln!(
            out,
            "| {jvm} | {limit} | {usage} | {suspect} | {rate} | {left} | {by} | {conf} | {snaps} |"
        );
    }
    out.push_str(
        "\nMinutes left: to the first failure, the container's OOM kill at the limit or the heap's \
         OutOfMemoryError at -Xmx (Fails by). `?`: not sure (confidence under 0.25), as `jvmem \
         report` says it.\n",
    );
    for r in rows.iter().filter(|r| r.sure) {
        let _ = writeln!(out, "\n## {}\n", code(&r.jvm));
        for s in r
            .diagnosis
            .suspects
            .iter()
            .filter(|s| s.confidence >= DEFAULT_MIN_CONFIDENCE)
        {
            let _ = writeln!(out, "- **{}**: {}", cell(&s.category), prose(&s.evidence));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::diagnosis::{DiagnoseOptions, diagnose};
    use crate::model::Timeline;

    #[test]
    fn labels_are_code_and_cells_cannot_break_the_table() {
        let row = FleetRow {
            jvm: r#"pod="a|b`c""#.into(),
            limit_bytes: Some(1 << 30),
            usage_bytes: None,
            top_suspect: Some("Other".into()),
            rate_bytes_per_min: Some(30.0 * 1048576.0),
            confidence: Some(0.2),
            sure: false,
            minutes_to_limit: None,
            minutes_left: Some(0.25),
            failure: Some(crate::analysis::budget_failure::Failure::HeapOom),
            snapshots: 31,
            diagnosis: diagnose(&Timeline::default(), &DiagnoseOptions::default()),
        };
        let md = render(&[row]);
        assert!(
            md.contains(
                r#"| `pod="a\|b'c"` | 1.0 GiB | - | Other? | +30.0 MiB/min | 0.2 | heap OOM | 0.20 | 31 |"#
            ),
            "{md}"
        );
        assert!(
            md.starts_with("# Fleet: 1 JVM(s), 0 with a growing suspect\n"),
            "{md}"
        );
        assert!(!md.contains("\n## "), "{md}");
    }
}
