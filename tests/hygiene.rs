//! Process and terminal hygiene of the whole binary: endless devices
//! refused, control characters from input never reaching the terminal.

// A failed unwrap in a test, or in the helpers it calls, is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use assert_cmd::Command;

fn jvmem() -> Command {
    let mut command = Command::cargo_bin("jvmem").expect("binary");
    command.timeout(Duration::from_secs(60));
    command
}

#[test]
fn gc_refuses_endless_devices_like_the_other_commands() {
    for device in ["/dev/zero", "/dev/urandom"] {
        let output = jvmem().args(["gc", device]).output().expect("run");
        assert_eq!(output.status.code(), Some(1), "{device}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("binary data"), "{device}: {stderr}");
    }
}

const OWNED: &str = "\x1b]0;owned\x07";
const CLEAR: &str = "\x1b[2J";

/// A real snapshot with a hostile category name, an unrecognized line and a hostile
/// timestamp-ish line: the same text twice (two snapshots, for diff and report).
fn hostile_nmt() -> String {
    let real = std::fs::read_to_string("samples/nmt/jdk25/summary.txt").expect("sample");
    let evil = real.replacen(
        "-                    Thread (",
        &format!("-      {OWNED}Thread{CLEAR} ("),
        1,
    );
    let evil = evil.replacen(
        "Native Memory Tracking:\n",
        &format!("Native Memory Tracking:\n{OWNED}weird line{CLEAR}\n"),
        1,
    );
    format!("2026-11-26T07:26:35+00:00\n{evil}\n2026-11-26T07:27:35+00:00\n{evil}")
}

/// Fails when stdout or stderr of `output` carries ESC or BEL.
fn assert_inert(what: &str, output: &std::process::Output) {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert!(
            !bytes.iter().any(|&b| b == 0x1b || b == 0x07),
            "{what}: {stream} carries a control character: {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn no_escape_sequence_from_the_input_reaches_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A hostile file name too.
    let nmt = dir.path().join(format!("snap{CLEAR}.txt"));
    std::fs::write(&nmt, hostile_nmt()).expect("write");
    let nmt = nmt.to_string_lossy().into_owned();
    let gc_real = std::fs::read_to_string("samples/scenarios/demo-jdk21-g1/gc.log").expect("gc");
    let gc = dir.path().join("gc.log");
    std::fs::write(
        &gc,
        format!("{gc_real}[1.0s][info][gc] {OWNED}not a gc line{CLEAR}\n"),
    )
    .expect("write");
    let gc = gc.to_string_lossy().into_owned();
    let session = dir.path().join("s.jvmem");
    let record = |t: &str| {
        serde_json::json!({"t": t, "source": format!("{OWNED}src"), "kind": "nmt", "text": hostile_nmt()})
            .to_string()
    };
    std::fs::write(
        &session,
        format!(
            "{{\"jvmem_session\":1,\"note\":\"{}\"}}\n{}\n{}\n",
            "\\u001b]0;owned\\u0007",
            record("2026-11-26T07:26:35Z"),
            record("2026-11-26T07:28:35Z")
        ),
    )
    .expect("write");
    let session = session.to_string_lossy().into_owned();
    let fake_jcmd = dir.path().join("jcmd");
    std::fs::write(
        &fake_jcmd,
        format!("#!/bin/sh\nprintf '%s\\n' '{OWNED}Attach failed{CLEAR}'\nexit 1\n"),
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake_jcmd, std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    let missing = dir.path().join(format!("missing{OWNED}"));
    let missing = missing.to_string_lossy().into_owned();
    let pid = std::process::id().to_string();
    let (first, second) = (format!("{nmt}@1"), format!("{nmt}@2"));
    let runs: Vec<(&str, Vec<&str>, Option<String>)> = vec![
        ("report text", vec!["report", &nmt], None),
        (
            "report markdown",
            vec!["report", &nmt, "--format", "markdown"],
            None,
        ),
        ("report session", vec!["report", &session], None),
        ("report missing", vec!["report", &missing], None),
        ("export csv", vec!["export", &nmt, "--format", "csv"], None),
        (
            "export openmetrics",
            vec!["export", &nmt, "--format", "openmetrics"],
            None,
        ),
        (
            "export json",
            vec!["export", &nmt, "--format", "json"],
            None,
        ),
        (
            "export stdin",
            vec!["export", "-", "--format", "csv"],
            Some(hostile_nmt()),
        ),
        ("export binary", vec!["export", &missing], None),
        (
            "diff text",
            vec!["diff", &first, &second, "--format", "text"],
            None,
        ),
        ("gc verbose", vec!["gc", &gc, "--verbose"], None),
        ("replay piped", vec!["replay", &session], None),
        ("live stdin", vec!["live", "-"], Some(hostile_nmt())),
    ];
    for (what, args, stdin) in runs {
        let mut command = jvmem();
        command.args(&args);
        if let Some(text) = stdin {
            command.write_stdin(text);
        }
        let output = command.output().expect("run");
        assert_inert(what, &output);
    }
    // Polling sources: a command printing escapes, and a jcmd whose answer is hostile.
    let jcmd = fake_jcmd.to_string_lossy().into_owned();
    for (what, args) in [
        (
            "live --cmd",
            vec![
                "live",
                "--cmd",
                "printf '\\033]0;owned\\007 no snapshot\\033[2J'",
                "--interval",
                "200ms",
            ],
        ),
        (
            "live --pid",
            vec![
                "live",
                "--pid",
                &pid,
                "--jcmd",
                &jcmd,
                "--interval",
                "200ms",
            ],
        ),
    ] {
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("jvmem"))
            .args(&args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|child| {
                std::thread::sleep(Duration::from_millis(1500));
                let _ = std::process::Command::new("kill")
                    .arg(child.id().to_string())
                    .status();
                child.wait_with_output()
            })
            .expect("run");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("\\x1b]0;owned\\x07"),
            "{what}: the hostile text is shown escaped: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_inert(what, &output);
    }
}
