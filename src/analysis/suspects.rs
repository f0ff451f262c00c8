//! Which series clearly grow, and the suspects they make: the significance tests a series
//! must pass (against its own noise), its confidence, the grouping of related categories into
//! one suspect, and the evidence sentence. [`super::diagnosis`] assembles the whole answer.

use super::diagnosis::*;
use super::growth::{Metric, SeriesGrowth, SeriesTime};
use crate::model::categories::names;
use crate::model::units::{format_bytes, format_delta, format_minutes, format_rate_per_min};
use crate::num::{i64_from_f64, u64_from_f64};

/// A group of categories that grow from one cause.
pub(crate) struct Group {
    kind: SuspectKind,
    members: &'static [&'static str],
    /// Categories that grow *because* a member grows: folded into the suspect, not named apart.
    consequences: &'static [&'static str],
}

pub(crate) const GROUPS: &[Group] = &[
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
        // Replaced by `categories::direct_category` of the judged JVM (see `find_suspects`).
        members: &[names::OTHER],
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
pub(crate) const NOISY: &[&str] = &["Arena Chunk", "Compiler"];
/// NMT's own bookkeeping grows with every malloc tracked: a consequence, never a cause.
pub(crate) const NEVER_A_CAUSE: &[&str] = &["Native Memory Tracking"];

/// True when a series clearly grows: significantly (Mann–Kendall p-value, the slope's
/// confidence interval above zero), far above its own noise, by a material amount, still
/// growing in the late half (not a plateau) and not in one step. Window length is not a
/// criterion: it lowers confidence instead.
pub(crate) fn qualifies(s: &SeriesGrowth, options: &DiagnoseOptions, strict: bool) -> bool {
    let t = &s.trend;
    let growth = t.growth();
    let (min_abs, min_snr) = match (s.metric, strict) {
        (Metric::ClassCount, _) => (100.0, options.min_signal_to_noise),
        (Metric::ThreadCount, _) => (8.0, options.min_signal_to_noise),
        (_, true) => (
            options.min_growth_bytes.max((32u64 << 20) as f64),
            2.0 * options.min_signal_to_noise,
        ),
        (_, false) => (options.min_growth_bytes, options.min_signal_to_noise),
    };
    t.points >= options.min_points
        && t.slope_per_min > 0.0
        && t.slope_low_per_min > 0.0
        && t.p_value <= options.max_p_value
        && t.tau >= min_tau(s.metric, options)
        && growth >= min_abs
        && growth >= options.min_relative_growth * t.start_value.abs()
        && t.signal_to_noise() >= min_snr
        && t.late_slope_per_min >= 0.25 * t.slope_per_min
        && t.largest_step_share <= 0.8
}

/// The least tau for a series: GC series after old-generation collections are a sawtooth
/// around the live set (G1 mixed phases reclaim a little more each pause), so a leak there
/// reaches tau 0.5-0.7 while being 6-30× above its noise and p < 0.001; their test is the
/// significance and the noise, and tau only has to say "mostly up".
fn min_tau(metric: Metric, options: &DiagnoseOptions) -> f64 {
    if metric.is_gc() {
        options.min_tau.min(0.4)
    } else {
        options.min_tau
    }
}

/// Confidence of one series, 0..1: how consistent or how far above its noise the growth is,
/// × how many points, × how long the window is (a short one cannot rule out a warm-up),
/// halved without timestamps. A GC series in which no collection reclaimed old memory is
/// worth less: garbage not yet collected rises the same way.
fn series_confidence(s: &SeriesGrowth, options: &DiagnoseOptions) -> f64 {
    let t = &s.trend;
    let consistency = ((t.tau - 0.5) / 0.4).clamp(0.0, 1.0);
    let clarity = (t.signal_to_noise() / (5.0 * options.min_signal_to_noise)).clamp(0.3, 1.0);
    let points = 1.0 - (-(t.points as f64) / 6.0).exp();
    let duration = 0.35 + 0.65 * t.span_min / (t.span_min + options.short_window_min);
    let clock = match s.time {
        SeriesTime::Measured => 1.0,
        SeriesTime::Assumed { .. } => 0.5,
    };
    let basis = match s.metric {
        Metric::OldAfterEveryGc => 0.7,
        _ => 1.0,
    };
    // Either a consistent rise (tau near 1) or one far above its noise is clear growth; a
    // noisy but long series (G1 mixed collections: tau 0.7, 10× its noise) is clear too.
    consistency.max(clarity) * points * duration * clock * basis
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

/// GC series that show the heap's live set, best first: the leak's own rate comes from them.
const HEAP_GC_METRICS: &[Metric] = &[
    Metric::OldAfterGcUntilSaturated,
    Metric::OldAfterFullOrMixedGc,
    Metric::OldAfterEveryGc,
    Metric::HeapAfterYoungGcFloor,
];

/// The heap's evidence: with a GC log, only the GC series judge it (committed growth alone is
/// the heap sizing up, reported in `not_leaks`); without one, NMT committed does, at lower
/// confidence. The old generation after every young pause, when no collection in the window
/// reclaimed old memory, cannot tell a leak from garbage not yet collected (on the steady
/// controls it rises 33–120 MiB/min between full GCs): it makes a suspect that is never sure
/// ([`UNSURE_CONFIDENCE`]), so it is said but does not fail `--fail-on-growth`.
/// Returns the evidence and the words for what was set aside.
fn heap_evidence<'a>(
    evidence: Vec<&'a SeriesGrowth>,
    series: &'a [SeriesGrowth],
) -> (Vec<&'a SeriesGrowth>, Vec<String>) {
    let mut words = Vec::new();
    let gc_seen = series
        .iter()
        .any(|s| s.category == "Java Heap" && HEAP_GC_METRICS.contains(&s.metric));
    let gc_grows = evidence.iter().any(|s| HEAP_GC_METRICS.contains(&s.metric));
    if !gc_seen || gc_grows {
        return (evidence, words);
    }
    if let Some(c) = evidence.iter().find(|s| s.metric == Metric::Committed) {
        let gc = series
            .iter()
            .find(|s| s.category == "Java Heap" && HEAP_GC_METRICS.contains(&s.metric));
        words.push(format!(
            "the heap is sizing up, not leaking: Java Heap committed {} ({}) over {} while {} does not show a growing live set{}",
            format_delta(i64_from_f64(c.trend.growth())),
            format_rate_per_min(c.trend.slope_per_min),
            format_minutes(c.trend.span_min),
            gc.map_or("the heap after GC", |g| g.metric.label()),
            gc.map(|g| format!(" ({})", format_rate_per_min(g.trend.slope_per_min)))
                .unwrap_or_default()
        ));
    }
    (Vec::new(), words)
}

/// What [`find_suspects`] makes of the series.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Biggest contributor first.
    pub suspects: Vec<Suspect>,
    /// Growth judged not to be a leak (the heap sizing up).
    pub not_leaks: Vec<String>,
}

