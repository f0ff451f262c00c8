//! The verdict in one sentence, from a [`Diagnosis`]: what grows toward the container limit
//! (suspects ranked by how much they add to the container's footprint, each with its rate),
//! when the limit is reached (or that nothing grows toward it, or that there is not enough
//! data yet), and the one flag or action that matters most. The dashboard shows it on its
//! first line and `jvmem report` prints the same sentence, so both say the same thing.
//!
//! Ranking is by contribution, not confidence: an SRE whose pod is being killed needs the
//! biggest contributor first. A heap that is already committed to its maximum adds nothing
//! to the footprint (it ends in `OutOfMemoryError: Java heap space` instead), so it is ranked
//! after everything that does.

use serde::Serialize;

use super::budget_failure::{Failure, FirstFailure};
use super::diagnosis::{Diagnosis, Suspect, SuspectKind};
use crate::model::Timeline;
use crate::model::units::{format_bytes, format_minutes, format_rate_per_min};

/// Less recorded time than this, and no suspect found: too early to say "no growth". The
/// scenario recordings (samples/scenarios: 31 snapshots 3 s apart, 90 s) are judged right by
/// the diagnosis, leaks and steady controls alike; under a minute, one GC cycle or a warm-up
/// step looks like a trend.
pub const MIN_SPAN_S: f64 = 60.0;
/// Fewest snapshots to say "no growth" (the diagnosis's `min_points + 1`).
pub const MIN_SNAPSHOTS: usize = 6;

/// One memory that adds to the container's growth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contributor {
    /// The marked NMT category (`Other`, `Java Heap`).
    pub category: String,
    pub kind: SuspectKind,
    pub rate_bytes_per_min: f64,
    /// The rate as people read it (`Suspect::rate_text`: bytes, or a count when only it grows).
    pub rate_text: String,
    /// False for a heap already committed to its maximum: it grows inside committed memory.
    pub adds_to_footprint: bool,
}

/// When the container limit is reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outlook {
    /// The limit is reached in about `minutes` at the growth seen (0: already reached).
    LimitIn { minutes: f64, limit_bytes: u64 },
    /// Something grows, but no limit is known (`--limit`, cgroup or a session gives one).
    NoLimit { rate_bytes_per_min: f64 },
    /// The heap reaches its maximum (`-Xmx`, committed in full) in about `minutes`, before
    /// the limit: the JVM fails with `OutOfMemoryError: Java heap space` (a heap leak under
    /// `-Xms = -Xmx` never moves the container's total). See [`Budget::first_failure`].
    ///
    /// [`Budget::first_failure`]: super::budget::Budget::first_failure
    /// `limit_minutes`: when the limit is reached too, later, at the growth seen.
    HeapFullIn {
        minutes: f64,
        max_heap_bytes: u64,
        limit_minutes: Option<f64>,
        limit_bytes: u64,
    },
    /// Nothing grows toward the limit (or nothing grows at all).
    NoGrowth,
    /// Too little recorded to judge: `span_s` seconds, the total changing at this rate.
    NotEnoughData {
        span_s: f64,
        snapshots: usize,
        rate_bytes_per_min: Option<f64>,
    },
}

/// The verdict: who, when, and what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Largest contributor to the container's growth first.
    pub contributors: Vec<Contributor>,
    pub outlook: Outlook,
    /// The one flag or action that matters most (for the top contributor).
    pub action: Option<String>,
    /// A container limit was known (`--limit`, cgroup, a session).
    pub limit_known: bool,
}

