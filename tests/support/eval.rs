//! The diagnosis evaluation (verdicts against recordings whose truth is known), shared by
//! `tests/eval_set.rs` (the short recordings), `examples/eval.rs` (every recording, the
//! tables in docs/diagnosis.md) and `tests/diagnosis_scenarios.rs` (the old scenarios).
//!
//! A recording is a directory with `nmt.log`, `gc.log` and `expected.txt` (`part=tune|held`,
//! `expected=heap,direct,…|none`, and for a real container kill `limit_mib=`; `kill.txt` then
//! holds the kernel's verdict). The old 90-second scenarios (samples/scenarios/) have no
//! `expected.txt`: their expectation is read from their name.

// Compiled into tests/eval_set.rs, tests/diagnosis_scenarios.rs and examples/eval.rs, which
// each use part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset};
use jvmem::analysis::{DiagnoseOptions, Diagnosis, SuspectKind, diagnose};
use jvmem::model::Timeline;

/// One recording and what it must give.
#[derive(Debug, Clone)]
pub struct Recording {
    pub dir: PathBuf,
    pub name: String,
    pub part: String,
    pub expected: Vec<SuspectKind>,
    pub limit_bytes: Option<u64>,
    /// Seconds from the first snapshot to the kernel's OOM kill (kill runs only).
    pub killed_after_s: Option<f64>,
}

pub fn kind_of(word: &str) -> Option<SuspectKind> {
    Some(match word {
        "heap" => SuspectKind::Heap,
        "direct" => SuspectKind::DirectMemory,
        "class" => SuspectKind::ClassMetadata,
        "threads" => SuspectKind::Threads,
        _ => return None,
    })
}

pub fn word_of(k: SuspectKind) -> &'static str {
    match k {
        SuspectKind::Heap => "heap",
        SuspectKind::DirectMemory => "direct",
        SuspectKind::ClassMetadata => "class",
        SuspectKind::Threads => "threads",
        SuspectKind::CodeCache => "code",
        SuspectKind::GcStructures => "gc",
        SuspectKind::Symbols => "symbols",
        SuspectKind::Native => "native",
    }
}

fn key_values(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The old scenarios' mode from their name (`heap-leak-jdk17-g1` → `heap-leak`).
pub fn mode_of(name: &str) -> &str {
    name.split("-jdk").next().unwrap_or_default()
}

/// What an old scenario of each mode must name (tests/diagnosis_scenarios.rs checks the same
/// recordings one by one); a steady control, nothing.
pub fn expected_of_mode(mode: &str) -> Vec<SuspectKind> {
    match mode {
        "direct-leak" => vec![SuspectKind::DirectMemory],
        "class-leak" => vec![SuspectKind::ClassMetadata],
        "thread-leak" => vec![SuspectKind::Threads],
        "heap-leak" => vec![SuspectKind::Heap],
        "demo" => vec![
            SuspectKind::Heap,
            SuspectKind::DirectMemory,
            SuspectKind::ClassMetadata,
        ],
        _ => vec![],
    }
}

fn timestamp_of(line: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(line.trim()).ok()
}

/// `(time, RSS bytes)` from rss.log (`TIMESTAMP KB`, `?` once the process is gone).
fn rss_samples(dir: &Path) -> Vec<(DateTime<FixedOffset>, Option<u64>)> {
    std::fs::read_to_string(dir.join("rss.log"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (ts, kb) = l.split_once(' ')?;
            Some((
                timestamp_of(ts)?,
                kb.trim().parse::<u64>().ok().map(|k| k * 1024),
            ))
        })
        .collect()
}

/// When the kernel killed the JVM: `killed_at` (watched every 0.2 s) when recorded, else
/// the middle between the last RSS sample and the first one that found no process.
fn kill_time(dir: &Path, kill: &BTreeMap<String, String>) -> Option<DateTime<FixedOffset>> {
    if let Some(t) = kill.get("killed_at").and_then(|v| timestamp_of(v)) {
        return Some(t);
    }
    kill.get("ended")?;
    let rss = rss_samples(dir);
    let alive: Vec<DateTime<FixedOffset>> = rss
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(t, _)| *t)
        .collect();
    let last = *alive.last()?;
    // The first sample that found no process, else one interval after the last one.
    let after = rss
        .iter()
        .find(|(t, v)| v.is_none() && *t > last)
        .map(|(t, _)| *t)
        .or_else(|| Some(last + (last - *alive.get(alive.len().checked_sub(2)?)?)))?;
    Some(last + (after - last) / 2)
}

