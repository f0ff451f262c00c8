//! Leak diagnosis: which memory keeps growing, how fast, how sure we are — from a whole
//! [`Timeline`] (NMT snapshots and GC events) to a plain-data [`Diagnosis`] that the report
//! renderers and the dashboard both read.
//!
//! Growth is judged per *group* of related NMT categories, so one cause is one suspect: a
//! class-loader leak grows `Class` and `Metaspace` (and, as consequences, `Module`, `Symbol`);
//! a growing heap drags `GC` structures along. See `docs/diagnosis.md` for every threshold and why.

use serde::Serialize;

use super::budget::{Budget, budget};
use super::growth::{Metric, SeriesGrowth, SeriesTime, gc_growth, nmt_growth};
use super::hints::{Hint, hints_for};
use crate::model::Timeline;
use crate::model::units::{format_bytes, format_delta, format_rate_per_min};

/// What kind of memory a suspect is; decides its hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuspectKind {
    /// `Java Heap` committed, old gen after GC.
    Heap,
    /// `Class` / `Metaspace`: class metadata, class loaders.
    ClassMetadata,
    /// `Thread`: stacks and per-thread structures.
    Threads,
    /// `Other` (JDK 9+) / `Internal` (JDK 8): direct ByteBuffers, Unsafe, JNI malloc.
    DirectMemory,
    /// `Code`: the JIT code cache.
    CodeCache,
    /// `GC`, `GCCardSet`: collector data structures.
    GcStructures,
    /// `Symbol`: the symbol and string tables.
    Symbols,
    /// Any other native category.
    Native,
}

impl SuspectKind {
    /// What this kind of growth usually is, in a few words.
    pub fn meaning(self) -> &'static str {
        match self {
            SuspectKind::Heap => "heap leak or undersized heap",
            SuspectKind::ClassMetadata => "class-loader leak",
            SuspectKind::Threads => "thread leak",
            SuspectKind::DirectMemory => "direct buffer / native malloc leak",
            SuspectKind::CodeCache => "code cache growth",
            SuspectKind::GcStructures => "GC structure growth",
            SuspectKind::Symbols => "symbol / interned string growth",
            SuspectKind::Native => "native memory growth",
        }
    }
}

/// Tunables of [`diagnose`]; `Default` holds the documented values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnoseOptions {
    /// Container limit; overrides `timeline.limit_bytes` and cgroup samples.
    pub limit_bytes: Option<u64>,
    /// Share of the window dropped at its start as warm-up.
    pub warmup_fraction: f64,
    /// Fewest points a trend is judged on.
    pub min_points: usize,
    /// Spacing assumed between snapshots that have no timestamps.
    pub assumed_interval_s: f64,
    /// Least growth over the window, in bytes, for byte series to count.
    pub min_growth_bytes: f64,
    /// Least growth relative to the series' start value.
    pub min_relative_growth: f64,
    /// Least Mann–Kendall tau for a series to count as growing.
    pub min_tau: f64,
    /// Suspects below this confidence are not reported.
    pub min_confidence: f64,
}

impl Default for DiagnoseOptions {
    fn default() -> Self {
        DiagnoseOptions {
            limit_bytes: None,
            warmup_fraction: 0.15,
            min_points: 5,
            assumed_interval_s: 60.0,
            min_growth_bytes: (1 << 20) as f64,
            min_relative_growth: 0.05,
            min_tau: 0.6,
            min_confidence: 0.2,
        }
    }
}

/// One memory that keeps growing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suspect {
    /// The NMT category to mark: the first of its group that grew (`Class` before `Metaspace`).
    pub category: String,
    pub kind: SuspectKind,
    /// The group's categories that grew (e.g. `Class` and `Metaspace`), the marked one first.
    pub categories: Vec<String>,
    /// Categories that grew *because* of this one (e.g. `GC` with the heap, `Module` with
    /// classes): named in the evidence, not as causes.
    pub followers: Vec<String>,
    /// Committed growth rate of the group (or, when committed memory is flat, of the GC series).
    pub rate_bytes_per_min: f64,
    /// Growth over the judged window at that rate.
    pub growth_bytes: i64,
    /// 0..=1: consistency of the growth × number of points × time span, corroborated.
    pub confidence: f64,
    /// One paragraph for people: what grows, by how much, and what agrees.
    pub evidence: String,
    /// The series that showed the growth (the evidence table).
    pub series: Vec<SeriesGrowth>,
}

impl Suspect {
    /// One line for lists and the dashboard's status bar.
    pub fn headline(&self) -> String {
        format!(
            "{} grows {} ({} in the window), confidence {:.2}: {}",
            self.categories.join(" + "),
            format_rate_per_min(self.rate_bytes_per_min),
            format_delta(self.growth_bytes),
            self.confidence,
            self.kind.meaning()
        )
    }
}

