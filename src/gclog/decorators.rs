//! Unified-logging decorators: the `[…]` groups before a message (`[2024-05-01T10:00:00.123+0000]`,
//! `[0.175s]`, `[1234ms]`, `[info]`, `[gc,heap     ]`, pid, tid, hostname), any subset, any order,
//! or none at all.
//!
//! Splitting is cheap (a few `memchr`s) and happens for every line; the time decorators are only
//! read for the lines that start or define an event.

use chrono::{DateTime, FixedOffset};

/// Splits a unified line into its decorator prefix and its message. Lines without decorators
/// give an empty prefix. Only groups that look like decorators are taken, so a message that
/// itself starts with `[` (legacy `[GC …`) stays whole.
pub fn split(line: &[u8]) -> (&[u8], &[u8]) {
    let mut pos = 0;
    while let Some(b'[') = line.get(pos) {
        let Some(first) = line.get(pos + 1) else { break };
        if !(first.is_ascii_digit() || first.is_ascii_lowercase()) {
            break;
        }
        let Some(close) = line.get(pos..).and_then(|r| memchr::memchr(b']', r)) else {
            break;
        };
        pos += close + 1;
    }
    let prefix = line.get(..pos).unwrap_or_default();
    let mut msg = line.get(pos..).unwrap_or_default();
    if pos > 0 {
        if let [b' ', rest @ ..] = msg {
            msg = rest;
        }
    }
    (prefix, msg)
}

/// True when `line` starts with at least one group that can only be a unified-logging decorator.
pub fn has_decorators(line: &[u8]) -> bool {
    let (prefix, _) = split(line);
    !prefix.is_empty() && prefix.split(|c| *c == b']').any(|g| is_known_decorator(g.strip_prefix(b"[").unwrap_or(g)))
}

fn is_known_decorator(g: &[u8]) -> bool {
    matches!(g, b"info" | b"debug" | b"trace" | b"warning" | b"error" | b"warn")
        || g.starts_with(b"gc")
        || g.starts_with(b"safepoint")
        || parse_uptime(g).is_some()
        || (g.len() >= 19 && g.get(4) == Some(&b'-') && g.get(10) == Some(&b'T'))
}

/// The wall-clock time and uptime carried by a decorator prefix, when present.
pub fn times(prefix: &[u8]) -> (Option<DateTime<FixedOffset>>, Option<f64>) {
    let mut timestamp = None;
    let mut uptime = None;
    for group in prefix.split(|c| *c == b']') {
        let g = group.strip_prefix(b"[").unwrap_or(group);
        if g.is_empty() {
            continue;
        }
        if timestamp.is_none() && g.len() >= 19 && g.get(4) == Some(&b'-') && g.get(10) == Some(&b'T') {
            timestamp = parse_iso(g);
        } else if uptime.is_none() {
            if let Some(u) = parse_uptime(g) {
                uptime = Some(u);
            }
        }
    }
    (timestamp, uptime)
}

/// `0.175s` → 0.175, `1234ms` → 1.234, `123456789ns` → 0.123…; `timemillis`/`timenanos` (epoch)
/// are told apart from uptimes by size and ignored.
fn parse_uptime(g: &[u8]) -> Option<f64> {
    let (value, rest) = super::numbers::leading_f64(g)?;
    let seconds = match rest {
        b"s" => value,
        b"ms" => value / 1e3,
        b"ns" => value / 1e9,
        _ => return None,
    };
    // Epoch-based decorators (timemillis/timenanos) would give dates, not uptimes.
    (seconds < 1e8).then_some(seconds)
}

/// ISO-8601 with offset, as `time`/`utctime` print it: `2022-08-17T00:34:03.651+0800`.
pub fn parse_iso(g: &[u8]) -> Option<DateTime<FixedOffset>> {
    let s = std::str::from_utf8(g).ok()?;
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_any_decorator_set() {
        let (p, m) = split(b"[0.207s][info][gc,heap      ] GC(0) Eden regions: 14->0(8)");
        assert_eq!(p, b"[0.207s][info][gc,heap      ]");
        assert_eq!(m, b"GC(0) Eden regions: 14->0(8)");
        let (p, m) = split(b"GC(0) Pause Young 1M->0M(2M) 1.0ms");
        assert!(p.is_empty());
        assert_eq!(m, b"GC(0) Pause Young 1M->0M(2M) 1.0ms");
        let (p, m) = split(b"[GC 1234K->100K(5000K), 0.01 secs]");
        assert!(p.is_empty());
        assert!(m.starts_with(b"[GC"));
    }

    #[test]
    fn reads_times() {
        let (t, u) = times(b"[2022-08-17T00:34:05.115+0800][1.466s][info][gc]");
        assert_eq!(u, Some(1.466));
        assert_eq!(t.unwrap().to_rfc3339(), "2022-08-17T00:34:05.115+08:00");
        let (t, u) = times(b"[1666666666666ms][1466ms][info]");
        assert_eq!(t, None);
        assert_eq!(u, Some(1.466));
        assert!(has_decorators(b"[info][gc] Using G1"));
        assert!(!has_decorators(b"[GC 123K->1K(5K), 0.1 secs]"));
    }
}
