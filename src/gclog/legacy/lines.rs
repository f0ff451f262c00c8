//! What one legacy line is, decided by one dispatch on its first byte after the prefix: a
//! collection record's opening, a concurrent phase, G1's `[Eden: …]` summary, a detail of a
//! record, a header, or noise (safepoint times, tenuring, adaptive sizing, heap dumps).
//!
//! The reader once tested each line against 33 prefixes, twice, then against the record and
//! header rules, and that was most of its time; now a line costs its prefix scan and one
//! `match`.

use super::prefix::Raw;
use crate::gclog::GcLogInfo;
use crate::gclog::driver::LineStatus;
use crate::gclog::find::find;
use crate::model::Collector;

/// What a line outside a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Opens a collection record (`[GC`, `[Full GC`, `[Pause …`).
    Record,
    /// A concurrent phase (`[CMS-concurrent-mark: …]`, `[GC concurrent-…]`, `[Concurrent …`).
    Fragment,
    /// G1's `[Eden: … Heap: …]` summary of the pause before it.
    Eden,
    /// Carries nothing for the events: noise, markers, `[Times: …]`, `[G1Ergonomics …`.
    Skip,
    /// A header line (`Java HotSpot…`, `CommandLine flags: …`, a rotation banner).
    Header,
    /// A detail of the record before it: indented, or a `[Name: …` group at the margin.
    Detail,
    /// None of these.
    Other,
}

/// Classifies a line outside a record (`p` is its prefix).
pub fn shape(line: &[u8], p: &Raw<'_>) -> Shape {
    let rest = p.rest;
    let indented = line.first().is_some_and(u8::is_ascii_whitespace);
    match rest.first() {
        Some(b'[') => {
            if is_fragment_line(rest) {
                return if indented && !p.stamped() {
                    Shape::Detail
                } else {
                    Shape::Fragment
                };
            }
            if is_collection_open(rest) {
                if indented && !p.stamped() {
                    return Shape::Detail;
                }
                return if is_start_marker(rest) {
                    Shape::Skip
                } else {
                    Shape::Record
                };
            }
            if rest.starts_with(b"[Eden: ") {
                return Shape::Eden;
            }
            if is_noise(rest) {
                return Shape::Skip;
            }
            if indented || is_detail_group(rest) {
                Shape::Detail
            } else {
                Shape::Other
            }
        }
        Some(b'J' | b'O' | b'C' | b'M') if !p.stamped() && is_header(line) => Shape::Header,
        Some(c) if c.is_ascii_digit() && is_rotation_banner(line) => Shape::Header,
        _ if is_noise(rest) => Shape::Skip,
        _ if indented => Shape::Detail,
        _ if is_histogram_line(line) => Shape::Skip,
        _ => Shape::Other,
    }
}

/// A line of a `-XX:+PrintClassHistogram` table (`[Class Histogram (after full gc):` opens
/// it): a row, the `-----` rule, or the `Total` line.
fn is_histogram_line(line: &[u8]) -> bool {
    if is_histogram_row(line) {
        return true;
    }
    if line.len() >= 8 && line.iter().all(|c| *c == b'-') {
        return true;
    }
    line.strip_prefix(b"Total ").is_some_and(|r| {
        let r = crate::gclog::numbers::trim_start(r);
        r.first().is_some_and(u8::is_ascii_digit)
            && r.iter().all(|c| c.is_ascii_digit() || *c == b' ')
    })
}

/// A line inside an open record that adds nothing to it: no bracket and no `->` (tenuring,
/// `PrintFLSStatistics` tables), a `PrintHeapAtGC` address range `[0x…, 0x…)` whose bracket
/// never closes, a G1 ergonomics line, or a class histogram row
/// (`   1:  2050241  4701812112  [Ljava.lang.Object;`, `-XX:+PrintClassHistogram`).
pub fn adds_nothing(line: &[u8], rest: &[u8]) -> bool {
    if memchr::memchr2(b'[', b']', line).is_none() {
        return find(line, b"->").is_none();
    }
    find(line, b"[0x").is_some()
        || rest.starts_with(b"[G1Ergonomics")
        || is_histogram_row(crate::gclog::numbers::trim_start(line))
}