/// Every recording under `root` (directories holding an `nmt.log`), sorted by name.
pub fn recordings(root: &Path) -> Vec<Recording> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("nmt.log").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let kv = key_values(&dir.join("expected.txt"));
            let expected = match kv.get("expected") {
                Some(e) => e.split(',').filter_map(kind_of).collect(),
                None => expected_of_mode(mode_of(&name)),
            };
            let kill = key_values(&dir.join("kill.txt"));
            let killed_after_s = kill_time(&dir, &kill).and_then(|end| {
                let first = std::fs::read_to_string(dir.join("nmt.log"))
                    .ok()?
                    .lines()
                    .find_map(timestamp_of)?;
                Some((end - first).num_milliseconds() as f64 / 1e3)
            });
            Recording {
                part: kv.get("part").cloned().unwrap_or_else(|| "old".into()),
                limit_bytes: kill
                    .get("limit_bytes")
                    .and_then(|v| v.parse().ok())
                    .or_else(|| {
                        kv.get("limit_mib")
                            .and_then(|v| v.parse::<u64>().ok())
                            .map(|m| m << 20)
                    }),
                expected,
                killed_after_s,
                name,
                dir,
            }
        })
        .collect()
}

/// The recording's timeline (NMT snapshots, GC log).
pub fn load(r: &Recording) -> Timeline {
    let mut paths = vec![r.dir.join("nmt.log").to_string_lossy().into_owned()];
    if r.dir.join("gc.log").is_file() {
        paths.push(r.dir.join("gc.log").to_string_lossy().into_owned());
    }
    let mut t = jvmem::input::load(&paths);
    t.sort_gc_events();
    // RSS as a live session would have sampled it (the kernel kills on resident memory).
    for (ts, rss) in rss_samples(&r.dir) {
        if let Some(rss) = rss {
            t.process.push(jvmem::model::ProcessSample {
                timestamp: ts,
                rss_bytes: Some(rss),
                cgroup_usage_bytes: None,
                cgroup_limit_bytes: None,
            });
        }
    }
    t
}

/// First and last snapshot times.
pub fn span(t: &Timeline) -> Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    let first = t.snapshots.iter().find_map(|s| s.timestamp)?;
    let last = t.snapshots.iter().rev().find_map(|s| s.timestamp)?;
    Some((first, last))
}

/// The timeline as it was `fraction` of the way through the recording: snapshots and GC
/// events up to that moment (what `jvmem report` would have seen then).
pub fn prefix(t: &Timeline, fraction: f64) -> Timeline {
    let Some((first, last)) = span(t) else {
        return t.clone();
    };
    let cut = first
        + Duration::milliseconds(jvmem::num::i64_from_f64(
            (last - first).num_milliseconds() as f64 * fraction,
        ));
    Timeline {
        snapshots: t
            .snapshots
            .iter()
            .filter(|s| s.timestamp.is_some_and(|ts| ts <= cut))
            .map(|s| s.to_snapshot())
            .collect(),
        gc_events: t
            .gc_events
            .iter()
            .filter(|e| e.timestamp.is_none_or(|ts| ts <= cut))
            .collect(),
        process: t
            .process
            .iter()
            .filter(|p| p.timestamp <= cut)
            .cloned()
            .collect(),
        ..Timeline::default()
    }
}

