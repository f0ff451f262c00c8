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
    // Tried again in issue 19: a SWAR search (two words a step, `] ` where both XORs are
    // zero) took 14.8 M instructions against memmem's 12.1 M on the 8 MiB cut of the bench log.
    static END: std::sync::LazyLock<super::find::PairFinder> =
        std::sync::LazyLock::new(|| super::find::PairFinder::new(*b"] "));
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
    times_with(prefix, parse_iso)
}

/// [`times`] with the ISO date read through `cache` (consecutive collections share their
/// date, hour and minute, so only the seconds are read again).
pub fn times_cached(
    prefix: &[u8],
    cache: &mut IsoCache,
) -> (Option<DateTime<FixedOffset>>, Option<f64>) {
    times_with(prefix, |g| cache.parse(g))
}

fn times_with(
    prefix: &[u8],
    mut iso: impl FnMut(&[u8]) -> Option<DateTime<FixedOffset>>,
) -> (Option<DateTime<FixedOffset>>, Option<f64>) {
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
            timestamp = iso(g);
        } else if uptime.is_none() {
            if let Some(u) = parse_uptime(g) {
                uptime = Some(u);
            }
        }
        // The first of each wins: the groups after both (level, tags) cannot change them.
        if timestamp.is_some() && uptime.is_some() {
            break;
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
    if g.get(4) != Some(&b'-') || g.get(7) != Some(&b'-') || g.get(10) != Some(&b'T') {
        return None;
    }
    let (year, month, day) = (digits(g, 0..4)?, digits(g, 5..7)?, digits(g, 8..10)?);
    let (hour, minute) = (digits(g, 11..13)?, digits(g, 14..16)?);
    let (second, nanos, offset_at) = seconds(g)?;
    let offset_s = offset_seconds(g, offset_at)?;
    let naive = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)?;
    FixedOffset::east_opt(offset_s)?
        .from_local_datetime(&naive)
        .single()
}