/// `   1:       2050241     4701812112  [Ljava.lang.Object;`: rank, instances, bytes, class.
fn is_histogram_row(trimmed: &[u8]) -> bool {
    let rest = trimmed;
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || rest.get(digits) != Some(&b':') {
        return false;
    }
    let after = rest.get(digits + 1..).unwrap_or_default();
    let spaces = after.iter().take_while(|c| **c == b' ').count();
    spaces > 0 && after.get(spaces).is_some_and(u8::is_ascii_digit)
}

/// A concurrent phase at the start of `rest`: `[CMS-concurrent…`, `[ASCMS-concurrent…`
/// (`-XX:+UseAdaptiveSizePolicy` with CMS, JDK 6), `[GC concurrent…`, JDK 8 Shenandoah's
/// `[Concurrent …`.
pub fn is_fragment_line(rest: &[u8]) -> bool {
    rest.starts_with(b"[CMS-concurrent")
        || rest.starts_with(b"[GC concurrent")
        || rest.starts_with(b"[Concurrent ")
        || rest.starts_with(b"[ASCMS-concurrent")
}

/// `[GC` (not `[GC Worker…`, `[GC ref-proc…`), `[Full GC`, `[Pause ` at the start of `rest`;
/// concurrent fragments (`[GC concurrent…`, `[CMS-concurrent…`) are told apart before this.
pub(crate) fn is_collection_open(rest: &[u8]) -> bool {
    if let Some(after) = rest.strip_prefix(b"[GC") {
        // `[GC (Allocation Failure)`, `[GC 1.2: [ParNew`, `[GC[YG occupancy`, `[GC2014-…`,
        // `[GCAdaptiveSizePolicy…` (a record broken by -XX:+PrintAdaptiveSizePolicy).
        !(after.starts_with(b" Worker")
            || after.starts_with(b" ref-")
            || after.first().is_some_and(u8::is_ascii_lowercase))
    } else {
        rest.starts_with(b"[Full GC") || rest.starts_with(b"[Pause ")
    }
}

/// JDK 8 Shenandoah announces a pause before printing it: `[Pause Full, start]`.
fn is_start_marker(rest: &[u8]) -> bool {
    let trimmed = crate::gclog::numbers::trim_end(rest);
    trimmed.ends_with(b", start]") && memchr::memchr(b']', rest) == Some(trimmed.len() - 1)
}

/// A bracket group that details a collection rather than being one: a capitalised name and
/// then `:` or `, N secs]` (`[Parallel Time: 18.9 ms, GC Workers: 1]`, `[Update RS (ms): 0.0]`,
/// `[Preclean SoftReferences, 0.0000050 secs]`, `[Unloading class Foo 0x…]`).
fn is_detail_group(rest: &[u8]) -> bool {
    let Some(body) = rest.strip_prefix(b"[") else {
        return false;
    };
    if !body.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    if body.starts_with(b"Unloading class ") || body.starts_with(b"Loaded ") {
        return true;
    }
    let end = body
        .iter()
        .position(|c| !(c.is_ascii_alphabetic() || matches!(c, b' ' | b'(' | b')' | b'-' | b'_')))
        .unwrap_or(body.len());
    match body.get(end..) {
        Some([b':', ..]) => true,
        Some([b',', b' ', rest @ ..]) => super::record::secs(rest).is_some(),
        _ => false,
    }
}

/// True when `line` starts a legacy collection record (or a G1/CMS line only legacy logs print).
pub fn is_record_start(line: &[u8]) -> bool {
    let p = super::prefix::raw(line);
    let rest = p.rest;
    rest.starts_with(b"[GC")
        || rest.starts_with(b"[Full GC")
        || rest.starts_with(b"[CMS-concurrent")
        || (p.stamped() && matches!(rest, [b'[', c, ..] if c.is_ascii_uppercase()))
}

/// True for lines only legacy logs have (the JVM banner, `CommandLine flags:`, heap dumps,
/// a safepoint line with a legacy date/uptime prefix).
pub fn is_legacy_only(line: &[u8]) -> bool {
    let p = super::prefix::raw(line);
    (p.stamped() && is_noise(p.rest))
        || is_rotation_banner(line)
        || line.starts_with(b"Java HotSpot")
        || line.starts_with(b"OpenJDK")
        || line.starts_with(b"CommandLine flags:")
        || line.starts_with(b"{Heap before GC")
}

