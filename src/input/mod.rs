//! Reading inputs — files, directories (recursively), stdin (`-`), FIFOs, gzip, ZIP and tar
//! archives — and telling NMT output, GC logs and session recordings apart by their content,
//! then parsing each into one [`Timeline`].
//!
//! Layers: `members` finds the streams of text an input holds (`archive` opens compressed
//! data and archives, `dir` walks directories) and sniffs each one's kind from a head it then
//! replays (`sniff`); the functions here parse each member by its kind.

use std::io::{BufRead, Read};
use std::sync::Arc;

use thiserror::Error;

use crate::model::{Diagnostic, Snapshot, Timeline, Update};
use crate::nmt;

mod archive;
mod dir;
mod load;
mod members;
mod sniff;
mod text;

pub use archive::{Container, Origin, container_of};
pub use dir::{MAX_DEPTH, expand, expand_with_warnings};
pub use load::{load_streaming_inputs, load_streaming_inputs_keeping};
pub use members::{Member, for_each_member, for_each_member_in_reader};
pub use sniff::{InputKind, detect_kind, recognised_kind};
pub use text::{
    BLOCK_BYTES, MAX_LINE_BYTES, read_text_blocks, read_text_capped, read_text_capped_sized,
};

/// An input that could not be read at all.
#[derive(Debug, Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: is a directory with no files in it")]
    EmptyDirectory(String),
}

/// Reads one input from a reader (a file or stdin): its kind is decided from its first bytes
/// (compressed data and archives are opened), GC logs are parsed as they stream by, NMT text
/// is read with [`read_text_capped`].
pub fn load_reader<R: Read>(source: &Arc<str>, reader: R) -> Timeline {
    let mut timeline = Timeline::default();
    let diagnostics = members::for_each_member_in_reader(source, reader, &mut |member| {
        timeline.extend(read_member(member));
    });
    timeline.diagnostics.extend(diagnostics);
    nothing_found_unless_read(&mut timeline, source);
    timeline
}

/// Parses one member by its kind (GC logs alone, not as part of a rotated set).
pub fn read_member(member: Member<'_>) -> Timeline {
    let Member {
        source,
        kind,
        reader,
        size: _,
        origin,
    } = member;
    let source = &source;
    let mut timeline = Timeline::default();
    match kind {
        InputKind::GcLog => {
            let parsed = crate::gclog::parse_reader(Arc::clone(source), reader);
            timeline.gc_events = parsed.events;
            timeline.diagnostics = parsed.diagnostics;
        }
        InputKind::Binary => timeline.diagnostics.push(binary_diagnostic(source)),
        InputKind::Jfr => timeline = read_jfr(source, reader, origin.as_ref()),
        InputKind::Session => {
            let mut bytes = Vec::new();
            match reader.read_to_end(&mut bytes) {
                Ok(_) => {
                    timeline =
                        crate::session::read_session(source, &String::from_utf8_lossy(&bytes))
                }
                Err(e) => timeline.diagnostics.push(Diagnostic::error(
                    source,
                    0,
                    format!("cannot read: {e}"),
                )),
            }
        }
        InputKind::Nmt => read_nmt(source, reader, nmt::Keep::All, &mut |snapshots, block| {
            timeline.snapshots.extend(snapshots);
            timeline.extend(block);
            true
        }),
    }
    nothing_found_unless_read(&mut timeline, source);
    timeline
}

/// A flight recording: a plain file is read chunk by chunk from the disk; one that came
/// through a pipe, gzip or an archive is read from memory.
fn read_jfr(source: &Arc<str>, reader: &mut dyn BufRead, origin: Option<&Origin>) -> Timeline {
    let read = match origin {
        Some(Origin {
            store: archive::Store::Path(path),
            entry: archive::Entry::Whole,
            gunzip: false,
        }) => crate::jfr::read_path(path),
        _ => {
            let mut bytes = Vec::new();
            match reader.read_to_end(&mut bytes) {
                Ok(_) => crate::jfr::read_bytes(source, &bytes),
                Err(e) => {
                    let mut t = Timeline::default();
                    t.diagnostics
                        .push(Diagnostic::error(source, 0, format!("cannot read: {e}")));
                    return t;
                }
            }
        }
    };
    match read {
        Ok((t, _)) => t,
        Err(e) => {
            let mut t = Timeline::default();
            t.diagnostics
                .push(Diagnostic::error(source, 0, e.to_string()));
            t
        }
    }
}

