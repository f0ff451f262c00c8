//! GC logs → [`GcEvent`](crate::model::GcEvent)s: unified logging (JDK 9+) and legacy
//! `-XX:+PrintGCDetails` (JDK ≤ 8), every collector. (Being built: issue 3.)

/// True when the first bytes of an input look like a GC log rather than NMT output.
pub fn looks_like_gc_log(head: &str) -> bool {
    head.lines().take(50).any(|l| {
        (l.starts_with('[') && l.contains("gc")) || l.contains("[GC") || l.contains("[Full GC")
    })
}

/// What was read from one GC log. (Placeholder until the GC parser lands.)
#[derive(Debug, Default)]
pub struct GcParse {
    pub events: Vec<crate::model::GcEvent>,
    pub diagnostics: Vec<crate::model::Diagnostic>,
}

/// Reads a GC log. (Placeholder until the GC parser lands: reports that it cannot.)
pub fn parse_reader<R: std::io::BufRead>(source: std::sync::Arc<str>, _reader: R) -> GcParse {
    GcParse {
        events: Vec::new(),
        diagnostics: vec![crate::model::Diagnostic::error(
            &source,
            0,
            "GC logs are not supported yet",
        )],
    }
}