/// What was analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub snapshots: usize,
    pub gc_events: usize,
    /// Minutes from the first to the last snapshot (assumed spacing when no timestamps).
    pub span_min: f64,
    pub timestamps: bool,
}

/// The answer: suspects ranked by confidence then rate, the container budget, and hints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    pub suspects: Vec<Suspect>,
    pub budget: Option<Budget>,
    pub hints: Vec<Hint>,
    pub window: Window,
    /// Caveats on the whole diagnosis (no timestamps, too few points, no GC events…).
    pub notes: Vec<String>,
    /// Every committed series with its trend, largest growth first, for evidence tables.
    pub growth: Vec<SeriesGrowth>,
}

impl Diagnosis {
    /// One line: the verdict.
    pub fn headline(&self) -> String {
        match self.suspects.as_slice() {
            [] => "no growth found".to_string(),
            [one] => one.headline(),
            many => format!(
                "{} suspects: {}",
                many.len(),
                many.iter()
                    .map(|s| s.category.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The suspect that names this category (marked or grouped), if any.
    pub fn suspect_for(&self, category: &str) -> Option<&Suspect> {
        self.suspects.iter().find(|s| {
            s.categories
                .iter()
                .chain(&s.followers)
                .any(|c| c == category)
        })
    }

    /// The hints written for one suspect.
    pub fn hints_for<'a>(&'a self, suspect: &'a Suspect) -> impl Iterator<Item = &'a Hint> + 'a {
        self.hints
            .iter()
            .filter(move |h| h.category.as_deref() == Some(suspect.category.as_str()))
    }
}

/// A group of categories that grow from one cause.
struct Group {
    kind: SuspectKind,
    members: &'static [&'static str],
    /// Categories that grow *because* a member grows: folded into the suspect, not named apart.
    consequences: &'static [&'static str],
}

const GROUPS: &[Group] = &[
    Group {
        kind: SuspectKind::Heap,
        members: &["Java Heap"],
        consequences: &["GC", "GCCardSet"],
    },
    Group {
        kind: SuspectKind::ClassMetadata,
        members: &["Class", "Metaspace"],
        consequences: &["Module", "Symbol", "Synchronization", "Internal"],
    },
    Group {
        kind: SuspectKind::Threads,
        members: &["Thread"],
        consequences: &["Synchronization", "Internal"],
    },
    Group {
        kind: SuspectKind::DirectMemory,
        members: &["Other", "Internal"],
        consequences: &[],
    },
    Group {
        kind: SuspectKind::CodeCache,
        members: &["Code"],
        consequences: &[],
    },
    Group {
        kind: SuspectKind::GcStructures,
        members: &["GC", "GCCardSet"],
        consequences: &[],
    },
    Group {
        kind: SuspectKind::Symbols,
        members: &["Symbol"],
        consequences: &[],
    },
];

/// JIT arenas: they swing by megabytes between snapshots; only a huge, steady rise counts.
const NOISY: &[&str] = &["Arena Chunk", "Compiler"];
/// NMT's own bookkeeping grows with every malloc tracked: a consequence, never a cause.
const NEVER_A_CAUSE: &[&str] = &["Native Memory Tracking"];

/// Reads the whole timeline and names what keeps growing.
pub fn diagnose(timeline: &Timeline, options: &DiagnoseOptions) -> Diagnosis {
    let mut series = nmt_growth(
        timeline,
        options.warmup_fraction,
        options.min_points,
        options.assumed_interval_s,
    );
    series.extend(gc_growth(
        &timeline.gc_events,
        options.warmup_fraction,
        options.min_points,
    ));
    let window = window(timeline, &series);
    let mut notes = Vec::new();
    if window.snapshots > 0 && !window.timestamps {
        notes.push(format!(
            "snapshots have no timestamps: assumed one every {:.0} s; rates are estimates and confidence is halved",
            options.assumed_interval_s
        ));
    }
    let min_needed = options.min_points + 1;
    if window.snapshots < min_needed && timeline.gc_events.len() < min_needed {
        notes.push(format!(
            "only {} snapshot(s): at least {min_needed} over several minutes are needed to judge growth",
            window.snapshots
        ));
    }
    if timeline.gc_events.is_empty() {
        notes.push("no GC events: heap growth is judged from NMT committed memory only (a heap that is already committed, e.g. -Xms = -Xmx, hides a heap leak); add --gc-log".into());
    }

    let suspects = find_suspects(&series, options);
    let mut growth: Vec<SeriesGrowth> = series
        .iter()
        .filter(|s| s.metric == Metric::Committed)
        .cloned()
        .collect();
    growth.sort_by(|a, b| b.trend.growth().total_cmp(&a.trend.growth()));
    let budget = budget(timeline, &suspects, options.limit_bytes);
    let hints = suspects
        .iter()
        .flat_map(|s| hints_for(s, timeline, budget.as_ref()))
        .collect();
    Diagnosis {
        suspects,
        budget,
        hints,
        window,
        notes,
        growth,
    }
}

fn window(timeline: &Timeline, series: &[SeriesGrowth]) -> Window {
    let snapshots = timeline.snapshots.iter().filter(|s| s.complete).count();
    let timestamps = snapshots > 0
        && timeline
            .snapshots
            .iter()
            .filter(|s| s.complete)
            .all(|s| s.timestamp.is_some());
    let span_min = super::growth::snapshot_times(
        &timeline
            .snapshots
            .iter()
            .filter(|s| s.complete)
            .collect::<Vec<_>>(),
        DiagnoseOptions::default().assumed_interval_s,
    )
    .0
    .last()
    .copied()
    .unwrap_or(0.0);
    let span_min = if span_min > 0.0 {
        span_min
    } else {
        series.iter().map(|s| s.trend.span_min).fold(0.0, f64::max)
    };
    Window {
        snapshots,
        gc_events: timeline.gc_events.len(),
        span_min,
        timestamps,
    }
}

/// True when a series' growth counts as growth.
pub(crate) fn qualifies(s: &SeriesGrowth, options: &DiagnoseOptions, strict: bool) -> bool {
    let t = &s.trend;
    let growth = t.growth();
    let (min_abs, min_tau) = match (s.metric, strict) {
        (Metric::ClassCount, _) => (100.0, options.min_tau),
        (Metric::ThreadCount, _) => (8.0, options.min_tau),
        (_, true) => (options.min_growth_bytes.max((32u64 << 20) as f64), 0.9),
        (_, false) => (options.min_growth_bytes, options.min_tau),
    };
    t.points >= options.min_points
        && t.slope_per_min > 0.0
        && t.tau >= min_tau
        && growth >= min_abs
        && growth >= options.min_relative_growth * t.start_value.abs()
        && t.late_slope_per_min >= 0.25 * t.slope_per_min
        && t.largest_step_share <= 0.8
}

/// Confidence of one series: consistency × points × span, halved without timestamps.
fn series_confidence(s: &SeriesGrowth, options: &DiagnoseOptions) -> f64 {
    let t = &s.trend;
    let consistency = ((t.tau - 0.5) / 0.4).clamp(0.0, 1.0);
    let points = 1.0 - (-(t.points as f64) / 10.0).exp();
    let span = t.span_min / (t.span_min + 1.0);
    let clock = match s.time {
        SeriesTime::Measured => 1.0,
        SeriesTime::Assumed { .. } => 0.5,
    };
    let _ = options;
    consistency * points * span * clock
}

/// The source family of a series, for corroboration: NMT bytes, NMT counts, GC log.
fn family(metric: Metric) -> u8 {
    if metric.is_gc() {
        2
    } else if metric.is_count() {
        1
    } else {
        0
    }
}

fn of<'a>(
    series: &'a [SeriesGrowth],
    name: &'a str,
) -> impl Iterator<Item = &'a SeriesGrowth> + 'a {
    series.iter().filter(move |s| s.category == name)
}