/// Adds "nothing found" when a member gave nothing and no error says why.
fn nothing_found_unless_read(timeline: &mut Timeline, source: &Arc<str>) {
    if timeline.is_empty()
        && timeline
            .diagnostics
            .iter()
            .all(|d| d.severity != crate::model::Severity::Error)
    {
        timeline.diagnostics.push(nothing_found(source));
    }
}

/// Lines of the previous block the drill-down pass looks back at for a capture's pid and
/// timestamp (it looks back over at most three non-blank lines; jcmd prints one blank line
/// between its `<pid>:` and the answer).
const DRILL_CONTEXT_LINES: usize = 8;

/// NMT text read block by block ([`read_text_blocks`], [`nmt::NmtStream`]), never held whole:
/// each block's snapshots (as parsed: a consumer that streams them on never stores them) and
/// its drill-down captures and diagnostics (in that order: line warnings, NMT, drill-downs)
/// as a timeline go to `each`; `each` returns false to stop.
/// `keep` is what the consumer keeps of each snapshot ([`nmt::Keep`]).
pub(crate) fn read_nmt(
    source: &Arc<str>,
    reader: &mut dyn BufRead,
    keep: nmt::Keep,
    each: &mut dyn FnMut(Vec<Snapshot>, Timeline) -> bool,
) {
    read_nmt_in_blocks(source, reader, BLOCK_BYTES, keep, each)
}

/// [`read_nmt`] with blocks of `block_bytes`.
fn read_nmt_in_blocks(
    source: &Arc<str>,
    reader: &mut dyn BufRead,
    block_bytes: usize,
    keep: nmt::Keep,
    each: &mut dyn FnMut(Vec<Snapshot>, Timeline) -> bool,
) {
    let mut stream = nmt::NmtStream::new(source, nmt::ParseOptions::default()).keeping(keep);
    // The end of the previous block, and the lines before the current one.
    let mut context = String::new();
    let mut go_on = true;
    let result = read_text_blocks(source, reader, block_bytes, &mut |block, diagnostics| {
        let lines_before = stream.lines_before();
        let parsed = stream.feed(block);
        let mut timeline = Timeline {
            diagnostics,
            ..Timeline::default()
        };
        timeline.diagnostics.extend(parsed.diagnostics);
        add_drills(source, &context, block, lines_before, &mut timeline);
        context = last_lines(block, DRILL_CONTEXT_LINES).to_string();
        go_on = each(parsed.snapshots, timeline);
        go_on
    });
    if let Err(e) = result {
        if go_on {
            let mut timeline = Timeline::default();
            timeline
                .diagnostics
                .push(Diagnostic::error(source, 0, format!("cannot read: {e}")));
            each(Vec::new(), timeline);
        }
    }
}

/// The last `n` lines of a block that ends with its line feed (or the whole block).
fn last_lines(block: &str, n: usize) -> &str {
    let body = block.strip_suffix('\n').unwrap_or(block);
    let start = memchr::memrchr_iter(b'\n', body.as_bytes())
        .nth(n - 1)
        .map_or(0, |at| at + 1);
    if block.ends_with('\n') {
        &block[start..]
    } else {
        ""
    }
}

/// The drill-down pass over a block already read as NMT text: class histograms, loader stats,
/// metaspace, thread dumps and NMT call sites ([`crate::drill`]); a substring check when there
/// are none. `context` (the previous block's last lines) is only looked back at.
fn add_drills(
    source: &Arc<str>,
    context: &str,
    block: &str,
    lines_before: u64,
    timeline: &mut Timeline,
) {
    if !crate::drill::looks_like_drill(block) {
        return;
    }
    let context_lines = memchr::memchr_iter(b'\n', context.as_bytes()).count();
    let options = crate::drill::DrillOptions {
        default_timestamp: None,
        first_line: lines_before - context_lines as u64,
    };
    let text = format!("{context}{block}");
    let parsed = crate::drill::parse_after_context(source, &text, &options, context_lines);
    timeline.drills.extend(parsed.captures);
    timeline.diagnostics.extend(parsed.diagnostics);
}

fn binary_diagnostic(source: &Arc<str>) -> Diagnostic {
    Diagnostic::error(
        source,
        0,
        "binary data (NUL bytes in the first 256 KiB): not jcmd output, a GC log or a session; skipped",
    )
}

fn nothing_found(source: &Arc<str>) -> Diagnostic {
    Diagnostic::error(source, 0, "no NMT snapshot or GC event found in this input")
}

