//! CSV: one row per snapshot × category, for spreadsheets and scripts.

use std::io::{self, Write};

use crate::model::Timeline;

/// The header row of [`write_snapshots`].
pub const HEADER: &str = "snapshot,source,line,timestamp,pid,kind,category,reserved_bytes,\
committed_bytes,reserved_delta_bytes,committed_delta_bytes";

/// Writes every category of every snapshot (deltas empty unless the snapshot is a `.diff`).
pub fn write_snapshots<W: Write>(out: &mut W, timeline: &Timeline) -> io::Result<()> {
    writeln!(out, "{HEADER}")?;
    for (index, s) in timeline.snapshots.iter().enumerate() {
        let timestamp = s.timestamp.map(|t| t.to_rfc3339()).unwrap_or_default();
        let pid = s.pid.map(|p| p.to_string()).unwrap_or_default();
        let source = quote(&s.source);
        for c in &s.categories {
            let u = &c.usage;
            let opt = |d: Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
            writeln!(
                out,
                "{},{source},{},{timestamp},{pid},{},{},{},{},{},{}",
                index + 1,
                s.line,
                s.kind.as_str(),
                quote(&c.name),
                u.reserved_bytes,
                u.committed_bytes,
                opt(u.reserved_delta_bytes),
                opt(u.committed_delta_bytes),
            )?;
        }
    }
    Ok(())
}

/// RFC 4180 quoting, only when needed.
pub fn quote(field: &str) -> std::borrow::Cow<'_, str> {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\"")).into()
    } else {
        field.into()
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(quote("Java Heap"), "Java Heap");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
