//! `jvmem fleet`: every JVM that `jvmem serve` exposes to a Prometheus, diagnosed the same way
//! as one JVM. Range queries of jvmem's own series ([`prometheus`]) become one [`Timeline`]
//! per JVM ([`timelines`]): a snapshot per scrape with the categories' committed/reserved,
//! process samples for RSS and the limit. [`rank`] runs [`diagnose`] on each and orders them
//! by minutes to the limit.
//!
//! Not yet: Micrometer / cAdvisor / kube-state-metrics series for JVMs without `jvmem serve`.

pub mod prometheus;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use serde::Serialize;

use crate::analysis::diagnosis::{DiagnoseOptions, Diagnosis, diagnose};
use crate::model::{Category, ProcessSample, Scale, Snapshot, SnapshotKind, Timeline, Usage};

use crate::num::{i64_from_f64, u64_from_f64};
pub use prometheus::{FleetError, Series, parse_matrix};

/// The series `jvmem serve` writes that a timeline is rebuilt from.
pub const SERIES: &[&str] = &[
    "jvm_nmt_committed_bytes",
    "jvm_nmt_reserved_bytes",
    "jvm_nmt_total_committed_bytes",
    "jvm_nmt_total_reserved_bytes",
    "jvm_process_resident_memory_bytes",
    "jvm_cgroup_memory_usage_bytes",
    "jvm_cgroup_memory_limit_bytes",
];

/// Labels that tell series of one JVM apart rather than JVMs apart.
const PER_SERIES: &[&str] = &["__name__", "category"];

/// One JVM's identity: its labels but the per-series ones, `k="v"` joined by commas.
pub fn jvm_key(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .filter(|(k, _)| !PER_SERIES.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}=\"{v}\""))
        .collect::<Vec<_>>()
        .join(",")
}

fn time(seconds: f64) -> Option<DateTime<FixedOffset>> {
    let millis = i64_from_f64((seconds * 1000.0).round());
    Utc.timestamp_millis_opt(millis)
        .single()
        .map(|t| t.fixed_offset())
}

#[derive(Default)]
struct Point {
    categories: BTreeMap<String, Usage>,
    total: Usage,
    has_total: bool,
    rss: Option<u64>,
    cgroup_usage: Option<u64>,
    limit: Option<u64>,
}

/// One timeline per JVM (by [`jvm_key`]), in key order. A scrape's samples share a timestamp
/// (Prometheus stamps every sample of a scrape with the scrape time; a range query's steps
/// are the same for every series), so each step is one snapshot.
pub fn timelines(series: &[Series]) -> Vec<(String, Timeline)> {
    let mut jvms: BTreeMap<String, BTreeMap<i64, Point>> = BTreeMap::new();
    for s in series {
        let name = s.labels.get("__name__").map(String::as_str).unwrap_or("");
        let points = jvms.entry(jvm_key(&s.labels)).or_default();
        let category = s.labels.get("category").cloned().unwrap_or_default();
        for &(t, v) in &s.points {
            if !v.is_finite() || v < 0.0 {
                continue;
            }
            let p = points
                .entry(i64_from_f64((t * 1000.0).round()))
                .or_default();
            let bytes = u64_from_f64(v.round());
            match name {
                "jvm_nmt_committed_bytes" => {
                    p.categories
                        .entry(category.clone())
                        .or_default()
                        .committed_bytes = bytes
                }
                "jvm_nmt_reserved_bytes" => {
                    p.categories
                        .entry(category.clone())
                        .or_default()
                        .reserved_bytes = bytes
                }
                "jvm_nmt_total_committed_bytes" => {
                    p.total.committed_bytes = bytes;
                    p.has_total = true;
                }
                "jvm_nmt_total_reserved_bytes" => p.total.reserved_bytes = bytes,
                "jvm_process_resident_memory_bytes" => p.rss = Some(bytes),
                "jvm_cgroup_memory_usage_bytes" => p.cgroup_usage = Some(bytes),
                "jvm_cgroup_memory_limit_bytes" => p.limit = Some(bytes),
                _ => {}
            }
        }
    }
    jvms.into_iter()
        .map(|(key, points)| {
            let source: Arc<str> = Arc::from(key.as_str());
            let mut timeline = Timeline::default();
            for (i, (millis, p)) in points.into_iter().enumerate() {
                let Some(timestamp) = time(millis as f64 / 1000.0) else {
                    continue;
                };
                if p.limit.is_some() || p.rss.is_some() || p.cgroup_usage.is_some() {
                    timeline.process.push(ProcessSample {
                        timestamp,
                        rss_bytes: p.rss,
                        cgroup_usage_bytes: p.cgroup_usage,
                        cgroup_limit_bytes: p.limit,
                    });
                    if p.limit.is_some() {
                        timeline.limit_bytes = p.limit;
                    }
                }
                if p.categories.is_empty() {
                    continue;
                }
                let mut total = p.total;
                if !p.has_total {
                    total.committed_bytes = p.categories.values().map(|u| u.committed_bytes).sum();
                    total.reserved_bytes = p.categories.values().map(|u| u.reserved_bytes).sum();
                }
                timeline.snapshots.push(Snapshot {
                    source: Arc::clone(&source),
                    line: i as u64 + 1,
                    timestamp: Some(timestamp),
                    pid: None,
                    jvm_version: None,
                    kind: SnapshotKind::Summary,
                    scale: Scale::default(),
                    total,
                    categories: p
                        .categories
                        .into_iter()
                        .map(|(name, usage)| Category {
                            name: Arc::from(name.as_str()),
                            usage,
                        })
                        .collect(),
                    complete: true,
                });
            }
            (key, timeline)
        })
        .collect()
}

