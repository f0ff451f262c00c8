//! `jvmem fleet` on JVMs without `jvmem serve`: Micrometer's `jvm_*` series, cAdvisor's
//! working set and kube-state-metrics' limit, in a real Prometheus (backfilled with promtool).
//! The values are three real JVMs' (samples/fleet, recorded by samples/gen/micrometer-names.sh:
//! MXBeans read inside each JVM; the working set is its RSS); the names and labels are the
//! exporters', written by that program — the exporters cannot run here. The timestamps are
//! moved to end a minute ago.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/prometheus.rs"]
mod prometheus;

const FLEET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/fleet");
const PODS: &[&str] = &["steady", "direct-leak", "heap-leak-xms-xmx"];

/// The recording with every timestamp moved by the same amount so that the last is `end`.
fn moved(pod: &str, end: f64) -> String {
    let text = std::fs::read_to_string(format!("{FLEET}/{pod}.om")).expect("read");
    let stamp = |l: &str| -> Option<f64> { l.rsplit(' ').next()?.parse().ok() };
    let last = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(stamp)
        .fold(f64::MIN, f64::max);
    assert!(last > 0.0, "{pod}: no samples");
    let mut out = String::new();
    for line in text.lines() {
        match (line.starts_with('#'), line.rsplit_once(' ')) {
            (false, Some((head, t))) => {
                let t: f64 = t.parse().expect("timestamp");
                out.push_str(&format!("{head} {:.3}\n", t - last + end));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn micrometer_cadvisor_and_kube_state_metrics_series_get_the_same_diagnosis() {
    if !prometheus::available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let end = chrono::Utc::now().timestamp() as f64 - 60.0;
    let files: Vec<(String, String)> = PODS
        .iter()
        .map(|pod| (pod.to_string(), moved(pod, end)))
        .collect();
    let prom = prometheus::backfilled(dir.path(), &files);
    // The selector names Micrometer's job: cAdvisor's and kube-state-metrics' series (other
    // jobs) are still found, by namespace and pod.
    let args = [
        "--selector",
        r#"{namespace="prod",job="bot-gateway"}"#,
        "--range",
        "1h",
    ];
    let rows = prom.rows(&args, PODS.len());
    let text = prom.fleet(&args);
    eprintln!("{}", String::from_utf8_lossy(&text.stdout));
    eprintln!("{}", String::from_utf8_lossy(&text.stderr));
    let jvm = |i: usize| rows[i]["jvm"].as_str().expect("jvm").to_string();
    // The heap leak fails first, with OutOfMemoryError, before the direct leak's OOM kill.
    assert_eq!(
        jvm(0),
        r#"namespace="prod",pod="heap-leak-xms-xmx",container="app""#
    );
    assert_eq!(
        jvm(1),
        r#"namespace="prod",pod="direct-leak",container="app""#
    );
    // The limit is kube-state-metrics' (1 GiB), the usage cAdvisor's container working set.
    for row in &rows {
        assert_eq!(row["limit_bytes"], 1u64 << 30, "{row:#?}");
        let usage = row["usage_bytes"].as_u64().expect("usage");
        assert!((100 << 20..600 << 20).contains(&usage), "{row:#?}");
    }
    // The heap leak under -Xms = -Xmx: committed heap flat, found from Micrometer's live
    // data size (Workload: 1 MiB/s of retained images, 60 MiB/min), projected to the maximum
    // heap of jvm_memory_max_bytes: G1's old gen 160 MiB (-Xmx160m), eden and survivor -1.
    // Its live set ended at 110-113 MiB, so about 50 MiB at the rate: well under a minute
    // and no time to the limit (a fully committed heap adds nothing to the footprint).
    assert_eq!(rows[0]["top_suspect"], "Java Heap");
    assert_eq!(rows[0]["sure"], true);
    let rate = rows[0]["rate_bytes_per_min"].as_f64().expect("rate") / (1 << 20) as f64;
    assert!((40.0..100.0).contains(&rate), "{rate} MiB/min");
    assert_eq!(rows[0]["failure"], "heap_oom", "{:#?}", rows[0]);
    assert!(rows[0]["minutes_to_limit"].is_null(), "{:#?}", rows[0]);
    let left = rows[0]["minutes_left"].as_f64().expect("minutes left");
    let live_mib = 160.0 - left * rate;
    assert!(
        (105.0..120.0).contains(&live_mib),
        "{left} min at {rate} MiB/min: {live_mib} MiB live"
    );
    // Direct buffers (Workload: 512 KiB/s = 30 MiB/min) map to NMT's `Other`.
    assert_eq!(rows[1]["top_suspect"], "Other");
    let rate = rows[1]["rate_bytes_per_min"].as_f64().expect("rate") / (1 << 20) as f64;
    assert!((27.0..33.0).contains(&rate), "{rate} MiB/min");
    assert!(
        rows[1]["minutes_to_limit"].as_f64().is_some(),
        "{:#?}",
        rows[1]
    );
    assert_eq!(rows[1]["failure"], "oom_kill", "{:#?}", rows[1]);
    assert_eq!(rows[1]["minutes_left"], rows[1]["minutes_to_limit"]);
    assert_eq!(jvm(2), r#"namespace="prod",pod="steady",container="app""#);
    assert_eq!(rows[2]["sure"], false, "{:#?}", rows[2]);
    assert!(rows[2]["minutes_to_limit"].is_null(), "{:#?}", rows[2]);
    // The text table says how each fails.
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let line = |pod: &str| {
        text.lines()
            .find(|l| l.starts_with(pod))
            .unwrap_or("")
            .to_string()
    };
    assert!(line("heap-leak-xms-xmx ").contains(" heap OOM "), "{text}");
    assert!(line("direct-leak ").contains(" OOM kill "), "{text}");
    // The same ranking as a Markdown table, and the evidence of the two leaking JVMs.
    let mut md_args = args.to_vec();
    md_args.extend(["--format", "markdown"]);
    let md = String::from_utf8(prom.fleet(&md_args).stdout).expect("utf-8");
    assert!(
        md.starts_with("# Fleet: 3 JVM(s), 2 with a growing suspect\n"),
        "{md}"
    );
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(table.len(), 3, "{md}");
    assert!(
        table[0].starts_with(
            r#"| `namespace="prod",pod="heap-leak-xms-xmx",container="app"` | 1.0 GiB |"#
        ),
        "{md}"
    );
    assert!(table[0].contains(" | heap OOM | "), "{md}");
    assert_eq!(md.matches("\n## `").count(), 2, "{md}");
}
