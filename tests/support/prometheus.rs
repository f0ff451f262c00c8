//! A real Prometheus (Debian's `prometheus`, `promtool`) on a free loopback port, holding
//! timestamped OpenMetrics backfilled with `promtool tsdb create-blocks-from openmetrics`,
//! and `jvmem fleet` run against it. Killed when dropped.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "child.rs"]
mod child;
use child::KillOnDrop;

pub struct Prometheus {
    /// Held to be killed with the value; never read.
    _child: KillOnDrop,
    pub url: String,
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether prometheus and promtool are installed; says SKIPPED when not.
pub fn available() -> bool {
    let ok = have("prometheus") && have("promtool");
    if !ok {
        eprintln!("SKIPPED: prometheus/promtool not installed (apt-get install -y prometheus)");
    }
    ok
}

/// Backfills each `(name, exposition)` into `dir/data` and starts Prometheus on it.
pub fn backfilled(dir: &Path, files: &[(String, String)]) -> Prometheus {
    let data = dir.join("data");
    for (name, text) in files {
        let file = dir.join(format!("{name}.om"));
        std::fs::write(&file, text).expect("write");
        let out = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&file)
            .arg(&data)
            .output()
            .expect("promtool");
        assert!(out.status.success(), "{out:?}");
    }
    let config = dir.join("prometheus.yml");
    std::fs::write(&config, "global:\n  scrape_interval: 1m\n").expect("config");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.tsdb.path={}", data.display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start prometheus");
    Prometheus {
        _child: KillOnDrop(child),
        url: format!("http://127.0.0.1:{port}"),
    }
}

impl Prometheus {
    /// `jvmem fleet --prometheus URL ARGS…`.
    pub fn fleet(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_jvmem"))
            .args(["fleet", "--prometheus", &self.url])
            .args(args)
            .output()
            .expect("fleet")
    }

    /// The JSON rows of `jvmem fleet ARGS… --format json` once they name `jvms` JVMs (the
    /// blocks are loaded at start): bounded, 60 s.
    pub fn rows(&self, args: &[&str], jvms: usize) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let mut all = args.to_vec();
            all.extend(["--format", "json"]);
            let out = self.fleet(&all);
            if out.status.success() {
                let rows: Vec<serde_json::Value> =
                    serde_json::from_slice(&out.stdout).expect("json");
                if rows.len() == jvms {
                    return rows;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no answer from prometheus: {out:?}"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}
