//! Reading a session's first line leniently: a header that is damaged or carries a version
//! this build cannot interpret costs a warning, never the records after it (they are
//! self-describing JSON lines, each readable on its own).

use std::sync::Arc;

use crate::model::Diagnostic;

use super::record::{FORMAT_VERSION, Header, Record};

/// What the first non-blank line of a session turned out to be.
#[derive(Debug)]
pub(crate) enum FirstLine {
    /// A header (possibly rebuilt from a damaged one).
    Header(Header),
    /// No header at all: the line is already a record.
    Record(Box<Record>),
}

/// Reads the first line (`line_no` in the file) as a header, warning about anything odd in it.
pub(crate) fn read_first_line(
    source: &Arc<str>,
    line_no: u64,
    line: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> FirstLine {
    // The format allows a UTF-8 BOM before the header.
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let mut warn =
        |message: String| diagnostics.push(Diagnostic::warning(source, line_no, message));
    if let Ok(header) = serde_json::from_str::<Header>(line) {
        match header.jvmem_session {
            0 => warn(format!(
                "session header says format version 0, which no jvmem writes; reading it as \
                 version {FORMAT_VERSION}"
            )),
            v if v > FORMAT_VERSION => warn(format!(
                "session format version {v} is newer than this jvmem reads ({FORMAT_VERSION}); \
                 reading what it can"
            )),
            _ => {}
        }
        return FirstLine::Header(header);
    }
    if let Ok(record) = serde_json::from_str::<Record>(line) {
        warn("session has no header line; reading its records".to_string());
        return FirstLine::Record(Box::new(record));
    }
    let rebuilt = match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(fields)) => {
            let version = fields
                .get("jvmem_session")
                .map_or_else(|| "missing".to_string(), |v| v.to_string());
            warn(format!(
                "session header's format version is {version}, not a version number; \
                 reading the records as version {FORMAT_VERSION}"
            ));
            Header {
                jvmem_session: FORMAT_VERSION,
                created: fields
                    .get("created")
                    .and_then(|v| serde_json::from_value(v.clone()).ok()),
                tool: text_field(&fields, "tool"),
                note: text_field(&fields, "note"),
            }
        }
        Ok(_) | Err(_) => {
            warn(format!(
                "session header is damaged ({} bytes that are not a header); reading the \
                 records after it as version {FORMAT_VERSION}",
                line.len()
            ));
            Header {
                jvmem_session: FORMAT_VERSION,
                created: None,
                tool: None,
                note: None,
            }
        }
    };
    FirstLine::Header(rebuilt)
}

fn text_field(fields: &serde_json::Map<String, serde_json::Value>, name: &str) -> Option<String> {
    fields
        .get(name)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}
