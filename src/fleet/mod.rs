//! `jvmem fleet`: every JVM that `jvmem serve` exposes to a Prometheus, diagnosed the same way
//! as one JVM. Range queries of jvmem's own series ([`prometheus`]) become one [`Timeline`]
//! per JVM ([`timelines`]): a snapshot per scrape with the categories' committed/reserved,
//! process samples for RSS and the limit, GC events rebuilt from the collection counters and
//! last-collection gauges ([`gc_series`]). [`rank`] runs [`diagnose`] on each and orders them
//! by minutes to the first failure ([`Budget::first_failure`](crate::analysis::budget::Budget::first_failure):
//! the OOM kill at the limit, or the heap full at `-Xmx`, whichever comes first). Without jvmem's series, Micrometer's, cAdvisor's and
//! kube-state-metrics' are mapped onto the same categories ([`standard`]); [`fetch()`] decides
//! which are asked.

mod build;
pub mod fetch;
pub mod gc_series;
pub mod jvmem_series;
pub mod markdown;
pub mod names;
pub mod prometheus;
pub mod standard;
#[cfg(test)]
mod standard_tests;

use serde::Serialize;

use crate::analysis::budget_failure::Failure;
use crate::analysis::diagnosis::{DEFAULT_MIN_CONFIDENCE, DiagnoseOptions, Diagnosis, diagnose};
use crate::model::Timeline;
use crate::model::units::{format_bytes, format_rate_per_min};

pub use fetch::{Exporter, Fetched, ReadProgress, Window, fetch, fetch_with};
pub use jvmem_series::{SERIES, jvm_key, timelines};
pub use prometheus::{Client, FleetError, Series, parse_matrix};
pub use standard::PodLabels;

/// A fleet as read once: which exporter's series, the queries asked, the ranked rows and the
/// timelines they were judged on (what the dashboard opens a JVM on).
#[derive(Debug)]
pub struct Fleet {
    pub exporter: Exporter,
    pub queries: Vec<String>,
    pub rows: Vec<FleetRow>,
    /// One timeline per JVM, in key order.
    pub jvms: Vec<(String, Timeline)>,
}

impl Fleet {
    /// No JVM yet: what the fleet view holds until its first read.
    pub fn empty() -> Fleet {
        Fleet {
            exporter: Exporter::Jvmem,
            queries: Vec::new(),
            rows: Vec::new(),
            jvms: Vec::new(),
        }
    }

    /// Micrometer's series without a pod label: no container working set or limit could be
    /// joined to them (`--pod-labels` names the labels a scrape config gives them).
    pub fn without_pods(&self) -> bool {
        self.exporter == Exporter::Standard
            && self.jvms.iter().all(|(key, _)| !key.contains("pod=\""))
    }

    /// The timeline of the JVM with this key.
    pub fn timeline(&self, jvm: &str) -> Option<&Timeline> {
        self.jvms
            .binary_search_by(|(k, _)| k.as_str().cmp(jvm))
            .ok()
            .map(|i| &self.jvms[i].1)
    }
}

/// Reads the fleet within `selector` and ranks it: what every `jvmem fleet` output shows.
pub fn read(
    client: &Client,
    selector: &str,
    window: Window,
    names: &PodLabels,
    options: &DiagnoseOptions,
) -> Result<Fleet, FleetError> {
    read_with(client, selector, window, names, options, &mut |_| {})
}

