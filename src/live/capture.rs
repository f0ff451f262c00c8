//! One capture of NMT text → snapshots: parse, record the raw text, send. Shared by every
//! source that reads jcmd output.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::model::{Severity, Update};
use crate::nmt::{self, ParseOptions};
use crate::session::{Record, RecordKind};

use super::{LiveError, Sink};

/// Turns captured text into snapshot updates for one source, reporting each distinct
/// warning once (a source polling every 5 s would otherwise repeat it forever).
#[derive(Debug)]
pub struct NmtCapturer {
    source: Arc<str>,
    reported: HashSet<String>,
}

impl NmtCapturer {
    /// A capturer for snapshots named after `source`.
    pub fn new(source: Arc<str>) -> Self {
        NmtCapturer {
            source,
            reported: HashSet::new(),
        }
    }

    /// The source name.
    pub fn source(&self) -> &Arc<str> {
        &self.source
    }

    /// Parses one capture (`first_line`: lines of the source before `text`; `at`: the capture
    /// time, given to snapshots without a timestamp line). When it held snapshots, records
    /// the raw text and sends them, returning how many; otherwise returns why not (jcmd's
    /// own failure message when it printed one) and sends nothing.
    pub fn capture(
        &mut self,
        sink: &Sink,
        text: &str,
        first_line: u64,
        at: DateTime<FixedOffset>,
    ) -> Result<usize, LiveError> {
        let options = ParseOptions {
            default_timestamp: Some(at),
            first_line,
        };
        let mut parsed = nmt::parse_with(&self.source, text, &options);
        // A header that broke off before any amount is not a point worth plotting at zero.
        parsed
            .snapshots
            .retain(|s| !s.categories.is_empty() || s.total.committed_bytes > 0);
        if parsed.snapshots.is_empty() {
            let reason = parsed
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map(|d| d.message.clone())
                .unwrap_or_else(|| describe_non_snapshot(text));
            return Err(LiveError::NoSnapshot(reason));
        }
        sink.record(&Record::text(
            RecordKind::Nmt,
            at,
            &self.source,
            first_line,
            text,
        ));
        let fresh: Vec<_> = parsed
            .diagnostics
            .into_iter()
            .filter(|d| self.reported.insert(d.message.clone()))
            .collect();
        let count = parsed.snapshots.len();
        sink.send(Update::Snapshots(parsed.snapshots));
        if !fresh.is_empty() {
            sink.send(Update::Diagnostics(fresh));
        }
        Ok(count)
    }
}

/// Why text held no snapshot, for the status bar: its first line, shortened.
fn describe_non_snapshot(text: &str) -> String {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first {
        None => "no output".to_string(),
        Some(line) => {
            let short: String = line.chars().take(120).collect();
            format!("no NMT snapshot in the output (it begins: {short})")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn sends_snapshots_and_explains_failures() {
        let (tx, rx) = mpsc::channel();
        let sink = Sink::new(tx, None);
        let mut capturer = NmtCapturer::new(Arc::from("pid:1"));
        let at = super::super::capture_time();
        let err = capturer
            .capture(&sink, "1:\nNative memory tracking is not enabled\n", 0, at)
            .expect_err("no snapshot");
        let err = err.to_string();
        assert!(err.to_lowercase().contains("not enabled"), "{err}");
        let err = capturer
            .capture(&sink, "\n  hello\n", 0, at)
            .expect_err("none");
        assert!(
            matches!(&err, LiveError::NoSnapshot(why) if why.contains("hello")),
            "{err}"
        );
        assert!(rx.try_recv().is_err());
        let text = "1:\n\nNative Memory Tracking:\n\nTotal: reserved=10KB, committed=5KB\n-  Java Heap (reserved=10KB, committed=5KB)\n";
        assert_eq!(capturer.capture(&sink, text, 0, at).ok(), Some(1));
        match rx.try_recv() {
            Ok(Update::Snapshots(s)) => assert_eq!(s[0].timestamp, Some(at)),
            other => panic!("{other:?}"),
        }
    }
}