impl Verdict {
    /// The verdict of a diagnosis of `timeline` (the same timeline, or the part of it up to a
    /// cursor, that was diagnosed).
    pub fn new(diagnosis: &Diagnosis, timeline: &Timeline) -> Verdict {
        let fully_committed_heap = diagnosis
            .budget
            .as_ref()
            .and_then(|b| b.heap_exhaustion.as_ref())
            .is_some_and(|h| h.fully_committed);
        // Suspects the diagnosis is not sure of (below the confidence `--fail-on-growth` fails
        // on) are left to the report's evidence: the first line names what is sure.
        let mut contributors: Vec<Contributor> = diagnosis
            .failing(super::diagnosis::DEFAULT_MIN_CONFIDENCE)
            .map(|s| Contributor {
                category: s.category.clone(),
                kind: s.kind,
                rate_bytes_per_min: s.rate_bytes_per_min,
                rate_text: s.rate_text().0,
                adds_to_footprint: !(s.kind == SuspectKind::Heap && fully_committed_heap),
            })
            .collect();
        contributors.sort_by(|a, b| {
            b.adds_to_footprint
                .cmp(&a.adds_to_footprint)
                .then(b.rate_bytes_per_min.total_cmp(&a.rate_bytes_per_min))
        });
        let span_s = diagnosis.window.span_min * 60.0;
        let outlook = if contributors.is_empty()
            && (diagnosis.window.snapshots < MIN_SNAPSHOTS || span_s < MIN_SPAN_S)
        {
            Outlook::NotEnoughData {
                span_s,
                snapshots: diagnosis.window.snapshots,
                rate_bytes_per_min: total_rate(timeline),
            }
        } else if contributors.is_empty() {
            Outlook::NoGrowth
        } else {
            match &diagnosis.budget {
                Some(b) => match (b.first_failure(), &b.heap_exhaustion) {
                    (
                        Some(FirstFailure {
                            minutes,
                            failure: Failure::HeapOom,
                        }),
                        Some(h),
                    ) => Outlook::HeapFullIn {
                        minutes,
                        max_heap_bytes: h.max_heap_bytes,
                        limit_minutes: b.minutes_to_limit,
                        limit_bytes: b.limit_bytes,
                    },
                    _ => match b.minutes_to_limit {
                        Some(m) => Outlook::LimitIn {
                            minutes: m.max(0.0),
                            limit_bytes: b.limit_bytes,
                        },
                        None => Outlook::NoGrowth,
                    },
                },
                None => Outlook::NoLimit {
                    rate_bytes_per_min: contributors
                        .iter()
                        .filter(|c| c.adds_to_footprint)
                        .map(|c| c.rate_bytes_per_min.max(0.0))
                        .sum(),
                },
            }
        };
        let action = contributors
            .first()
            .and_then(|top| {
                diagnosis
                    .suspects
                    .iter()
                    .find(|s| s.category == top.category)
            })
            .map(|s| action_for(s, diagnosis));
        Verdict {
            contributors,
            outlook,
            action,
            limit_known: diagnosis.budget.is_some(),
        }
    }

    /// One contributor with its rate: `Other +4.0 MiB/min (direct buffers)`.
    pub fn contributor_text(c: &Contributor) -> String {
        format!("{} {} ({})", c.category, c.rate_text, short_kind(c.kind))
    }

    /// The top contributor, with its rate.
    pub fn top_text(&self) -> Option<String> {
        self.contributors.first().map(Self::contributor_text)
    }

    /// The other contributors, in rank order: `also Java Heap +1.9 MiB/min (heap), …`.
    pub fn others_text(&self) -> Option<String> {
        let others: Vec<String> = self
            .contributors
            .iter()
            .skip(1)
            .map(Self::contributor_text)
            .collect();
        (!others.is_empty()).then(|| format!("also {}", others.join(", ")))
    }

