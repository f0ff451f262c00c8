//! The start of a legacy line: optional `-XX:+PrintGCDateStamps` date
//! (`2014-07-24T13:49:45.090+0400: `), optional uptime (`1.234: `, `1,234: `) and optional
//! `-XX:+PrintGCID` id (`#12: `), in that order.

use chrono::{DateTime, FixedOffset};

use crate::gclog::decorators::parse_iso;
use crate::gclog::numbers::{leading_f64, leading_u64};

/// What a line's prefix said, and the rest of the line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Prefix<'a> {
    pub timestamp: Option<DateTime<FixedOffset>>,
    pub uptime_s: Option<f64>,
    pub gc_id: Option<u64>,
    pub rest: &'a [u8],
}

/// The prefix with its date left as text: most lines with a prefix carry nothing (safepoint
/// times, `Application time:`), so the date is parsed only for the lines that need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Raw<'a> {
    pub date: Option<&'a [u8]>,
    pub uptime_s: Option<f64>,
    pub gc_id: Option<u64>,
    pub rest: &'a [u8],
}

impl<'a> Raw<'a> {
    /// A date or an uptime came before the rest.
    pub fn stamped(&self) -> bool {
        self.date.is_some() || self.uptime_s.is_some()
    }

    /// The prefix with its date parsed.
    pub fn parse(&self) -> Prefix<'a> {
        Prefix {
            timestamp: self.date.and_then(parse_iso),
            uptime_s: self.uptime_s,
            gc_id: self.gc_id,
            rest: self.rest,
        }
    }
}

/// Reads the prefix of `line` (leading spaces allowed).
pub fn prefix(line: &[u8]) -> Prefix<'_> {
    raw(line).parse()
}

/// Splits the prefix of `line` off (leading spaces allowed), its date unparsed.
pub fn raw(line: &[u8]) -> Raw<'_> {
    let mut p = Raw {
        rest: crate::gclog::numbers::trim_start(line),
        ..Raw::default()
    };
    // Most lines have no prefix at all: `[`, a letter, `-`, `}`.
    if !p
        .rest
        .first()
        .is_some_and(|c| c.is_ascii_digit() || *c == b'#')
    {
        return p;
    }
    // A concurrent thread's line can cut into another's prefix (`2.182: 2017-06-18T…: [CMS-…`):
    // take dates and uptimes as long as they come, keeping the first of each.
    for _ in 0..4 {
        let mut progressed = false;
        if looks_like_date(p.rest) {
            if let Some(colon) = crate::gclog::find::find(p.rest, b": ") {
                p.date = p.date.or(p.rest.get(..colon));
                p.rest = p.rest.get(colon + 2..).unwrap_or_default();
                progressed = true;
            }
        }
        if let Some((v, r)) = leading_f64(p.rest) {
            if let Some(r) = r.strip_prefix(b": ") {
                p.uptime_s = p.uptime_s.or(Some(v));
                p.rest = r;
                progressed = true;
            } else if r == b":" {
                p.uptime_s = p.uptime_s.or(Some(v));
                p.rest = b"";
            }
        }
        if !progressed {
            break;
        }
    }
    // Two threads' uptimes run together (`0.4660.466: : [GC concurrent-…]`, JDK 8 G1): the
    // record after them is still whole; the uptime is ambiguous and left out.
    if p.rest.first().is_some_and(u8::is_ascii_digit) {
        let digits = p
            .rest
            .iter()
            .position(|c| !(c.is_ascii_digit() || *c == b'.' || *c == b','))
            .unwrap_or(p.rest.len());
        let mut r = p.rest.get(digits..).unwrap_or_default();
        let mut colons = 0;
        while let Some(next) = r.strip_prefix(b": ") {
            r = next;
            colons += 1;
        }
        if colons >= 2 && r.starts_with(b"[") {
            p.rest = r;
        }
    }
    if let Some(r) = p.rest.strip_prefix(b"#") {
        if let Some((id, r)) = leading_u64(r) {
            if let Some(r) = r.strip_prefix(b": ") {
                p.gc_id = Some(id);
                p.rest = r;
            }
        }
    }
    p
}

fn looks_like_date(s: &[u8]) -> bool {
    s.len() >= 20
        && s.get(..4).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && s.get(4) == Some(&b'-')
        && s.get(10) == Some(&b'T')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prefixes() {
        let p = prefix(b"2014-07-24T13:49:45.090+0400: 1.5: #3: [GC (Allocation Failure)");
        assert_eq!(p.uptime_s, Some(1.5));
        assert_eq!(p.gc_id, Some(3));
        assert!(p.timestamp.is_some());
        assert_eq!(p.rest, b"[GC (Allocation Failure)");
        let p = prefix(b"2015-03-20T11:15:48.271+0100: 2015-03-20T11:15:48.271+0100: 0.4660.466: : [GC concurrent-root-region-scan-start]");
        assert!(p.timestamp.is_some());
        assert_eq!(p.rest, b"[GC concurrent-root-region-scan-start]");
        let p = prefix(b"[GC 1234K->100K(5000K), 0.0123 secs]");
        assert_eq!(p.uptime_s, None);
        assert_eq!(p.rest, b"[GC 1234K->100K(5000K), 0.0123 secs]");
    }
}
