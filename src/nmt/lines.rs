//! What the NMT scanner reads around a snapshot, line by line: the lines themselves, the
//! `<pid>:` and timestamp lines before a header, a JVM version line, a summary pasted from its
//! `Total:` line, and a long line shortened for a message.

use chrono::{DateTime, FixedOffset};

use super::timestamp::parse_timestamp_line;

pub(super) fn timestamp_before(recent: &[(u64, &str)]) -> Option<DateTime<FixedOffset>> {
    recent
        .iter()
        .rev()
        .find_map(|(_, l)| parse_timestamp_line(strip_prompt(l)))
}

/// The lines of `text` (split on `\n` with memchr, which is faster than `str::split`).
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    ends.map(move |end| {
        // `\n` is ASCII, so both ends are char boundaries.
        let line = text.get(start..end).unwrap_or("");
        start = end + 1;
        line
    })
}

/// The version in a `jcmd PID VM.version` answer (`OpenJDK 64-Bit Server VM version
/// 21.0.8+9-LTS`) or `java -version` output (`OpenJDK Runtime Environment (build 17.0.15+6…)`).
pub(super) fn jvm_version_line(line: &str) -> Option<&str> {
    let t = line.trim();
    fn token(rest: &str) -> Option<&str> {
        let v = rest.split([' ', ',', ')']).next().unwrap_or("");
        (v.starts_with(|c: char| c.is_ascii_digit()) && v.len() <= 64).then_some(v)
    }
    if t.contains(" VM version ") && (t.starts_with("OpenJDK") || t.starts_with("Java HotSpot")) {
        return t
            .split_once(" VM version ")
            .and_then(|(_, rest)| token(rest));
    }
    if t.contains("Runtime Environment") {
        return t.split_once("(build ").and_then(|(_, rest)| token(rest));
    }
    None
}

/// Where `Total: reserved=…, committed=…` starts on `line`, when it is one: the first line of
/// a summary pasted without its header. Both amounts must be there, so prose that mentions a
/// total is not taken for one.
pub(super) fn headerless_total(line: &str) -> Option<usize> {
    let at = line.find("Total: reserved=")?;
    let rest = &line[at..];
    let committed = rest.find(", committed=")?;
    rest[committed + ", committed=".len()..]
        .starts_with(|c: char| c.is_ascii_digit())
        .then_some(at)
}

/// jcmd prints `<pid>:` on the line before the snapshot (a blank line between).
pub(super) fn pid_before(recent: &[(u64, &str)]) -> (Option<u32>, Option<u64>) {
    let Some((line_no, last)) = recent.last() else {
        return (None, None);
    };
    let token = last.split_whitespace().last().unwrap_or("");
    match token.strip_suffix(':').map(str::parse::<u32>) {
        Some(Ok(pid)) => (Some(pid), Some(*line_no)),
        _ => (None, None),
    }
}

/// Timestamp lines may come after a shell prompt (`$ date -Is` echoes are separate lines, but
/// `# 2026-11-26T06:39:00+00:00` comments are common in notes).
pub(super) fn strip_prompt(line: &str) -> &str {
    let t = line.trim();
    t.strip_prefix("# ")
        .or_else(|| t.strip_prefix("## "))
        .unwrap_or(t)
}

pub(super) fn shorten(line: &str) -> String {
    const MAX: usize = 160;
    if line.len() <= MAX {
        return line.to_string();
    }
    let mut end = MAX;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &line[..end])
}