/// `-XX:+UseGCLogFileRotation` banners: `2024-03-01 10:00:00 GC log file created gc.log.0`,
/// `… GC log file has reached the maximum size. Saved as gc.log.0`.
fn is_rotation_banner(line: &[u8]) -> bool {
    line.first().is_some_and(u8::is_ascii_digit) && find(line, b" GC log file ").is_some()
}

/// Lines that belong to legacy logs but carry nothing for the events (safepoint times,
/// tenuring, adaptive sizing, heap dumps, `-XX:+PrintCMSInitiationStatistics`).
///
/// One dispatch on the first byte, then only the prefixes that start with it (at most three).
/// `tests::noise_table_matches_the_list` checks it against the flat list.
pub fn is_noise(rest: &[u8]) -> bool {
    let candidates: &[&[u8]] = match rest.first() {
        Some(b't') => &[b"time_until_cms"],
        Some(b'f') => &[b"free="],
        Some(b'c') => &[
            b"contiguous_available=",
            b"cms_allocation_rate=",
            b"cms_time",
        ],
        Some(b'p') => &[b"promotion_rate="],
        Some(b'o') => &[b"occupancy="],
        Some(b'i') => &[b"initiating"],
        Some(b'a') => &[b"avg_"],
        Some(b'C') => &[b"CMSCollector", b"CMS: abort preclean", b"Concurrent RS"],
        Some(b'D') => &[b"Desired survivor size"],
        Some(b'-') => &[b"- age"],
        Some(b'T') => &[
            b"Total time for which application threads were stopped",
            b"TLAB",
        ],
        Some(b'A') => &[b"Application time:", b"AdaptiveSize", b"After GC"],
        Some(b'P') => &[b"PSAdaptiveSize", b"ParallelGCThreads"],
        Some(b'{') => &[b"{Heap before"],
        // `Heap after` and `Heap` are both in the list; `Heap` covers the other.
        Some(b'H') => &[b"Heap"],
        Some(b'}') => return true,
        Some(b'[') => &[b"[Times:", b"[G1Ergonomics", b"[GC Worker"],
        Some(b'M') => &[b"Memory:"],
        Some(b'F') => &[b"Finished"],
        Some(b'G') => &[b"GC locker:"],
        Some(b'B') => &[b"Before GC"],
        Some(b',') => &[b", "],
        _ => return false,
    };
    candidates.iter().any(|n| rest.starts_with(n))
}

fn is_header(line: &[u8]) -> bool {
    line.starts_with(b"Java HotSpot")
        || line.starts_with(b"OpenJDK")
        || line.starts_with(b"CommandLine flags:")
        || line.starts_with(b"Memory:")
}

/// Reads a legacy header line (`Java HotSpot(TM) … JRE (1.8.0_332-b09) …`, `CommandLine
/// flags: … -XX:+UseG1GC …`); recognized when it was one.
pub fn header_line(line: &[u8], info: &mut GcLogInfo) -> LineStatus {
    if is_noise(super::prefix::raw(line).rest) || is_rotation_banner(line) {
        return LineStatus::Recognized;
    }
    let has = |n: &[u8]| find(line, n).is_some();
    if line.starts_with(b"Java HotSpot") || line.starts_with(b"OpenJDK") {
        if let Some(pos) = find(line, b"JRE (") {
            let rest = line.get(pos + 5..).unwrap_or_default();
            let end = memchr::memchr(b')', rest).unwrap_or(rest.len());
            if info.jvm_version.is_none() {
                info.jvm_version =
                    Some(String::from_utf8_lossy(rest.get(..end).unwrap_or(rest)).into_owned());
            }
        }
        return LineStatus::Recognized;
    }
    if line.starts_with(b"CommandLine flags:") {
        let c = if has(b"+UseG1GC") {
            Some(Collector::G1)
        } else if has(b"+UseConcMarkSweepGC") {
            Some(Collector::Cms)
        } else if has(b"+UseParallelGC") || has(b"+UseParallelOldGC") {
            Some(Collector::Parallel)
        } else if has(b"+UseSerialGC") {
            Some(Collector::Serial)
        } else if has(b"+UseShenandoahGC") {
            Some(Collector::Shenandoah)
        } else {
            None
        };
        if info.collector.is_none() {
            info.collector = c;
        }
        return LineStatus::Recognized;
    }
    if line.starts_with(b"Memory:") {
        return LineStatus::Recognized;
    }
    LineStatus::Unrecognized
}

#[cfg(test)]
#[path = "lines_tests.rs"]
mod tests;