/// [`read`], reporting how far it has come: after each request, then after each JVM judged.
pub fn read_with(
    client: &Client,
    selector: &str,
    window: Window,
    names: &PodLabels,
    options: &DiagnoseOptions,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<Fleet, FleetError> {
    let mut last = ReadProgress::default();
    let fetched = fetch_with(client, selector, window, names, &mut |p| {
        last = p;
        progress(p);
    })?;
    let mut jvms = fetched.jvms;
    jvms.sort_by(|a, b| a.0.cmp(&b.0));
    last.jvms = jvms.len();
    let rows = rank_with(&jvms, options, &mut |judged| {
        last.judged = judged;
        progress(last);
    });
    Ok(Fleet {
        exporter: fetched.exporter,
        queries: fetched.queries,
        rows,
        jvms,
    })
}

/// One line of the fleet table.
#[derive(Debug, Clone, Serialize)]
pub struct FleetRow {
    /// The JVM's labels (`namespace="prod",pod="…"`).
    pub jvm: String,
    pub limit_bytes: Option<u64>,
    /// RSS (else the container's working set) when known, else NMT committed, at the end.
    pub usage_bytes: Option<u64>,
    pub top_suspect: Option<String>,
    pub rate_bytes_per_min: Option<f64>,
    pub confidence: Option<f64>,
    /// The top suspect's confidence reaches [`DEFAULT_MIN_CONFIDENCE`]: `jvmem report` says
    /// "(not sure)" of the others, and a JVM with only unsure suspects counts as clean.
    pub sure: bool,
    /// Minutes until the container limit (the budget's): `None` for a heap leak inside a
    /// fully committed heap, which never reaches it.
    pub minutes_to_limit: Option<f64>,
    /// Minutes until the JVM fails, however it fails: the earlier of `minutes_to_limit` and
    /// the heap's exhaustion. What the fleet is ranked by and its tables call "minutes left".
    pub minutes_left: Option<f64>,
    /// How it fails then: `oom_kill` (the limit) or `heap_oom` (`OutOfMemoryError: Java heap
    /// space`); `None` with `minutes_left`.
    pub failure: Option<Failure>,
    pub snapshots: usize,
    #[serde(skip)]
    pub diagnosis: Diagnosis,
}

impl FleetRow {
    /// The top suspect as the tables show it: `-` for none, a trailing `?` for one that
    /// `jvmem report` calls "(not sure)".
    pub fn top_suspect_text(&self) -> String {
        match (&self.top_suspect, self.sure) {
            (None, _) => "-".to_string(),
            (Some(s), true) => s.clone(),
            (Some(s), false) => format!("{s}?"),
        }
    }

    /// The row's cells in column order (JVM, limit, usage, top suspect, rate, minutes left,
    /// fails by, confidence, snapshots) as every table writes them, before padding or
    /// escaping: `-` for an unknown value, minutes as [`minutes_text`], confidence to two
    /// places.
    pub fn cells(&self) -> [String; 9] {
        let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
        [
            self.jvm.clone(),
            or_dash(self.limit_bytes.map(format_bytes)),
            or_dash(self.usage_bytes.map(format_bytes)),
            self.top_suspect_text(),
            or_dash(self.rate_bytes_per_min.map(format_rate_per_min)),
            minutes_text(self.minutes_left),
            or_dash(self.failure.map(|f| f.text().to_string())),
            or_dash(self.confidence.map(|c| format!("{c:.2}"))),
            self.snapshots.to_string(),
        ]
    }
}

/// Minutes left as every table writes them: `8.5`, `290`, `<0.1`, `now`, `>99999`, `-` when
/// nothing fails.
pub fn minutes_text(minutes: Option<f64>) -> String {
    match minutes {
        None => "-".into(),
        Some(m) if m <= 0.0 => "now".into(),
        Some(m) if m < 0.1 => "<0.1".into(),
        Some(m) if m < 10.0 => format!("{m:.1}"),
        Some(m) if m < 99_999.5 => format!("{m:.0}"),
        Some(_) => ">99999".into(),
    }
}

/// Diagnoses every JVM; rows with a time to their first failure first (soonest first), then
/// those with sure suspects, then unsure ones (each fastest first), then the clean ones.
pub fn rank(jvms: &[(String, Timeline)], options: &DiagnoseOptions) -> Vec<FleetRow> {
    rank_with(jvms, options, &mut |_| {})
}

/// [`rank`], calling `judged` with the number of JVMs diagnosed after each.
pub fn rank_with(
    jvms: &[(String, Timeline)],
    options: &DiagnoseOptions,
    judged: &mut dyn FnMut(usize),
) -> Vec<FleetRow> {
    let mut rows: Vec<FleetRow> = jvms
        .iter()
        .enumerate()
        .map(|(i, (key, timeline))| {
            let d = diagnose(
                timeline,
                &DiagnoseOptions {
                    limit_bytes: options.limit_bytes.or(timeline.limit_bytes),
                    ..options.clone()
                },
            );
            let top = d.suspects.first();
            let first = d.budget.as_ref().and_then(|b| b.first_failure());
            let usage = timeline
                .process
                .iter()
                .rev()
                .find_map(|p| p.rss_bytes.or(p.cgroup_usage_bytes))
                .or_else(|| timeline.snapshots.last().map(|s| s.total.committed_bytes));
            judged(i + 1);
            FleetRow {
                jvm: key.clone(),
                limit_bytes: options.limit_bytes.or(timeline.limit_bytes),
                usage_bytes: usage,
                top_suspect: top.map(|s| s.categories.join(" + ")),
                rate_bytes_per_min: top.map(|s| s.rate_bytes_per_min),
                confidence: top.map(|s| s.confidence),
                sure: top.is_some_and(|s| s.confidence >= DEFAULT_MIN_CONFIDENCE),
                minutes_to_limit: d.budget.as_ref().and_then(|b| b.minutes_to_limit),
                minutes_left: first.map(|f| f.minutes),
                failure: first.map(|f| f.failure),
                snapshots: timeline.snapshots.len(),
                diagnosis: d,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &FleetRow| {
            (
                r.minutes_left.unwrap_or(f64::INFINITY),
                (!r.sure, r.top_suspect.is_none()),
                -r.rate_bytes_per_min.unwrap_or(0.0),
            )
        };
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0)
            .then(ka.1.cmp(&kb.1))
            .then(ka.2.total_cmp(&kb.2))
            .then(a.jvm.cmp(&b.jvm))
    });
    rows
}