/// The options the evaluation runs with: the defaults, the recording's limit (else 1 GiB).
pub fn options(r: &Recording) -> DiagnoseOptions {
    DiagnoseOptions {
        limit_bytes: Some(r.limit_bytes.unwrap_or(1 << 30)),
        ..DiagnoseOptions::default()
    }
}

/// The leak kinds the diagnosis names with at least the default `--min-confidence` (what a
/// soak test fails on; unsure suspects are listed apart), sorted and deduplicated.
pub fn named(d: &Diagnosis) -> Vec<SuspectKind> {
    let mut k: Vec<SuspectKind> = d
        .failing(jvmem::analysis::diagnosis::DEFAULT_MIN_CONFIDENCE)
        .map(|s| s.kind)
        .collect();
    k.sort_by_key(|k| word_of(*k));
    k.dedup();
    k
}

/// Expected kinds, sorted like [`named`].
pub fn wanted(r: &Recording) -> Vec<SuspectKind> {
    let mut k = r.expected.clone();
    k.sort_by_key(|k| word_of(*k));
    k
}

/// The result of one recording.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub part: String,
    pub expected: Vec<SuspectKind>,
    pub named: Vec<SuspectKind>,
    /// What the first half alone names.
    pub first_half: Vec<SuspectKind>,
    /// Seconds into the recording at which every expected leak was first named (checked at
    /// each tenth of the recording), `None` when never (or nothing expected).
    pub first_detection_s: Option<f64>,
    pub span_s: f64,
    /// Ranked suspects as "kind rate conf".
    pub ranked: Vec<String>,
    /// Kill runs: (fraction, predicted kill time s, real kill time s).
    pub kill_predictions: Vec<(f64, Option<f64>, f64)>,
}

impl Outcome {
    pub fn exact(&self) -> bool {
        self.named == self.expected
    }
    pub fn true_positives(&self) -> usize {
        self.named
            .iter()
            .filter(|k| self.expected.contains(k))
            .count()
    }
    pub fn false_positives(&self) -> usize {
        self.named.len() - self.true_positives()
    }
    pub fn false_negatives(&self) -> usize {
        self.expected.len() - self.true_positives()
    }
}

/// Evaluates one recording: the whole window, the first half, the time to first detection,
/// and for a kill run the predicted kill from the first quarter, half and three quarters.
pub fn evaluate(r: &Recording, detection_steps: usize) -> Outcome {
    // GC events after the last snapshot (the JVM's last seconds after recording stopped) are
    // not what `report` would have seen at the last snapshot.
    let t = prefix(&load(r), 1.0);
    let opts = options(r);
    let d = diagnose(&t, &opts);
    let span_s = span(&t).map_or(0.0, |(a, b)| (b - a).num_milliseconds() as f64 / 1e3);
    let first_half = named(&diagnose(&prefix(&t, 0.5), &opts));
    let expected = wanted(r);
    let mut first_detection_s = None;
    if !expected.is_empty() {
        for step in 1..=detection_steps {
            let f = step as f64 / detection_steps as f64;
            let n = named(&diagnose(&prefix(&t, f), &opts));
            if expected.iter().all(|k| n.contains(k)) {
                first_detection_s = Some(f * span_s);
                break;
            }
        }
    }
    let mut kill_predictions = Vec::new();
    if let Some(killed) = r.killed_after_s {
        for f in [0.25, 0.5, 0.75] {
            let p = prefix(&t, f);
            let dp = diagnose(&p, &opts);
            let at = span(&p).map_or(0.0, |(a, b)| (b - a).num_milliseconds() as f64 / 1e3);
            let predicted = dp
                .budget
                .as_ref()
                .and_then(|b| b.minutes_to_limit)
                .map(|m| at + m * 60.0);
            kill_predictions.push((f, predicted, killed));
        }
    }
    Outcome {
        name: r.name.clone(),
        part: r.part.clone(),
        named: named(&d),
        ranked: d
            .suspects
            .iter()
            .map(|s| {
                format!(
                    "{}{} {:+.1} MiB/min ({:.2})",
                    if s.confidence < jvmem::analysis::diagnosis::DEFAULT_MIN_CONFIDENCE {
                        "unsure "
                    } else {
                        ""
                    },
                    word_of(s.kind),
                    s.rate_bytes_per_min / (1u64 << 20) as f64,
                    s.confidence
                )
            })
            .collect(),
        expected,
        first_half,
        first_detection_s,
        span_s,
        kill_predictions,
    }
}

