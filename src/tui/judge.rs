//! The diagnosis, off the UI thread: a worker keeps its own copy of the timeline (fed the same
//! updates as the app, in the same order) and, when the app asks, diagnoses the snapshots up
//! to the cursor and sends back a [`Judgement`] — suspects, marks and the verdict. The
//! diagnosis takes ~200 ms at 10k snapshots and seconds at 100k; the keyboard never waits for
//! it. Requests made while one is running are coalesced: only the newest is answered.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use jvmem::analysis::diagnosis::{DiagnoseOptions, Diagnosis, diagnose};
use jvmem::analysis::drill_latest::{LatestDrill, latest_for};
use jvmem::analysis::gc_summary::GcSummary;
use jvmem::analysis::verdict::Verdict;
use jvmem::model::{Timeline, Update};

/// What the app asks to be judged: the first `as_of` snapshots, against this limit, with the
/// first `drills` drill-down captures (a drill taken from the detail view asks again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JudgeRequest {
    pub as_of: usize,
    pub limit_bytes: Option<u64>,
    pub drills: usize,
}

/// The answer to a [`JudgeRequest`].
#[derive(Debug, Clone)]
pub struct Judgement {
    pub request: JudgeRequest,
    pub diagnosis: Diagnosis,
    pub verdict: Verdict,
    /// The library's GC summary of the same events (the GC view's summary line).
    pub gc: Option<GcSummary>,
    /// Per category of the cursor's snapshot, the latest drill-down capture behind it.
    pub drills: Vec<(String, Vec<LatestDrill>)>,
}

impl Judgement {
    /// The latest drill-down captures behind `category` (empty when none was taken).
    pub fn drills_for(&self, category: &str) -> &[LatestDrill] {
        self.drills
            .iter()
            .find(|(c, _)| c == category)
            .map_or(&[], |(_, d)| d.as_slice())
    }
}

/// Rows of each capture shown in the detail view.
const DRILL_TOP_ROWS: usize = 5;

/// How a timeline is diagnosed (tests inject a slow or blocking one).
pub type DiagnoseFn = Box<dyn FnMut(&Timeline, Option<u64>) -> Diagnosis + Send>;

/// The library's diagnosis, as `jvmem report` runs it, with what grows inside each suspect
/// (culprits from drill-down captures) as the first hint of the suspect it explains.
pub fn report_diagnosis() -> DiagnoseFn {
    Box::new(|timeline, limit_bytes| {
        let options = DiagnoseOptions {
            limit_bytes: limit_bytes.or(timeline.limit_bytes),
            ..DiagnoseOptions::default()
        };
        let mut diagnosis = diagnose(timeline, &options);
        if !timeline.drills.is_empty() {
            let culprits =
                jvmem::analysis::culprits::culprits(timeline, Some(&diagnosis), &options);
            let mut first: Vec<jvmem::analysis::hints::Hint> = Vec::new();
            for suspect in &diagnosis.suspects {
                let lines: Vec<String> = culprits
                    .iter()
                    .filter(|c| c.explains_suspect.as_deref() == Some(suspect.category.as_str()))
                    .map(|c| c.headline())
                    .collect();
                if !lines.is_empty() {
                    first.push(jvmem::analysis::hints::Hint {
                        category: Some(suspect.category.clone()),
                        kind: suspect.kind,
                        title: "Culprits: what grows inside it (drill-down captures)".into(),
                        steps: lines,
                        flags: Vec::new(),
                    });
                }
            }
            first.append(&mut diagnosis.hints);
            diagnosis.hints = first;
        }
        diagnosis
    })
}

enum Message {
    Update(Update),
    Judge(JudgeRequest),
}

/// The app's side of the worker.
pub struct Judge {
    tx: Sender<Message>,
    results: Receiver<Arc<Judgement>>,
}

