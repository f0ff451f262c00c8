//! Which JVM a snapshot came from, and where a timeline switches from one JVM to another:
//! the dashboard marks a pid change, and growth is judged within one JVM, never across a
//! restart (a new JVM's warm-up would read as growth).
//!
//! What the text says is all there is: jcmd's `<pid>:` header, a JVM version line near the
//! snapshot (`jcmd PID VM.version`, a flight recording's JVM information), and the category
//! set (JDK 8's differs from 9+'s: `model::categories::is_jdk8_like`). A field one snapshot
//! does not know never makes it differ; two known values that disagree always do. The NMT
//! scale is not part of the identity: one JVM can be asked with `scale=KB` and then `scale=MB`.

use std::sync::Arc;

use serde::Serialize;

use super::{Diagnostic, SnapshotRef, Timeline};

/// What a snapshot says about its JVM.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JvmIdentity {
    /// From jcmd's `<pid>:` header (or the recording).
    pub pid: Option<u32>,
    /// From a `VM.version` answer or a flight recording, e.g. `17.0.15+6-Debian-1deb12u1`.
    pub jvm_version: Option<Arc<str>>,
    /// JDK 8's category set (`Internal` holds direct buffers) rather than 9+'s; unknown for a
    /// snapshot that is not complete (a cut one may lack the categories that tell).
    pub jdk8_like: Option<bool>,
}

impl JvmIdentity {
    /// The identity `snapshot` shows.
    pub fn of(snapshot: SnapshotRef<'_>) -> Self {
        JvmIdentity {
            pid: snapshot.pid,
            jvm_version: snapshot.jvm_version.cloned(),
            jdk8_like: snapshot
                .complete
                .then(|| super::categories::is_jdk8_like(snapshot)),
        }
    }

    /// Why `self` and `other` cannot be the same JVM, if they cannot: `pid 4242 → 5151`.
    pub fn change_from(&self, other: &JvmIdentity) -> Option<String> {
        let mut why = Vec::new();
        if let (Some(a), Some(b)) = (other.pid, self.pid) {
            if a != b {
                why.push(format!("pid {a} → {b}"));
            }
        }
        if let (Some(a), Some(b)) = (&other.jvm_version, &self.jvm_version) {
            if a != b {
                why.push(format!("JVM {a} → {b}"));
            }
        }
        if let (Some(a), Some(b)) = (other.jdk8_like, self.jdk8_like) {
            if a != b {
                let family = |jdk8: bool| if jdk8 { "JDK 8" } else { "JDK 9+" };
                why.push(format!("categories of {} → {}", family(a), family(b)));
            }
        }
        (!why.is_empty()).then(|| why.join(", "))
    }

    /// What a later snapshot of the same JVM adds (a pid or version this one did not know).
    fn absorb(&mut self, later: &JvmIdentity) {
        self.pid = self.pid.or(later.pid);
        self.jdk8_like = self.jdk8_like.or(later.jdk8_like);
        if self.jvm_version.is_none() {
            self.jvm_version.clone_from(&later.jvm_version);
        }
    }
}

/// Consecutive snapshots (in timeline order) from one JVM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JvmRun {
    /// Index of the run's first snapshot in `Timeline::snapshots`.
    pub start: usize,
    /// One past its last.
    pub end: usize,
    /// What the run's snapshots say together.
    pub identity: JvmIdentity,
    /// Why this run is not the previous run's JVM (`None` for the first run).
    pub change: Option<String>,
}

/// At most this many JVM changes are reported one by one; the rest are counted.
const MAX_REPORTED_CHANGES: usize = 10;

impl Timeline {
    /// The timeline's snapshots cut into runs of one JVM each. One run (or none) is the normal
    /// case; a consumer that judges growth should judge each run apart (a restart's warm-up is
    /// not a leak).
    pub fn jvm_runs(&self) -> Vec<JvmRun> {
        runs_of(self.snapshots.iter().map(JvmIdentity::of))
    }

    /// A warning for each place the timeline switches to another JVM, naming the snapshot
    /// where it happens and what changed.
    pub fn jvm_change_diagnostics(&self) -> Vec<Diagnostic> {
        change_diagnostics(&self.jvm_runs(), |i| {
            self.snapshots
                .get(i)
                .map(|s| (Arc::clone(s.source), s.line))
        })
    }
}

/// Snapshots' identities (in timeline order) cut into runs of one JVM each.
pub fn runs_of(identities: impl IntoIterator<Item = JvmIdentity>) -> Vec<JvmRun> {
    let mut runs: Vec<JvmRun> = Vec::new();
    for (index, identity) in identities.into_iter().enumerate() {
        match runs.last_mut() {
            Some(run) => match identity.change_from(&run.identity) {
                None => {
                    run.identity.absorb(&identity);
                    run.end = index + 1;
                }
                Some(change) => runs.push(JvmRun {
                    start: index,
                    end: index + 1,
                    identity,
                    change: Some(change),
                }),
            },
            None => runs.push(JvmRun {
                start: index,
                end: index + 1,
                identity,
                change: None,
            }),
        }
    }
    runs
}

/// A warning for each change of JVM in `runs`, at the source and line `locate` gives for a
/// snapshot index.
pub fn change_diagnostics(
    runs: &[JvmRun],
    locate: impl Fn(usize) -> Option<(Arc<str>, u64)>,
) -> Vec<Diagnostic> {
    let changes: Vec<&JvmRun> = runs.iter().filter(|r| r.change.is_some()).collect();
    let mut out: Vec<Diagnostic> = changes
        .iter()
        .take(MAX_REPORTED_CHANGES)
        .filter_map(|run| {
            let (source, line) = locate(run.start)?;
            let change = run.change.as_deref()?;
            Some(Diagnostic::warning(
                &source,
                line,
                format!(
                    "snapshots from another JVM start here ({change}); a change across \
                     this point is not growth of one process (Timeline::jvm_runs)"
                ),
            ))
        })
        .collect();
    if changes.len() > MAX_REPORTED_CHANGES {
        let source: Arc<str> = Arc::from("timeline");
        out.push(Diagnostic::warning(
            &source,
            0,
            format!(
                "… and {} more changes of JVM",
                changes.len() - MAX_REPORTED_CHANGES
            ),
        ));
    }
    out
}
