//! Pastes into the dashboard, as one more live source: the dashboard hands each bracketed
//! paste to this thread, which makes its line endings LF (terminals send a pasted newline as
//! CR), parses it once, records it when recording and sends its snapshots — one pass, the
//! same [`NmtCapturer`] the polling sources use. A 100 MiB paste takes ~0.5 s to parse; the
//! keyboard never waits for it.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use super::{NmtCapturer, Sink, SourceHandle};

/// The running paste source: [`PasteSource::paste`] hands it a paste.
#[derive(Debug)]
pub struct PasteSource {
    tx: Sender<(String, DateTime<FixedOffset>)>,
    handle: SourceHandle,
}

/// The name pasted snapshots and the paste's status lines carry.
pub const PASTE_SOURCE: &str = "paste";

impl PasteSource {
    /// Starts the paste thread; what pastes hold goes to `sink`.
    pub fn spawn(sink: Sink) -> std::io::Result<PasteSource> {
        let (tx, rx) = mpsc::channel::<(String, DateTime<FixedOffset>)>();
        let name: Arc<str> = Arc::from(PASTE_SOURCE);
        let handle = SourceHandle::spawn(Arc::clone(&name), move |stopper| {
            let mut capturer = NmtCapturer::new(Arc::clone(&name));
            loop {
                match rx.recv_timeout(Duration::from_millis(200)) {
                    Ok((text, at)) => {
                        let text = normalize_newlines(&text);
                        let status = match capturer.capture(&sink, &text, 0, at) {
                            Ok(n) => format!("{n} snapshot{} read", if n == 1 { "" } else { "s" }),
                            Err(why) => format!("nothing readable: {why}"),
                        };
                        if !sink.status(&name, status) {
                            break;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) if stopper.stopped() => break,
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        })?;
        Ok(PasteSource { tx, handle })
    }

    /// Hands over a paste received at `at` (the time of snapshots with none of their own);
    /// false when the source has stopped.
    pub fn paste(&self, text: String, at: DateTime<FixedOffset>) -> bool {
        self.tx.send((text, at)).is_ok()
    }

    /// Waits until every paste handed over has been read (and recorded), then stops.
    pub fn finish(self) {
        drop(self.tx);
        // Pastes already queued are read before the thread sees the channel closed.
        self.handle.stop();
    }
}

/// Lone CRs become LFs (CRLF stays one break); the NMT reader splits lines on `\n`.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Update;

    const TWO: &str = "$ jcmd 4242 VM.native_memory summary\r4242:\r\rNative Memory Tracking:\r\rTotal: reserved=1000KB, committed=500KB\r-                 Java Heap (reserved=800KB, committed=400KB)\r\r";

    #[test]
    fn a_paste_is_parsed_once_and_sent_with_its_status() {
        let (tx, rx) = mpsc::channel();
        let source = PasteSource::spawn(Sink::new(tx, None)).unwrap();
        let at = crate::live::capture_time();
        assert!(source.paste(TWO.to_string(), at));
        assert!(source.paste("hello\r".to_string(), at));
        source.finish();
        let updates: Vec<Update> = rx.try_iter().collect();
        let snapshots: Vec<_> = updates
            .iter()
            .filter_map(|u| match u {
                Update::Snapshots(s) => Some(s),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(snapshots.len(), 1);
        assert_eq!(snapshots[0].total.committed_bytes, 500 << 10);
        assert_eq!(snapshots[0].timestamp, Some(at));
        let statuses: Vec<&str> = updates
            .iter()
            .filter_map(|u| match u {
                Update::Status { message, .. } => Some(message.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(statuses[0], "1 snapshot read");
        assert!(
            statuses[1].starts_with("nothing readable: "),
            "{statuses:?}"
        );
        assert!(statuses[1].contains("hello"), "{statuses:?}");
    }

    #[test]
    fn carriage_returns_become_line_breaks() {
        assert_eq!(normalize_newlines("a\rb\r\nc\n"), "a\nb\nc\n");
    }
}
