//! The streaming loop: reads a `BufRead` in whatever chunks it gives, splits lines with
//! `memchr` (no allocation per line; only a line cut by a chunk boundary is copied), decides
//! once whether the log is unified or legacy, and feeds each line to that parser.

use std::io::{BufRead, ErrorKind};
use std::sync::Arc;

use super::legacy::LegacyParser;
use super::unified::UnifiedParser;
use super::{GcLogFormat, GcLogInfo, GcSink, MAX_STORED_DIAGNOSTICS, decorators, legacy};
use crate::model::intern::Interner;
use crate::model::{Diagnostic, GcEvent};

/// Longer lines are cut: no GC line is anywhere near this, and a file without newlines must not
/// make memory grow.
const MAX_LINE: usize = 64 * 1024;

/// What a parser made of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStatus {
    Recognized,
    Unrecognized,
}

/// What both parsers share: where events go and what is known about the log.
/// The sink is owned: a borrowed one is a `&mut S` (itself a [`GcSink`]); the incremental
/// reader owns a `Vec`.
pub struct Ctx<S: GcSink> {
    pub source: Arc<str>,
    pub info: GcLogInfo,
    pub(crate) names: Interner,
    pub(crate) sink: S,
}

impl<S: GcSink> Ctx<S> {
    /// Hands a finished event on, noting how far the log reaches in time.
    #[inline]
    pub fn emit(&mut self, event: GcEvent) {
        self.info.events += 1;
        if let Some(u) = event.uptime_s {
            let counted = super::plausible::counted_ms;
            let end = u
                + (counted(event.pause_ms).max(counted(event.concurrent_ms.unwrap_or(0.0)))) / 1e3;
            self.info.end_uptime_s = Some(self.info.end_uptime_s.map_or(end, |e| e.max(end)));
            if self.info.start_uptime_s.is_none() {
                self.info.start_uptime_s = Some(u);
            }
        }
        if let Some(t) = event.timestamp {
            self.info.end_timestamp = Some(self.info.end_timestamp.map_or(t, |e| e.max(t)));
            self.info.start_timestamp = Some(self.info.start_timestamp.map_or(t, |e| e.min(t)));
        }
        self.sink.event(event);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Unknown,
    Unified,
    Legacy,
}

/// Line-by-line state over one input (or one chunk of it).
pub struct Driver<S: GcSink> {
    pub mode: Mode,
    pub line_no: u64,
    /// Lines read before the format was known (a banner, `Initializing …`, `Version: …`),
    /// replayed once it is; capped so a file that never tells costs little.
    undecided: Vec<(u64, Vec<u8>)>,
    pub unified: UnifiedParser,
    pub legacy: LegacyParser,
    pub ctx: Ctx<S>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<S: GcSink> Driver<S> {
    /// A driver starting at line 1 of `source`.
    pub fn new(source: Arc<str>, sink: S, mode: Mode, unified: UnifiedParser) -> Self {
        let info = GcLogInfo {
            sources: vec![Arc::clone(&source)],
            format: match mode {
                Mode::Unified => Some(GcLogFormat::Unified),
                Mode::Legacy => Some(GcLogFormat::Legacy),
                Mode::Unknown => None,
            },
            ..GcLogInfo::default()
        };
        Driver {
            mode,
            line_no: 0,
            undecided: Vec::new(),
            unified,
            legacy: LegacyParser::default(),
            ctx: Ctx {
                source,
                info,
                names: Interner::default(),
                sink,
            },
            diagnostics: Vec::new(),
        }
    }

    /// Reads one line.
    #[inline]
    pub fn line(&mut self, raw: &[u8]) {
        self.line_no += 1;
        let line = match raw {
            [rest @ .., b'\r'] => rest,
            _ => raw,
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if self.mode == Mode::Unknown {
            self.mode = detect(line);
            self.ctx.info.format = match self.mode {
                Mode::Unified => Some(GcLogFormat::Unified),
                Mode::Legacy => Some(GcLogFormat::Legacy),
                Mode::Unknown => None,
            };
            if self.mode == Mode::Unified {
                self.unified
                    .set_log_decorated(decorators::has_decorators(line));
            }
            if self.mode == Mode::Unknown {
                if self.undecided.len() < MAX_UNDECIDED {
                    self.undecided.push((self.line_no, line.to_vec()));
                } else {
                    self.judge(self.line_no, line);
                }
                return;
            }
            for (no, held) in std::mem::take(&mut self.undecided) {
                self.judge(no, &held);
            }
        }
        self.judge(self.line_no, line);
    }

    /// Lines still undecided at the end are read as what they are on their own.
    pub fn finish_undecided(&mut self) {
        for (no, held) in std::mem::take(&mut self.undecided) {
            self.judge(no, &held);
        }
    }

    #[inline(always)]
    fn judge(&mut self, line_no: u64, line: &[u8]) {
        let status = match self.mode {
            Mode::Unified => self.unified.line(line_no, line, &mut self.ctx),
            Mode::Legacy => self.legacy.line(line_no, line, &mut self.ctx),
            Mode::Unknown => legacy::header_line(line, &mut self.ctx.info),
        };
        if !self.unified.restarts.is_empty() {
            self.note_restarts();
        }
        if status == LineStatus::Unrecognized {
            self.unrecognized(line_no, line);
        }
    }

    /// A warning for each JVM run after the first that started at the last line.
    #[cold]
    fn note_restarts(&mut self) {
        for at in self.unified.restarts.drain(..) {
            self.diagnostics.push(Diagnostic::warning(
                &self.ctx.source,
                at,
                "another JVM run starts here (a new header, or uptime going back): its \
                 collections are kept apart from the previous run's"
                    .to_string(),
            ));
        }
    }

    /// Counts an unrecognized line and keeps it as a diagnostic while there is room.
    #[cold]
    fn unrecognized(&mut self, line_no: u64, line: &[u8]) {
        self.ctx.info.unrecognized_lines += 1;
        if self.diagnostics.len() < MAX_STORED_DIAGNOSTICS {
            let text = String::from_utf8_lossy(line.get(..200).unwrap_or(line));
            self.diagnostics.push(Diagnostic::warning(
                &self.ctx.source,
                line_no,
                format!("unrecognized line: {}", text.trim_end()),
            ));
        }
    }
}

/// Lines held back while the format is unknown.
const MAX_UNDECIDED: usize = 256;

/// Unified when the line carries decorators or a `GC(N)` id, legacy when it is a collection
/// record; anything else (a legacy JVM banner, garbage) leaves the question open.
fn detect(line: &[u8]) -> Mode {
    let (_, msg) = decorators::split(line);
    if decorators::has_decorators(line) || msg.starts_with(b"GC(") || msg.starts_with(b"Using ") {
        Mode::Unified
    } else if legacy::is_record_start(line) || legacy::is_legacy_only(line) {
        Mode::Legacy
    } else {
        Mode::Unknown
    }
}

/// How to read a log.
///
/// Logs are read on the calling thread. A parallel reader (1 MiB chunks on worker threads,
/// pieces merged by GC id) was removed: on the 128 MiB G1 input of `scripts/bench.sh`, load
/// 2.7 on 2 cores, two workers took 220 ms of CPU against 120 ms for one thread and were no
/// faster in wall time (0.34 s against 0.31 s, `perf stat -r 5`): the reader copied every byte
/// into its chunks and merged the pieces serially, and it fell back to one worker whenever
/// the machine was busy anyway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// G1 region size learnt from an earlier file of a rotated set (later files lack the header).
    pub region_size_hint: Option<u64>,
}

/// Reads `reader` to its end; returns what was learnt and the diagnostics.
pub fn run<R: BufRead, S: GcSink>(
    source: Arc<str>,
    reader: R,
    sink: &mut S,
    options: &ParseOptions,
) -> (GcLogInfo, Vec<Diagnostic>) {
    let mut checked = super::plausible::Checked {
        inner: sink,
        source: Arc::clone(&source),
        diagnostics: Vec::new(),
    };
    let (info, mut diagnostics) = run_unchecked(source, reader, &mut checked, options);
    diagnostics.append(&mut checked.diagnostics);
    (info, diagnostics)
}

fn run_unchecked<R: BufRead, S: GcSink>(
    source: Arc<str>,
    mut reader: R,
    sink: &mut S,
    options: &ParseOptions,
) -> (GcLogInfo, Vec<Diagnostic>) {
    let mut d = Driver::new(
        source,
        sink,
        Mode::Unknown,
        UnifiedParser::with_region_size(options.region_size_hint),
    );
    let mut carry: Vec<u8> = Vec::new();
    let newline = super::find::ByteFinder::new(b'\n');
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                let msg = format!("read error: {e}");
                d.diagnostics
                    .push(Diagnostic::error(&d.ctx.source, d.line_no, msg));
                break;
            }
        };
        if buf.is_empty() {
            break;
        }
        let len = buf.len();
        d.ctx.info.bytes += len as u64;
        let mut start = 0;
        while let Some(nl) = buf
            .get(start..)
            .and_then(|rest| newline.find(rest))
            .map(|at| start + at)
        {
            let piece = buf.get(start..nl).unwrap_or_default();
            if carry.is_empty() {
                d.line(piece);
            } else {
                append_capped(&mut carry, piece);
                d.line(&carry);
                carry.clear();
            }
            start = nl + 1;
        }
        append_capped(&mut carry, buf.get(start..).unwrap_or_default());
        reader.consume(len);
    }
    if !carry.is_empty() {
        d.line(&carry);
    }
    d.finish_undecided();
    d.unified.finish(&mut d.ctx);
    d.legacy.finish(&mut d.ctx);
    d.ctx.info.lines = d.line_no;
    d.ctx.info.region_size_bytes = d.unified.header().1;
    (d.ctx.info, d.diagnostics)
}

pub fn append_capped(carry: &mut Vec<u8>, piece: &[u8]) {
    let room = MAX_LINE.saturating_sub(carry.len());
    carry.extend_from_slice(piece.get(..room.min(piece.len())).unwrap_or_default());
}
