//! `jvmem diff` of two drill-down captures as text: the rows that changed, largest first.

use std::fmt::Write;

use crate::analysis::drill_diff::DrillDiff;
use crate::model::DrillCapture;
use crate::model::units::{format_bytes, format_delta};

/// Rows shown per diff; the rest are counted.
pub const MAX_ROWS: usize = 20;

fn when(c: &DrillCapture) -> String {
    let t = c
        .timestamp
        .map_or_else(|| "no timestamp".to_string(), |t| t.to_rfc3339());
    format!("{}:{} ({t})", c.source, c.line)
}

fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// Renders one drill-down diff.
pub fn render(d: &DrillDiff<'_>) -> String {
    let mut out = String::new();
    let noun = d.kind.count_noun();
    let _ = writeln!(
        out,
        "== {}: {} → {}",
        d.kind.command(),
        when(d.old),
        when(d.new)
    );
    if d.kind.has_bytes() {
        let _ = writeln!(
            out,
            "  total of rows: {}, {:+} {noun}",
            format_delta(d.delta_bytes),
            d.delta_count
        );
        let _ = writeln!(
            out,
            "  {:>11} {:>11} {:>12} {:>9} {:>9} {:>8}  {}",
            "old",
            "new",
            "delta",
            "old #",
            "new #",
            "delta #",
            d.kind.row_noun()
        );
    } else {
        let _ = writeln!(out, "  total: {:+} {noun}", d.delta_count);
        let _ = writeln!(
            out,
            "  {:>9} {:>9} {:>8}  {}",
            "old #",
            "new #",
            "delta #",
            d.kind.row_noun()
        );
    }
    for r in d.rows.iter().take(MAX_ROWS) {
        if d.kind.has_bytes() {
            let _ = writeln!(
                out,
                "  {:>11} {:>11} {:>12} {:>9} {:>9} {:>+8}  {}",
                format_bytes(r.old_bytes),
                format_bytes(r.new_bytes),
                format_delta(r.delta_bytes),
                r.old_count,
                r.new_count,
                r.delta_count,
                printable(&r.name)
            );
        } else {
            let _ = writeln!(
                out,
                "  {:>9} {:>9} {:>+8}  {}",
                r.old_count,
                r.new_count,
                r.delta_count,
                printable(&r.name)
            );
        }
    }
    if d.rows.len() > MAX_ROWS {
        let _ = writeln!(out, "  … {} more changed rows", d.rows.len() - MAX_ROWS);
    }
    if d.rows.is_empty() {
        let _ = writeln!(out, "  no row changed");
    }
    out
}