fn find_suspects(series: &[SeriesGrowth], options: &DiagnoseOptions) -> Vec<Suspect> {
    let mut claimed: Vec<String> = NEVER_A_CAUSE.iter().map(|s| s.to_string()).collect();
    let mut suspects = Vec::new();

    // Known groups first, then every other category on its own.
    let mut groups: Vec<(SuspectKind, Vec<&str>, Vec<&str>)> = GROUPS
        .iter()
        .map(|g| (g.kind, g.members.to_vec(), g.consequences.to_vec()))
        .collect();
    let mut seen: Vec<&str> = GROUPS
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .collect();
    for s in series {
        if !seen.contains(&s.category.as_str()) {
            seen.push(&s.category);
            groups.push((SuspectKind::Native, vec![s.category.as_str()], vec![]));
        }
    }

    for (kind, members, consequences) in groups {
        let members: Vec<&str> = members
            .into_iter()
            .filter(|m| !claimed.iter().any(|c| c == m))
            .collect();
        let evidence: Vec<&SeriesGrowth> = members
            .iter()
            .flat_map(|m| of(series, m))
            .filter(|s| qualifies(s, options, NOISY.contains(&s.category.as_str())))
            .collect();
        if evidence.is_empty() {
            continue;
        }
        let best = evidence
            .iter()
            .map(|s| series_confidence(s, options))
            .fold(0.0, f64::max);
        let best_family = evidence
            .iter()
            .max_by(|a, b| series_confidence(a, options).total_cmp(&series_confidence(b, options)))
            .map(|s| family(s.metric));
        let mut families: Vec<u8> = evidence.iter().map(|s| family(s.metric)).collect();
        families.sort_unstable();
        families.dedup();
        let corroborating = families.iter().filter(|f| Some(**f) != best_family).count();
        let mut confidence = best;
        for _ in 0..corroborating {
            confidence += 0.25 * (1.0 - confidence);
        }
        let confidence = confidence.min(0.99);
        if confidence < options.min_confidence {
            continue;
        }

        // Rate: committed growth of the grown members; else the strongest GC/count byte series.
        let committed: Vec<&SeriesGrowth> = evidence
            .iter()
            .copied()
            .filter(|s| s.metric == Metric::Committed)
            .collect();
        let grown_members: Vec<&str> = members
            .iter()
            .copied()
            .filter(|m| evidence.iter().any(|s| s.category == *m))
            .collect();
        let (rate, growth) = if committed.is_empty() {
            evidence
                .iter()
                .filter(|s| !s.metric.is_count())
                .map(|s| (s.trend.slope_per_min, s.trend.growth()))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap_or((0.0, 0.0))
        } else {
            committed.iter().fold((0.0, 0.0), |acc, s| {
                (acc.0 + s.trend.slope_per_min, acc.1 + s.trend.growth())
            })
        };

        let mut categories: Vec<String> = grown_members.iter().map(|s| s.to_string()).collect();
        let mut table: Vec<SeriesGrowth> = evidence.iter().map(|s| (*s).clone()).collect();
        let mut followers = Vec::new();
        let mut follower_names = Vec::new();
        for c in consequences.iter().chain(NEVER_A_CAUSE) {
            if claimed.iter().any(|x| x == c) && !NEVER_A_CAUSE.contains(c) {
                continue;
            }
            if let Some(s) = of(series, c).find(|s| {
                s.metric == Metric::Committed
                    && s.trend.slope_per_min > 0.0
                    && s.trend.tau >= options.min_tau
            }) {
                followers.push(format!("{c} {}", format_delta(s.trend.growth() as i64)));
                table.push(s.clone());
                if !NEVER_A_CAUSE.contains(c) {
                    follower_names.push(c.to_string());
                }
                claimed.push(c.to_string());
            }
        }
        claimed.extend(members.iter().map(|m| m.to_string()));
        if categories.is_empty() {
            categories = members.iter().take(1).map(|s| s.to_string()).collect();
        }
        let category = categories.first().cloned().unwrap_or_default();
        let evidence_text = describe(kind, &evidence, &followers, confidence);
        suspects.push(Suspect {
            category,
            kind,
            categories,
            followers: follower_names,
            rate_bytes_per_min: rate,
            growth_bytes: growth as i64,
            confidence,
            evidence: evidence_text,
            series: table,
        });
    }
    suspects.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(b.rate_bytes_per_min.total_cmp(&a.rate_bytes_per_min))
    });
    suspects
}

