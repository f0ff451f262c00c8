//! The text of a snapshot line before its tokens are read: the indent, the `(…)` groups of a
//! sub-line, a log prefix.

/// `line.trim_ascii()`, skipping the deep indent of sub-lines (28 spaces) eight at a time.
pub(super) fn trim_indent(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut start = 0;
    while bytes.get(start..start + 8) == Some(b"        ") {
        start += 8;
    }
    // Spaces are ASCII, so `start` is a char boundary.
    line.get(start..).unwrap_or("").trim_ascii()
}

/// The insides of each `(…)` on a line; an unclosed last group runs to the end of the line.
/// (What `line.split('(').skip(1)` gives, cut at each part's first `)`; searched with memchr,
/// which costs a fraction of `str::split`'s char searcher on every sub-line.)
pub(super) fn groups(line: &str) -> impl Iterator<Item = &str> {
    let bytes = line.as_bytes();
    let mut open = memchr::memchr(b'(', bytes);
    std::iter::from_fn(move || {
        let start = open? + 1;
        let rest = bytes.get(start..).unwrap_or_default();
        open = memchr::memchr(b'(', rest).map(|at| start + at);
        let end = open.unwrap_or(bytes.len());
        let end = memchr::memchr(b')', &bytes[start..end]).map_or(end, |close| start + close);
        // `(` and `)` are ASCII, so both cuts are char boundaries.
        line.get(start..end)
    })
}

/// The content of a line that carries a log prefix (`2026-… stdout F `, `app | `): the text
/// from the first NMT anchor on. `None` when the line has content but no anchor (not NMT).
pub(super) fn strip_log_prefix(line: &str, prefix_len: usize) -> Option<&str> {
    if let Some(open) = line.find("(reserved=") {
        if let Some(dash) = line[..open].rfind('-') {
            return Some(&line[dash..]);
        }
    }
    let anchors = [
        "Total:",
        "(",
        " malloc",
        " mmap",
        "Virtual memory map:",
        "Details:",
    ];
    if let Some(at) = anchors.iter().filter_map(|a| line.find(a)).min() {
        return Some(&line[at..]);
    }
    if let Some(at) = line.find("Native Memory Tracking:") {
        return Some(&line[at..]);
    }
    // A prefix alone (the blank lines of the snapshot); its width varies a little with
    // timestamps that drop trailing zeros.
    (line.len() <= prefix_len + 12).then_some("")
}

#[cfg(test)]
mod tests {
    /// The memchr cut gives what `split('(')` with a search for `)` gave.
    #[test]
    fn groups_are_the_split_parts() {
        for line in [
            "(malloc=1KB #2) (peak=3KB #4)",
            "(mmap: reserved=1KB, committed=1KB)",
            "x (a) ((b) c) (unclosed é",
            "no groups",
            "(",
            "()()",
            "é(ü)ß(",
        ] {
            let split: Vec<&str> = line
                .split('(')
                .skip(1)
                .map(|p| p.find(')').map_or(p, |c| &p[..c]))
                .collect();
            assert_eq!(super::groups(line).collect::<Vec<_>>(), split, "{line:?}");
        }
    }
}
