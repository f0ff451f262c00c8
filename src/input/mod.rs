//! Reading inputs — files, directories, stdin (`-`) — and telling NMT output, GC logs and
//! session recordings apart by their content, then parsing each into one [`Timeline`].

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

use crate::model::{Diagnostic, Timeline};
use crate::nmt;

mod dir;
mod sniff;
mod text;

pub use dir::expand;
pub use sniff::{InputKind, detect_kind};
pub use text::{MAX_LINE_BYTES, read_text_capped, read_text_capped_sized};

use sniff::SNIFF_BYTES;

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

/// Reads one input from a reader (a file or stdin): its kind is decided from its first bytes,
/// GC logs are parsed as they stream by, NMT text is read with [`read_text_capped`].
pub fn load_reader<R: Read>(source: &Arc<str>, reader: R) -> Timeline {
    load_reader_sized(source, reader, None)
}

/// [`load_reader`] knowing how big the input is (a file's length), when it is known.
fn load_reader_sized<R: Read>(source: &Arc<str>, mut reader: R, size: Option<u64>) -> Timeline {
    // A pipe may deliver less than asked per read: take the head explicitly, then read on
    // from the head followed by the rest.
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(e) = (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
    {
        let mut t = Timeline::default();
        t.diagnostics
            .push(Diagnostic::error(source, 0, format!("cannot read: {e}")));
        return t;
    }
    let mut reader = std::io::BufReader::with_capacity(
        SNIFF_BYTES,
        std::io::Cursor::new(head.clone()).chain(reader),
    );
    let mut timeline = Timeline::default();
    match detect_kind(&head) {
        InputKind::GcLog => {
            let parsed = crate::gclog::parse_reader(Arc::clone(source), reader);
            timeline.gc_events = parsed.events;
            timeline.diagnostics = parsed.diagnostics;
        }
        InputKind::Binary => timeline.diagnostics.push(binary_diagnostic(source)),
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
        InputKind::Nmt => match read_text_capped_sized(
            source,
            reader,
            size.map_or(0, |n| usize::try_from(n).unwrap_or(0)),
        ) {
            Ok((text, diagnostics)) => {
                let parsed = nmt::parse_str(source, &text);
                timeline.snapshots = parsed.snapshots;
                timeline.diagnostics = diagnostics;
                timeline.diagnostics.extend(parsed.diagnostics);
            }
            Err(e) => {
                timeline
                    .diagnostics
                    .push(Diagnostic::error(source, 0, format!("cannot read: {e}")))
            }
        },
    }
    if timeline.is_empty()
        && timeline
            .diagnostics
            .iter()
            .all(|d| d.severity != crate::model::Severity::Error)
    {
        timeline.diagnostics.push(nothing_found(source));
    }
    timeline
}

fn binary_diagnostic(source: &Arc<str>) -> Diagnostic {
    Diagnostic::error(
        source,
        0,
        "binary data (NUL bytes in the first 64 KiB): not jcmd output, a GC log or a session; skipped",
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

/// Parses one input's bytes according to its kind.
pub fn parse_bytes(source: &Arc<str>, bytes: &[u8]) -> Timeline {
    let mut timeline = Timeline::default();
    match detect_kind(bytes) {
        InputKind::Nmt => {
            let text = String::from_utf8_lossy(bytes);
            let parsed = nmt::parse_str(source, &text);
            timeline.snapshots = parsed.snapshots;
            timeline.diagnostics = parsed.diagnostics;
        }
        InputKind::GcLog => {
            let parsed = crate::gclog::parse_reader(Arc::clone(source), bytes);
            timeline.gc_events = parsed.events;
            timeline.diagnostics = parsed.diagnostics;
        }
        InputKind::Session => {
            let text = String::from_utf8_lossy(bytes);
            timeline = crate::session::read_session(source, &text);
        }
        InputKind::Binary => timeline.diagnostics.push(binary_diagnostic(source)),
    }
    if timeline.is_empty() && timeline.diagnostics.is_empty() {
        timeline.diagnostics.push(nothing_found(source));
    }
    timeline
}

/// Reads and parses every input (files, directories, `-`) into one timeline. An input that
/// cannot be opened becomes an error diagnostic; the others are still read.
pub fn load(paths: &[String]) -> Timeline {
    load_with_gc_info(paths).0
}

/// [`load`], also returning what the GC logs among the inputs said about themselves (JVM
/// version, collector, lines read) when there were any. GC log files are read together, as
/// one rotated set in time order, streaming (never whole in memory).
pub fn load_with_gc_info(paths: &[String]) -> (Timeline, Option<crate::gclog::GcLogInfo>) {
    let mut timeline = Timeline::default();
    let mut gc_files: Vec<PathBuf> = Vec::new();
    let mut gc_info: Option<crate::gclog::GcLogInfo> = None;
    for path in paths {
        let files = match expand(path) {
            Ok(files) => files,
            Err(e) => {
                timeline.diagnostics.push(io_diagnostic(path, &e));
                continue;
            }
        };
        for file in files {
            let source: Arc<str> = Arc::from(file.as_str());
            if file != "-" {
                match read_head(&file) {
                    Ok(head) if detect_kind(&head) == InputKind::GcLog => {
                        gc_files.push(PathBuf::from(&file));
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        timeline.diagnostics.push(io_diagnostic(&file, &e));
                        continue;
                    }
                }
            }
            let opened: std::io::Result<(Box<dyn Read>, Option<u64>)> = if file == "-" {
                Ok((Box::new(std::io::stdin().lock()), None))
            } else {
                std::fs::File::open(&file).map(|f| {
                    let size = f.metadata().ok().map(|m| m.len());
                    (Box::new(f) as Box<dyn Read>, size)
                })
            };
            match opened {
                Ok((reader, size)) => timeline.extend(load_reader_sized(&source, reader, size)),
                Err(e) => timeline.diagnostics.push(Diagnostic::error(
                    &source,
                    0,
                    format!("cannot read: {e}"),
                )),
            }
        }
    }
    if !gc_files.is_empty() {
        let parsed = crate::gclog::load_paths(&gc_files);
        if parsed.events.is_empty() {
            for f in &gc_files {
                let source: Arc<str> = Arc::from(f.to_string_lossy().as_ref());
                timeline.diagnostics.push(Diagnostic::error(
                    &source,
                    0,
                    "no NMT snapshot or GC event found in this input",
                ));
            }
        }
        timeline.gc_events.extend(parsed.events);
        timeline.diagnostics.extend(parsed.diagnostics);
        merge_info(&mut gc_info, parsed.info);
    }
    // GC events stay in the order read: rotated sets are already in time order, and sorting
    // two JVMs' logs by uptime would interleave them.
    timeline.sort_snapshots();
    (timeline, gc_info)
}

fn merge_info(into: &mut Option<crate::gclog::GcLogInfo>, info: crate::gclog::GcLogInfo) {
    match into {
        Some(existing) => existing.merge(info),
        None => *into = Some(info),
    }
}

/// The first [`SNIFF_BYTES`] of a file, enough to tell its kind.
fn read_head(path: &str) -> Result<Vec<u8>, InputError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)
        .and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut head))
        .map_err(|source| InputError::Io {
            path: path.to_string(),
            source,
        })?;
    Ok(head)
}

fn io_diagnostic(path: &str, error: &InputError) -> Diagnostic {
    let source: Arc<str> = Arc::from(path);
    let message = match error {
        InputError::Io { source, .. } => format!("cannot read: {source}"),
        other => other.to_string(),
    };
    Diagnostic::error(&source, 0, message)
}
