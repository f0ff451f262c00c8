//! `jcmd PID Thread.print` → rows of thread-name groups (threads; most common top frame).
//!
//! ```text
//! Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):
//! "job-runner-3" #15 daemon prio=5 os_prio=0 cpu=0.10ms elapsed=4.00s tid=0x… nid=0x… waiting on condition  [0x…]
//!    java.lang.Thread.State: TIMED_WAITING (sleeping)
//!     at java.lang.Thread.sleep(java.base@17.0.15/Native Method)
//!     at JobScheduler.lambda$schedule$0(Culprits.java:171)
//! "VM Thread" os_prio=0 cpu=2.81ms elapsed=5.01s tid=0x… nid=0x… runnable
//! JNI global refs: 7, weak refs: 0
//! ```
//! (frames are indented with a tab.)
//! JDK 19+ print the OS thread id in brackets after `#N` (`"main" #1 [6179] prio=5`); VM
//! threads have no `#N`. A group is the name with its numbers stripped (`job-runner-%d`); its
//! note is the most common top frame of its members, with the first frame outside the JDK
//! (`java.lang.Thread.sleep from JobScheduler.lambda$schedule$0`).

use std::collections::HashMap;

use super::{Rows, strip_numbers};

/// True for the first line of a thread dump.
pub fn is_header(line: &str) -> bool {
    line.starts_with("Full thread dump")
}

/// The name in a thread's first line (`"name" #1 …`), `None` for other lines.
pub fn thread_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('"')?;
    let mut from = 0;
    while let Some(q) = rest[from..].find('"') {
        let at = from + q;
        let after = &rest[at + 1..];
        if after.is_empty()
            || [" #", " daemon", " prio=", " os_prio=", " cpu=", " tid="]
                .iter()
                .any(|p| after.starts_with(p))
        {
            return Some(&rest[..at]);
        }
        from = at + 1;
    }
    None
}

/// A stack frame line (`\tat pkg.Class.method(File.java:42)`) → `pkg.Class.method`.
pub fn frame_method(line: &str) -> Option<&str> {
    let frame = line.trim_start().strip_prefix("at ")?;
    Some(frame.split_once('(').map_or(frame, |(m, _)| m).trim_end())
}

fn is_jdk_frame(method: &str) -> bool {
    ["java.", "javax.", "jdk.", "sun.", "com.sun."]
        .iter()
        .any(|p| method.starts_with(p))
}

/// Lines that belong to a dump besides threads and frames.
fn is_dump_line(line: &str) -> bool {
    line.is_empty()
        || line.starts_with(|c: char| c.is_whitespace() || c == '"')
        || [
            "Threads class SMR info",
            "_java_thread_list",
            "0x",
            "}",
            "Found ",
            "Java stack information",
            "=====",
            "Locked ownable",
        ]
        .iter()
        .any(|p| line.starts_with(p))
}

/// One thread's group and the description of its top frame.
struct Thread {
    group: String,
    top: Option<String>,
    from: Option<String>,
}

impl Thread {
    fn note(&self) -> String {
        match (&self.top, &self.from) {
            (Some(top), Some(from)) if from != top => format!("{top} from {from}"),
            (Some(top), _) => top.clone(),
            (None, _) => "no Java frames".to_string(),
        }
    }
}

/// Reads threads after the `Full thread dump` line until `JNI global refs` (consumed) or a line
/// that cannot belong to a dump.
pub fn read(lines: &[&str], start: usize, rows: &mut Rows) -> usize {
    let mut threads: Vec<Thread> = Vec::new();
    let mut i = start;
    let mut end = lines.len();
    while let Some(line) = lines.get(i) {
        if line.starts_with("JNI global refs") {
            end = i + 1;
            break;
        }
        if !is_dump_line(line) {
            end = i;
            break;
        }
        if let Some(name) = thread_name(line) {
            threads.push(Thread {
                group: strip_numbers(name),
                top: None,
                from: None,
            });
        } else if let (Some(method), Some(t)) = (frame_method(line), threads.last_mut()) {
            if t.top.is_none() {
                t.top = Some(method.to_string());
            }
            if t.from.is_none() && !is_jdk_frame(method) {
                t.from = Some(method.to_string());
            }
        }
        i += 1;
    }
    // Most common note per group; ties go to the note seen first.
    let mut notes: HashMap<&str, Vec<(String, u64)>> = HashMap::new();
    for t in &threads {
        rows.add(&t.group, 0, 1);
        let counts = notes.entry(&t.group).or_default();
        let note = t.note();
        match counts.iter_mut().find(|(n, _)| *n == note) {
            Some((_, c)) => *c += 1,
            None => counts.push((note, 1)),
        }
    }
    for (group, counts) in notes {
        let best = counts
            .iter()
            .fold(None::<&(String, u64)>, |best, c| match best {
                Some(b) if b.1 >= c.1 => Some(b),
                _ => Some(c),
            });
        if let Some((note, _)) = best {
            rows.add(group, 0, 0).note = Some(std::sync::Arc::from(note.as_str()));
        }
    }
    rows.total_count = Some(threads.len() as u64);
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_java_vm_and_jdk19_threads() {
        assert_eq!(
            thread_name(r#""job-runner-3" #15 daemon prio=5 os_prio=0 cpu=0.10ms"#),
            Some("job-runner-3")
        );
        assert_eq!(
            thread_name(r#""main" #1 [6179] prio=5 os_prio=0"#),
            Some("main")
        );
        assert_eq!(
            thread_name(r#""VM Thread" os_prio=0 cpu=2.81ms"#),
            Some("VM Thread")
        );
        assert_eq!(thread_name(r#""say "hi"" #3 prio=5"#), Some(r#"say "hi""#));
        assert_eq!(thread_name("   java.lang.Thread.State: RUNNABLE"), None);
        assert_eq!(
            frame_method("\tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)"),
            Some("java.lang.Thread.sleep")
        );
        assert_eq!(frame_method("\t- parking to wait for <0x…>"), None);
    }
}
