//! GC logs → [`GcEvent`](crate::model::GcEvent)s: unified logging (JDK 9+) and legacy
//! `-XX:+PrintGCDetails` (JDK ≤ 8), every collector. (Being built: issue 3.)

/// True when the first bytes of an input look like a GC log rather than NMT output.
pub fn looks_like_gc_log(head: &str) -> bool {
    head.lines().take(50).any(|l| {
        (l.starts_with('[') && l.contains("gc")) || l.contains("[GC") || l.contains("[Full GC")
    })
}
