//! Reading a session: header, then records, each re-parsed from its raw text by this build's
//! parsers. Damage is reported, never fatal: a torn last record (a recording killed while
//! writing), a corrupt line or a damaged header costs that line only.

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::{Diagnostic, Timeline, Update};
use crate::nmt::{self, ParseOptions};

use super::header::{FirstLine, read_first_line};
use super::record::{FORMAT_VERSION, Header, Record, RecordKind};

/// A session's lines, decoded but not yet parsed.
#[derive(Debug, Default)]
pub struct SessionRecords {
    pub header: Option<Header>,
    /// Every complete record with its 1-based line in the session file.
    pub records: Vec<(u64, Record)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes the header and records of a session file's text.
pub fn read_records(source: &Arc<str>, text: &str) -> SessionRecords {
    let mut out = SessionRecords::default();
    let lines: Vec<(u64, &str)> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let last_line = lines.last().map(|(n, _)| *n);
    for (line_no, line) in lines {
        let is_last = Some(line_no) == last_line;
        if out.header.is_none() {
            match read_first_line(source, line_no, line, &mut out.diagnostics) {
                FirstLine::Header(header) => out.header = Some(header),
                FirstLine::Record(record) => {
                    out.header = Some(Header {
                        jvmem_session: FORMAT_VERSION,
                        created: None,
                        tool: None,
                        note: None,
                    });
                    out.records.push((line_no, *record));
                }
            }
            continue;
        }
        match serde_json::from_str::<Record>(line) {
            Ok(record) => out.records.push((line_no, record)),
            Err(_) if is_last => out.diagnostics.push(Diagnostic::warning(
                source,
                line_no,
                format!(
                    "last record is incomplete ({} bytes; the recording was probably \
                     interrupted while writing it) and was skipped",
                    line.len()
                ),
            )),
            Err(e) => out.diagnostics.push(Diagnostic::error(
                source,
                line_no,
                format!("record is not valid JSON and was skipped: {e}"),
            )),
        }
    }
    out
}

/// The GC logs recorded in a session: each source's records' text joined in order (a GC
/// event can span records, as lines were read in chunks), for `jvmem gc` to stream through
/// its summary.
pub fn gc_logs(records: &SessionRecords) -> Vec<(Arc<str>, String)> {
    let mut logs: Vec<(Arc<str>, String)> = Vec::new();
    for (_, record) in &records.records {
        if record.record_kind() != Some(RecordKind::Gc) {
            continue;
        }
        let text = record.text.as_deref().unwrap_or_default();
        match logs.iter_mut().find(|(s, _)| *s == record.source) {
            Some((_, all)) => all.push_str(text),
            None => logs.push((Arc::clone(&record.source), text.to_string())),
        }
    }
    logs
}

/// Reads a session file into a timeline, re-parsing every record's raw text.
pub fn read_session(source: &Arc<str>, text: &str) -> Timeline {
    let decoded = read_records(source, text);
    let mut timeline = Timeline {
        diagnostics: decoded.diagnostics,
        ..Timeline::default()
    };
    // The same oddity in 600 recorded snapshots is one message, not 600.
    let mut seen: HashSet<(crate::model::Severity, String)> = HashSet::new();
    let mut gc_texts: Vec<(Arc<str>, crate::gclog::GcReader)> = Vec::new();
    let mut unknown_kinds: HashSet<String> = HashSet::new();
    for (line_no, record) in decoded.records {
        match record.record_kind() {
            Some(RecordKind::Nmt) => {
                let text = record.text.as_deref().unwrap_or_default();
                let options = ParseOptions {
                    default_timestamp: Some(record.t),
                    first_line: record.line.unwrap_or(0),
                };
                let parsed = nmt::parse_with(&record.source, text, &options);
                timeline.snapshots.extend(parsed.snapshots);
                for d in parsed.diagnostics {
                    if seen.insert((d.severity, d.message.clone())) {
                        timeline.diagnostics.push(d);
                    }
                }
                add_drills(&mut timeline, &record);
            }
            Some(RecordKind::Drill) => add_drills(&mut timeline, &record),
            Some(RecordKind::Gc) => {
                let text = record.text.as_deref().unwrap_or_default();
                match gc_texts.iter_mut().find(|(s, _)| *s == record.source) {
                    Some((_, reader)) => reader.push(text.as_bytes()),
                    None => {
                        let mut reader = crate::gclog::GcReader::new(Arc::clone(&record.source));
                        reader.push(text.as_bytes());
                        gc_texts.push((Arc::clone(&record.source), reader));
                    }
                }
            }
            Some(RecordKind::Process) => {
                timeline.apply(Update::Process(record.process_sample()));
            }
            None => {
                if unknown_kinds.insert(record.kind.clone()) {
                    timeline.diagnostics.push(Diagnostic::warning(
                        source,
                        line_no,
                        format!(
                            "records of kind {:?} are not known to this jvmem and were skipped",
                            record.kind
                        ),
                    ));
                }
            }
        }
    }
    // GC events can span several records (lines read in chunks): each log's records go through
    // one incremental reader, which holds only the collections still open.
    for (_, reader) in gc_texts {
        let parsed = reader.finish();
        timeline.gc_events.append(parsed.events);
        timeline.diagnostics.extend(parsed.diagnostics);
    }
    timeline.sort_snapshots();
    timeline.sort_gc_events();
    timeline.sort_drills();
    timeline
}

/// The drill-down captures in a record's raw text (`drill` records, and pastes in `nmt` ones),
/// dated with the record's time when they have no timestamp line.
fn add_drills(timeline: &mut Timeline, record: &super::record::Record) {
    let options = crate::drill::DrillOptions {
        default_timestamp: Some(record.t),
        first_line: record.line.unwrap_or(0),
    };
    let text = record.text.as_deref().unwrap_or_default();
    let parsed = crate::drill::parse_with(&record.source, text, &options);
    timeline.drills.extend(parsed.captures);
    timeline.diagnostics.extend(parsed.diagnostics);
}