/// One line of the fleet table.
#[derive(Debug, Clone, Serialize)]
pub struct FleetRow {
    /// The JVM's labels (`namespace="prod",pod="…"`).
    pub jvm: String,
    pub limit_bytes: Option<u64>,
    /// RSS when known, else NMT committed, at the end of the range.
    pub usage_bytes: Option<u64>,
    pub top_suspect: Option<String>,
    pub rate_bytes_per_min: Option<f64>,
    pub confidence: Option<f64>,
    pub minutes_to_limit: Option<f64>,
    pub snapshots: usize,
    #[serde(skip)]
    pub diagnosis: Diagnosis,
}

/// Diagnoses every JVM; rows with a time to the limit first (soonest first), then those with
/// suspects (fastest first), then the clean ones.
pub fn rank(jvms: &[(String, Timeline)], options: &DiagnoseOptions) -> Vec<FleetRow> {
    let mut rows: Vec<FleetRow> = jvms
        .iter()
        .map(|(key, timeline)| {
            let d = diagnose(
                timeline,
                &DiagnoseOptions {
                    limit_bytes: options.limit_bytes.or(timeline.limit_bytes),
                    ..options.clone()
                },
            );
            let top = d.suspects.first();
            let usage = timeline
                .process
                .iter()
                .rev()
                .find_map(|p| p.rss_bytes)
                .or_else(|| timeline.snapshots.last().map(|s| s.total.committed_bytes));
            FleetRow {
                jvm: key.clone(),
                limit_bytes: options.limit_bytes.or(timeline.limit_bytes),
                usage_bytes: usage,
                top_suspect: top.map(|s| s.categories.join(" + ")),
                rate_bytes_per_min: top.map(|s| s.rate_bytes_per_min),
                confidence: top.map(|s| s.confidence),
                minutes_to_limit: d.budget.as_ref().and_then(|b| b.minutes_to_limit),
                snapshots: timeline.snapshots.len(),
                diagnosis: d,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &FleetRow| {
            (
                r.minutes_to_limit.unwrap_or(f64::INFINITY),
                r.top_suspect.is_none(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, category: Option<&str>, points: &[(f64, f64)]) -> Series {
        let mut labels = BTreeMap::from([
            ("__name__".to_string(), name.to_string()),
            ("pod".to_string(), "a".to_string()),
        ]);
        if let Some(c) = category {
            labels.insert("category".into(), c.into());
        }
        Series {
            labels,
            points: points.to_vec(),
        }
    }

    #[test]
    fn one_snapshot_per_timestamp_and_one_timeline_per_jvm() {
        let t0 = 1_764_000_000.0;
        let all = vec![
            series(
                "jvm_nmt_committed_bytes",
                Some("Other"),
                &[(t0, 10.0), (t0 + 15.0, 20.0)],
            ),
            series(
                "jvm_nmt_committed_bytes",
                Some("Java Heap"),
                &[(t0, 100.0), (t0 + 15.0, 100.0)],
            ),
            series("jvm_nmt_reserved_bytes", Some("Other"), &[(t0, 11.0)]),
            series(
                "jvm_cgroup_memory_limit_bytes",
                None,
                &[(t0 + 15.0, 1000.0)],
            ),
        ];
        let jvms = timelines(&all);
        assert_eq!(jvms.len(), 1);
        let (key, t) = &jvms[0];
        assert_eq!(key, r#"pod="a""#);
        assert_eq!(t.snapshots.len(), 2);
        assert_eq!(t.snapshots[1].committed("Other"), 20);
        assert_eq!(
            t.snapshots[0]
                .category("Other")
                .map(|c| c.usage.reserved_bytes),
            Some(11)
        );
        // Without a total series, the total is the categories' sum.
        assert_eq!(t.snapshots[1].total.committed_bytes, 120);
        assert_eq!(t.limit_bytes, Some(1000));
        assert_eq!(
            t.snapshots[0].timestamp.map(|t| t.timestamp()),
            Some(1_764_000_000)
        );
    }
}