fn amount(metric: Metric, v: f64) -> String {
    if metric.is_count() {
        format!("{v:+.0}")
    } else {
        format_delta(v as i64)
    }
}

fn describe(
    kind: SuspectKind,
    evidence: &[&SeriesGrowth],
    followers: &[String],
    confidence: f64,
) -> String {
    let mut parts: Vec<String> = evidence
        .iter()
        .map(|s| {
            let t = &s.trend;
            let rate = if s.metric.is_count() {
                format!("{:+.1}/min", t.slope_per_min)
            } else {
                format_rate_per_min(t.slope_per_min)
            };
            let start = if s.metric.is_count() {
                format!("{:.0}", t.start_value)
            } else {
                format_bytes(t.start_value.max(0.0) as u64)
            };
            format!(
                "{} {} {} from {start} over {:.1} min ({rate}, {} points, Mann-Kendall tau {:.2})",
                s.category,
                s.metric.label(),
                amount(s.metric, t.growth()),
                t.span_min,
                t.points,
                t.tau
            )
        })
        .collect();
    if !followers.is_empty() {
        parts.push(format!("growing along with it: {}", followers.join(", ")));
    }
    if kind == SuspectKind::ClassMetadata
        && evidence.iter().any(|s| s.category == "Class")
        && evidence.iter().any(|s| s.category == "Metaspace")
    {
        parts.push("Class and Metaspace are reported separately by this JDK; they grow from one cause and are counted as one suspect".into());
    }
    if evidence
        .iter()
        .all(|s| matches!(s.time, SeriesTime::Assumed { .. }))
    {
        parts.push("no timestamps: rate assumes the snapshot spacing".into());
    }
    format!("{}; confidence {confidence:.2}.", parts.join("; "))
}

#[cfg(test)]
#[path = "diagnosis_tests.rs"]
mod tests;
