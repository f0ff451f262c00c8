//! Drill-downs taken from the dashboard (`d` in the detail view), off the UI thread: a worker
//! takes one topic at a time through `live --drill`'s own machinery
//! ([`DrillSource::take_once`]: the same jcmd commands, parsing and session records), whose
//! captures reach the app as [`jvmem::model::Update::Drills`] on the updates channel; the
//! worker then answers with a [`DrillOutcome`] (what was taken, or why nothing was).

use std::sync::mpsc::{self, Receiver, Sender};

use jvmem::live::{DrillSource, DrillTarget, DrillTopic, PollOptions, Sink, TAKE_ONCE_TIMEOUT};

/// What one drill taken on demand gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillOutcome {
    pub topic: DrillTopic,
    /// The source's status line (`1 drill-down capture(s) at 23:51:02`), or why it failed.
    pub result: Result<String, String>,
}

/// How a topic is taken (tests inject a scripted one).
pub type DrillFn = Box<dyn FnMut(DrillTopic) -> Result<String, String> + Send>;

/// The app's side of the worker.
pub struct Driller {
    tx: Sender<DrillTopic>,
    results: Receiver<DrillOutcome>,
}

impl Driller {
    /// A worker that runs the topics' jcmd commands against `target`; captures go to `sink`
    /// (the dashboard's updates, and the recorder when recording).
    pub fn spawn(target: DrillTarget, sink: Sink) -> std::io::Result<Driller> {
        Driller::spawn_with(Box::new(move |topic| {
            DrillSource {
                target: target.clone(),
                topics: vec![topic],
                poll: PollOptions::default(),
            }
            .take_once(&sink, TAKE_ONCE_TIMEOUT)
            .map_err(|e| e.to_string())
        }))
    }

    /// A worker that takes each requested topic with `take`, one at a time.
    pub fn spawn_with(mut take: DrillFn) -> std::io::Result<Driller> {
        let (tx, rx) = mpsc::channel::<DrillTopic>();
        let (result_tx, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("jvmem drill".into())
            .spawn(move || {
                while let Ok(topic) = rx.recv() {
                    let result = take(topic);
                    if result_tx.send(DrillOutcome { topic, result }).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Driller { tx, results })
    }

    /// Asks for a topic (answered later through [`Driller::try_result`]).
    pub fn request(&self, topic: DrillTopic) {
        let _ = self.tx.send(topic);
    }

    /// An outcome that has arrived, if any.
    pub fn try_result(&self) -> Option<DrillOutcome> {
        self.results.try_recv().ok()
    }
}
