//! CMS and G1 concurrent phases (`[CMS-concurrent-mark: 0.006/0.006 secs]`,
//! `[GC concurrent-mark-end, 0.0123 secs]`), which JDK ≤ 8 prints on their own lines or in the
//! middle of another collection's line. The phases of one cycle become one `concurrent` event.

use crate::gclog::numbers::leading_f64;

/// Where a concurrent fragment starts within `text`, if there is one: `[CMS-concurrent`,
/// `[ASCMS-concurrent`, `[GC concurrent` or `[Concurrent ` (one scan for `oncurrent`, then a
/// look at what comes before it).
pub fn find_fragment(text: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(pos) = text
        .get(at..)
        .and_then(|t| crate::gclog::find::find(t, b"oncurrent"))
    {
        let c = at + pos;
        let before = text.get(..c.saturating_sub(1)).unwrap_or_default();
        let opened = |n: &[u8]| before.ends_with(n).then(|| before.len() - n.len());
        let start = match text.get(c.wrapping_sub(1)) {
            Some(b'c') => opened(b"[CMS-")
                .or_else(|| opened(b"[ASCMS-"))
                .or_else(|| opened(b"[GC ")),
            Some(b'C') if text.get(c + 9) == Some(&b' ') => opened(b"["),
            _ => None,
        };
        if start.is_some() {
            return start;
        }
        at = c + 9;
    }
    None
}

/// The end (exclusive) of the bracket group starting at `start`.
pub fn group_end(text: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in text.iter().enumerate().skip(start) {
        match c {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// What one phase says about its cycle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    /// Wall-clock milliseconds, when the phase ended here.
    pub ms: Option<f64>,
    /// The first phase of a cycle (`CMS-concurrent-mark-start`, `concurrent-root-region-scan-start`).
    pub starts_cycle: bool,
    /// The last phase (`CMS-concurrent-reset`, `concurrent-cleanup-end`, `concurrent-mark-abort`).
    pub ends_cycle: bool,
}

/// Reads a fragment `[CMS-concurrent-…]` / `[GC concurrent-…]`.
pub fn phase(fragment: &[u8]) -> Phase {
    // One look at each `concurrent-` in the fragment for what follows it (and a `CMS-`
    // before it), rather than a search of the whole fragment for each phase name.
    let mut starts_cycle = fragment.starts_with(b"[Concurrent marking");
    let mut ends_cycle = false;
    let mut at = 0;
    while let Some(pos) = fragment
        .get(at..)
        .and_then(|f| crate::gclog::find::find(f, b"concurrent-"))
    {
        let c = at + pos;
        let cms = fragment.get(..c).is_some_and(|b| b.ends_with(b"CMS-"));
        let after = fragment.get(c + 11..).unwrap_or_default();
        starts_cycle |= (cms && after.starts_with(b"mark-start"))
            || after.starts_with(b"root-region-scan-start");
        ends_cycle |= (cms && after.starts_with(b"reset:"))
            || after.starts_with(b"cleanup-end")
            || after.starts_with(b"mark-abort");
        at = c + 1;
    }
    // CMS prints `cpu/wall secs`; G1 prints `, wall secs`; JDK 8 Shenandoah `, wall ms`.
    let unit = [(&b" secs"[..], 1e3), (b" ms", 1.0)]
        .iter()
        .find_map(|(u, f)| crate::gclog::find::find(fragment, u).map(|end| (end, *f)));
    let ms = unit.and_then(|(end, factor)| {
        let head = fragment.get(..end)?;
        let start = head
            .iter()
            .rposition(|c| !(c.is_ascii_digit() || *c == b'.' || *c == b','))
            .map_or(0, |p| p + 1);
        leading_f64(head.get(start..)?).map(|(v, _)| v * factor)
    });
    Phase {
        ms,
        starts_cycle,
        ends_cycle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_phases() {
        let p = phase(b"[CMS-concurrent-mark: 0.006/0.012 secs]");
        assert_eq!(p.ms, Some(12.0));
        assert!(phase(b"[CMS-concurrent-mark-start]").starts_cycle);
        let p = phase(b"[GC concurrent-cleanup-end, 0.0000480 secs]");
        assert!(p.ends_cycle);
        assert!((p.ms.unwrap() - 0.048).abs() < 1e-9);
        assert!(phase(b"[GC concurrent-root-region-scan-start]").starts_cycle);
        assert!(phase(b"[GC concurrent-mark-abort]").ends_cycle);
        assert!(phase(b"[CMS-concurrent-reset: 0.1/0.1 secs]").ends_cycle);
        assert!(!phase(b"[GC concurrent-mark-start]").starts_cycle);
        assert!(!phase(b"[GC concurrent-reset: 0.1 secs]").ends_cycle);
        assert!(phase(b"[Concurrent marking, 3.2 ms]").starts_cycle);
    }
}
