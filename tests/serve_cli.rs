//! `jvmem serve` as Prometheus sees it: started on an ephemeral loopback port, following a
//! real recorded NMT log (samples/scenarios/direct-leak-jdk17-g1, JDK 17 G1 leaking direct
//! buffers), scraped with a plain TcpStream. Waits are bounded polls, never fixed sleeps.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/child.rs"]
mod child;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use child::KillOnDrop;

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/samples/scenarios/direct-leak-jdk17-g1"
);

/// Starts `jvmem serve ARGS --listen 127.0.0.1:0` and returns it (killed when dropped) with
/// the port it printed.
fn serve(args: &[&str]) -> (KillOnDrop, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jvmem"))
        .arg("serve")
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start jvmem serve");
    let stderr = child.stderr.take().expect("stderr");
    let server = KillOnDrop(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("jvmem: serving http://127.0.0.1:") {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = tx.send(port.parse::<u16>().expect("port"));
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("jvmem serve printed its address");
    (server, port)
}

/// GET over HTTP/1.1 on loopback: (status, content type, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").expect("headers end");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("content-type:")
                .then(|| l["content-type:".len()..].trim().to_string())
        })
        .unwrap_or_default();
    (status, content_type, body.to_string())
}

/// Polls /healthz until it reports `snapshots` snapshots (bounded: 20 s).
fn wait_for_snapshots(port: u16, snapshots: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let want = format!("ok: {snapshots} snapshot(s)");
    loop {
        let (status, _, body) = get(port, "/healthz");
        assert_eq!(status, 200, "{body}");
        if body.starts_with(&want) {
            return body;
        }
        assert!(Instant::now() < deadline, "never got {want}: {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The samples (not comments) of an exposition, as (name{labels}, value).
fn samples(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (series, value) = l.rsplit_once(' ').expect("sample has a value");
            (series.to_string(), value.to_string())
        })
        .collect()
}

#[test]
fn serves_the_latest_snapshot_gc_and_verdict_as_openmetrics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nmt = dir.path().join("nmt.log");
    std::fs::copy(format!("{SCENARIO}/nmt.log"), &nmt).expect("copy");
    let nmt_arg = nmt.to_str().expect("utf-8 path");
    let gc = format!("{SCENARIO}/gc.log");
    let (mut server, port) = serve(&[
        "--follow",
        nmt_arg,
        "--gc-log",
        &gc,
        "--label",
        "pod=bot-gateway-0",
        "--label",
        "namespace=prod",
        "--limit",
        "512Mi",
    ]);
    // The recorded log holds 31 snapshots.
    let health = wait_for_snapshots(port, 31);
    assert!(health.contains("following"), "{health}");

    let (status, content_type, body) = get(port, "/metrics");
    assert_eq!(status, 200);
    assert_eq!(
        content_type,
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    assert!(body.ends_with("# EOF\n"), "{body}");
    assert_eq!(body.matches("# EOF").count(), 1);
    let samples = samples(&body);
    let series: Vec<&str> = samples.iter().map(|(s, _)| s.as_str()).collect();
    let unique: HashSet<&str> = series.iter().copied().collect();
    assert_eq!(unique.len(), series.len(), "a label set repeats:\n{body}");
    let value = |s: &str| {
        samples
            .iter()
            .find(|(k, _)| k == s)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {s} in\n{body}"))
    };
    let jvm = r#"pid="19234",pod="bot-gateway-0",namespace="prod""#;
    // The last snapshot (07:31:11): `Other (reserved=46272KB, committed=46272KB)`.
    assert_eq!(
        value(&format!(
            "jvm_nmt_committed_bytes{{{jvm},category=\"Other\"}}"
        )),
        (46272u64 * 1024).to_string()
    );
    // gc.log of the same run: 27 young collections.
    assert_eq!(
        value(&format!(
            "jvm_gc_collections_total{{{jvm},collector=\"G1\",kind=\"young\"}}"
        )),
        "27"
    );
    assert_eq!(
        value(&format!(
            "jvm_gc_pause_duration_seconds_bucket{{{jvm},collector=\"G1\",kind=\"young\",le=\"+Inf\"}}"
        )),
        "27"
    );
    assert_eq!(
        value(&format!("jvm_cgroup_memory_limit_bytes{{{jvm}}}")),
        "536870912"
    );
    // The verdict is `jvmem report`'s on the same files: every suspect with its rate (per
    // second here, per minute there) and confidence, and the time to the limit. The direct
    // leak is among them: `Other` at 523,248 B/s (30.0 MiB/min).
    let report = Command::new(env!("CARGO_BIN_EXE_jvmem"))
        .args(["report", &format!("{SCENARIO}/nmt.log"), "--gc-log", &gc])
        .args(["--limit", "512Mi", "--format", "json"])
        .output()
        .expect("report");
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).expect("json");
    let suspects = report["suspects"].as_array().expect("suspects");
    assert_eq!(
        value(&format!("jvmem_suspects{{{jvm}}}")),
        suspects.len().to_string()
    );
    let number = |s: String| s.parse::<f64>().expect("number");
    let mut direct = false;
    for suspect in suspects {
        let labels = format!(
            "{jvm},category=\"{}\",kind=\"{}\"",
            suspect["category"].as_str().expect("category"),
            suspect["kind"].as_str().expect("kind")
        );
        let rate = number(value(&format!(
            "jvmem_suspect_growth_bytes_per_second{{{labels}}}"
        )));
        let want = suspect["rate_bytes_per_min"].as_f64().expect("rate") / 60.0;
        assert!(
            (rate - want).abs() < 1e-6 * want.abs().max(1.0),
            "{rate} vs {want}"
        );
        let confidence = number(value(&format!("jvmem_suspect_confidence{{{labels}}}")));
        let want = suspect["confidence"].as_f64().expect("confidence");
        assert!((confidence - want).abs() < 1e-9, "{confidence} vs {want}");
        if suspect["category"] == "Other" {
            assert!((rate - 523_247.7).abs() < 1.0, "{rate}");
            direct = true;
        }
    }
    assert!(direct, "the direct leak is a suspect: {report:#}");
    let seconds = number(value(&format!("jvmem_time_to_limit_seconds{{{jvm}}}")));
    let want = report["budget"]["minutes_to_limit"]
        .as_f64()
        .expect("minutes")
        * 60.0;
    assert!((seconds - want).abs() < 1e-6, "{seconds} vs {want}");
    // The first failure is that OOM kill: the heap does not fill before it.
    let first = number(value(&format!(
        "jvmem_time_to_failure_seconds{{{jvm},failure=\"oom_kill\"}}"
    )));
    assert!((first - want).abs() < 1e-6, "{first} vs {want}");

    // A snapshot appended to the followed file is served on the next scrape: the last one
    // again, 10 s later, with `Other` and the total 728 KiB higher (the reader checks that
    // categories add up to the total).
    let last = std::fs::read_to_string(format!("{SCENARIO}/nmt.log")).expect("read");
    let start = last
        .rfind("2026-11-26T07:31:11+00:00")
        .expect("last snapshot");
    let next = last[start..]
        .replace("2026-11-26T07:31:11+00:00", "2026-11-26T07:31:21+00:00")
        .replace(
            "Other (reserved=46272KB, committed=46272KB)",
            "Other (reserved=47000KB, committed=47000KB)",
        )
        .replace(
            "Total: reserved=1756709KB, committed=379137KB",
            "Total: reserved=1757437KB, committed=379865KB",
        );
    std::fs::OpenOptions::new()
        .append(true)
        .open(&nmt)
        .and_then(|mut f| f.write_all(next.as_bytes()))
        .expect("append");
    wait_for_snapshots(port, 32);
    let (_, _, body) = get(port, "/metrics");
    assert!(
        body.contains(&format!(
            "jvm_nmt_committed_bytes{{{jvm},category=\"Other\"}} {}\n",
            47000 * 1024
        )),
        "{body}"
    );

    let (status, _, _) = get(port, "/nothing");
    assert_eq!(status, 404);

    // SIGTERM (what the kubelet sends) stops it cleanly with exit 0.
    let pid = server.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "jvmem serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

/// A heap leak under -Xms = -Xmx (samples/fleet, JDK 17 G1, -Xmx160m): the committed heap is
/// flat, so there is no time to the 1 GiB limit, but the heap is full in `jvmem report`'s
/// `heap_exhaustion.minutes` and that is the time to failure, `heap_oom`.
#[test]
fn a_heap_leak_in_a_flat_heap_fails_by_heap_oom_before_the_limit() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/fleet/heap-leak-xms-xmx-jdk17-g1"
    );
    let (nmt, gc) = (format!("{dir}/nmt.log"), format!("{dir}/gc.log"));
    let (_server, port) = serve(&["--follow", &nmt, "--gc-log", &gc, "--limit", "1Gi"]);
    wait_for_snapshots(port, 31);
    let report = Command::new(env!("CARGO_BIN_EXE_jvmem"))
        .args([
            "report", &nmt, "--gc-log", &gc, "--limit", "1Gi", "--format", "json",
        ])
        .output()
        .expect("report");
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).expect("json");
    assert!(report["budget"]["minutes_to_limit"].is_null(), "{report:#}");
    let want = report["budget"]["heap_exhaustion"]["minutes"]
        .as_f64()
        .expect("heap exhaustion")
        * 60.0;
    // The NMT file can be all read before the GC log is (CI saw a scrape with 31 snapshots and
    // no GC events yet): scrape until the verdict stands on the whole log, its GC events
    // those the report read, or 20 s.
    let events = report["window"]["gc_events"].as_u64().expect("gc events");
    let deadline = Instant::now() + Duration::from_secs(20);
    let body = loop {
        let (_, _, health) = get(port, "/healthz");
        if health.contains(&format!(", {events} GC event(s) in the window")) {
            break get(port, "/metrics").2;
        }
        assert!(
            Instant::now() < deadline,
            "never {events} GC events: {health}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!body.contains("\njvmem_time_to_limit_seconds"), "{body}");
    let failures: Vec<(String, String)> = samples(&body)
        .into_iter()
        .filter(|(k, _)| k.starts_with("jvmem_time_to_failure_seconds{"))
        .collect();
    assert_eq!(failures.len(), 1, "{body}");
    assert!(
        failures[0].0.ends_with(",failure=\"heap_oom\"}"),
        "{failures:?}"
    );
    let seconds: f64 = failures[0].1.parse().expect("number");
    assert!((seconds - want).abs() < 1e-6, "{seconds} vs {want}");
    assert!(seconds > 0.0 && seconds < 60.0, "{seconds}");
}

#[test]
fn refuses_a_busy_port_with_a_usage_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_jvmem"))
        .args([
            "serve",
            "--follow",
            &format!("{SCENARIO}/nmt.log"),
            "--listen",
            &address,
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot listen on"),
        "{output:?}"
    );
}
