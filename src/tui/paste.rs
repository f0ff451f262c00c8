//! Reading a bracketed paste: a pure function from the pasted text to snapshots and
//! diagnostics, which the app runs on the UI thread for small pastes and on a worker thread
//! for big ones (a 100 MiB paste takes ~0.5 s to parse; the keyboard must not wait for it).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use jvmem::model::{Diagnostic, Snapshot};
use jvmem::nmt::{ParseOptions, parse_with};

/// Pastes at least this big are parsed off the UI thread (256 KiB is ~60 snapshots, ~1 ms).
pub const BACKGROUND_PASTE_BYTES: usize = 256 * 1024;

/// What a paste held.
#[derive(Debug, Default)]
pub struct PasteResult {
    /// Snapshots with at least one amount, in paste order.
    pub snapshots: Vec<Snapshot>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a paste received at `now` (the time of snapshots with no timestamp of their own).
pub fn parse_paste(text: &str, now: DateTime<FixedOffset>) -> PasteResult {
    let source: Arc<str> = Arc::from("paste");
    let options = ParseOptions {
        default_timestamp: Some(now),
        ..ParseOptions::default()
    };
    // Terminals send a pasted newline as CR (what the Enter key sends), so a paste from the
    // clipboard arrives with lone CRs; the parser reads lines, so give it lines.
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    let mut parsed = parse_with(&source, text, &options);
    // A header that broke off before any amount is not a point worth plotting at zero.
    parsed
        .snapshots
        .retain(|s| !s.categories.is_empty() || s.total.committed_bytes > 0);
    PasteResult {
        snapshots: parsed.snapshots,
        diagnostics: parsed.diagnostics,
    }
}
