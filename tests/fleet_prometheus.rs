//! `jvmem fleet` against a real Prometheus (2.42, Debian's) on 127.0.0.1: four recorded JVMs
//! (samples/scenarios: a direct-buffer leak, a thread leak, two steady ones) are written as
//! timestamped OpenMetrics with a `pod` label each — what `jvmem serve` would have been
//! scraped as — moved to end a minute ago, backfilled with `promtool tsdb
//! create-blocks-from openmetrics`, and served by `prometheus`. Skips, saying so, where
//! prometheus/promtool are not installed (`apt-get install -y prometheus`; .ci/run does).

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jvmem::model::Timeline;
use jvmem::report::openmetrics::{Extras, Samples, write_with};

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/scenarios");
const PODS: &[(&str, &str)] = &[
    ("steady-a", "steady-jdk17-g1"),
    ("direct-leak", "direct-leak-jdk17-g1"),
    ("steady-b", "steady-jdk21-g1"),
    ("thread-leak", "thread-leak-jdk17-g1"),
];

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The scenario's snapshots, moved so that the last is `end`, as `jvmem serve` samples.
fn exposition(scenario: &str, pod: &str, end: chrono::DateTime<chrono::FixedOffset>) -> String {
    let text = std::fs::read_to_string(format!("{SCENARIOS}/{scenario}/nmt.log")).expect("read");
    let source: Arc<str> = Arc::from(scenario);
    let mut snapshots = jvmem::nmt::parse_str(&source, &text).snapshots;
    let last = snapshots
        .iter()
        .filter_map(|s| s.timestamp)
        .max()
        .expect("timestamps");
    let shift = end - last;
    for s in &mut snapshots {
        s.timestamp = s.timestamp.map(|t| t + shift);
    }
    let timeline = Timeline {
        snapshots,
        ..Timeline::default()
    };
    let extras = Extras {
        labels: vec![("pod".into(), pod.into())],
        ..Extras::default()
    };
    let mut out = Vec::new();
    write_with(&mut out, &timeline, Samples::All, &extras).expect("write");
    String::from_utf8(out).expect("utf-8")
}

fn report(scenario: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_jvmem"))
        .args(["report", &format!("{SCENARIOS}/{scenario}/nmt.log")])
        .args(["--limit", "1Gi", "--format", "json"])
        .output()
        .expect("report");
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn fleet_ranks_the_leaking_jvms_of_a_real_prometheus_first() {
    if !have("prometheus") || !have("promtool") {
        eprintln!("SKIPPED: prometheus/promtool not installed (apt-get install -y prometheus)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let end = (chrono::Utc::now() - chrono::Duration::seconds(60)).fixed_offset();
    for (pod, scenario) in PODS {
        let file = dir.path().join(format!("{pod}.om"));
        std::fs::write(&file, exposition(scenario, pod, end)).expect("write");
        let out = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&file)
            .arg(&data)
            .output()
            .expect("promtool");
        assert!(out.status.success(), "{out:?}");
    }
    let config = dir.path().join("prometheus.yml");
    std::fs::write(&config, "global:\n  scrape_interval: 1m\n").expect("config");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let _prometheus = Killed(
        Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", data.display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start prometheus"),
    );
    let url = format!("http://127.0.0.1:{port}");
    let fleet = || {
        Command::new(env!("CARGO_BIN_EXE_jvmem"))
            .args([
                "fleet",
                "--prometheus",
                &url,
                "--selector",
                r#"{pod=~".+"}"#,
            ])
            .args(["--range", "1h", "--limit", "1Gi", "--format", "json"])
            .output()
            .expect("fleet")
    };
    // Ready once it answers with every pod (the blocks are loaded at start): bounded, 60 s.
    let deadline = Instant::now() + Duration::from_secs(60);
    let rows = loop {
        let out = fleet();
        if out.status.success() {
            let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
            if rows.len() == PODS.len() {
                break rows;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no answer from prometheus: {out:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    let text = Command::new(env!("CARGO_BIN_EXE_jvmem"))
        .args([
            "fleet",
            "--prometheus",
            &url,
            "--range",
            "1h",
            "--limit",
            "1Gi",
        ])
        .output()
        .expect("fleet");
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    eprintln!("{text}");
    assert!(text.starts_with("JVM "), "{text}");
    assert_eq!(text.lines().count(), PODS.len() + 1, "{text}");
    let pod = |i: usize| rows[i]["jvm"].as_str().expect("jvm").to_string();
    // Ranked by minutes to the limit: the direct leak (30 MiB/min) before the thread leak
    // (12.5 MiB/min), then the steady ones, clean.
    assert_eq!(pod(0), r#"pod="direct-leak""#, "{rows:#?}");
    assert_eq!(pod(1), r#"pod="thread-leak""#, "{rows:#?}");
    assert_eq!(rows[0]["top_suspect"], "Other");
    assert_eq!(rows[1]["top_suspect"], "Thread");
    for row in &rows[2..] {
        assert!(row["top_suspect"].is_null(), "{row:#?}");
        assert!(row["minutes_to_limit"].is_null(), "{row:#?}");
    }
    // The same diagnosis as `jvmem report` on the JVMs' own snapshots, within 10 %.
    for (row, scenario) in [
        (&rows[0], "direct-leak-jdk17-g1"),
        (&rows[1], "thread-leak-jdk17-g1"),
    ] {
        let own = report(scenario);
        let want = own["suspects"][0]["rate_bytes_per_min"]
            .as_f64()
            .expect("rate");
        let got = row["rate_bytes_per_min"].as_f64().expect("rate");
        assert!(
            (got - want).abs() <= want * 0.10,
            "{scenario}: {got} vs {want}"
        );
        assert_eq!(row["snapshots"], 31, "{row:#?}");
        let minutes = row["minutes_to_limit"].as_f64().expect("minutes");
        let want = own["budget"]["minutes_to_limit"].as_f64().expect("minutes");
        assert!((minutes - want).abs() <= want * 0.10, "{minutes} vs {want}");
    }
}
