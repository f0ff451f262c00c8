//! Leak diagnosis: which memory keeps growing, how fast, how sure we are — from a whole
//! [`Timeline`] (NMT snapshots and GC events) to a plain-data [`Diagnosis`] that the report
//! renderers and the dashboard both read.
//!
//! Growth is judged per *group* of related NMT categories, so one cause is one suspect: a
//! class-loader leak grows `Class` and `Metaspace` (and, as consequences, `Module`, `Symbol`);
//! a growing heap drags `GC` structures along. See `docs/diagnosis.md` for every threshold and why.

use serde::Serialize;

use super::budget::{Budget, budget};
use super::growth::{Metric, SeriesGrowth, gc_growth, nmt_growth};
use super::hints::{Hint, hints_for};
use crate::model::Timeline;
use crate::model::categories::{self, names};
use crate::model::units::{format_delta, format_minutes, format_rate_per_min};

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

/// Default of `--min-confidence`: a straight-line rise over half a minute (13 snapshots) scores
/// about 0.38, so it fails a CI soak test; one barely above its noise does not (see
/// docs/diagnosis.md, "Confidence").
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.25;

/// The most a suspect can score when its growth may still be garbage (the old generation
/// after young pauses with no old-generation collection in the window): below the default
/// `--min-confidence`, so it is reported as unsure and does not fail a soak test by default.
pub const UNSURE_CONFIDENCE: f64 = 0.2;

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
    /// Least Mann–Kendall tau for a series to count as growing (consistency, not length).
    pub min_tau: f64,
    /// `--fail-on-growth` fails only on suspects at least this confident (`--min-confidence`).
    /// Suspects below it are still reported: confidence qualifies a finding, it never hides one.
    pub min_confidence: f64,
    /// Largest Mann–Kendall one-sided p-value for growth to count as significant.
    pub max_p_value: f64,
    /// Least growth over the window, in units of the series' own residual noise.
    pub min_signal_to_noise: f64,
    /// Windows shorter than this (minutes) cannot rule out a warm-up; findings say so.
    pub short_window_min: f64,
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
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            max_p_value: 0.02,
            min_signal_to_noise: 4.0,
            short_window_min: 3.0,
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
    /// Minutes the judged window covers (the longest evidence series).
    pub window_min: f64,
    /// True when that window is too short to rule out a warm-up.
    pub short_window: bool,
    /// Minutes until the container limit at this suspect's rate alone, when a limit is known
    /// and this growth adds to the container's footprint.
    pub minutes_to_limit: Option<f64>,
}

impl Suspect {
    /// The rate and the window's growth as people read them: bytes, or — for a suspect named
    /// from a count alone (classes, threads: committed bytes flat at a coarse `scale=MB`) —
    /// the count (`+190.4 classes/min`), never "+0 B/min".
    pub fn rate_text(&self) -> (String, String) {
        let count = self
            .series
            .iter()
            .find(|s| s.metric.is_count() && s.trend.slope_per_min > 0.0);
        match count {
            Some(c) if self.growth_bytes <= 0 => (
                format!(
                    "{:+.1} {}/min",
                    c.trend.slope_per_min,
                    c.metric.count_unit()
                ),
                format!("{:+.0} {}", c.trend.growth(), c.metric.count_unit()),
            ),
            _ => (
                format_rate_per_min(self.rate_bytes_per_min),
                format_delta(self.growth_bytes),
            ),
        }
    }

