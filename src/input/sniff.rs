//! Telling NMT output, GC logs and session recordings apart by their first bytes.

use crate::nmt;

/// What an input holds, decided from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// jcmd / PrintNMTStatistics text (also the default for text we cannot place).
    Nmt,
    GcLog,
    /// A recording written by `jvmem live --record`.
    Session,
    /// NUL bytes and none of the above: not read (as `grep` does with binary files).
    Binary,
}

/// How many bytes are looked at to decide an input's kind.
pub(super) const SNIFF_BYTES: usize = 64 * 1024;

/// Decides what `head` (the first bytes of an input) is.
pub fn detect_kind(head: &[u8]) -> InputKind {
    let end = head.len().min(SNIFF_BYTES);
    let text = String::from_utf8_lossy(&head[..end]);
    if crate::session::looks_like_session(&text) {
        InputKind::Session
    } else if nmt::looks_like_nmt(&text) {
        InputKind::Nmt
    } else if crate::gclog::looks_like_gc_log(&text) {
        InputKind::GcLog
    } else if head[..end].contains(&0) {
        InputKind::Binary
    } else {
        InputKind::Nmt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_kinds_by_content() {
        assert_eq!(
            detect_kind(b"1:\n\nNative Memory Tracking:\n"),
            InputKind::Nmt
        );
        assert_eq!(
            detect_kind(b"[0.010s][info][gc] Using G1\n[0.2s][info][gc] GC(0) Pause Young"),
            InputKind::GcLog
        );
        assert_eq!(detect_kind(b"\xff\xfe garbage"), InputKind::Nmt);
    }
}
