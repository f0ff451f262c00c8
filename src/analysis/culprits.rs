//! From category to culprit: which classes, class loader types, thread groups and native call
//! sites grow across drill-down captures, each attached to the category suspect it explains.
//!
//! Every row name of a kind (a class, a loader type…) becomes a series over that kind's
//! captures (a row missing from a capture is 0 there: a histogram lists every class with a
//! live instance, NMT omits sites under its unit). The series is judged exactly as the category
//! diagnosis judges its series — warm-up trimmed, the [`trend`](super::trend) statistics, and
//! [`qualifies`](super::diagnosis) with its thresholds: bytes as committed memory (≥ 1 MiB and ≥ 5 %
//! of the start, tau ≥ 0.6, no single step), loader and hidden-class counts as class counts
//! (≥ 100), thread groups as thread counts (≥ 8). Nothing is named from a steady series.
//!
//! Decisions:
//! - NMT call sites are culprits only for native categories (`Other`, `Internal`, `Symbol`…).
//!   The `Java Heap`, `Class`/`Metaspace` and `Thread` sites are the JVM's own reservation code
//!   (heap expansion, metaspace nodes, stacks) and name nothing: those categories' culprits are
//!   classes, loader types and thread groups. `Native Memory Tracking` is never a cause (as in
//!   the diagnosis); `Arena Chunk` and `Compiler` are judged with the strict thresholds.
//! - `VM.metaspace` gives totals per space type: a category-level figure, shown by `diff`, not a
//!   culprit.
//! - The likely *holder* of a growing heap class is a class whose instance count grows at the
//!   same rate (count slopes within ±25 %), classes outside the JDK first (a JDK array or
//!   `String` grows with anything): one `ThumbnailCache$Entry` per `int[]`.

use serde::Serialize;

use super::diagnosis::{DiagnoseOptions, Diagnosis, qualifies};
use super::growth::{Metric, SeriesGrowth, SeriesTime};
use super::trend::{Trend, trend, trim_warmup};
use crate::model::categories::names;
use crate::model::{DrillCapture, DrillKind, Timeline};
use crate::num::{difference, u64_from_f64};

/// One thing that grows inside a category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Culprit {
    /// The NMT category this explains: `Java Heap`, `Class`, `Thread`, `Other`…
    pub category: String,
    /// The jcmd command it was read from.
    pub source: &'static str,
    #[serde(skip)]
    pub kind: DrillKind,
    /// Class name, loader type, thread group (`job-runner-%d`) or call-site stack.
    pub name: String,
    pub first_bytes: u64,
    pub last_bytes: u64,
    pub growth_bytes: i64,
    pub first_count: u64,
    pub last_count: u64,
    pub growth_count: i64,
    /// Bytes per minute (Theil–Sen), or threads per minute for thread groups.
    pub rate_per_min: f64,
    /// `bytes` or what the count counts (`threads`).
    pub rate_unit: &'static str,
    /// The category of the diagnosis's suspect this explains, when there is one.
    pub explains_suspect: Option<String>,
    /// Heap classes: the class whose instances grow at the same rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// A word for people: a thread group's top frame, classes per loader…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The trend that qualified (bytes, or the count for counted kinds).
    #[serde(skip)]
    pub trend: Trend,
}

impl Culprit {
    /// One line: `[I grows 9.4 MiB/min (+27 MiB, 1,100 → 2,900 instances); held by …`.
    pub fn headline(&self) -> String {
        use crate::model::units::{format_delta, format_rate_per_min};
        let noun = self.kind.count_noun();
        let mut line = if self.kind.has_bytes() {
            format!(
                "{} {} grows {} ({}, {} {noun}: {} → {})",
                self.kind.row_noun(),
                self.name,
                format_rate_per_min(self.rate_per_min),
                format_delta(self.growth_bytes),
                signed(self.growth_count),
                self.first_count,
                self.last_count
            )
        } else {
            format!(
                "{} {} grows {:.1} {noun}/min ({} {noun}: {} → {})",
                self.kind.row_noun(),
                self.name,
                self.rate_per_min,
                signed(self.growth_count),
                self.first_count,
                self.last_count
            )
        };
        if let Some(h) = &self.holder {
            line.push_str(&format!("; one {h} per instance — check who keeps {h}"));
        }
        if let Some(n) = &self.note {
            line.push_str(&format!("; {n}"));
        }
        line
    }
}