/// The suspects (biggest contributor first) and growth that was judged not to be a leak.
pub fn find_suspects(
    series: &[SeriesGrowth],
    options: &DiagnoseOptions,
    direct_category: &str,
) -> Findings {
    let mut claimed: Vec<String> = NEVER_A_CAUSE.iter().map(|s| s.to_string()).collect();
    let mut suspects = Vec::new();
    let mut not_leaks = Vec::new();

    // Known groups first, then every other category on its own.
    // Direct buffers are `Other` on JDK 9+ and `Internal` on JDK 8 (model::categories): the
    // direct group takes the judged JVM's category, and no other group claims it.
    let mut groups: Vec<(SuspectKind, Vec<&str>, Vec<&str>)> = GROUPS
        .iter()
        .map(|g| {
            let members = if g.kind == SuspectKind::DirectMemory {
                vec![direct_category]
            } else {
                g.members.to_vec()
            };
            let consequences = g
                .consequences
                .iter()
                .copied()
                .filter(|c| *c != direct_category)
                .collect();
            (g.kind, members, consequences)
        })
        .collect();
    let mut seen: Vec<&str> = groups.iter().flat_map(|g| g.1.iter().copied()).collect();
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
        let (evidence, set_aside) = if kind == SuspectKind::Heap {
            heap_evidence(evidence, series)
        } else {
            (evidence, Vec::new())
        };
        let sizing = set_aside
            .iter()
            .any(|w| w.starts_with("the heap is sizing up"));
        not_leaks.extend(set_aside);
        if evidence.is_empty() {
            if sizing {
                // GC structures follow the committed heap: they size up with it.
                claimed.extend(consequences.iter().map(|c| c.to_string()));
            }
            continue;
        }
        let heap_gc: Option<&SeriesGrowth> = (kind == SuspectKind::Heap)
            .then(|| {
                HEAP_GC_METRICS
                    .iter()
                    .find_map(|m| evidence.iter().copied().find(|s| s.metric == *m))
            })
            .flatten();
        let no_gc_heap = kind == SuspectKind::Heap && heap_gc.is_none();
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
        if no_gc_heap {
            // Committed heap growth without a GC log: may be sizing, not a leak.
            confidence *= 0.6;
        }
        let unsure_heap = heap_gc.is_some_and(|g| g.metric == Metric::OldAfterEveryGc);
        if unsure_heap {
            confidence = confidence.min(UNSURE_CONFIDENCE);
        }
        let confidence = confidence.min(0.99);

        // Rate: the leak's own (live set after GC) for the heap when the GC log has it; else
        // committed growth of the grown members; else the strongest GC/count byte series.
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
        let (rate, growth) = if let Some(g) = heap_gc {
            (g.trend.slope_per_min, g.trend.growth())
        } else if committed.is_empty() {
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
        let window_min = evidence
            .iter()
            .map(|s| s.trend.span_min)
            .fold(0.0, f64::max);
        let short_window = window_min < options.short_window_min;

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
                followers.push(format!(
                    "{c} {}",
                    format_delta(i64_from_f64(s.trend.growth()))
                ));
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
        let mut evidence_text = describe(kind, &evidence, &followers, confidence);
        if short_window {
            evidence_text = format!(
                "growing {} over {:.0} s — too short to rule out a warm-up. {evidence_text}",
                format_rate_per_min(rate),
                window_min * 60.0
            );
        }
        if no_gc_heap {
            evidence_text.push_str(" No GC log: committed heap growth may be the heap sizing up; a GC log shows whether the live set grows.");
        }
        if heap_gc.is_some_and(|g| g.metric == Metric::OldAfterGcUntilSaturated) {
            evidence_text.push_str(" The old generation is now saturated: full collections run back to back and free almost nothing, so the heap is full of live data and the JVM is about to fail with OutOfMemoryError (Java heap space / GC overhead limit exceeded).");
        }
        if unsure_heap {
            evidence_text.push_str(" No collection in the window reclaimed old memory, so this may be garbage not yet collected (a steady JVM's old generation rises the same way until its next old-generation collection): not sure until one runs; `jcmd PID GC.run` or a longer window shows the live set.");
        }
        suspects.push(Suspect {
            category,
            kind,
            categories,
            followers: follower_names,
            rate_bytes_per_min: rate,
            growth_bytes: i64_from_f64(growth),
            confidence,
            evidence: evidence_text,
            series: table,
            window_min,
            short_window,
            minutes_to_limit: None,
        });
    }
    // Biggest contributor to the container's growth first among the sure ones (confidence at
    // least the default --min-confidence), then the unsure ones the same way; counts-only
    // suspects (rate 0) last in each, by confidence.
    suspects.sort_by(|a, b| {
        let sure = |s: &Suspect| s.confidence >= DEFAULT_MIN_CONFIDENCE;
        sure(b)
            .cmp(&sure(a))
            .then(b.rate_bytes_per_min.total_cmp(&a.rate_bytes_per_min))
            .then(b.confidence.total_cmp(&a.confidence))
    });
    Findings {
        suspects,
        not_leaks,
    }
}

fn format_p(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn amount(metric: Metric, v: f64) -> String {
    if metric.is_count() {
        format!("{v:+.0}")
    } else {
        format_delta(i64_from_f64(v))
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
                format_bytes(u64_from_f64(t.start_value))
            };
            format!(
                "{} {} {} from {start} over {} ({rate}, {} points, Mann-Kendall tau {:.2}, p {}, {:.0}× its noise)",
                s.category,
                s.metric.label(),
                amount(s.metric, t.growth()),
                format_minutes(t.span_min),
                t.points,
                t.tau,
                format_p(t.p_value),
                t.signal_to_noise().min(999.0)
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
