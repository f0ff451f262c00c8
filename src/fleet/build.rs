//! The one place a JVM's Prometheus samples become a [`Timeline`], whichever exporter wrote
//! them: [`JvmSamples`] holds them by timestamp (a scrape's samples share one, and a range
//! query's steps are the same for every series), [`JvmSamples::timeline`] makes one snapshot
//! per timestamp, process samples for RSS / the cgroup and the limit, and the GC events
//! [`gc_series`] rebuilds.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use super::gc_series::{self, GcSamples};
use crate::model::{Category, ProcessSample, Scale, Snapshot, SnapshotKind, Timeline, Usage};
use crate::num::i64_from_f64;

/// Unix seconds → the timestamp jvmem's model carries.
pub fn time(seconds: f64) -> Option<DateTime<FixedOffset>> {
    let millis = i64_from_f64((seconds * 1000.0).round());
    Utc.timestamp_millis_opt(millis)
        .single()
        .map(|t| t.fixed_offset())
}

/// Milliseconds, the key samples of one scrape share.
pub fn millis(seconds: f64) -> i64 {
    i64_from_f64((seconds * 1000.0).round())
}

/// One scrape's figures of one JVM.
#[derive(Debug, Default, Clone)]
pub struct Point {
    pub categories: BTreeMap<String, Usage>,
    /// NMT's own total, when the exporter writes one; else the categories' sum.
    pub total: Option<Usage>,
    pub rss: Option<u64>,
    pub cgroup_usage: Option<u64>,
    pub limit: Option<u64>,
}

/// Everything read for one JVM, by millisecond timestamp.
#[derive(Debug, Default)]
pub struct JvmSamples {
    pub points: BTreeMap<i64, Point>,
    pub gc: GcSamples,
}

impl JvmSamples {
    /// The scrape at `seconds`.
    pub fn at(&mut self, seconds: f64) -> &mut Point {
        self.points.entry(millis(seconds)).or_default()
    }

    /// The timeline of these samples; `key` names its snapshots' source.
    pub fn timeline(self, key: &str) -> Timeline {
        let source: Arc<str> = Arc::from(key);
        let mut timeline = Timeline::default();
        for (i, (ms, p)) in self.points.into_iter().enumerate() {
            let Some(timestamp) = time(ms as f64 / 1000.0) else {
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
            let total = p.total.unwrap_or_else(|| Usage {
                committed_bytes: p.categories.values().map(|u| u.committed_bytes).sum(),
                reserved_bytes: p.categories.values().map(|u| u.reserved_bytes).sum(),
                ..Usage::default()
            });
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
        timeline.gc_events = gc_series::events(&source, self.gc).into();
        timeline
    }
}
