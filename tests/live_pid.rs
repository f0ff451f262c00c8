//! `PidSource` against a real JVM started with NMT on: two polls, recorded, read back.
//! Skips (saying so) when `java` or `jcmd` is not on PATH.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use jvmem::live::{PidSource, PollOptions, Sink};
use jvmem::model::Update;
use jvmem::session::read_session;

use common::{Jvm, on_path, recorder};

const SLEEP_JAVA: &str = "public class Sleep { public static void main(String[] a) throws Exception { System.out.println(\"ready\"); Thread.sleep(120_000); } }\n";

#[test]
fn polls_a_real_jvm_twice_and_records_a_replayable_session() {
    if !on_path("java") || !on_path("jcmd") {
        eprintln!("SKIPPED: `java` and `jcmd` must be on PATH to test --pid against a real JVM");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let jvm = Jvm::start_ready(
        dir.path(),
        SLEEP_JAVA,
        &["-XX:NativeMemoryTracking=summary", "-Xmx64m"],
    );
    let pid = jvm.pid();

    let (session, recorder) = recorder(dir.path(), "pid.jvmem");
    let (tx, rx) = mpsc::channel();
    let handle = PidSource {
        retry: false,
        pid,
        jcmd: "jcmd".into(),
        poll: PollOptions {
            interval: Duration::from_secs(1),
        },
    }
    .spawn(Sink::new(tx, Some(recorder)))
    .expect("spawn");

    let mut snapshots = Vec::new();
    let mut processes = Vec::new();
    let mut statuses = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    while snapshots.len() < 2 && Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(Update::Snapshots(s)) => snapshots.extend(s),
            Ok(Update::Process(p)) => processes.push(p),
            Ok(Update::Status { message, .. }) => statuses.push(message),
            _ => {}
        }
    }
    handle.stop();
    drop(jvm);
    // A poll that started meanwhile was recorded too: take what it sent.
    for update in rx.try_iter() {
        match update {
            Update::Snapshots(s) => snapshots.extend(s),
            Update::Process(p) => processes.push(p),
            _ => {}
        }
    }
    assert!(snapshots.len() >= 2, "statuses: {statuses:?}");
    for s in &snapshots {
        assert_eq!(s.pid, Some(pid));
        assert!(s.complete);
        assert!(s.committed("Java Heap") > 0);
        assert!(s.timestamp.is_some());
    }
    assert!(processes.iter().all(|p| p.rss_bytes.unwrap_or(0) > 0));
    assert!(!processes.is_empty());

    let text = std::fs::read_to_string(&session).expect("session");
    let replayed = read_session(&Arc::from("pid.jvmem"), &text);
    assert_eq!(replayed.snapshots, snapshots);
    assert_eq!(replayed.process.len(), processes.len());
}