impl Judge {
    /// Starts the worker on a copy of `timeline` (what the app holds at the start).
    pub fn spawn(timeline: Timeline, mut diagnose: DiagnoseFn) -> std::io::Result<Judge> {
        let (tx, rx) = mpsc::channel::<Message>();
        let (result_tx, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("jvmem diagnosis".into())
            .spawn(move || {
                let mut mirror = timeline;
                while let Ok(first) = rx.recv() {
                    let mut request = None;
                    for message in std::iter::once(first).chain(rx.try_iter()) {
                        match message {
                            Message::Update(u) => mirror.apply(u),
                            Message::Judge(r) => request = Some(r),
                        }
                    }
                    let Some(request) = request else { continue };
                    let judgement = judge_as_of(&mut mirror, request, &mut diagnose);
                    if result_tx.send(Arc::new(judgement)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Judge { tx, results })
    }

    /// The worker sees the same update the app is about to apply.
    pub fn forward(&self, update: &Update) {
        if matches!(
            update,
            Update::Snapshots(_) | Update::GcEvents(_) | Update::Process(_) | Update::Drills(_)
        ) {
            let _ = self.tx.send(Message::Update(update.clone()));
        }
    }

    /// Asks for a judgement (answered later through [`Judge::try_result`]).
    pub fn request(&self, request: JudgeRequest) {
        let _ = self.tx.send(Message::Judge(request));
    }

    /// A judgement that has arrived, if any.
    pub fn try_result(&self) -> Option<Arc<Judgement>> {
        self.results.try_iter().last()
    }
}

/// Diagnoses the first `as_of` snapshots of `timeline`, with the GC events and process samples
/// up to the last one's time; the rest is put back afterwards (moved, not copied).
fn judge_as_of(
    timeline: &mut Timeline,
    request: JudgeRequest,
    diagnose: &mut DiagnoseFn,
) -> Judgement {
    let as_of = request.as_of.min(timeline.snapshots.len());
    let later_snapshots = timeline.snapshots.split_off(as_of);
    let cut = timeline
        .snapshots
        .last()
        .and_then(|s| s.timestamp)
        .filter(|_| !later_snapshots.is_empty());
    // GC events are cut at the cursor's time only when all have a wall-clock time (else
    // they cannot be placed against the snapshots, and all are kept, as the GC view does).
    let later_events = match cut {
        Some(t) if timeline.gc_events.iter().all(|e| e.timestamp.is_some()) => {
            let e = timeline
                .gc_events
                .partition_point(|e| e.timestamp.is_some_and(|et| et <= t));
            timeline.gc_events.split_off(e)
        }
        _ => Vec::new(),
    };
    let later_process = match cut {
        Some(t) => {
            let p = timeline.process.partition_point(|p| p.timestamp <= t);
            timeline.process.split_off(p)
        }
        None => Vec::new(),
    };
    // One JVM per judgement: the snapshots since the last change of JVM (pid) only.
    let start = super::app::jvm_changes(timeline.snapshots.all())
        .last()
        .unwrap_or(0);
    let rest = timeline.snapshots.split_off(start);
    let mut earlier = std::mem::replace(&mut timeline.snapshots, rest);
    let diagnosis = diagnose(timeline, request.limit_bytes);
    let verdict = Verdict::new(&diagnosis, timeline);
    earlier.append(std::mem::take(&mut timeline.snapshots));
    timeline.snapshots = earlier;
    // What the log's header said (collector, heap sizes), as `jvmem gc` shows it.
    let info = timeline.gc_log.clone().unwrap_or_default();
    let drills = match timeline.snapshots.last() {
        Some(s) if !timeline.drills.is_empty() => s
            .categories()
            .map(|c| {
                (
                    c.name.to_string(),
                    latest_for(timeline, c.name, DRILL_TOP_ROWS),
                )
            })
            .filter(|(_, d)| !d.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    let gc = (!timeline.gc_events.is_empty())
        .then(|| GcSummary::from_events(&timeline.gc_events, &info));
    timeline.snapshots.append(later_snapshots);
    timeline.gc_events.extend(later_events);
    timeline.process.extend(later_process);
    Judgement {
        request,
        diagnosis,
        verdict,
        gc,
        drills,
    }
}

/// Judges on the calling thread (tests that draw screens without a loop).
#[cfg(test)]
pub fn judge_now(timeline: &Timeline, request: JudgeRequest) -> Judgement {
    let mut copy = timeline.clone();
    judge_as_of(&mut copy, request, &mut report_diagnosis())
}
