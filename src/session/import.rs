//! Builds a session from a recorded scenario directory — the files a shell loop leaves behind
//! when it polls a JVM (`samples/scenarios/*/`): `nmt.log` (`date -Is` + jcmd summary, over
//! and over), `rss.log` (`TIME RSS_KB` per line) and `gc.log` (unified logging with a
//! `time` decorator). This is how `samples/sessions/demo.jvmem` is made
//! (`cargo run --example scenario_to_session`), so the demo is a real recording, re-parsable
//! like any other session.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::nmt::parse_timestamp_line;

use super::record::{Header, Record, RecordKind};

/// The texts of a scenario's files (empty when a file is absent).
#[derive(Debug, Default, Clone, Copy)]
pub struct ScenarioTexts<'a> {
    pub nmt: &'a str,
    pub rss: &'a str,
    pub gc: &'a str,
    /// Free text for the header's `note`.
    pub note: &'a str,
}

/// The whole session file for a scenario, byte for byte reproducible.
pub fn session_from_scenario(texts: ScenarioTexts<'_>) -> String {
    let captures = nmt_captures(texts.nmt);
    let pid = captures
        .iter()
        .find_map(|(_, text)| jcmd_pid(text))
        .map_or_else(|| "nmt.log".to_string(), |pid| format!("pid:{pid}"));
    let source: Arc<str> = Arc::from(pid.as_str());
    let gc_source: Arc<str> = Arc::from("gc.log");

    // (time, order within the same time, record): NMT, then process, then GC.
    let mut records: Vec<(DateTime<FixedOffset>, u8, Record)> = Vec::new();
    for (t, text) in &captures {
        records.push((
            *t,
            0,
            Record::text(RecordKind::Nmt, *t, &source, 0, text.as_str()),
        ));
    }
    for line in texts.rss.lines() {
        let mut parts = line.split_whitespace();
        let (Some(t), Some(kb)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (Some(t), Ok(kb)) = (parse_timestamp_line(t), kb.parse::<u64>()) else {
            continue;
        };
        let sample = crate::model::ProcessSample {
            timestamp: t,
            rss_bytes: kb.checked_mul(1024),
            cgroup_usage_bytes: None,
            cgroup_limit_bytes: None,
        };
        records.push((t, 1, Record::process(&source, &sample)));
    }
    // GC lines go with the first NMT capture at or after them, as a poller reading the log
    // alongside would have recorded them.
    let capture_times: Vec<DateTime<FixedOffset>> = captures.iter().map(|(t, _)| *t).collect();
    let mut pending: Option<(DateTime<FixedOffset>, String)> = None;
    for line in texts.gc.split_inclusive('\n') {
        let at = gc_line_time(line)
            .map(|t| capture_times.iter().copied().find(|c| *c >= t).unwrap_or(t));
        match (&mut pending, at) {
            (Some((t, text)), Some(at)) if *t != at => {
                records.push((
                    *t,
                    2,
                    Record::text(RecordKind::Gc, *t, &gc_source, 0, std::mem::take(text)),
                ));
                pending = Some((at, line.to_string()));
            }
            (Some((_, text)), _) => text.push_str(line),
            (None, Some(at)) => pending = Some((at, line.to_string())),
            (None, None) => {}
        }
    }
    if let Some((t, text)) = pending {
        records.push((t, 2, Record::text(RecordKind::Gc, t, &gc_source, 0, text)));
    }
    records.sort_by_key(|r| (r.0, r.1));

    let created = records.first().map(|r| r.0);
    let header = Header {
        jvmem_session: super::FORMAT_VERSION,
        created,
        tool: Some("jvmem scenario import".to_string()),
        note: (!texts.note.is_empty()).then(|| texts.note.to_string()),
    };
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    if let Ok(mut recorder) = super::Recorder::new(&mut out, &header) {
        for (_, _, record) in &records {
            let _ = recorder.append(record);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `date -Is` line + the jcmd output after it, until the next timestamp line.
fn nmt_captures(text: &str) -> Vec<(DateTime<FixedOffset>, String)> {
    let mut out: Vec<(DateTime<FixedOffset>, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(t) = parse_timestamp_line(line) {
            out.push((t, String::new()));
        }
        if let Some((_, current)) = out.last_mut() {
            current.push_str(line);
        }
    }
    out
}

/// jcmd's `PID:` header line.
fn jcmd_pid(text: &str) -> Option<u32> {
    text.lines()
        .take(3)
        .find_map(|l| l.trim().strip_suffix(':')?.parse().ok())
}

/// The `time`/`utctime` decorator of a unified-logging line: `[2026-11-26T07:26:34.815+0000]`.
fn gc_line_time(line: &str) -> Option<DateTime<FixedOffset>> {
    let rest = line.strip_prefix('[')?;
    let end = rest.find(']')?;
    DateTime::parse_from_str(&rest[..end], "%Y-%m-%dT%H:%M:%S%.f%z").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIR: &str = "samples/scenarios/demo-jdk21-g1";

    fn demo() -> String {
        session_from_scenario(ScenarioTexts {
            nmt: include_str!("../../samples/scenarios/demo-jdk21-g1/nmt.log"),
            rss: include_str!("../../samples/scenarios/demo-jdk21-g1/rss.log"),
            gc: include_str!("../../samples/scenarios/demo-jdk21-g1/gc.log"),
            note: DEMO_NOTE,
        })
    }

    /// Must match `examples/scenario_to_session.rs`'s note for the demo.
    const DEMO_NOTE: &str = "samples/scenarios/demo-jdk21-g1 (JDK 21, G1, leaking heap + direct buffers + classes), converted by examples/scenario_to_session.rs";

    #[test]
    fn the_committed_demo_session_is_the_conversion_of_its_scenario() {
        let committed = include_str!("../../samples/sessions/demo.jvmem");
        assert!(
            committed == demo(),
            "samples/sessions/demo.jvmem is stale: run `cargo run --example scenario_to_session -- {DIR} samples/sessions/demo.jvmem`"
        );
    }

    #[test]
    fn the_demo_keeps_every_snapshot_sample_and_gc_line() {
        let session = demo();
        let timeline = super::super::read_session(&Arc::from("demo.jvmem"), &session);
        assert_eq!(timeline.snapshots.len(), 61);
        assert_eq!(timeline.process.len(), 61);
        assert!(
            timeline
                .snapshots
                .iter()
                .all(|s| s.complete && s.pid == Some(7796))
        );
        assert_eq!(
            timeline.error_count(),
            timeline
                .diagnostics
                .iter()
                .filter(|d| d.message.contains("GC logs are not supported"))
                .count()
        );
        let decoded = super::super::read_records(&Arc::from("demo.jvmem"), &session);
        let gc: String = decoded
            .records
            .iter()
            .filter(|(_, r)| r.kind == "gc")
            .filter_map(|(_, r)| r.text.clone())
            .collect();
        assert_eq!(
            gc,
            include_str!("../../samples/scenarios/demo-jdk21-g1/gc.log")
        );
        // Records are in time order.
        assert!(decoded.records.windows(2).all(|w| w[0].1.t <= w[1].1.t));
    }
}