/// Reads a whole input: a path, or `-` for stdin.
pub fn read_bytes(path: &str) -> Result<Vec<u8>, InputError> {
    let io = |source| InputError::Io {
        path: path.to_string(),
        source,
    };
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(io)?;
        Ok(bytes)
    } else {
        std::fs::read(path).map_err(io)
    }
}

/// Parses one input's bytes according to its kind (compressed data and archives are opened).
pub fn parse_bytes(source: &Arc<str>, bytes: &[u8]) -> Timeline {
    load_reader(source, bytes)
}

/// Reads and parses every input (files, directories, `-`) into one timeline. An input that
/// cannot be opened becomes an error diagnostic; the others are still read. GC log files are
/// read together, as one rotated set in time order, streaming (never whole in memory); what
/// they said about themselves is [`Timeline::gc_log`].
pub fn load(paths: &[String]) -> Timeline {
    load_inputs(paths, &[])
}

/// [`load()`] with inputs named as GC logs (`report --gc-log`): those are read as GC logs
/// whatever their first lines look like. The timeline is what [`load_streaming_inputs`]'s
/// updates add up to.
pub fn load_inputs(paths: &[String], gc_logs: &[String]) -> Timeline {
    let mut timeline = Timeline::default();
    load_streaming_inputs(paths, gc_logs, &mut |update| {
        match update {
            // Sorted once at the end: NMT arrives block by block, and sorting after each
            // block is quadratic when the input is out of time order. A stable sort of the
            // whole equals the repeated sorts `apply` makes.
            Update::Snapshots(snapshots) => timeline.snapshots.extend(snapshots),
            other => timeline.apply(other),
        }
        true
    });
    timeline.sort_snapshots();
    // Snapshots of several JVMs in one input are kept, in time order, and said to be (the
    // dashboard says so itself, as snapshots arrive).
    let changes = timeline.jvm_change_diagnostics();
    timeline.diagnostics.extend(changes);
    timeline.sort_drills();
    timeline
}

/// The one loader, for the dashboard: [`load_inputs`] as [`Update`]s, file by file, with
/// progress (see [`load_streaming_inputs`]).
pub fn load_streaming(paths: &[String], send: &mut dyn FnMut(Update) -> bool) {
    load_streaming_inputs(paths, &[], send);
}

/// A GC log found in an input that can be read again: a file, or an archive member.
pub struct GcMember {
    pub name: String,
    pub origin: Origin,
}

impl crate::gclog::GcFile for GcMember {
    fn name(&self) -> &str {
        &self.name
    }

    fn read(&self, read: &mut dyn FnMut(&mut dyn BufRead)) -> std::io::Result<()> {
        self.origin.with_reader(|r| read(r))
    }
}

/// Every GC log the inputs hold, as one set to read with [`crate::gclog::load_files_with`]
/// (`jvmem gc`), and what could not be read. Files named directly are GC logs whatever they
/// look like (binary data excepted); inside directories and archives only what looks like
/// one is taken. Logs that can be read only once (stdin, FIFOs) are parsed into `sink`
/// straight away, each on its own.
pub fn gc_members_with<S: crate::gclog::GcSink>(
    paths: &[String],
    sink: &mut S,
) -> (Vec<GcMember>, crate::model::GcLogInfo, Vec<Diagnostic>) {
    let mut members = Vec::new();
    let mut info = crate::model::GcLogInfo::default();
    let mut diagnostics = Vec::new();
    for path in paths {
        let named_file = path == "-" || !std::path::Path::new(path).is_dir();
        let forced = named_file.then_some(InputKind::GcLog);
        let found = for_each_member(path, forced, &mut |member| match member.kind {
            InputKind::GcLog => match member.origin {
                Some(origin) => members.push(GcMember {
                    name: member.source.to_string(),
                    origin,
                }),
                None => {
                    let (i, d) = crate::gclog::parse_reader_with(
                        Arc::clone(&member.source),
                        member.reader,
                        &mut *sink,
                    );
                    info.merge(i);
                    diagnostics.extend(d);
                }
            },
            InputKind::Binary => diagnostics.push(binary_diagnostic(&member.source)),
            _ => {}
        });
        diagnostics.extend(found);
    }
    (members, info, diagnostics)
}

pub(crate) fn io_diagnostic(path: &str, error: &InputError) -> Diagnostic {
    let source: Arc<str> = Arc::from(path);
    let message = match error {
        InputError::Io { source, .. } => format!("cannot read: {source}"),
        other => other.to_string(),
    };
    Diagnostic::error(&source, 0, message)
}

