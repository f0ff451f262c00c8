//! [`standard`](super::standard) on hand-made series: pools onto categories, the container
//! series joined by pod (also under relabelled pod labels), the heap's maximum.

use super::Series;
use super::standard::{PodLabels, pods, timelines};
use crate::model::Field;

fn series(labels: &[(&str, &str)], points: &[(f64, f64)]) -> Series {
    Series {
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        points: points.to_vec(),
    }
}

#[test]
fn pools_map_to_categories_and_container_series_join_by_pod() {
    let t = 1_764_000_000.0;
    let app = [("namespace", "prod"), ("pod", "a"), ("job", "app")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut l = app.to_vec();
        l.extend_from_slice(extra);
        l
    };
    let jvm = vec![
        series(
            &with(&[
                ("__name__", "jvm_memory_committed_bytes"),
                ("area", "heap"),
                ("id", "G1 Eden Space"),
            ]),
            &[(t, 100.0)],
        ),
        series(
            &with(&[
                ("__name__", "jvm_memory_committed_bytes"),
                ("area", "heap"),
                ("id", "G1 Old Gen"),
            ]),
            &[(t, 50.0)],
        ),
        // Used is ignored where committed exists (NMT counts committed).
        series(
            &with(&[
                ("__name__", "jvm_memory_used_bytes"),
                ("area", "heap"),
                ("id", "G1 Old Gen"),
            ]),
            &[(t, 7.0)],
        ),
        series(
            &with(&[
                ("__name__", "jvm_memory_used_bytes"),
                ("area", "nonheap"),
                ("id", "Metaspace"),
            ]),
            &[(t, 30.0)],
        ),
        series(
            &with(&[
                ("__name__", "jvm_buffer_memory_used_bytes"),
                ("id", "mapped"),
            ]),
            &[(t, 999.0)],
        ),
        series(
            &with(&[
                ("__name__", "jvm_buffer_memory_used_bytes"),
                ("id", "direct"),
            ]),
            &[(t, 64.0)],
        ),
        series(
            &with(&[("__name__", "jvm_threads_live_threads")]),
            &[(t, 21.0)],
        ),
    ];
    let pod = [("namespace", "prod"), ("pod", "a")];
    let c = |extra: &[(&'static str, &'static str)], v: f64| {
        let mut l = pod.to_vec();
        l.extend_from_slice(extra);
        series(&l, &[(t, v)])
    };
    let containers = vec![
        c(
            &[
                ("__name__", "container_memory_working_set_bytes"),
                ("container", "app"),
            ],
            500.0,
        ),
        c(
            &[
                ("__name__", "container_memory_working_set_bytes"),
                ("container", ""),
            ],
            900.0,
        ),
        c(
            &[
                ("__name__", "container_memory_working_set_bytes"),
                ("container", "POD"),
            ],
            1.0,
        ),
        c(
            &[
                ("__name__", "kube_pod_container_resource_limits"),
                ("container", "app"),
                ("resource", "cpu"),
            ],
            2.0,
        ),
        c(
            &[
                ("__name__", "kube_pod_container_resource_limits"),
                ("container", "app"),
                ("resource", "memory"),
            ],
            4096.0,
        ),
    ];
    let jvms = timelines(&jvm, &containers, &PodLabels::default());
    assert_eq!(jvms.len(), 1);
    let (key, tl) = &jvms[0];
    assert_eq!(key, r#"namespace="prod",pod="a""#);
    let s = tl.snapshots.first().unwrap();
    assert_eq!(s.committed("Java Heap"), 150);
    assert_eq!(s.committed("Class"), 30);
    assert_eq!(s.committed("Other"), 64);
    assert_eq!(
        s.category("Thread")
            .and_then(|c| c.usage.field(Field::ThreadCount)),
        Some(21)
    );
    assert_eq!(tl.limit_bytes, Some(4096));
    assert_eq!(tl.process[0].cgroup_usage_bytes, Some(500));
}

#[test]
fn the_heap_maximum_is_the_heap_pools_maxima_without_the_undefined() {
    let (t, u) = (1_764_000_000.0, 1_764_000_015.0);
    // G1 as Micrometer writes it: eden and survivor without a maximum (-1), old gen -Xmx;
    // at `u` every pool is undefined. Non-heap maxima are not the heap's.
    let max = |id: &'static str, area: &'static str, points: &[(f64, f64)]| {
        let labels = [
            ("__name__", "jvm_memory_max_bytes"),
            ("area", area),
            ("id", id),
            ("pod", "a"),
        ];
        series(&labels, points)
    };
    let mut jvm = vec![
        max("G1 Eden Space", "heap", &[(t, -1.0), (u, -1.0)]),
        max("G1 Survivor Space", "heap", &[(t, -1.0), (u, -1.0)]),
        max("G1 Old Gen", "heap", &[(t, 160.0 * 1048576.0), (u, -1.0)]),
        max("CodeHeap 'non-nmethods'", "nonheap", &[(t, 5.0), (u, 5.0)]),
    ];
    let committed = [
        ("__name__", "jvm_memory_committed_bytes"),
        ("area", "heap"),
        ("id", "G1 Old Gen"),
        ("pod", "a"),
    ];
    jvm.push(series(&committed, &[(t, 150.0), (u, 151.0)]));
    let jvms = timelines(&jvm, &[], &PodLabels::default());
    let heap = |i: usize| {
        let s = jvms[0].1.snapshots.get(i).unwrap();
        s.category("Java Heap").map(|c| c.usage).unwrap()
    };
    assert_eq!(heap(0).reserved_bytes, 160 << 20);
    assert_eq!(heap(0).committed_bytes, 150);
    assert_eq!(heap(1).reserved_bytes, 0);
    assert_eq!(heap(1).committed_bytes, 151);
    let code = jvms[0]
        .1
        .snapshots
        .first()
        .unwrap()
        .category("Code")
        .map(|c| c.usage.reserved_bytes);
    assert_eq!(code, None);
}

#[test]
fn relabelled_pod_labels_join_the_container_series() {
    let t = 1_764_000_000.0;
    let names = PodLabels::parse("kubernetes_namespace, kubernetes_pod_name").expect("parses");
    assert_eq!(names.container, "container");
    let jvm = vec![series(
        &[
            ("__name__", "jvm_buffer_memory_used_bytes"),
            ("id", "direct"),
            ("kubernetes_namespace", "prod"),
            ("kubernetes_pod_name", "a"),
        ],
        &[(t, 64.0)],
    )];
    let containers = vec![series(
        &[
            ("__name__", "kube_pod_container_resource_limits"),
            ("namespace", "prod"),
            ("pod", "a"),
            ("container", "app"),
            ("resource", "memory"),
        ],
        &[(t, 4096.0)],
    )];
    assert_eq!(pods(&jvm, &names), [("prod".to_string(), "a".to_string())]);
    let jvms = timelines(&jvm, &containers, &names);
    assert_eq!(jvms[0].0, r#"namespace="prod",pod="a""#);
    assert_eq!(jvms[0].1.limit_bytes, Some(4096));
    // With the default names the same series is a JVM without a pod: nothing joins.
    let jvms = timelines(&jvm, &containers, &PodLabels::default());
    assert_eq!(jvms[0].1.limit_bytes, None);
    assert!(PodLabels::parse("ns").is_err());
    assert!(PodLabels::parse("ns,pod,c,d").is_err());
    assert!(PodLabels::parse("ns,1pod").is_err());
    assert!(PodLabels::parse("ns,pod,con-tainer").is_err());
    assert_eq!(
        PodLabels::parse("namespace,pod,container"),
        Ok(PodLabels::default())
    );
}
