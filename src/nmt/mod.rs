//! NMT text → [`Snapshot`](crate::model::Snapshot)s.
//!
//! Reads `jcmd <pid> VM.native_memory summary|summary.diff|detail|detail.diff [scale=…]`
//! output and `-XX:+PrintNMTStatistics` exit output from JDK 8 to 25, wherever it stands in
//! the input. Entry points: [`parse_str`] and [`parse_with`]. The parser never fails as a
//! whole: what it cannot read becomes a [`Diagnostic`](crate::model::Diagnostic) with its line.

mod builder;
mod group;
mod jcmd_errors;
mod lines;
mod plausible;
mod scan;
mod shapes;
mod stream;
mod templates;
mod timestamp;
mod tokens;

pub use jcmd_errors::jcmd_failure;
pub use scan::{Keep, NmtParse, ParseOptions, parse_str, parse_with};
pub use stream::{NmtStream, cut_before_last_header};
pub use timestamp::parse_timestamp_line;

/// True when `text` contains the start of an NMT snapshot: the header, or a summary's
/// `Total: reserved=…, committed=…` line (a paste that left the header behind).
pub fn looks_like_nmt(text: &str) -> bool {
    text.contains("Native Memory Tracking:")
        || memchr::memmem::find_iter(text.as_bytes(), "Total: reserved=").any(|at| {
            let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            lines::headerless_total(&text[at..line_end]).is_some()
        })
}
