//! How diagnostics and sources are written on screen: the status bar's short form, the
//! messages overlay's full form, and the source label.

use jvmem::model::Timeline;

/// A diagnostic for the one-line status bar: the file's name, not its whole path.
pub fn short_diagnostic(d: &jvmem::model::Diagnostic) -> String {
    let file = d.source.rsplit('/').next().unwrap_or(&d.source);
    if d.line == 0 {
        format!("{file}: {}", d.message)
    } else {
        format!("{file}:{}: {}", d.line, d.message)
    }
}

/// A diagnostic in full, for the messages overlay: the whole path, line and severity.
pub fn full_diagnostic(d: &jvmem::model::Diagnostic) -> String {
    let severity = match d.severity {
        jvmem::model::Severity::Error => "error",
        _ => "warning",
    };
    if d.line == 0 {
        format!("{}: {severity}: {}", d.source, d.message)
    } else {
        format!("{}:{}: {severity}: {}", d.source, d.line, d.message)
    }
}

pub(super) fn source_label(timeline: &Timeline) -> String {
    let mut sources: Vec<&str> = Vec::new();
    for s in &timeline.snapshots {
        if !sources.contains(&&**s.source) {
            sources.push(s.source);
        }
    }
    let gc_sources = timeline.gc_events.sources();
    for source in &gc_sources {
        if !sources.contains(&&**source) {
            sources.push(source);
        }
    }
    let short: Vec<&str> = sources
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or(s))
        .collect();
    match short.len() {
        0 => String::new(),
        1..=2 => short.join(", "),
        n => format!("{}, … ({n} inputs)", short[0]),
    }
}
