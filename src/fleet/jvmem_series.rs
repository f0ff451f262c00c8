//! jvmem's own series (what `jvmem serve` exposes) → one [`Timeline`] per JVM: NMT
//! committed/reserved per category and the totals, RSS, the cgroup and the limit, and the GC
//! collection counters with the `jvm_gc_last_*` figures for the GC series.

use std::collections::BTreeMap;

use super::Series;
use super::build::{JvmSamples, millis};
use crate::model::Timeline;
use crate::num::u64_from_f64;
use crate::report::openmetrics::LastFigures;

/// The series `jvmem serve` writes that a timeline is rebuilt from.
pub const SERIES: &[&str] = &[
    "jvm_nmt_committed_bytes",
    "jvm_nmt_reserved_bytes",
    "jvm_nmt_total_committed_bytes",
    "jvm_nmt_total_reserved_bytes",
    "jvm_process_resident_memory_bytes",
    "jvm_cgroup_memory_usage_bytes",
    "jvm_cgroup_memory_limit_bytes",
    "jvm_gc_collections_total",
    "jvm_gc_last_heap_before_bytes",
    "jvm_gc_last_heap_after_bytes",
    "jvm_gc_last_heap_capacity_bytes",
    "jvm_gc_last_old_after_bytes",
    "jvm_gc_last_metaspace_after_bytes",
];

/// Labels that tell series of one JVM apart rather than JVMs apart.
const PER_SERIES: &[&str] = &["__name__", "category", "collector", "kind"];

/// One JVM's identity: its labels but the per-series ones, `k="v"` joined by commas.
pub fn jvm_key(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .filter(|(k, _)| !PER_SERIES.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}=\"{v}\""))
        .collect::<Vec<_>>()
        .join(",")
}

/// The figure a `jvm_gc_last_*` series sets.
fn last_field<'a>(name: &str, l: &'a mut LastFigures) -> Option<&'a mut Option<u64>> {
    Some(match name {
        "jvm_gc_last_heap_before_bytes" => &mut l.heap_before_bytes,
        "jvm_gc_last_heap_after_bytes" => &mut l.heap_after_bytes,
        "jvm_gc_last_heap_capacity_bytes" => &mut l.heap_capacity_bytes,
        "jvm_gc_last_old_after_bytes" => &mut l.old_after_bytes,
        "jvm_gc_last_metaspace_after_bytes" => &mut l.metaspace_after_bytes,
        _ => return None,
    })
}

/// One timeline per JVM (by [`jvm_key`]), in key order.
pub fn timelines(series: &[Series]) -> Vec<(String, Timeline)> {
    let mut jvms: BTreeMap<String, JvmSamples> = BTreeMap::new();
    for s in series {
        let name = s.labels.get("__name__").map(String::as_str).unwrap_or("");
        let jvm = jvms.entry(jvm_key(&s.labels)).or_default();
        let label = |k: &str| s.labels.get(k).cloned().unwrap_or_default();
        let category = label("category");
        let gc_key = (label("collector"), label("kind"));
        for &(t, v) in &s.points {
            if !v.is_finite() || v < 0.0 {
                continue;
            }
            let bytes = u64_from_f64(v.round());
            if name == "jvm_gc_collections_total" || name.starts_with("jvm_gc_last_") {
                let sample = jvm
                    .gc
                    .entry(gc_key.clone())
                    .or_default()
                    .entry(millis(t))
                    .or_default();
                if name == "jvm_gc_collections_total" {
                    sample.collections = Some(v);
                } else if let Some(field) = last_field(name, &mut sample.last) {
                    *field = Some(bytes);
                }
                continue;
            }
            let p = jvm.at(t);
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
                    p.total.get_or_insert_with(Default::default).committed_bytes = bytes
                }
                "jvm_nmt_total_reserved_bytes" => {
                    p.total.get_or_insert_with(Default::default).reserved_bytes = bytes
                }
                "jvm_process_resident_memory_bytes" => p.rss = Some(bytes),
                "jvm_cgroup_memory_usage_bytes" => p.cgroup_usage = Some(bytes),
                "jvm_cgroup_memory_limit_bytes" => p.limit = Some(bytes),
                _ => {}
            }
        }
    }
    jvms.into_iter()
        .map(|(key, jvm)| {
            let timeline = jvm.timeline(&key);
            (key, timeline)
        })
        .collect()
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
        assert_eq!(t.snapshots.get(1).unwrap().committed("Other"), 20);
        assert_eq!(
            t.snapshots
                .first()
                .unwrap()
                .category("Other")
                .map(|c| c.usage.reserved_bytes),
            Some(11)
        );
        // Without a total series, the total is the categories' sum.
        assert_eq!(t.snapshots.get(1).unwrap().total.committed_bytes, 120);
        assert_eq!(t.limit_bytes, Some(1000));
        assert_eq!(
            t.snapshots
                .first()
                .unwrap()
                .timestamp
                .map(|t| t.timestamp()),
            Some(1_764_000_000)
        );
    }
}