fn signed(n: i64) -> String {
    if n >= 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// The categories a kind's rows are charged to (a call site: its own category).
/// The first is the one named; a suspect of any of them is explained. A call site's direct
/// memory category is its own (`Internal` on JDK 8, `Other` on 9+: NMT charges it so).
fn categories_of(kind: DrillKind, site_category: Option<&str>) -> Vec<String> {
    match kind {
        DrillKind::ClassHistogram => vec![names::JAVA_HEAP.into()],
        DrillKind::ClassLoaderStats | DrillKind::Metaspace => {
            vec![names::CLASS.into(), names::METASPACE.into()]
        }
        DrillKind::ThreadDump => vec![names::THREAD.into(), names::THREAD_STACK.into()],
        DrillKind::NmtDetail => vec![site_category.unwrap_or("?").to_string()],
    }
}

/// Call-site categories that are not culprits (see the module's decisions).
const NOT_A_SITE_CULPRIT: &[&str] = &[
    names::JAVA_HEAP,
    names::CLASS,
    names::METASPACE,
    names::THREAD,
    names::THREAD_STACK,
    "Native Memory Tracking",
];
/// Judged with the diagnosis's strict thresholds (JIT arenas swing by megabytes).
const NOISY: &[&str] = &["Arena Chunk", "Compiler"];

/// The captures of one kind judged together: those of the JVM (pid) of the last one.
fn captures_of(timeline: &Timeline, kind: DrillKind) -> Vec<&DrillCapture> {
    let all: Vec<&DrillCapture> = timeline.drills.iter().filter(|c| c.kind == kind).collect();
    let last_pid = all.last().and_then(|c| c.pid);
    all.into_iter()
        .filter(|c| last_pid.is_none() || c.pid.is_none() || c.pid == last_pid)
        .collect()
}

/// Minutes since the first capture, or index × the assumed interval when any lacks a time.
fn times(captures: &[&DrillCapture], assumed_interval_s: f64) -> (Vec<f64>, SeriesTime) {
    let first = captures.first().and_then(|c| c.timestamp);
    let measured: Option<Vec<f64>> = captures
        .iter()
        .map(|c| Some((c.timestamp? - first?).num_milliseconds() as f64 / 60_000.0))
        .collect();
    match measured {
        Some(t) if t.last().is_some_and(|&l| l > 0.0) => (t, SeriesTime::Measured),
        _ => (
            (0..captures.len())
                .map(|i| i as f64 * assumed_interval_s / 60.0)
                .collect(),
            SeriesTime::Assumed {
                interval_s: assumed_interval_s,
            },
        ),
    }
}

/// Row values of one name over the captures (0 where the row is missing).
struct RowSeries<'a> {
    name: &'a str,
    bytes: Vec<(f64, f64)>,
    counts: Vec<(f64, f64)>,
    site_category: Option<&'a str>,
    note: Option<&'a str>,
    last_classes: Option<u64>,
}

