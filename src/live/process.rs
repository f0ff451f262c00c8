//! Process memory as the kernel sees it: `VmRSS` from `/proc/PID/status`, and the memory
//! usage and limit of the process's cgroup (v2 `memory.current`/`memory.max`, or v1
//! `memory.usage_in_bytes`/`memory.limit_in_bytes`). Whatever cannot be read stays `None`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::model::ProcessSample;

/// v1 reports "no limit" as a huge page-aligned number; anything above this is unlimited.
const UNLIMITED_ABOVE: u64 = 1 << 60;

/// Reads a sample of process `pid` from the real `/proc` and `/sys/fs/cgroup`; `None` when
/// the process does not exist (or `/proc/PID/status` cannot be read).
pub fn read_process_sample(pid: u32, at: DateTime<FixedOffset>) -> Option<ProcessSample> {
    read_process_sample_in(Path::new("/"), pid, at)
}

/// Like [`read_process_sample`], with `/proc` and `/sys` under `root` (for tests).
pub fn read_process_sample_in(
    root: &Path,
    pid: u32,
    at: DateTime<FixedOffset>,
) -> Option<ProcessSample> {
    let proc_dir = root.join("proc").join(pid.to_string());
    let status = std::fs::read_to_string(proc_dir.join("status")).ok()?;
    let rss_bytes = vm_rss_bytes(&status);
    let cgroups = std::fs::read_to_string(proc_dir.join("cgroup")).unwrap_or_default();
    let (cgroup_usage_bytes, cgroup_limit_bytes) = cgroup_memory(root, &cgroups);
    Some(ProcessSample {
        timestamp: at,
        rss_bytes,
        cgroup_usage_bytes,
        cgroup_limit_bytes,
    })
}

/// `VmRSS:  123456 kB` (a tab after the colon) → bytes.
fn vm_rss_bytes(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let mut parts = line["VmRSS:".len()..].split_whitespace();
    let value: u64 = parts.next()?.parse().ok()?;
    let unit = match parts.next().unwrap_or("kB") {
        "kB" | "KB" | "kb" => 1024,
        "mB" | "MB" => 1 << 20,
        "B" => 1,
        _ => return None,
    };
    value.checked_mul(unit)
}

/// (usage, limit) of the memory cgroup named in `/proc/PID/cgroup` text.
fn cgroup_memory(root: &Path, cgroups: &str) -> (Option<u64>, Option<u64>) {
    let sys = root.join("sys/fs/cgroup");
    for line in cgroups.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_id), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let relative = path.trim_start_matches('/');
        if controllers.is_empty() {
            // cgroup v2 (unified). Inside a container's namespace the path may not exist
            // under /sys/fs/cgroup; the namespace root is then the process's own cgroup.
            let dirs = candidates(&sys, relative);
            if let Some(found) = first_readable(&dirs, "memory.current", "memory.max") {
                return found;
            }
        } else if controllers.split(',').any(|c| c == "memory") {
            let dirs = candidates(&sys.join("memory"), relative);
            if let Some(found) =
                first_readable(&dirs, "memory.usage_in_bytes", "memory.limit_in_bytes")
            {
                return found;
            }
        }
    }
    (None, None)
}

fn candidates(base: &Path, relative: &str) -> Vec<PathBuf> {
    if relative.is_empty() {
        vec![base.to_path_buf()]
    } else {
        vec![base.join(relative), base.to_path_buf()]
    }
}

fn first_readable(
    dirs: &[PathBuf],
    usage: &str,
    limit: &str,
) -> Option<(Option<u64>, Option<u64>)> {
    dirs.iter().find_map(|dir| {
        let usage = read_number(&dir.join(usage));
        let limit = read_number(&dir.join(limit));
        (usage.is_some() || limit.is_some())
            .then(|| (usage, limit.filter(|&l| l < UNLIMITED_ABOVE)))
    })
}

/// A cgroup file's number; `max` (no limit) and unreadable files are `None`.
fn read_number(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    #[test]
    fn rss_and_cgroup_v2_and_v1() {
        let at = super::super::capture_time();
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "proc/42/status",
            "Name:\tjava\nVmRSS:\t  2048 kB\nThreads: 9\n",
        );
        write(root, "proc/42/cgroup", "0::/kubepods/pod1/abc\n");
        write(
            root,
            "sys/fs/cgroup/kubepods/pod1/abc/memory.current",
            "4096\n",
        );
        write(
            root,
            "sys/fs/cgroup/kubepods/pod1/abc/memory.max",
            "1073741824\n",
        );
        let s = read_process_sample_in(root, 42, at).expect("sample");
        assert_eq!(s.rss_bytes, Some(2048 * 1024));
        assert_eq!(s.cgroup_usage_bytes, Some(4096));
        assert_eq!(s.cgroup_limit_bytes, Some(1 << 30));

        // A namespaced path that is not visible: the namespace root is read; `max` is no limit.
        write(root, "proc/43/status", "VmRSS:\t 1 kB\n");
        write(root, "proc/43/cgroup", "0::/not/here\n");
        write(root, "sys/fs/cgroup/memory.current", "77\n");
        write(root, "sys/fs/cgroup/memory.max", "max\n");
        let s = read_process_sample_in(root, 43, at).expect("sample");
        assert_eq!(
            (s.cgroup_usage_bytes, s.cgroup_limit_bytes),
            (Some(77), None)
        );

        // cgroup v1, unlimited written as a huge number.
        let v1 = tempfile::tempdir().expect("tempdir");
        write(v1.path(), "proc/7/status", "VmRSS: garbage\n");
        write(
            v1.path(),
            "proc/7/cgroup",
            "5:cpu,cpuacct:/x\n4:memory:/docker/abc\n",
        );
        write(
            v1.path(),
            "sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes",
            "900\n",
        );
        write(
            v1.path(),
            "sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes",
            "9223372036854771712\n",
        );
        let s = read_process_sample_in(v1.path(), 7, at).expect("sample");
        assert_eq!(s.rss_bytes, None);
        assert_eq!(
            (s.cgroup_usage_bytes, s.cgroup_limit_bytes),
            (Some(900), None)
        );

        assert!(read_process_sample_in(root, 999, at).is_none());
    }

    #[test]
    fn reads_this_process() {
        if let Some(s) = read_process_sample(std::process::id(), super::super::capture_time()) {
            assert!(s.rss_bytes.unwrap_or(0) > 0);
        }
    }
}