    /// One line for lists and the dashboard's status bar.
    pub fn headline(&self) -> String {
        let (rate, growth) = self.rate_text();
        format!(
            "{} grows {rate} ({growth} in the window), confidence {:.2}: {}",
            self.categories.join(" + "),
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

impl Window {
    /// `31 snapshots, 57 GC events over 1.5 min`: what every report says was analysed.
    pub fn summary(&self) -> String {
        format!(
            "{} snapshots, {} GC events over {}",
            self.snapshots,
            self.gc_events,
            format_minutes(self.span_min)
        )
    }
}

/// The answer: suspects ranked by their contribution to the container's growth (bytes/min,
/// biggest first; confidence beside it), the container budget, and hints.
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
    /// Growth that is not a leak: e.g. the heap sizing up (committed grows, the GC log shows
    /// no growth after GC). Said, not hidden.
    pub not_leaks: Vec<String>,
}

impl Diagnosis {
    /// The suspects `--fail-on-growth` fails on: those at least `min_confidence` sure.
    pub fn failing<'a>(&'a self, min_confidence: f64) -> impl Iterator<Item = &'a Suspect> + 'a {
        self.suspects
            .iter()
            .filter(move |s| s.confidence >= min_confidence)
    }
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

/// The snapshots of the last JVM when the input holds several (a `<pid>:` header that
/// changes): one judgement per JVM, never a series joined across restarts.
fn last_jvm(timeline: &Timeline) -> Option<(Timeline, String)> {
    let pids: Vec<u32> = timeline.snapshots.iter().filter_map(|s| s.pid).collect();
    let last = *pids.last()?;
    if pids.iter().all(|&p| p == last) {
        return None;
    }
    let start = timeline
        .snapshots
        .iter()
        .rposition(|s| s.pid.is_some_and(|p| p != last))
        .map_or(0, |i| i + 1);
    let mut distinct: Vec<u32> = Vec::new();
    for p in pids {
        if !distinct.contains(&p) {
            distinct.push(p);
        }
    }
    let kept = timeline.snapshots.len() - start;
    let note = format!(
        "the input holds snapshots of {} JVMs (pid {}): only the last one, pid {last} ({kept} snapshot(s)), is judged; the others are a different series",
        distinct.len(),
        distinct
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut one = Timeline {
        snapshots: timeline.snapshots.slice(start..timeline.snapshots.len()),
        ..Timeline::default()
    };
    one.gc_events = timeline.gc_events.clone();
    one.process = timeline.process.clone();
    one.limit_bytes = timeline.limit_bytes;
    Some((one, note))
}

/// Reads the whole timeline and names what keeps growing.
pub fn diagnose(timeline: &Timeline, options: &DiagnoseOptions) -> Diagnosis {
    if let Some((one, note)) = last_jvm(timeline) {
        let mut d = diagnose(&one, options);
        d.notes.insert(0, note);
        return d;
    }
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
        notes.push("no GC events: heap growth is judged from NMT committed memory only (a heap that is already committed, e.g. -Xms = -Xmx, hides a heap leak; committed growth may be the heap sizing up); add --gc-log".into());
    }

    let direct = timeline
        .snapshots
        .iter()
        .rev()
        .find(|s| s.complete)
        .map_or(names::OTHER, categories::direct_category);
    let Findings {
        mut suspects,
        not_leaks,
    } = find_suspects(&series, options, direct);
    let mut growth: Vec<SeriesGrowth> = series
        .iter()
        .filter(|s| s.metric == Metric::Committed)
        .cloned()
        .collect();
    growth.sort_by(|a, b| b.trend.growth().total_cmp(&a.trend.growth()));
    // The time to the limit counts what is sure to grow: an unsure suspect (growth that may
    // be garbage) is said, not projected.
    let sure: Vec<Suspect> = suspects
        .iter()
        .filter(|s| s.confidence >= DEFAULT_MIN_CONFIDENCE.min(options.min_confidence))
        .cloned()
        .collect();
    let budget = budget(timeline, &sure, options.limit_bytes);
    if let Some(b) = &budget {
        for s in suspects
            .iter_mut()
            .filter(|s| sure.iter().any(|k| k.category == s.category))
        {
            s.minutes_to_limit = suspect_minutes_to_limit(s, b);
            if let Some(m) = s.minutes_to_limit {
                s.evidence = format!(
                    "{} At this rate alone the limit is reached in {}.",
                    s.evidence,
                    format_minutes(m)
                );
            }
        }
    }
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
        not_leaks,
    }
}

/// Headroom over this suspect's rate; a heap leak inside a fully committed heap never adds to
/// the container's footprint (it ends in OutOfMemoryError instead).
fn suspect_minutes_to_limit(s: &Suspect, b: &Budget) -> Option<f64> {
    if s.rate_bytes_per_min <= 0.0 {
        return None;
    }
    if s.kind == SuspectKind::Heap
        && b.heap_exhaustion
            .as_ref()
            .is_some_and(|h| h.fully_committed)
    {
        return None;
    }
    Some((b.headroom_bytes.max(0) as f64) / s.rate_bytes_per_min)
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
            .map(|s| s.timestamp)
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

pub(crate) use super::suspects::qualifies;
pub use super::suspects::{Findings, find_suspects};

#[cfg(test)]
#[path = "diagnosis_tests.rs"]
mod tests;
