//! What jcmd prints when it cannot give a snapshot, turned into messages that say what to do.

/// If `line` is one of jcmd's failure answers, the message to show for it.
pub fn jcmd_failure(line: &str) -> Option<&'static str> {
    const KNOWN: &[(&str, &str)] = &[
        (
            "Native memory tracking is not enabled",
            "jcmd: native memory tracking is not enabled in that JVM; restart it with \
             -XX:NativeMemoryTracking=summary (or =detail)",
        ),
        (
            "No baseline for comparison",
            "jcmd: no baseline for summary.diff; run `jcmd <pid> VM.native_memory baseline` first",
        ),
        (
            "No such process",
            "jcmd: no such process (the JVM is gone, or the PID is from another PID namespace)",
        ),
        (
            "non existent JVM pid",
            "jcmd: no JVM with that PID (the JVM is gone, or the PID is from another PID namespace)",
        ),
        (
            "Could not find any Java process",
            "jcmd: could not find any Java process (wrong PID, or a different user/container)",
        ),
        (
            "Could not find any processes matching",
            "jcmd: no Java process matched that name or PID",
        ),
        (
            "AttachNotSupportedException",
            "jcmd: could not attach to the JVM (run jcmd as the JVM's user, in its container; \
             check -XX:+DisableAttachMechanism and /tmp)",
        ),
        (
            "Unable to open socket file",
            "jcmd: could not attach to the JVM: its attach socket is missing \
             (different /tmp or user; the JVM may not be responding)",
        ),
        (
            "Permission denied",
            "jcmd: permission denied (run jcmd as the JVM's user)",
        ),
    ];
    KNOWN
        .iter()
        .find(|(needle, _)| line.contains(needle))
        .map(|(_, message)| *message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_failure() {
        let cases = [
            ("Native memory tracking is not enabled", "not enabled"),
            ("No baseline for comparison", "baseline"),
            ("java.io.IOException: No such process", "no such process"),
            (
                "java.io.IOException: non existent JVM pid: 999999",
                "no JVM with that PID",
            ),
            ("Could not find any Java process.", "could not find"),
            ("Could not find any processes matching : 'foo'", "matched"),
            (
                "com.sun.tools.attach.AttachNotSupportedException: Unable to open socket file: target process 1 doesn't respond",
                "attach",
            ),
        ];
        for (line, expect) in cases {
            let message = jcmd_failure(line).unwrap_or_else(|| panic!("{line}"));
            assert!(message.contains(expect), "{line} → {message}");
        }
        assert_eq!(jcmd_failure("Total: reserved=1KB, committed=1KB"), None);
        assert_eq!(jcmd_failure("2026-11-26 INFO the app is not sad"), None);
    }
}