fn row_series<'a>(captures: &[&'a DrillCapture], t: &[f64]) -> Vec<RowSeries<'a>> {
    let mut names: Vec<&'a str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in captures {
        for r in &c.rows {
            if seen.insert(&*r.name) {
                names.push(&r.name);
            }
        }
    }
    let indexes: Vec<std::collections::HashMap<&str, usize>> = captures
        .iter()
        .map(|c| {
            c.rows
                .iter()
                .enumerate()
                .map(|(i, r)| (&*r.name, i))
                .collect()
        })
        .collect();
    names
        .into_iter()
        .map(|name| {
            let mut s = RowSeries {
                name,
                bytes: Vec::with_capacity(captures.len()),
                counts: Vec::with_capacity(captures.len()),
                site_category: None,
                note: None,
                last_classes: None,
            };
            for ((c, index), &time) in captures.iter().zip(&indexes).zip(t) {
                let row = index.get(name).and_then(|&i| c.rows.get(i));
                s.bytes.push((time, row.map_or(0, |r| r.bytes) as f64));
                s.counts.push((time, row.map_or(0, |r| r.count) as f64));
                if let Some(r) = row {
                    s.site_category = r.category.as_deref().or(s.site_category);
                    s.note = r.note.as_deref().or(s.note);
                    s.last_classes = r.classes;
                }
            }
            s
        })
        .collect()
}

/// The trend of a series judged as `metric` of `category`, when it qualifies as growth.
fn growing(
    points: &[(f64, f64)],
    metric: Metric,
    category: &str,
    time: SeriesTime,
    options: &DiagnoseOptions,
) -> Option<Trend> {
    let window = trim_warmup(points, options.warmup_fraction, options.min_points);
    let s = SeriesGrowth {
        category: category.to_string(),
        metric,
        time,
        trend: trend(window)?,
    };
    // A culprit explains a category the diagnosis already judged, from fewer points (drill
    // captures are taken minutes apart): its own significance test asks p ≤ 0.05 instead of
    // the category's 0.01 (five perfectly rising points give p = 0.03). Every other test of
    // the category diagnosis (noise, size, plateau, step) applies unchanged.
    let relaxed = DiagnoseOptions {
        max_p_value: options.max_p_value.max(0.05),
        ..options.clone()
    };
    qualifies(&s, &relaxed, NOISY.contains(&category)).then_some(s.trend)
}

/// Every culprit in the timeline, largest byte growth first (then count growth), each attached
/// to the suspect of `diagnosis` it explains.
pub fn culprits(
    timeline: &Timeline,
    diagnosis: Option<&Diagnosis>,
    options: &DiagnoseOptions,
) -> Vec<Culprit> {
    let mut out = Vec::new();
    for kind in DrillKind::ALL {
        if kind == DrillKind::Metaspace {
            continue;
        }
        let captures = captures_of(timeline, kind);
        if captures.len() < options.min_points {
            continue;
        }
        let (t, time) = times(&captures, options.assumed_interval_s);
        let series = row_series(&captures, &t);
        let start = out.len();
        for s in &series {
            let categories = categories_of(kind, s.site_category);
            let category = categories[0].as_str();
            if kind == DrillKind::NmtDetail && NOT_A_SITE_CULPRIT.contains(&category) {
                continue;
            }
            let judged = match kind {
                DrillKind::ClassHistogram | DrillKind::NmtDetail => {
                    growing(&s.bytes, Metric::Committed, category, time, options)
                }
                DrillKind::ClassLoaderStats => {
                    growing(&s.counts, Metric::ClassCount, category, time, options)
                        .or_else(|| growing(&s.bytes, Metric::Committed, category, time, options))
                }
                DrillKind::ThreadDump => {
                    growing(&s.counts, Metric::ThreadCount, category, time, options)
                }
                DrillKind::Metaspace => None,
            };
            let Some(judged) = judged else { continue };
            out.push(culprit(kind, s, judged, &categories, diagnosis, options));
        }
        if kind == DrillKind::ClassHistogram {
            for c in &mut out[start..] {
                c.holder = holder(c, &series, options);
            }
        }
    }
    out.sort_by(|a, b| {
        b.growth_bytes
            .cmp(&a.growth_bytes)
            .then(b.growth_count.cmp(&a.growth_count))
    });
    out
}