    /// When the limit is reached, or why that cannot be said.
    pub fn outlook_text(&self) -> String {
        match &self.outlook {
            Outlook::LimitIn {
                minutes,
                limit_bytes,
            } if *minutes <= 0.0 => format!("limit {} already reached", format_bytes(*limit_bytes)),
            Outlook::LimitIn {
                minutes,
                limit_bytes,
            } => format!(
                "limit {} reached in about {}",
                format_bytes(*limit_bytes),
                format_minutes(*minutes)
            ),
            Outlook::NoLimit { rate_bytes_per_min } => format!(
                "growing {}; no limit known (--limit)",
                format_rate_per_min(*rate_bytes_per_min)
            ),
            Outlook::HeapFullIn {
                minutes,
                max_heap_bytes,
                limit_minutes,
                limit_bytes,
            } => {
                let heap = format!(
                    "heap full (-Xmx {}) in about {}",
                    format_bytes(*max_heap_bytes),
                    format_minutes(*minutes)
                );
                match limit_minutes {
                    Some(m) => format!(
                        "{heap}, limit {} in about {}",
                        format_bytes(*limit_bytes),
                        format_minutes(*m)
                    ),
                    None => format!("{heap}: OutOfMemoryError before any OOM kill"),
                }
            }
            Outlook::NoGrowth if self.limit_known => "no growth toward the limit".to_string(),
            Outlook::NoGrowth => "no growth found".to_string(),
            Outlook::NotEnoughData {
                span_s,
                snapshots,
                rate_bytes_per_min,
            } => {
                let growing = rate_bytes_per_min
                    .map(|r| format!(" — growing {}, not yet sure", format_rate_per_min(r)))
                    .unwrap_or_default();
                format!(
                    "not enough data yet: {:.0} s recorded ({snapshots} snapshot{}){growing}",
                    span_s,
                    if *snapshots == 1 { "" } else { "s" }
                )
            }
        }
    }

    /// The whole sentence, most important first (so a narrow screen cuts the least): the top
    /// contributor, when the limit is reached, what to do, then the other contributors.
    pub fn sentence(&self) -> String {
        let mut parts: Vec<String> = self.top_text().into_iter().collect();
        parts.push(self.outlook_text());
        parts.extend(self.action.clone());
        parts.extend(self.others_text());
        parts.join(" · ")
    }

    /// True when the limit is reached, or the heap is full, within `minutes` (the dashboard
    /// turns red).
    pub fn limit_within(&self, minutes: f64) -> bool {
        matches!(
            self.outlook,
            Outlook::LimitIn { minutes: m, .. } | Outlook::HeapFullIn { minutes: m, .. }
                if m <= minutes
        )
    }
}

/// A few words on what the memory is (`direct buffers`), as the verdict line and the fleet
/// table write it.
pub fn short_kind(kind: SuspectKind) -> &'static str {
    match kind {
        SuspectKind::Heap => "heap",
        SuspectKind::ClassMetadata => "class loaders",
        SuspectKind::Threads => "threads",
        SuspectKind::DirectMemory => "direct buffers",
        SuspectKind::CodeCache => "code cache",
        SuspectKind::GcStructures => "GC structures",
        SuspectKind::Symbols => "symbols",
        SuspectKind::Native => "native",
    }
}

/// The one thing to do about the top suspect: the budget's flag for it when there is one.
fn action_for(s: &Suspect, diagnosis: &Diagnosis) -> String {
    let budget_flag = |item: &str| {
        diagnosis
            .budget
            .as_ref()
            .and_then(|b| b.lines.iter().find(|l| l.item == item))
            .and_then(|l| l.flag.clone())
    };
    match s.kind {
        SuspectKind::DirectMemory => format!(
            "cap it: {}",
            budget_flag("direct").unwrap_or_else(|| "-XX:MaxDirectMemorySize=…".into())
        ),
        SuspectKind::ClassMetadata => format!(
            "cap it: {}; VM.classloader_stats shows the loaders",
            budget_flag("metaspace").unwrap_or_else(|| "-XX:MaxMetaspaceSize=…".into())
        ),
        SuspectKind::Threads => "jcmd PID Thread.print: find who starts the threads".into(),
        SuspectKind::Heap => format!(
            "compare two heap dumps (GC.heap_dump); size {} to the limit",
            budget_flag("heap").unwrap_or_else(|| "-Xmx".into())
        ),
        SuspectKind::CodeCache => "cap it: -XX:ReservedCodeCacheSize=…".into(),
        _ => diagnosis
            .hints_for(s)
            .next()
            .map(|h| h.title.clone())
            .unwrap_or_else(|| "jcmd PID VM.native_memory detail shows the call sites".into()),
    }
}

