//! Where a source's results go (a channel, and a recorder when recording) and how a source
//! is told to stop.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::model::Update;
use crate::session::{Record, SharedRecorder};

/// A source's output: the update channel, and the session being recorded, if any.
#[derive(Debug, Clone)]
pub struct Sink {
    tx: Sender<Update>,
    recorder: Option<SharedRecorder>,
}

impl Sink {
    /// Updates go to `tx`; raw captures are also appended to `recorder` when given.
    pub fn new(tx: Sender<Update>, recorder: Option<SharedRecorder>) -> Self {
        Sink { tx, recorder }
    }

    /// Sends an update; false when nobody listens any more (the source should stop).
    pub fn send(&self, update: Update) -> bool {
        self.tx.send(update).is_ok()
    }

    /// Sends a status line for `source`.
    pub fn status(&self, source: &Arc<str>, message: impl Into<String>) -> bool {
        self.send(Update::Status {
            source: Arc::clone(source),
            message: message.into(),
        })
    }

    /// Appends a record to the session being recorded (if any). A failing recording is
    /// reported as a status and does not stop the source: the view matters more.
    pub fn record(&self, record: &Record) {
        let Some(recorder) = &self.recorder else {
            return;
        };
        // A poisoned lock only means another source panicked mid-append; the file is still
        // line-structured, so keep recording.
        let mut guard = match recorder.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Err(e) = guard.append(record) {
            drop(guard);
            self.status(&record.source, format!("recording failed: {e}"));
        }
    }

    /// True when captures are being recorded.
    pub fn is_recording(&self) -> bool {
        self.recorder.is_some()
    }
}

/// The thread side of a stop signal: stopped when the [`SourceHandle`] is stopped or dropped.
#[derive(Debug)]
pub struct Stopper(Receiver<()>);

impl Stopper {
    /// A stopper and the sender whose drop stops it.
    pub fn new() -> (Sender<()>, Stopper) {
        let (tx, rx) = mpsc::channel();
        (tx, Stopper(rx))
    }

    /// Waits up to `timeout`; true when the source must stop.
    pub fn wait(&self, timeout: Duration) -> bool {
        match self.0.recv_timeout(timeout) {
            Err(RecvTimeoutError::Timeout) => false,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => true,
        }
    }

    /// True when the source must stop (does not wait).
    pub fn stopped(&self) -> bool {
        !matches!(self.0.try_recv(), Err(TryRecvError::Empty))
    }
}

/// A running source. Dropping it asks the thread to stop; [`SourceHandle::stop`] also waits.
#[derive(Debug)]
pub struct SourceHandle {
    name: Arc<str>,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SourceHandle {
    /// Starts `body` on a named thread; it gets a [`Stopper`] to watch.
    pub fn spawn(
        name: Arc<str>,
        body: impl FnOnce(Stopper) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (stop, stopper) = Stopper::new();
        let thread = std::thread::Builder::new()
            .name(format!("jvmem source {name}"))
            .spawn(move || body(stopper))?;
        Ok(SourceHandle {
            name,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The source's name as it appears in updates (`pid:4242`, a path, `-`).
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// Stops the source and waits for its thread to end.
    pub fn stop(mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// True once the thread has ended (e.g. stdin reached its end).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(|t| t.is_finished())
    }
}

impl Drop for SourceHandle {
    fn drop(&mut self) {
        self.stop.take();
    }
}
