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
    /// A Java Flight Recorder file (`FLR\0`).
    Jfr,
    /// NUL bytes and none of the above: not read (as `grep` does with binary files).
    Binary,
}

/// How many bytes are looked at to decide an input's kind. A GC log on stdout often follows
/// an application's start-up lines: 256 KiB is ~2,000 log lines of 120 bytes (the
/// application's start-up banner in the probe that found this was 200 lines, 24 KiB); an
/// explicit `--gc-log` needs no detection at all.
pub(super) const SNIFF_BYTES: usize = 256 * 1024;

/// Decides what `head` (the first bytes of an input) is.
pub fn detect_kind(head: &[u8]) -> InputKind {
    let end = head.len().min(SNIFF_BYTES);
    match recognised_kind(head) {
        Some(kind) => kind,
        None if head[..end].contains(&0) => InputKind::Binary,
        None => InputKind::Nmt,
    }
}

/// The kind `head` shows positively (a session header, an NMT header or Total line, GC log
/// lines), or `None` when it is only text of some other kind, or binary.
pub fn recognised_kind(head: &[u8]) -> Option<InputKind> {
    if crate::jfr::is_jfr(head) {
        return Some(InputKind::Jfr);
    }
    let end = head.len().min(SNIFF_BYTES);
    if crate::jfr::is_jfr(head) {
        return Some(InputKind::Jfr);
    }
    let text = String::from_utf8_lossy(&head[..end]);
    if crate::session::looks_like_session(&text) {
        Some(InputKind::Session)
    } else if nmt::looks_like_nmt(&text) {
        Some(InputKind::Nmt)
    } else if crate::gclog::looks_like_gc_log(&text) {
        Some(InputKind::GcLog)
    } else {
        None
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