/// The total's change per minute from the first to the last snapshot with a timestamp.
fn total_rate(timeline: &Timeline) -> Option<f64> {
    let first = timeline.snapshots.iter().find(|s| s.timestamp.is_some())?;
    let last = timeline
        .snapshots
        .iter()
        .rev()
        .find(|s| s.timestamp.is_some())?;
    let minutes = (last.timestamp? - first.timestamp?).num_milliseconds() as f64 / 60_000.0;
    (minutes > 0.0)
        .then(|| (last.total.committed_bytes as f64 - first.total.committed_bytes as f64) / minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{DiagnoseOptions, diagnose};

    fn scenario(name: &str) -> Timeline {
        let dir = format!("{}/samples/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
        crate::input::load(&[format!("{dir}/nmt.log"), format!("{dir}/gc.log")])
    }

    fn verdict(t: &Timeline, limit: Option<u64>) -> Verdict {
        let options = DiagnoseOptions {
            limit_bytes: limit,
            ..DiagnoseOptions::default()
        };
        Verdict::new(&diagnose(t, &options), t)
    }

    #[test]
    fn a_direct_leak_names_other_its_rate_the_time_to_the_limit_and_the_flag() {
        let t = scenario("direct-leak-jdk17-g1");
        let v = verdict(&t, Some(1 << 30));
        assert_eq!(v.contributors[0].category, "Other");
        assert!(v.contributors[0].rate_bytes_per_min > 1e6, "{v:?}");
        let Outlook::LimitIn { minutes, .. } = v.outlook else {
            panic!("{v:?}")
        };
        assert!(minutes > 0.0 && minutes < 24.0 * 60.0, "{minutes}");
        let s = v.sentence();
        assert!(s.contains("Other +"), "{s}");
        assert!(s.contains("limit 1.0 GiB reached in about"), "{s}");
        assert!(s.contains("-XX:MaxDirectMemorySize="), "{s}");
    }

    #[test]
    fn a_steady_jvm_has_no_growth_toward_the_limit() {
        let t = scenario("steady-jdk17-g1");
        let v = verdict(&t, Some(1 << 30));
        assert!(v.contributors.is_empty(), "{v:?}");
        assert_eq!(v.outlook, Outlook::NoGrowth);
        assert_eq!(v.sentence(), "no growth toward the limit");
    }

    #[test]
    fn three_snapshots_are_not_enough_data() {
        let mut t = scenario("direct-leak-jdk17-g1");
        t.snapshots.truncate(3);
        t.gc_events.clear();
        let v = verdict(&t, Some(1 << 30));
        let Outlook::NotEnoughData {
            snapshots,
            rate_bytes_per_min,
            ..
        } = v.outlook
        else {
            panic!("{v:?}")
        };
        assert_eq!(snapshots, 3);
        assert!(rate_bytes_per_min.is_some_and(|r| r > 0.0));
        let s = v.sentence();
        assert!(s.starts_with("not enough data yet: "), "{s}");
        assert!(s.contains("— growing +"), "{s}");
    }

    #[test]
    fn without_a_limit_it_says_so() {
        let t = scenario("direct-leak-jdk17-g1");
        let v = verdict(&t, None);
        assert!(v.outlook_text().contains("no limit known"), "{v:?}");
    }

    #[test]
    fn a_heap_leak_in_a_full_heap_fails_by_the_heap_not_the_limit() {
        // -Xmx160m, committed in full: the total never moves, the live set fills the heap.
        let t = scenario("heap-leak-jdk17-g1");
        let v = verdict(&t, Some(1 << 30));
        let Outlook::HeapFullIn {
            minutes,
            max_heap_bytes,
            limit_minutes,
            ..
        } = v.outlook
        else {
            panic!("{v:?}")
        };
        assert_eq!(max_heap_bytes, 160 << 20);
        assert_eq!(limit_minutes, None);
        assert!(minutes > 0.0 && minutes < 1.0, "{minutes}");
        assert!(v.limit_within(5.0));
        let s = v.outlook_text();
        assert!(
            s.starts_with("heap full (-Xmx 160.0 MiB) in about ")
                && s.ends_with(": OutOfMemoryError before any OOM kill"),
            "{s}"
        );
    }
}