/// The number written in `g[range]`, every byte a digit.
fn digits(g: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    g.get(range)?.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// The seconds (`03`), the nanoseconds of an optional `.651` and where the offset starts.
fn seconds(g: &[u8]) -> Option<(u32, u32, usize)> {
    let second = digits(g, 17..19)?;
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
    Some((second, nanos, i))
}

/// The offset at `g[i..]` in seconds: `+0800`, `+08:00`, `-0500`, `Z` or nothing. It reads at
/// most [`OFFSET_BYTES`] bytes.
fn offset_seconds(g: &[u8], i: usize) -> Option<i32> {
    match g.get(i) {
        Some(b'Z') | None => Some(0),
        Some(sign @ (b'+' | b'-')) => {
            let h = i32::try_from(digits(g, i + 1..i + 3)?).ok()?;
            let m_start = if g.get(i + 3) == Some(&b':') {
                i + 4
            } else {
                i + 3
            };
            let m = i32::try_from(digits(g, m_start..m_start + 2).unwrap_or(0)).ok()?;
            let s = h * 3600 + m * 60;
            Some(if *sign == b'-' { -s } else { s })
        }
        _ => None,
    }
}

/// Bytes of an offset [`offset_seconds`] can read: sign, hours, `:`, minutes.
const OFFSET_BYTES: usize = 6;

/// The minute of the last timestamp read: a unified log prints the time of every line, and
/// consecutive collections share their date, hour, minute and offset, so [`IsoCache::parse`]
/// reads only the seconds of the next one. Building a chrono date from year, month and day
/// was most of the ~1,100 instructions [`times`] took per collection (callgrind).
#[derive(Debug, Clone, Default)]
pub struct IsoCache {
    /// `YYYY-MM-DDTHH:MM` as printed: every byte [`parse_iso`] reads before the seconds.
    minute: [u8; 16],
    /// The offset as printed (up to [`OFFSET_BYTES`] bytes) and its length.
    offset: [u8; OFFSET_BYTES],
    offset_len: usize,
    /// That minute in UTC: its date, its second of the day, and the offset.
    utc: Option<(chrono::NaiveDate, u32, FixedOffset)>,
}

impl IsoCache {
    /// [`parse_iso`], the same value for every input, reading only the seconds when the date,
    /// hour, minute and offset are those of the previous call.
    pub fn parse(&mut self, g: &[u8]) -> Option<DateTime<FixedOffset>> {
        use chrono::{NaiveDateTime, NaiveTime, Timelike};
        let (Some(minute), Some((second, nanos, at))) = (g.get(..16), seconds(g)) else {
            return parse_iso(g);
        };
        let offset = g
            .get(at..g.len().min(at + OFFSET_BYTES))
            .unwrap_or_default();
        if let Some((date, minute_s, tz)) = self.utc {
            if minute == self.minute && Some(offset) == self.offset.get(..self.offset_len) {
                // `and_hms_nano_opt` refuses a 60th second; `nanos` is below 10^9.
                if second >= 60 {
                    return None;
                }
                if let Some(t) =
                    NaiveTime::from_num_seconds_from_midnight_opt(minute_s + second, nanos)
                {
                    let utc = NaiveDateTime::new(date, t);
                    return Some(DateTime::from_naive_utc_and_offset(utc, tz));
                }
            }
        }
        let parsed = parse_iso(g);
        self.utc = None;
        if let Some(dt) = parsed {
            let utc = dt.naive_utc();
            // A minute that crosses midnight in UTC is not kept (its seconds would wrap).
            if let Some(minute_s) = utc.num_seconds_from_midnight().checked_sub(second) {
                self.minute.copy_from_slice(minute);
                self.offset_len = offset.len();
                if let Some(o) = self.offset.get_mut(..offset.len()) {
                    o.copy_from_slice(offset);
                    self.utc = Some((utc.date(), minute_s, *dt.offset()));
                }
            }
        }
        parsed
    }
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
    fn cached_iso_reads_what_parse_iso_reads() {
        // Runs of one minute, a minute/hour/day/year change, offsets of every spelling, an
        // offset change within a minute, invalid seconds and garbage after a cached minute.
        let inputs = [
            "2022-08-17T00:34:03.651+0800",
            "2022-08-17T00:34:03.652+0800",
            "2022-08-17T00:34:59.999+0800",
            "2022-08-17T00:34:60.000+0800",
            "2022-08-17T00:34:99.000+0800",
            "2022-08-17T00:34:0x.000+0800",
            "2022-08-17T00:34:05+0800",
            "2022-08-17T00:34:05.1+0800",
            "2022-08-17T00:34:05.123456789123+0800",
            "2022-08-17T00:34:05.115+08:00",
            "2022-08-17T00:34:05.115-0500",
            "2022-08-17T00:34:05.115Z",
            "2022-08-17T00:34:05.115",
            "2022-08-17T00:34:05.115+08",
            "2022-08-17T00:34:05.115?0800",
            "2022-08-17T00:35:00.000+0800",
            "2022-08-17T07:59:59.999+0800",
            "2022-08-17T08:00:00.000+0800",
            "2022-08-17T23:59:59.999-0100",
            "2022-08-18T00:00:00.000-0100",
            "2022-12-31T23:59:30.000+0000",
            "2023-01-01T00:00:00.000+0000",
            "2023-02-29T00:00:00.000+0000",
            "2024-02-29T00:00:00.000+0000",
            "2024-02-29T00:00:01.000+0000",
            "2024-02-29T24:00:01.000+0000",
            "2024-02-29T10:60:01.000+0000",
            "2024-02-29T10:10:01.000+9900",
            "2024-02-29T10:10:02.000+9900",
            "2024-02-29T10:10:02.000+0000]junk",
            "2024-02-29T10:10:03.000+0000]junk",
            "2024-02-29X10:10:03.000+0000",
            "2024-02-29T10:10",
            "2024-02-29T10:10:0",
        ];
        let mut cache = IsoCache::default();
        for round in 0..2 {
            for s in inputs {
                let want = parse_iso(s.as_bytes());
                assert_eq!(cache.parse(s.as_bytes()), want, "{s} (round {round})");
                assert_eq!(cache.parse(s.as_bytes()), want, "{s} again");
            }
        }
        // Every second of a minute after its first, and the minute after.
        for sec in 0..60 {
            for frac in ["", ".000", ".5", ".999999999"] {
                let s = format!("2026-11-26T07:26:{sec:02}{frac}+0530");
                assert_eq!(cache.parse(s.as_bytes()), parse_iso(s.as_bytes()), "{s}");
            }
        }
    }

    #[test]
    fn cached_times_read_what_times_reads() {
        let mut cache = IsoCache::default();
        for p in [
            &b"[2022-08-17T00:34:05.115+0800][1.466s][info][gc]"[..],
            b"[2022-08-17T00:34:06.115+0800][2.466s][info][gc]",
            b"[1.466s][2022-08-17T00:34:07.115+0800][info][gc]",
            b"[2022-08-17T00:34:xx.115+0800][2022-08-17T00:34:08.115+0800][3s]",
            b"[1666666666666ms][1466ms][info]",
            b"[info][gc]",
            b"",
        ] {
            assert_eq!(times_cached(p, &mut cache), times(p));
        }
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
