//! Reading NMT text line by line with a cap on line length.

use std::sync::Arc;

use crate::model::Diagnostic;

/// Lines longer than this are skipped when reading NMT text (a real NMT line is under 200
/// bytes; a 1 GB line must not cost a gigabyte of memory).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads text line by line, keeping lines up to [`MAX_LINE_BYTES`]; a longer line becomes an
/// empty line (so line numbers stay right) and a warning naming it. Invalid UTF-8 is read
/// lossily, line by line.
pub fn read_text_capped<R: std::io::BufRead>(
    source: &Arc<str>,
    reader: R,
) -> std::io::Result<(String, Vec<Diagnostic>)> {
    read_text_capped_sized(source, reader, 0)
}

/// [`read_text_capped`] into a buffer sized for `expected_bytes` up front (a file's length),
/// which saves the copies of a growing buffer.
pub fn read_text_capped_sized<R: std::io::BufRead>(
    source: &Arc<str>,
    mut reader: R,
    expected_bytes: usize,
) -> std::io::Result<(String, Vec<Diagnostic>)> {
    let mut lines = CappedLines::new(source, expected_bytes);
    while lines.read_more(&mut reader)? {}
    lines.end_line();
    // One UTF-8 check over the whole text (SIMD); lossy only when something is invalid.
    let text = String::from_utf8(lines.text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((text, lines.diagnostics))
}

/// Text is handed on in blocks of about this size ([`read_text_blocks`]): two pieces of
/// 2 MiB for the two-thread scan, small next to the model of a long recording.
pub const BLOCK_BYTES: usize = 4 << 20;

/// [`read_text_capped`] in blocks, for NMT text that must not be held whole: `each` gets
/// every block (of at least `block_bytes` but the last, each but the first starting at a
/// column-0 `Native Memory Tracking:` line, see [`crate::nmt::NmtStream`]) with the warnings
/// about over-long lines in it; it returns false to stop. Text with no header to cut at is
/// held until it has one (or ends).
pub fn read_text_blocks<R: std::io::BufRead>(
    source: &Arc<str>,
    mut reader: R,
    block_bytes: usize,
    each: &mut dyn FnMut(&str, Vec<Diagnostic>) -> bool,
) -> std::io::Result<()> {
    let mut lines = CappedLines::new(source, block_bytes + (block_bytes >> 2));
    // Where the search for a cut resumes: the text before it has no header line to cut at.
    let mut searched: usize = 0;
    while lines.read_more(&mut reader)? {
        if lines.line_start < block_bytes {
            continue;
        }
        // Only whole lines are cut; the `\n` before a header must be looked at again.
        let whole = &lines.text[..lines.line_start];
        match crate::nmt::cut_before_last_header(whole, searched.saturating_sub(1)) {
            Some(cut) if cut > 0 => {
                let diagnostics = std::mem::take(&mut lines.diagnostics);
                if !each(&utf8(&lines.text[..cut]), diagnostics) {
                    return Ok(());
                }
                lines.text.drain(..cut);
                lines.line_start -= cut;
                searched = lines.line_start;
            }
            _ => searched = lines.line_start,
        }
    }
    lines.end_line();
    let diagnostics = std::mem::take(&mut lines.diagnostics);
    each(&utf8(&lines.text), diagnostics);
    Ok(())
}

/// The text of whole lines: one UTF-8 check (SIMD), lossy only when something is invalid.
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The state of [`read_text_capped`]: the bytes kept so far and where the current line began.
struct CappedLines<'a> {
    source: &'a Arc<str>,
    text: Vec<u8>,
    diagnostics: Vec<Diagnostic>,
    /// Where the current line starts in `text`.
    line_start: usize,
    /// Bytes of the current line dropped for being over the cap (0: none).
    skipped: u64,
    line_no: u64,
}

impl<'a> CappedLines<'a> {
    fn new(source: &'a Arc<str>, capacity: usize) -> CappedLines<'a> {
        CappedLines {
            source,
            text: Vec::with_capacity(capacity),
            diagnostics: Vec::new(),
            line_start: 0,
            skipped: 0,
            line_no: 1,
        }
    }

    /// Takes in the reader's next buffer, line by line; false at the end of the input.
    fn read_more<R: std::io::BufRead>(&mut self, reader: &mut R) -> std::io::Result<bool> {
        let buf = loop {
            match reader.fill_buf() {
                Ok(buf) => break buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if buf.is_empty() {
            return Ok(false);
        }
        // No line in `buf` can be over the cap when all of it, with the line it continues,
        // is under it: one copy for the whole buffer, instead of one per line.
        let current = self.text.len() - self.line_start;
        if self.skipped == 0 && current + buf.len() <= MAX_LINE_BYTES {
            self.text.extend_from_slice(buf);
            if let Some(last) = memchr::memrchr(b'\n', buf) {
                self.line_start = self.text.len() - (buf.len() - last - 1);
                self.line_no += memchr::memchr_iter(b'\n', buf).count() as u64;
            }
            let used = buf.len();
            reader.consume(used);
            return Ok(true);
        }
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', buf) {
            self.push(&buf[start..=newline]);
            self.end_line();
            start = newline + 1;
        }
        self.push(&buf[start..]);
        let used = buf.len();
        reader.consume(used);
        Ok(true)
    }

    /// More of the current line.
    fn push(&mut self, piece: &[u8]) {
        if self.skipped > 0 {
            self.skipped += piece.len() as u64;
        } else if self.text.len() - self.line_start + piece.len() > MAX_LINE_BYTES {
            self.skipped = (self.text.len() - self.line_start + piece.len()) as u64;
            self.text.truncate(self.line_start);
        } else {
            self.text.extend_from_slice(piece);
        }
    }

    /// The current line is complete (its `\n`, if any, already pushed).
    fn end_line(&mut self) {
        if self.skipped > 0 {
            self.diagnostics.push(Diagnostic::warning(
                self.source,
                self.line_no,
                format!(
                    "line is {} long (over {}): skipped",
                    crate::model::units::format_bytes(self.skipped),
                    crate::model::units::format_bytes(MAX_LINE_BYTES as u64)
                ),
            ));
            self.text.push(b'\n');
            self.skipped = 0;
        }
        self.line_start = self.text.len();
        self.line_no += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_lines_are_skipped_and_named_and_line_numbers_kept() {
        let source: Arc<str> = Arc::from("t");
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let mut input = format!("first\n{long}\nthird ").into_bytes();
        input.extend_from_slice(b"\xff\nlast");
        let bytes = input.as_slice();
        // Small reads, so lines arrive in pieces as from a pipe.
        let reader = std::io::BufReader::with_capacity(4096, bytes);
        let (text, diagnostics) = read_text_capped(&source, reader).unwrap();
        assert_eq!(text, "first\n\nthird \u{fffd}\nlast");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, 2);
        assert!(
            diagnostics[0].message.contains("1.0 MiB long"),
            "{}",
            diagnostics[0].message
        );
    }
}
