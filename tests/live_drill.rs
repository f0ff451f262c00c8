//! `DrillSource` (`live --drill`) against a real JVM: one poll of every drill-down command,
//! recorded as `drill` records and read back the same. Skips (saying so) when `java` or
//! `jcmd` is not on PATH.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use jvmem::live::{DrillSource, DrillTarget, DrillTopic, PollOptions, Sink};
use jvmem::model::{DrillKind, Update};
use jvmem::session::read_session;

use common::{Jvm, on_path, recorder};

const SLEEP_JAVA: &str = "public class Sleep { public static void main(String[] a) throws Exception { for (int i = 0; i < 3; i++) { Thread t = new Thread(() -> { try { Thread.sleep(120_000); } catch (InterruptedException e) {} }, \"job-runner-\" + i); t.setDaemon(true); t.start(); } System.out.println(\"ready\"); Thread.sleep(120_000); } }\n";

#[test]
fn one_drill_poll_of_a_real_jvm_is_sent_recorded_and_replayed() {
    if !on_path("java") || !on_path("jcmd") {
        eprintln!("SKIPPED: `java` and `jcmd` must be on PATH to test --drill against a real JVM");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let jvm = Jvm::start_ready(
        dir.path(),
        SLEEP_JAVA,
        &[
            "-XX:NativeMemoryTracking=detail",
            "-Xmx64m",
            "-XX:ActiveProcessorCount=1",
        ],
    );
    let pid = jvm.pid();

    let (session, recorder) = recorder(dir.path(), "drill.jvmem");
    let (tx, rx) = mpsc::channel();
    let handle = DrillSource {
        target: DrillTarget::Pid {
            pid,
            jcmd: "jcmd".into(),
        },
        topics: vec![
            DrillTopic::Heap,
            DrillTopic::Classes,
            DrillTopic::Threads,
            DrillTopic::Native,
        ],
        poll: PollOptions {
            interval: Duration::from_secs(60),
        },
    }
    .spawn(Sink::new(tx, Some(recorder)))
    .expect("spawn");

    let mut captures = Vec::new();
    let mut statuses = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    // Five commands, six captures: `VM.metaspace show-loaders` is loader types and totals.
    while captures.len() < 6 && Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(Update::Drills(d)) => captures.extend(d),
            Ok(Update::Status { message, .. }) => statuses.push(message),
            _ => {}
        }
    }
    handle.stop();
    drop(jvm);
    let mut kinds: Vec<DrillKind> = captures.iter().map(|c| c.kind).collect();
    kinds.sort();
    assert_eq!(kinds, DrillKind::ALL.to_vec(), "statuses: {statuses:?}");
    assert!(statuses[0].contains("forces a full GC"), "{statuses:?}");
    for c in &captures {
        assert_eq!(c.pid, Some(pid));
        assert!(c.timestamp.is_some());
        assert!(!c.rows.is_empty());
    }
    let threads = captures
        .iter()
        .find(|c| c.kind == DrillKind::ThreadDump)
        .and_then(|c| c.row("job-runner-%d"))
        .expect("job runners");
    assert_eq!(threads.count, 3);

    let text = std::fs::read_to_string(&session).expect("session");
    assert_eq!(text.matches("\"kind\":\"drill\"").count(), 5);
    let replayed = read_session(&Arc::from("drill.jvmem"), &text);
    assert_eq!(replayed.drills.len(), 6);
    // Replay orders captures by time; several taken within one poll may share a second.
    let mut replayed_drills: Vec<_> = replayed.drills.iter().collect();
    replayed_drills.sort_by_key(|d| d.kind as u8);
    let mut captured: Vec<_> = captures.iter().collect();
    captured.sort_by_key(|d| d.kind as u8);
    for (a, b) in replayed_drills.into_iter().zip(captured) {
        assert_eq!((a.kind, &a.rows, a.pid), (b.kind, &b.rows, b.pid));
    }
}
