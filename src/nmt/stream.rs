//! NMT text read block by block: the text of a large input is never held whole.
//!
//! [`NmtStream`] takes the text in blocks that each start at a column-0
//! `Native Memory Tracking:` line (but the first), the same cuts the parallel scan makes, and
//! gives back each block's snapshots as one sequential scan of the whole text would have read
//! them: the scanner state at the end of a block (its last lines, for the next snapshot's pid
//! and timestamp; the JVM version line; the once-only warnings) is carried into the next.
//! [`cut_before_last_header`] finds where a buffer of text can be cut.

use std::sync::Arc;

use super::scan::{Keep, Merger, NmtParse, ParseOptions, cut_points_min, parse_block};

/// A block is scanned on two threads from this size (thread start-up is ~20 µs; a 2 MiB
/// piece takes ~7 ms to scan).
const MIN_PIECE_BYTES: usize = 2 << 20;

/// Where the text held so far can be cut: the start of the last column-0 header line in
/// `text` after `from`, if there is one.
pub fn cut_before_last_header(text: &[u8], from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    memchr::memmem::rfind(rest, b"\nNative Memory Tracking:").map(|at| from + at + 1)
}

/// The scan state of one input read block by block.
pub struct NmtStream {
    source: Arc<str>,
    options: ParseOptions,
    merger: Merger,
    /// Lines before the next block.
    lines_before: u64,
    started: bool,
    keep: Keep,
}

impl NmtStream {
    /// A stream for `source` whose first line is `options.first_line + 1`.
    pub fn new(source: &Arc<str>, options: ParseOptions) -> Self {
        NmtStream {
            source: Arc::clone(source),
            lines_before: options.first_line,
            options,
            merger: Merger::default(),
            started: false,
            keep: Keep::All,
        }
    }

    /// The stream, for a consumer that keeps only `keep` of each snapshot.
    pub fn keeping(mut self, keep: Keep) -> Self {
        self.keep = keep;
        self
    }

    /// Reads the next block: the first one from the input's start, every later one from a
    /// column-0 header line ([`cut_before_last_header`]) to just before the next cut. Blocks
    /// large enough are scanned on two threads, as [`super::parse_with`] does.
    pub fn feed(&mut self, block: &str) -> NmtParse {
        let block = if self.started {
            block
        } else {
            block.strip_prefix('\u{feff}').unwrap_or(block)
        };
        self.started = true;
        let cuts = cut_points_min(block, MIN_PIECE_BYTES);
        let (parsed, newlines) = parse_block(
            &self.source,
            block,
            self.lines_before,
            &self.options,
            &cuts,
            &mut self.merger,
            self.keep,
        );
        self.lines_before += newlines;
        parsed
    }

    /// Lines before the next block: the stream's first line number, plus every line fed.
    pub fn lines_before(&self) -> u64 {
        self.lines_before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fed in blocks cut at every header, the stream reads what one scan of the text reads,
    /// including the pid and timestamp lines that stand in the previous block and a JVM
    /// version line read three blocks earlier.
    #[test]
    fn blocks_read_as_one_text() {
        let one = "4242:\n\nNative Memory Tracking:\n\nTotal: reserved=10KB, committed=5KB\n\n\
-                 Java Heap (reserved=8KB, committed=4KB)\n\
                            (mmap: reserved=8KB, committed=4KB)\n\n\
-                    Quirky (reserved=2KB, committed=1KB)\n\
                            (frob=1KB)\n\n";
        let text = format!(
            "4242:\nOpenJDK 64-Bit Server VM version 21.0.8+9-LTS\nJDK 21.0.8 is ok\n\
             2026-11-26T06:39:00+00:00\n{one}noise line\n1764139200\n{one}{one}\
             Native Memory Tracking:\n\nThu Nov 26 06:41:00 UTC 2026\n{one}"
        );
        let source: Arc<str> = Arc::from("t");
        let whole = super::super::parse_str(&source, &text);
        let mut cuts: Vec<usize> = text
            .match_indices("\nNative Memory Tracking:")
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(cuts.len(), 5);
        cuts.insert(0, 0);
        cuts.push(text.len());
        let mut stream = NmtStream::new(&source, ParseOptions::default());
        let mut streamed = NmtParse::default();
        for w in cuts.windows(2) {
            let mut parsed = stream.feed(&text[w[0]..w[1]]);
            streamed.snapshots.append(&mut parsed.snapshots);
            streamed.diagnostics.append(&mut parsed.diagnostics);
        }
        assert_eq!(streamed.snapshots, whole.snapshots);
        assert_eq!(streamed.diagnostics, whole.diagnostics);
        assert_eq!(whole.snapshots.len(), 4);
        let versions = whole
            .snapshots
            .iter()
            .filter(|s| s.jvm_version.as_deref() == Some("21.0.8+9-LTS"))
            .count();
        assert_eq!(versions, 4);
        assert!(whole.snapshots.iter().all(|s| s.pid == Some(4242)));
        assert_eq!(
            cut_before_last_header(text.as_bytes(), 0),
            cuts.get(5).copied()
        );
    }
}
