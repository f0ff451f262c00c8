//! The standard series of JVMs without `jvmem serve` → one [`Timeline`] per container, mapped
//! onto NMT's categories so that the same diagnosis runs:
//!
//! | series (exporter) | becomes |
//! |---|---|
//! | `jvm_memory_committed_bytes{area="heap"}` (Micrometer), else `jvm_memory_used_bytes` | `Java Heap` committed (the pools' sum) |
//! | `jvm_memory_max_bytes{area="heap"}` | `Java Heap` reserved, the maximum heap (`-Xmx`: the pools' sum, those at -1 left out) |
//! | `jvm_memory_*_bytes{id="Metaspace" \| "Compressed Class Space"}` | `Class` committed |
//! | `jvm_memory_*_bytes{id=~"CodeHeap.*" \| "Code Cache"}` | `Code` committed |
//! | `jvm_buffer_memory_used_bytes{id="direct"}` | `Other` committed (NMT counts direct buffers there, JDK 9+) |
//! | `jvm_threads_live_threads` | `Thread` thread count |
//! | `jvm_classes_loaded_classes` | `Class` class count |
//! | `jvm_gc_live_data_size_bytes` | old gen after a reclaiming collection, one GC event per change ([`gc_series`](super::gc_series)) |
//! | `container_memory_working_set_bytes` (cAdvisor) | cgroup usage |
//! | `kube_pod_container_resource_limits{resource="memory"}` (kube-state-metrics) | the limit |
//!
//! Committed rather than used for the pools: NMT's figures are committed memory, and a used
//! heap is a GC sawtooth that would make every steady JVM look like it grows; the heap's live
//! set comes from `jvm_gc_live_data_size_bytes` instead (Micrometer's JvmGcMetrics sets it to
//! the old pool after a collection that shrank it or an old-generation collection).
//!
//! The maximum heap goes where NMT has it, `Java Heap` reserved, so that a growing live set is
//! projected to `OutOfMemoryError` as for jvmem's own series ([`Budget::first_failure`]). Micrometer
//! writes one max per pool and -1 for a pool without one (G1's eden and survivor spaces: G1's
//! only bounded pool is its old gen, whose max is `-Xmx`; Parallel's and Serial's three pools
//! add up to about `-Xmx`); a scrape whose heap pools are all -1 has no maximum.
//!
//! [`Budget::first_failure`]: crate::analysis::budget::Budget::first_failure
//!
//! Identity: the three exporters share only the Kubernetes labels, so a JVM is its namespace,
//! pod and container. cAdvisor and kube-state-metrics write them as `namespace`, `pod` and
//! `container`; Micrometer's series carry whatever the scrape config relabelled Kubernetes'
//! service-discovery labels to: `namespace`/`pod`/`container` by default, others with
//! [`PodLabels`] (`jvmem fleet --pod-labels kubernetes_namespace,kubernetes_pod_name`). Keys
//! are written with the Kubernetes names whatever the source labels, so the two sides meet.
//! Without the pod label, a JVM is its `instance`/`job`. cAdvisor's pod-level
//! (`container=""`) and pause (`container="POD"`) series are not containers and are skipped;
//! a container series joins the JVM of its namespace/pod/container, else of its
//! namespace/pod when the JVM's series have no container label.

use std::collections::BTreeMap;

use super::Series;
use super::build::{JvmSamples, millis};
use crate::model::{Field, Timeline};
use crate::num::{i64_from_f64, u64_from_f64};

/// Micrometer's series, asked with the user's selector.
pub const JVM_SERIES: &[&str] = &[
    "jvm_memory_used_bytes",
    "jvm_memory_committed_bytes",
    "jvm_memory_max_bytes",
    "jvm_buffer_memory_used_bytes",
    "jvm_threads_live_threads",
    "jvm_classes_loaded_classes",
    "jvm_gc_live_data_size_bytes",
];