/// Why `path` cannot be followed as it grows (`live --follow`, `live --gc-log`), if it cannot:
/// compressed files and archives are complete documents, not logs being written.
pub fn cannot_follow(path: &std::path::Path) -> Option<String> {
    let mut head = Vec::with_capacity(512);
    let file = std::fs::File::open(path).ok()?;
    file.take(512).read_to_end(&mut head).ok()?;
    let what = match container_of(&head) {
        Container::Plain => return None,
        Container::Gzip => "gzip-compressed",
        Container::Zip => "a ZIP archive",
        Container::Tar => "a tar archive",
    };
    Some(format!(
        "is {what}, which cannot be followed as it grows; read it with \
         `jvmem view`, `jvmem export`, `jvmem report` or `jvmem gc` instead"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read in blocks of 64 KiB, real captures (NMT detail with its call sites, class
    /// histograms, thread dumps, JDK 25 timestamped summaries, a `java -version` answer) give
    /// what reading the whole text at once gives: the same snapshots, drill-down captures and
    /// diagnostics.
    #[test]
    fn nmt_read_in_blocks_equals_the_whole_text() {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let capture = read("samples/drill/leak-jdk17/capture.txt");
        let iso = read("samples/nmt/jdk25/concat-date-iso.txt");
        let version = read("samples/nmt/jdk25/java-version.txt");
        assert!(capture.len() > 1 << 20 && !iso.is_empty() && !version.is_empty());
        let text = format!("{version}{iso}{capture}{iso}{capture}{version}{iso}");
        let source: Arc<str> = Arc::from("t");
        let whole_nmt = nmt::parse_str(&source, &text);
        let whole_drill = crate::drill::parse_str(&source, &text);
        let mut blocks = 0;
        let mut streamed = Timeline::default();
        let mut reader = std::io::BufReader::with_capacity(4096, text.as_bytes());
        read_nmt_in_blocks(
            &source,
            &mut reader,
            64 << 10,
            nmt::Keep::All,
            &mut |snapshots, block| {
                blocks += 1;
                streamed.snapshots.extend(snapshots);
                streamed.extend(block);
                true
            },
        );
        assert!(blocks > 10, "{blocks} blocks");
        assert!(whole_nmt.snapshots.len() > 10);
        assert!(whole_drill.captures.len() > 4);
        assert_eq!(streamed.snapshots, whole_nmt.snapshots);
        // Every block's snapshots share one name per category (a pointer comparison).
        let mut names: Vec<&Arc<str>> = streamed
            .snapshots
            .iter()
            .flat_map(|s| s.categories().map(|c| c.name))
            .collect();
        names.sort_by_key(|n| Arc::as_ptr(n) as *const u8 as usize);
        names.dedup_by(|a, b| Arc::ptr_eq(a, b));
        let mut distinct: Vec<&str> = names.iter().map(|n| &***n).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(names.len(), distinct.len());
        assert_eq!(streamed.drills, whole_drill.captures);
        let mut diagnostics = whole_nmt.diagnostics;
        diagnostics.extend(whole_drill.diagnostics);
        diagnostics.sort_by_key(|d| d.line);
        streamed.diagnostics.sort_by_key(|d| d.line);
        assert_eq!(streamed.diagnostics, diagnostics);

        // Keeping totals only: the same snapshots but for their sub-fields, the same
        // diagnostics, drill-downs and line numbers.
        let mut totals = Timeline::default();
        let mut reader = std::io::BufReader::with_capacity(4096, text.as_bytes());
        read_nmt_in_blocks(
            &source,
            &mut reader,
            64 << 10,
            nmt::Keep::Totals,
            &mut |s, block| {
                totals.snapshots.extend(s);
                totals.extend(block);
                true
            },
        );
        totals.diagnostics.sort_by_key(|d| d.line);
        assert_eq!(totals.diagnostics, streamed.diagnostics);
        assert_eq!(totals.drills, streamed.drills);
        let without_fields = |t: &Timeline| -> Vec<Snapshot> {
            t.snapshots
                .iter()
                .map(|s| {
                    let mut s = s.to_snapshot();
                    for c in &mut s.categories {
                        c.usage.fields.clear();
                    }
                    s
                })
                .collect()
        };
        assert_eq!(without_fields(&totals), without_fields(&streamed));
        // Skipped, not read: most sub-fields are missing.
        let fields = |t: &Timeline| -> usize {
            t.snapshots
                .iter()
                .flat_map(|s| s.to_snapshot().categories)
                .map(|c| c.usage.fields.len())
                .sum()
        };
        let (kept, all) = (fields(&totals), fields(&streamed));
        assert!(kept * 3 < all, "{kept} of {all}");
    }
}
