//! Timestamp lines users put before snapshots (`date -Is; jcmd …`), in the shapes shells print.
//!
//! Decision: a time without a zone (`2026-11-26 06:39:00`) is taken as UTC, as is a `date`
//! line whose zone abbreviation we cannot map to an offset. Abbreviations are ambiguous
//! (`IST`, `CST`), containers mostly run in UTC, and a consistent rule keeps the order of
//! snapshots right, which is what the timeline needs.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

/// Reads a whole (trimmed) line as a timestamp, or `None` if it is anything else.
pub fn parse_timestamp_line(line: &str) -> Option<DateTime<FixedOffset>> {
    let line = line.trim();
    let first = line.as_bytes().first()?;
    if first.is_ascii_digit() {
        rfc3339(line)
            .or_else(|| naive(line))
            .or_else(|| epoch(line))
    } else if first.is_ascii_alphabetic() {
        date_output(line)
    } else {
        None
    }
}

fn rfc3339(line: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(line)
        .ok()
        // `date -Is` on some systems prints `+0000` instead of `+00:00`.
        .or_else(|| DateTime::parse_from_str(line, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
        .or_else(|| DateTime::parse_from_str(line, "%Y-%m-%d %H:%M:%S%.f%z").ok())
        .or_else(|| DateTime::parse_from_str(line, "%Y-%m-%d %H:%M:%S%.f %z").ok())
}

fn naive(line: &str) -> Option<DateTime<FixedOffset>> {
    let line = line.strip_suffix(" UTC").unwrap_or(line);
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(line, f).ok())
        .map(|t| utc(Utc.from_utc_datetime(&t)))
}

/// Seconds since the epoch, optionally with a fraction: `1764139140`, `1764139140.25`.
/// Only 2001–5138 are accepted, so a plain number (a PID, a count) is not taken for a time.
fn epoch(line: &str) -> Option<DateTime<FixedOffset>> {
    let (secs, frac) = line.split_once('.').unwrap_or((line, ""));
    if !(10..=11).contains(&secs.len()) || !secs.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
        return None;
    }
    let secs: i64 = secs.parse().ok()?;
    let nanos = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse::<u32>().ok()?
    };
    DateTime::from_timestamp(secs, nanos).map(utc)
}

/// `date` output: `Thu Nov 26 07:20:50 UTC 2026` (and `Thu 26 Nov 2026 07:20:50 AM UTC`).
fn date_output(line: &str) -> Option<DateTime<FixedOffset>> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let (without_zone, zone) = match parts.as_slice() {
        [wd, mon, day, time, zone, year] => (format!("{wd} {mon} {day} {time} {year}"), *zone),
        [wd, day, mon, year, time, ampm, zone] => {
            (format!("{wd} {day} {mon} {year} {time} {ampm}"), *zone)
        }
        [wd, mon, day, time, year] => (format!("{wd} {mon} {day} {time} {year}"), "UTC"),
        _ => return None,
    };
    let naive = ["%a %b %e %H:%M:%S %Y", "%a %e %b %Y %I:%M:%S %p"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&without_zone, f).ok())?;
    let offset = FixedOffset::east_opt(zone_offset_seconds(zone))?;
    offset.from_local_datetime(&naive).single()
}

fn zone_offset_seconds(zone: &str) -> i32 {
    const HOUR: i32 = 3600;
    match zone {
        "CET" => HOUR,
        "CEST" => 2 * HOUR,
        "EET" => 2 * HOUR,
        "EEST" => 3 * HOUR,
        "BST" => HOUR,
        "EST" => -5 * HOUR,
        "EDT" => -4 * HOUR,
        "CDT" => -5 * HOUR,
        "MST" => -7 * HOUR,
        "MDT" => -6 * HOUR,
        "PST" => -8 * HOUR,
        "PDT" => -7 * HOUR,
        "JST" => 9 * HOUR,
        // UTC, GMT, Z and anything we cannot map: see the module note.
        _ => 0,
    }
}

fn utc(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.fixed_offset()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn reads_the_shapes_shells_print() {
        let t = rfc("2026-11-26T06:39:00+00:00");
        assert_eq!(parse_timestamp_line("2026-11-26T06:39:00+00:00"), Some(t));
        assert_eq!(parse_timestamp_line("2026-11-26T06:39:00Z"), Some(t));
        assert_eq!(parse_timestamp_line("2026-11-26T06:39:00+0000"), Some(t));
        assert_eq!(parse_timestamp_line("2026-11-26 06:39:00"), Some(t));
        assert_eq!(
            parse_timestamp_line("Thu Nov 26 06:39:00 UTC 2026"),
            Some(t)
        );
        assert_eq!(
            parse_timestamp_line("1795675140"),
            Some(rfc("2026-11-26T06:39:00Z"))
        );
        assert_eq!(
            parse_timestamp_line("Thu Nov 26 07:39:00 CET 2026"),
            Some(rfc("2026-11-26T07:39:00+01:00"))
        );
        assert_eq!(
            parse_timestamp_line("2026-11-26T07:39:00.5+01:00").map(|t| t.timestamp_millis()),
            Some(rfc("2026-11-26T06:39:00Z").timestamp_millis() + 500)
        );
    }

    #[test]
    fn leaves_other_lines_alone() {
        for line in [
            "3833:",
            "12345",
            "Total: reserved=1KB",
            "",
            "Thu",
            "2026-13-45 99:00:00",
        ] {
            assert_eq!(parse_timestamp_line(line), None, "{line}");
        }
    }
}
