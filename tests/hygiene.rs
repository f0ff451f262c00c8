//! Process and terminal hygiene of the whole binary (issue 13 points 1–7): endless devices
//! refused, control characters from input never reaching the terminal.

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