fn culprit(
    kind: DrillKind,
    s: &RowSeries<'_>,
    judged: Trend,
    categories: &[String],
    diagnosis: Option<&Diagnosis>,
    options: &DiagnoseOptions,
) -> Culprit {
    let first = |v: &[(f64, f64)]| u64_from_f64(v.first().map_or(0.0, |p| p.1));
    let last = |v: &[(f64, f64)]| u64_from_f64(v.last().map_or(0.0, |p| p.1));
    let growth = |v: &[(f64, f64)]| difference(last(v), first(v));
    let rate_per_min = if kind.has_bytes() {
        trim_and_trend(&s.bytes, options).map_or(0.0, |t| t.slope_per_min)
    } else {
        judged.slope_per_min
    };
    let explains_suspect = diagnosis.and_then(|d| {
        categories
            .iter()
            .find_map(|c| d.suspect_for(c))
            .map(|s| s.category.clone())
    });
    let category = explains_suspect
        .clone()
        .filter(|c| categories.contains(c))
        .unwrap_or_else(|| categories[0].clone());
    let note = match kind {
        DrillKind::ThreadDump => s.note.map(|n| format!("most common top frame: {n}")),
        DrillKind::ClassLoaderStats => s.last_classes.map(|classes| {
            let loaders = last(&s.counts).max(1);
            format!(
                "{} loader(s) holding {classes} classes ({:.1} each)",
                last(&s.counts),
                classes as f64 / loaders as f64
            )
        }),
        _ => None,
    };
    Culprit {
        category,
        source: kind.command(),
        kind,
        name: s.name.to_string(),
        first_bytes: first(&s.bytes),
        last_bytes: last(&s.bytes),
        growth_bytes: growth(&s.bytes),
        first_count: first(&s.counts),
        last_count: last(&s.counts),
        growth_count: growth(&s.counts),
        rate_per_min,
        rate_unit: if kind.has_bytes() {
            "bytes"
        } else {
            kind.count_noun()
        },
        explains_suspect,
        holder: None,
        note,
        trend: judged,
    }
}

fn trim_and_trend(points: &[(f64, f64)], options: &DiagnoseOptions) -> Option<Trend> {
    trend(trim_warmup(
        points,
        options.warmup_fraction,
        options.min_points,
    ))
}

/// True for classes of the JDK (arrays, `java.*`, `jdk.*`, `sun.*`, named JDK modules).
fn is_jdk_class(name: &str, module: Option<&str>) -> bool {
    name.starts_with('[')
        || ["java.", "javax.", "jdk.", "sun.", "com.sun."]
            .iter()
            .any(|p| name.starts_with(p))
        || module.is_some_and(|m| m.starts_with("java.") || m.starts_with("jdk."))
}

/// The class whose instance count grows at the rate of `c`'s (see the module's decisions).
fn holder(c: &Culprit, series: &[RowSeries<'_>], options: &DiagnoseOptions) -> Option<String> {
    let own = series.iter().find(|s| s.name == c.name)?;
    let own_rate = trim_and_trend(&own.counts, options)?.slope_per_min;
    if own_rate <= 0.0 {
        return None;
    }
    let mut best: Option<(bool, f64, &str)> = None;
    for s in series.iter().filter(|s| s.name != c.name) {
        let Some(t) = trim_and_trend(&s.counts, options) else {
            continue;
        };
        let ratio = t.slope_per_min / own_rate;
        if t.tau < options.min_tau || !(0.8..=1.25).contains(&ratio) {
            continue;
        }
        let key = (is_jdk_class(s.name, s.note), (ratio.ln()).abs(), s.name);
        let better = match &best {
            None => true,
            Some(b) => (key.0, key.1) < (b.0, b.1),
        };
        if better {
            best = Some(key);
        }
    }
    best.map(|(_, _, name)| name.to_string())
}

/// The culprits that explain `category` (`Class` and `Metaspace` are one), for a detail view.
pub fn for_category<'a>(culprits: &'a [Culprit], category: &str) -> Vec<&'a Culprit> {
    let class_like = |c: &str| c == names::CLASS || c == names::METASPACE;
    culprits
        .iter()
        .filter(|c| {
            c.category == category
                || c.explains_suspect.as_deref() == Some(category)
                || (class_like(category) && class_like(&c.category))
        })
        .collect()
}

#[cfg(test)]
mod tests;
