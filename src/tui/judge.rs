//! The diagnosis, off the UI thread: when the app asks, a worker diagnoses the snapshots up to
//! the cursor and sends back a [`Judgement`] — suspects, marks and the verdict. The request
//! carries the app's timeline, shared (an `Arc`: the worker keeps no copy of its own, and the
//! app holds new data back while a judgement reads it, see `app/updates.rs`). The diagnosis
//! takes ~200 ms at 10k snapshots and seconds at 100k; the keyboard never waits for it.
//! Requests made while one is running are coalesced: only the newest is answered.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use jvmem::analysis::diagnosis::{DiagnoseOptions, Diagnosis, diagnose};
use jvmem::analysis::drill_latest::{LatestDrill, latest_for};
use jvmem::analysis::gc_summary::GcSummary;
use jvmem::analysis::verdict::Verdict;
use jvmem::model::Timeline;

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

/// The app's side of the worker.
pub struct Judge {
    tx: Sender<(JudgeRequest, Arc<Timeline>)>,
    results: Receiver<Arc<Judgement>>,
}

impl Judge {
    /// Starts the worker.
    pub fn spawn(mut diagnose: DiagnoseFn) -> std::io::Result<Judge> {
        let (tx, rx) = mpsc::channel::<(JudgeRequest, Arc<Timeline>)>();
        let (result_tx, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("jvmem diagnosis".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let Some((request, timeline)) = newest(first, &rx) else {
                        continue;
                    };
                    let judgement = judge_as_of(&timeline, request, &mut diagnose);
                    // Let go of the timeline before answering: the app applies what waited
                    // for it as soon as the answer is in.
                    drop(timeline);
                    if result_tx.send(Arc::new(judgement)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Judge { tx, results })
    }

    /// Asks for a judgement of `timeline` (answered later through [`Judge::try_result`]).
    pub fn request(&self, request: JudgeRequest, timeline: Arc<Timeline>) {
        let _ = self.tx.send((request, timeline));
    }

    /// A judgement that has arrived, if any.
    pub fn try_result(&self) -> Option<Arc<Judgement>> {
        self.results.try_iter().last()
    }
}

/// The newest of `first` and the requests queued behind it (the older ones, and the
/// timelines they hold, are dropped unanswered).
fn newest<T>(first: T, queued: &Receiver<T>) -> Option<T> {
    std::iter::once(first).chain(queued.try_iter()).last()
}

/// Diagnoses the first `as_of` snapshots of `timeline` (from the last change of JVM on), with
/// the GC events and process samples up to the last one's time. The timeline is read as it
/// is when the cursor is on its last snapshot of one JVM (no copy); else the part judged is
/// copied.
fn judge_as_of(timeline: &Timeline, request: JudgeRequest, diagnose: &mut DiagnoseFn) -> Judgement {
    let snapshots = &timeline.snapshots;
    let as_of = request.as_of.min(snapshots.len());
    let cut = snapshots
        .range(0..as_of)
        .last()
        .and_then(|s| s.timestamp)
        .filter(|_| as_of < snapshots.len());
    // GC events are cut at the cursor's time only when all have a wall-clock time (else
    // they cannot be placed against the snapshots, and all are kept, as the GC view does).
    let events = match cut {
        Some(t) if timeline.gc_events.all_timestamped() => timeline
            .gc_events
            .as_slice()
            .partition_point_by_time(|et| et.is_some_and(|et| et <= t)),
        _ => timeline.gc_events.len(),
    };
    let process = match cut {
        Some(t) => timeline.process.partition_point(|p| p.timestamp <= t),
        None => timeline.process.len(),
    };
    // One JVM per judgement: the snapshots since the last change of JVM (pid) only.
    let start = super::app::jvm_changes(snapshots.range(0..as_of))
        .last()
        .unwrap_or(0);
    let whole = start == 0
        && as_of == snapshots.len()
        && events == timeline.gc_events.len()
        && process == timeline.process.len();
    let judged: Cow<Timeline> = if whole {
        Cow::Borrowed(timeline)
    } else {
        Cow::Owned(Timeline {
            snapshots: snapshots.slice(start..as_of),
            gc_events: {
                let mut prefix = timeline.gc_events.clone();
                prefix.truncate(events);
                prefix
            },
            gc_log: timeline.gc_log.clone(),
            process: timeline.process[..process].to_vec(),
            drills: timeline.drills.clone(),
            diagnostics: timeline.diagnostics.clone(),
            limit_bytes: timeline.limit_bytes,
        })
    };
    let diagnosis = diagnose(&judged, request.limit_bytes);
    let verdict = Verdict::new(&diagnosis, &judged);
    // What the log's header said (collector, heap sizes), as `jvmem gc` shows it.
    let info = timeline.gc_log.clone().unwrap_or_default();
    let drills = match snapshots.range(0..as_of).last() {
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
    let events = timeline.gc_events.as_slice().head(events);
    let gc = (!events.is_empty()).then(|| GcSummary::from_events(events.iter(), &info));
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
    judge_as_of(timeline, request, &mut report_diagnosis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_queued_request_is_answered() {
        let (tx, rx) = mpsc::channel();
        for i in 2..=5 {
            tx.send(i).unwrap();
        }
        assert_eq!(newest(1, &rx), Some(5));
        assert_eq!(newest(6, &rx), Some(6), "the queue was emptied");
    }
}
