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
    // Fast path: decorators hold no `] ` inside (tags are padded with spaces *before* their
    // `]`), so the first `] ` ends the prefix. One SIMD search instead of a walk per group.
    static END: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"] "));
    let starts_like_decorator =
        matches!(line, [b'[', c, ..] if c.is_ascii_digit() || c.is_ascii_lowercase());
    if !starts_like_decorator {
        return (&[], line);
    }
    match END.find(line) {
        Some(end) if end < 256 => (
            line.get(..end + 1).unwrap_or_default(),
            line.get(end + 2..).unwrap_or_default(),
        ),
        _ => split_slow(line),
    }
}

/// Walks group by group (a line whose message is empty, or odd brackets).
fn split_slow(line: &[u8]) -> (&[u8], &[u8]) {
    let mut pos = 0;
    while line.get(pos) == Some(&b'[') {
        let Some(first) = line.get(pos + 1) else {
            break;
        };
        if !(first.is_ascii_digit() || first.is_ascii_lowercase()) {
            break;
        }
        let Some(close) = line
            .get(pos + 1..)
            .and_then(|r| r.iter().position(|c| *c == b']'))
        else {
            break;
        };
        pos += close + 2;
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
    !prefix.is_empty()
        && prefix
            .split(|c| *c == b']')
            .any(|g| is_known_decorator(g.strip_prefix(b"[").unwrap_or(g)))
}

fn is_known_decorator(g: &[u8]) -> bool {
    matches!(
        g,
        b"info" | b"debug" | b"trace" | b"warning" | b"error" | b"warn"
    ) || g.starts_with(b"gc")
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
        if timestamp.is_none()
            && g.len() >= 19
            && g.get(4) == Some(&b'-')
            && g.get(10) == Some(&b'T')
        {
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
/// Read by hand: it runs once per event and chrono's format-string parser is ten times slower.
pub fn parse_iso(g: &[u8]) -> Option<DateTime<FixedOffset>> {
    use chrono::{NaiveDate, TimeZone};
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let d = g.get(range)?;
        d.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if g.get(4) != Some(&b'-') || g.get(7) != Some(&b'-') || g.get(10) != Some(&b'T') {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut i = 19;
    let mut nanos = 0u32;
    if matches!(g.get(i), Some(b'.' | b',')) {
        i += 1;
        let mut scale = 100_000_000u32;
        while let Some(c) = g.get(i).filter(|c| c.is_ascii_digit()) {
            nanos += u32::from(c - b'0') * scale;
            scale /= 10;
            i += 1;
        }
    }
    let offset_s = match g.get(i) {
        Some(b'Z') | None => 0,
        Some(sign @ (b'+' | b'-')) => {
            let h = i32::try_from(num(i + 1..i + 3)?).ok()?;
            let m_start = if g.get(i + 3) == Some(&b':') {
                i + 4
            } else {
                i + 3
            };
            let m = i32::try_from(num(m_start..m_start + 2).unwrap_or(0)).ok()?;
            let s = h * 3600 + m * 60;
            if *sign == b'-' { -s } else { s }
        }
        _ => return None,
    };
    let naive = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)?;
    FixedOffset::east_opt(offset_s)?
        .from_local_datetime(&naive)
        .single()
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
    fn reads_iso_like_chrono() {
        for s in [
            "2022-08-17T00:34:03.651+0800",
            "2016-12-21T14:28:11.041-0500",
            "2024-01-01T00:00:00.000+0000",
        ] {
            let want = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z").ok();
            assert_eq!(parse_iso(s.as_bytes()), want, "{s}");
        }
        assert_eq!(parse_iso(b"2022-08-17Tgarbage"), None);
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
