//! Who is still writing into our stdin. After `q` in `while sleep 10; do …; done | jvmem live -`
//! the shell waits for the loop, which does not end when jvmem does: the command in it that
//! next writes gets SIGPIPE, but the `while` goes on. Saying which process it is (read from
//! Linux's `/proc`: the processes whose descriptor is the writing end of the same pipe) tells
//! the person why the prompt has not come back.

use std::path::Path;

/// A process holding the writing end of a pipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipeWriter {
    pub pid: u32,
    /// `/proc/PID/comm`: `bash`, `sleep`.
    pub command: String,
}

/// The other processes that can still write into this process's stdin, when it is a pipe;
/// empty when it is not, when the writers have all exited, or without `/proc`.
pub fn stdin_writers() -> Vec<PipeWriter> {
    match std::fs::read_link("/proc/self/fd/0") {
        Ok(link) => pipe_writers_in(Path::new("/proc"), &link.to_string_lossy()),
        Err(_) => Vec::new(),
    }
}

/// The processes under `proc` (other than this one) with `pipe` (`pipe:[12345]`, as
/// `/proc/PID/fd/N` links read) open for writing.
pub fn pipe_writers_in(proc: &Path, pipe: &str) -> Vec<PipeWriter> {
    if !pipe.starts_with("pipe:[") {
        return Vec::new();
    }
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir(proc) else {
        return Vec::new();
    };
    let mut writers: Vec<PipeWriter> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter(|&pid| writes_to(&proc.join(pid.to_string()), pipe))
        .map(|pid| PipeWriter {
            pid,
            command: std::fs::read_to_string(proc.join(pid.to_string()).join("comm"))
                .map(|c| c.trim().to_string())
                .unwrap_or_default(),
        })
        .collect();
    writers.sort_by_key(|w| w.pid);
    writers
}

/// Whether the process in `dir` has `pipe` open write-only (`flags:` in `fdinfo` is octal;
/// the access mode is its low two bits, 1 = `O_WRONLY`).
fn writes_to(dir: &Path, pipe: &str) -> bool {
    let Ok(fds) = std::fs::read_dir(dir.join("fd")) else {
        return false;
    };
    fds.filter_map(Result::ok).any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|l| l.to_string_lossy() == pipe) && {
            let info = std::fs::read_to_string(dir.join("fdinfo").join(fd.file_name()));
            info.ok()
                .and_then(|i| {
                    let flags = i.lines().find_map(|l| l.strip_prefix("flags:"))?;
                    u32::from_str_radix(flags.trim(), 8).ok()
                })
                .is_some_and(|flags| flags & 0o3 == 0o1)
        }
    })
}

/// What to tell the person after quitting, or `None` when nobody writes into stdin any more:
/// `the command writing into stdin is still running (bash pid 4242, sleep pid 4250) …`.
pub fn still_running_note(writers: &[PipeWriter]) -> Option<String> {
    if writers.is_empty() {
        return None;
    }
    let names: Vec<String> = writers
        .iter()
        .map(|w| format!("{} pid {}", w.command, w.pid))
        .collect();
    Some(format!(
        "the command writing into stdin is still running ({}); a `while` loop goes on after \
         jvmem has quit, so the shell waits for it: press Ctrl-C to end the pipeline",
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsRawFd;
    use std::process::{Command, Stdio};

    use super::*;

    #[test]
    fn finds_the_child_writing_into_a_pipe_we_read() {
        if !Path::new("/proc/self/fd").exists() {
            eprintln!("skipped: no /proc");
            return;
        }
        let mut child = Command::new("sleep")
            .arg("30")
            .stdout(Stdio::piped())
            .spawn()
            .expect("sleep");
        let stdout = child.stdout.take().expect("pipe");
        let link =
            std::fs::read_link(format!("/proc/self/fd/{}", stdout.as_raw_fd())).expect("fd link");
        let writers = pipe_writers_in(Path::new("/proc"), &link.to_string_lossy());
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            writers,
            vec![PipeWriter {
                pid: child.id(),
                command: "sleep".into()
            }]
        );
        let note = still_running_note(&writers).expect("a note");
        assert!(
            note.contains(&format!("sleep pid {}", child.id())),
            "{note}"
        );
        // Once it has exited nobody writes, and a file is not a pipe at all.
        assert_eq!(
            pipe_writers_in(Path::new("/proc"), &link.to_string_lossy()),
            vec![]
        );
        assert_eq!(pipe_writers_in(Path::new("/proc"), "/dev/null"), vec![]);
        assert_eq!(still_running_note(&[]), None);
    }
}