/// cAdvisor's and kube-state-metrics' series, asked for the JVMs' pods (they carry no
/// application labels, so the user's selector would not match them).
pub const CONTAINER_SERIES: &[&str] = &[
    "container_memory_working_set_bytes",
    "kube_pod_container_resource_limits",
];

fn label<'a>(s: &'a Series, k: &str) -> Option<&'a str> {
    s.labels
        .get(k)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The labels of Micrometer's series that hold a JVM's Kubernetes namespace, pod and
/// container (as the scrape config relabelled them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodLabels {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

impl Default for PodLabels {
    /// What cAdvisor and kube-state-metrics write, and most scrape configs relabel to.
    fn default() -> Self {
        PodLabels {
            namespace: "namespace".into(),
            pod: "pod".into(),
            container: "container".into(),
        }
    }
}

impl PodLabels {
    /// `NAMESPACE,POD[,CONTAINER]`: label names (the container defaults to `container`).
    pub fn parse(s: &str) -> Result<PodLabels, String> {
        let names: Vec<&str> = s.split(',').map(str::trim).collect();
        let valid = |n: &str| {
            n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        match names.as_slice() {
            [ns, pod] | [ns, pod, _] if ![ns, pod].iter().all(|n| valid(n)) => {
                Err(format!("{s:?}: label names are letters, digits and _"))
            }
            [ns, pod] => Ok(PodLabels {
                namespace: ns.to_string(),
                pod: pod.to_string(),
                container: "container".into(),
            }),
            [_, _, c] if !valid(c) => Err(format!("{s:?}: label names are letters, digits and _")),
            [ns, pod, c] => Ok(PodLabels {
                namespace: ns.to_string(),
                pod: pod.to_string(),
                container: c.to_string(),
            }),
            _ => Err(format!(
                "{s:?} is not NAMESPACE,POD[,CONTAINER] (e.g. kubernetes_namespace,kubernetes_pod_name)"
            )),
        }
    }
}

/// The JVM a series belongs to, `k="v"` joined by commas, with the Kubernetes label names
/// whatever `names` the series uses (see the module doc).
pub fn jvm_key(s: &Series, names: &PodLabels) -> String {
    if label(s, &names.pod).is_some() {
        [
            ("namespace", &names.namespace),
            ("pod", &names.pod),
            ("container", &names.container),
        ]
        .iter()
        .filter_map(|(k, from)| Some(format!("{k}=\"{}\"", label(s, from)?)))
        .collect::<Vec<_>>()
        .join(",")
    } else {
        ["instance", "job"]
            .iter()
            .filter_map(|k| Some(format!("{k}=\"{}\"", label(s, k)?)))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Namespace and pod of the JVMs, to ask the container series for.
pub fn pods(jvm_series: &[Series], names: &PodLabels) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = jvm_series
        .iter()
        .filter_map(|s| {
            Some((
                label(s, &names.namespace).unwrap_or("").to_string(),
                label(s, &names.pod)?.to_string(),
            ))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// NMT category of a memory pool, `None` for pools NMT has no category for.
fn pool_category(area: &str, id: &str) -> Option<&'static str> {
    if area == "heap" {
        return Some("Java Heap");
    }
    match id {
        "Metaspace" | "Compressed Class Space" => Some("Class"),
        "Code Cache" => Some("Code"),
        _ if id.starts_with("CodeHeap") => Some("Code"),
        _ => None,
    }
}

/// One scrape's pools of one category, summed.
#[derive(Debug, Default, Clone, Copy)]
struct Pools {
    committed: Option<u64>,
    used: Option<u64>,
    /// Heap pools only: their maxima, the undefined (-1) left out.
    max: Option<u64>,
}

impl Pools {
    fn add(total: &mut Option<u64>, n: u64) {
        *total = Some(total.unwrap_or(0).saturating_add(n));
    }
}

/// One timeline per JVM found in `jvm_series`, with the container series that match it.
pub fn timelines(
    jvm_series: &[Series],
    container_series: &[Series],
    names: &PodLabels,
) -> Vec<(String, Timeline)> {
    let mut jvms: BTreeMap<String, JvmSamples> = BTreeMap::new();
    // Pools by (JVM, timestamp, category): committed when any pool has it, else used.
    let mut pools: BTreeMap<(String, i64, &'static str), Pools> = BTreeMap::new();
    for s in jvm_series {
        let name = label(s, "__name__").unwrap_or("");
        let key = jvm_key(s, names);
        let jvm = jvms.entry(key.clone()).or_default();
        let category = pool_category(label(s, "area").unwrap_or(""), label(s, "id").unwrap_or(""));
        for &(t, v) in &s.points {
            if !v.is_finite() || v < 0.0 {
                continue;
            }
            let n = u64_from_f64(v.round());
            match name {
                "jvm_memory_committed_bytes" | "jvm_memory_used_bytes" | "jvm_memory_max_bytes" => {
                    let Some(c) = category else { continue };
                    if name == "jvm_memory_max_bytes" && c != "Java Heap" {
                        continue;
                    }
                    jvm.at(t);
                    let e = pools.entry((key.clone(), millis(t), c)).or_default();
                    let total = match name {
                        "jvm_memory_committed_bytes" => &mut e.committed,
                        "jvm_memory_used_bytes" => &mut e.used,
                        _ => &mut e.max,
                    };
                    Pools::add(total, n);
                }
                "jvm_buffer_memory_used_bytes" if label(s, "id") == Some("direct") => {
                    jvm.at(t)
                        .categories
                        .entry("Other".into())
                        .or_default()
                        .committed_bytes = n;
                }
                "jvm_threads_live_threads" => jvm
                    .at(t)
                    .categories
                    .entry("Thread".into())
                    .or_default()
                    .set_field(Field::ThreadCount, i64_from_f64(v.round()), None),
                "jvm_classes_loaded_classes" => jvm
                    .at(t)
                    .categories
                    .entry("Class".into())
                    .or_default()
                    .set_field(Field::ClassCount, i64_from_f64(v.round()), None),
                "jvm_gc_live_data_size_bytes" => {
                    let sample = jvm
                        .gc
                        .entry(("Unknown".into(), "full".into()))
                        .or_default()
                        .entry(millis(t))
                        .or_default();
                    sample.last.old_after_bytes = Some(n);
                }
                _ => {}
            }
        }
    }
    for ((key, ms, category), p) in pools {
        let Some(committed) = p.committed.or(p.used) else {
            continue;
        };
        if let Some(jvm) = jvms.get_mut(&key) {
            let usage = jvm
                .at(ms as f64 / 1000.0)
                .categories
                .entry(category.into())
                .or_default();
            usage.committed_bytes = committed;
            if let Some(max) = p.max {
                usage.reserved_bytes = max;
            }
        }
    }
    for s in container_series {
        let container = label(s, "container");
        if container.is_none_or(|c| c == "POD") {
            continue;
        }
        let name = label(s, "__name__").unwrap_or("");
        if name == "kube_pod_container_resource_limits" && label(s, "resource") != Some("memory") {
            continue;
        }
        let full = jvm_key(s, &PodLabels::default());
        let pod_only = format!(
            "namespace=\"{}\",pod=\"{}\"",
            label(s, "namespace").unwrap_or(""),
            label(s, "pod").unwrap_or("")
        );
        let Some(jvm) = [full, pod_only]
            .into_iter()
            .find_map(|k| jvms.contains_key(&k).then_some(k))
        else {
            continue;
        };
        let Some(jvm) = jvms.get_mut(&jvm) else {
            continue;
        };
        for &(t, v) in &s.points {
            if !v.is_finite() || v < 0.0 {
                continue;
            }
            let p = jvm.at(t);
            match name {
                "container_memory_working_set_bytes" => {
                    p.cgroup_usage = Some(u64_from_f64(v.round()))
                }
                _ => p.limit = Some(u64_from_f64(v.round())),
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
