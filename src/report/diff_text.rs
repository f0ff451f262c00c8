//! `jvmem diff` as a table for people: largest change first, human units, signed deltas.

use std::fmt::Write;

use crate::analysis::diff::{DiffStatus, SnapshotDiff};
use crate::model::SnapshotRef;
use crate::model::units::{format_bytes, format_delta, percent_change};

fn describe(s: &SnapshotRef<'_>) -> String {
    let when = s
        .timestamp
        .map(|t| format!(" at {}", t.format("%Y-%m-%d %H:%M:%S %:z")))
        .unwrap_or_default();
    let pid = s.pid.map(|p| format!(", pid {p}")).unwrap_or_default();
    format!("{} ({}{pid}){when}", s.location(), s.kind.as_str())
}

/// A change in at most 8 characters (the column's width): `+12.5%`, `+8101%` from 1,000%, and
/// the factor `×811` from 10,000% (a category that was nearly empty at the start).
fn percent_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p.abs() < 1000.0 => format!("{p:+.1}%"),
        Some(p) if p < 10_000.0 => format!("{p:+.0}%"),
        Some(p) if p < 99_999_900.0 => format!("×{:.0}", 1.0 + p / 100.0),
        Some(_) => ">×999999".to_string(),
        None => "".to_string(),
    }
}

/// Renders the diff as a text table.
pub fn render(d: &SnapshotDiff<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "old: {}", describe(&d.old));
    let _ = writeln!(out, "new: {}", describe(&d.new));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<24} {:>11} {:>11} {:>12} {:>8} {:>12}  ",
        "category", "old commit", "new commit", "Δ committed", "Δ%", "Δ reserved"
    );
    for c in &d.categories {
        let marker = match c.status {
            DiffStatus::New => "new",
            DiffStatus::Gone => "gone",
            DiffStatus::Changed | DiffStatus::Unchanged => "",
        };
        let amount = |v: Option<u64>| v.map(format_bytes).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:<24} {:>11} {:>11} {:>12} {:>8} {:>12}  {marker}",
            truncate(&c.name, 24),
            amount(c.old_committed_bytes),
            amount(c.new_committed_bytes),
            format_delta(c.committed_delta_bytes),
            percent_text(c.committed_percent()),
            format_delta(c.reserved_delta_bytes),
        );
    }
    let (o, n) = (&d.old.total, &d.new.total);
    let _ = writeln!(
        out,
        "{:<24} {:>11} {:>11} {:>12} {:>8} {:>12}",
        "Total",
        format_bytes(o.committed_bytes),
        format_bytes(n.committed_bytes),
        format_delta(d.committed_delta_bytes),
        percent_text(percent_change(o.committed_bytes, n.committed_bytes)),
        format_delta(d.reserved_delta_bytes),
    );
    out
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::percent_text;

    #[test]
    fn percentages_fit_their_column() {
        for (p, text) in [
            (12.49, "+12.5%"),
            (-100.0, "-100.0%"),
            (999.9, "+999.9%"),
            (8100.67, "+8101%"),
            (81006.7, "×811"),
            (1e12, ">×999999"),
        ] {
            assert_eq!(percent_text(Some(p)), text);
            assert!(text.chars().count() <= 8, "{text}");
        }
    }
}