fn words(k: &[SuspectKind]) -> String {
    if k.is_empty() {
        "none".into()
    } else {
        k.iter().map(|k| word_of(*k)).collect::<Vec<_>>().join(",")
    }
}

/// Markdown table of outcomes and a summary line (precision, recall, exact scenarios).
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| recording | span | expected | named (ranked: rate, confidence) | first half | first detection | ok |\n|---|---|---|---|---|---|---|\n",
    );
    let (mut tp, mut fp, mut fneg, mut exact, mut early) = (0, 0, 0, 0, 0);
    let mut leaky = 0;
    for o in outcomes {
        tp += o.true_positives();
        fp += o.false_positives();
        fneg += o.false_negatives();
        exact += usize::from(o.exact());
        if !o.expected.is_empty() {
            leaky += 1;
            early += usize::from(o.expected.iter().all(|k| o.first_half.contains(k)));
        }
        out.push_str(&format!(
            "| {} | {:.0} s | {} | {} | {} | {} | {} |\n",
            o.name,
            o.span_s,
            words(&o.expected),
            if o.ranked.is_empty() {
                "none".into()
            } else {
                o.ranked.join("; ")
            },
            words(&o.first_half),
            o.first_detection_s.map_or("–".into(), |s| format!(
                "{s:.0} s ({:.0}%)",
                100.0 * s / o.span_s.max(1.0)
            )),
            if o.exact() { "yes" } else { "**no**" }
        ));
    }
    let precision = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        1.0
    };
    let recall = if tp + fneg > 0 {
        tp as f64 / (tp + fneg) as f64
    } else {
        1.0
    };
    out.push_str(&format!(
        "\n{} recordings: {exact} exactly right; precision {:.2} ({tp} of {} named leaks are real), recall {:.2} ({tp} of {} leaks named); early warning (every leak named from the first half) in {early} of {leaky} leaking recordings.\n",
        outcomes.len(),
        precision,
        tp + fp,
        recall,
        tp + fneg
    ));
    out
}

/// Markdown table of the kill predictions.
pub fn kill_table(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| recording | from | predicted kill | real kill | error |\n|---|---|---|---|---|\n",
    );
    for o in outcomes {
        for (f, predicted, real) in &o.kill_predictions {
            let (p, err) = match predicted {
                Some(p) => (
                    format!("{p:.0} s"),
                    format!("{:+.0}%", 100.0 * (p - real) / real),
                ),
                None => ("none".into(), "–".into()),
            };
            out.push_str(&format!(
                "| {} | first {:.0}% | {p} | {real:.0} s | {err} |\n",
                o.name,
                f * 100.0
            ));
        }
    }
    out
}

/// Debug: the suspects of a prefix.
pub fn debug_prefix(r: &Recording, f: f64) -> String {
    let t = prefix(&load(r), f);
    let d = diagnose(&t, &options(r));
    let mut out = String::new();
    for s in &d.suspects {
        out.push_str(&format!(
            "{} {:.1} MiB/min conf {:.2} window {:.2}\n",
            s.category,
            s.rate_bytes_per_min / 1048576.0,
            s.confidence,
            s.window_min
        ));
    }
    if let Some(b) = &d.budget {
        out.push_str(&format!(
            "used {} {} MiB headroom {} MiB rate {:.1} minutes {:?}\n",
            b.used_source,
            b.used_bytes >> 20,
            b.headroom_bytes >> 20,
            b.growth_rate_bytes_per_min / 1048576.0,
            b.minutes_to_limit
        ));
    }
    out
}
