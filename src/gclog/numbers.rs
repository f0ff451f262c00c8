//! Small, allocation-free readers for the numbers GC logs print: sizes (`14M`, `3644K`,
//! `71.1M`, `0.0B`, `2136 K`), heap transitions (`14M->12M(128M)`, `25600K(29696K)->4064K(29696K)`,
//! ZGC's `44M(4%)->34M(3%)`) and durations (`5.696ms`, `0.047s`, `0.0123 secs`, `0,0123 secs`).
//!
//! Every function takes bytes or `&str` and returns `None` rather than panicking.

/// A heap transition `before->after(capacity)`, every amount in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Transition {
    pub before: u64,
    pub after: u64,
    pub capacity: Option<u64>,
    /// Capacity before the collection, printed by JDK 17+ Serial/Parallel (`A(B)->C(D)`).
    pub capacity_before: Option<u64>,
}

/// Reads a decimal number (`.` or `,` as separator) at the start of `s`; returns it and the rest.
/// Exact: with fewer than 16 digits, `digits / 10^k` is one correctly rounded division, the
/// same value `str::parse` gives (so `0.295` stays `0.295`); longer numbers go to `str::parse`.
pub fn leading_f64(s: &[u8]) -> Option<(f64, &[u8])> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let mut i = 0;
    let mut n: u64 = 0;
    while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
        n = n.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let int_end = i;
    let mut frac_digits = 0usize;
    if matches!(s.get(i), Some(b'.' | b',')) && s.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
            n = n.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            frac_digits += 1;
            i += 1;
        }
    }
    let rest = s.get(i..).unwrap_or_default();
    if int_end + frac_digits < 16 {
        let scale = POW10.get(frac_digits).copied().unwrap_or(1.0);
        return Some((n as f64 / scale, rest));
    }
    // Long numbers: let the standard library round them.
    let mut buf = [0u8; 48];
    let digits = s.get(..i)?;
    let len = digits.len().min(buf.len());
    buf.get_mut(..len)?.copy_from_slice(digits.get(..len)?);
    if let Some(c) = buf.get_mut(int_end).filter(|c| **c == b',') {
        *c = b'.';
    }
    let value = std::str::from_utf8(buf.get(..len)?).ok()?.parse().ok()?;
    Some((value, rest))
}

/// Reads an unsigned integer at the start of `s`.
pub fn leading_u64(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut value: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        value = value
            .saturating_mul(10)
            .saturating_add(u64::from(s[i] - b'0'));
        i += 1;
    }
    (i > 0).then(|| (value, s.get(i..).unwrap_or_default()))
}

/// The last `GC(N)` id read by [`IdCache::id_then_paren`], kept with its digits: the
/// fifteen-odd lines of a unified collection all carry the same id, so it is compared, not
/// read again. Reading it was a chain of dependent multiply-adds per line (~30% of
/// `UnifiedParser::line`'s cycles by `perf annotate`; after: `UnifiedParser::line` 16.9% →
/// 9.7% of the process, whole 128 MiB log 1,025.6 M → 966.3 M instructions with the change to
/// `unified::finish`; docs/benchmarks.md, "round 6").
#[derive(Debug, Default, Clone)]
pub struct IdCache {
    /// The digits as the first bytes of a little-endian word, `mask` covering them, and how
    /// many there were (1 to 7; 0 when nothing is kept).
    key: u64,
    mask: u64,
    len: usize,
    value: u64,
}

impl IdCache {
    /// [`leading_u64`] of `s` when a `)` follows the digits (the same value and rest), else
    /// `None`.
    #[inline]
    pub fn id_then_paren<'a>(&mut self, s: &'a [u8]) -> Option<(u64, &'a [u8])> {
        // The same digits then `)`: one load and a compare, no loop over the digits.
        if self.len > 0 && s.get(self.len) == Some(&b')') {
            if let Some(word) = s.first_chunk::<8>() {
                if u64::from_le_bytes(*word) & self.mask == self.key {
                    return Some((self.value, s.get(self.len..).unwrap_or_default()));
                }
            }
        }
        let (value, rest) = leading_u64(s)?;
        if !rest.starts_with(b")") {
            return None;
        }
        let n = s.len() - rest.len();
        self.len = 0;
        if let (Some(word), 1..=7) = (s.first_chunk::<8>(), n) {
            self.mask = (1u64 << (8 * n)) - 1;
            self.key = u64::from_le_bytes(*word) & self.mask;
            self.len = n;
            self.value = value;
        }
        Some((value, rest))
    }
}

/// Reads a size with a unit at the start of `s`: `14M`, `3644K`, `71.1M`, `0.0B`, `2136 K`.
pub fn leading_size(s: &[u8]) -> Option<(u64, &[u8])> {
    // Whole numbers (most sizes: `104960K->13042K(118016K)`) in integers: the same value as
    // the float path below whenever the product is exact in an f64 (< 2^53), without its
    // division and `round` call.
    // One pass: digits counted and added together (the sum is only used below 16 digits,
    // where it is exact).
    let mut n = 0u64;
    let mut digits = 0;
    while let Some(c) = s.get(digits).filter(|c| c.is_ascii_digit()) {
        n = n.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
        digits += 1;
    }
    let fraction = matches!(s.get(digits), Some(b'.' | b','))
        && s.get(digits + 1).is_some_and(u8::is_ascii_digit);
    if digits > 0 && digits < 16 && !fraction {
        let (mult, rest) = unit(s.get(digits..)?)?;
        if let Some(bytes) = n.checked_mul(mult).filter(|b| *b <= 1 << 53) {
            return Some((bytes, rest));
        }
    }
    let (value, rest) = leading_f64(s)?;
    let (mult, rest) = unit(rest)?;
    Some((
        crate::num::u64_from_f64((value * mult as f64).round()),
        rest,
    ))
}

/// The unit after a size's number (`K`, ` M`, `KB`, `B`) as a multiplier, and the rest.
fn unit(rest: &[u8]) -> Option<(u64, &[u8])> {
    let rest = match rest {
        [b' ', r @ ..] if matches!(r.first(), Some(b'B' | b'K' | b'M' | b'G' | b'T')) => r,
        _ => rest,
    };
    let (mult, rest) = match rest.split_first() {
        Some((b'B', r)) => (1u64, r),
        Some((b'K', r)) => (1 << 10, r),
        Some((b'M', r)) => (1 << 20, r),
        Some((b'G', r)) => (1 << 30, r),
        Some((b'T', r)) => (1 << 40, r),
        _ => return None,
    };
    // `KB`/`MB` spellings appear in a few JDK 9 lines.
    let rest = match rest {
        [b'B', r @ ..] if mult > 1 => r,
        _ => rest,
    };
    Some((mult, rest))
}

/// Reads `(N)` or `(N%)` at the start of `s`; the size when it is one.
fn paren_size(s: &[u8]) -> (Option<u64>, &[u8]) {
    if let [b'(', r @ ..] = s {
        // The `)` is a few bytes on (`(576K)`): a plain loop there, `memchr` (whose call costs
        // ~50 instructions) only past that.
        const NEAR: usize = 16;
        let near = r.get(..NEAR.min(r.len())).unwrap_or(r);
        let end = near.iter().position(|c| *c == b')').or_else(|| {
            r.get(near.len()..)
                .and_then(|far| memchr::memchr(b')', far))
                .map(|at| near.len() + at)
        });
        if let Some(end) = end {
            let inner = r.get(..end).unwrap_or_default();
            let size = leading_size(inner).map(|(v, _)| v);
            return (size, r.get(end + 1..).unwrap_or_default());
        }
    }
    (None, s)
}

/// Reads a transition at the start of `s`.
pub fn leading_transition(s: &[u8]) -> Option<(Transition, &[u8])> {
    let (before, rest) = leading_size(s)?;
    let (capacity_before, rest) = paren_size(rest);
    let rest = rest.strip_prefix(b"->")?;
    let (after, rest) = leading_size(rest)?;
    let (capacity, rest) = paren_size(rest);
    Some((
        Transition {
            before,
            after,
            capacity,
            capacity_before,
        },
        rest,
    ))
}

/// Position of the first `->` (a plain `memchr` on `-`: cheaper than building a substring
/// searcher for every line).
pub fn find_arrow(s: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'-', s).find(|&i| s.get(i + 1) == Some(&b'>'))
}

/// Finds the first transition anywhere in `s` (the first `->` with a size on both sides).
pub fn find_transition(s: &[u8]) -> Option<(Transition, usize)> {
    find_transition_and_arrow(s).map(|(t, end, _)| (t, end))
}

/// [`find_transition`], with the position of the first `->` of `s` (before the transition's
/// own when an earlier arrow had no sizes about it): what [`find_arrow`] would give.
pub fn find_transition_and_arrow(s: &[u8]) -> Option<(Transition, usize, usize)> {
    let mut first_arrow = None;
    let mut from = 0;
    while let Some(pos) = find_arrow(s.get(from..)?) {
        let arrow = from + pos;
        let first = *first_arrow.get_or_insert(arrow);
        // Walk back over the size (and an optional `(capacity)`) before the arrow.
        let mut start = arrow;
        if start > 0 && s.get(start - 1) == Some(&b')') {
            while start > 0 && s.get(start - 1) != Some(&b'(') {
                start -= 1;
            }
            start = start.saturating_sub(1);
        }
        while start > 0
            && s.get(start - 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b',')
        {
            start -= 1;
        }
        // A decimal comma would have taken a separator comma too: skip leading non-digits.
        while start < arrow && s.get(start).is_some_and(|c| !c.is_ascii_digit()) {
            start += 1;
        }
        if let Some((t, rest)) = s.get(start..).and_then(leading_transition) {
            return Some((t, s.len() - rest.len(), first));
        }
        from = arrow + 2;
    }
    None
}

/// Reads a duration at the end of `s` (`5.696ms`, `0.047s`, `12us`), in milliseconds, with the
/// text before it (trimmed).
pub fn trailing_duration_ms(s: &[u8]) -> Option<(f64, &[u8])> {
    let s = trim_end(s);
    let (unit_len, factor) = if s.ends_with(b"ms") {
        (2, 1.0)
    } else if s.ends_with(b"us") {
        (2, 0.001)
    } else if s.ends_with(b"s") {
        (1, 1000.0)
    } else {
        return None;
    };
    let body = s.get(..s.len() - unit_len)?;
    let mut start = body.len();
    while start > 0
        && body
            .get(start - 1)
            .is_some_and(|c| c.is_ascii_digit() || *c == b'.' || *c == b',')
    {
        start -= 1;
    }
    // ` -1.756ms`: impossible, but kept negative so that it is flagged, not silently lost.
    let negative =
        start > 1 && body.get(start - 1) == Some(&b'-') && body.get(start - 2) == Some(&b' ');
    let number_start = start;
    if negative {
        start -= 1;
    }
    if number_start == body.len() || (start > 0 && body.get(start - 1) != Some(&b' ')) {
        return None;
    }
    let (value, rest) = leading_f64(body.get(number_start..)?)?;
    if !rest.is_empty() {
        return None;
    }
    let value = if negative { -value } else { value };
    Some((value * factor, trim_end(body.get(..start)?)))
}

/// Strips ASCII whitespace at the end.
pub fn trim_end(s: &[u8]) -> &[u8] {
    let mut end = s.len();
    while end > 0 && s.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// Strips ASCII whitespace at the start.
pub fn trim_start(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(s.len());
    s.get(start..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_cache_reads_what_leading_u64_reads() {
        // Runs of one id (the cached path), ids that share a prefix or digits with the one
        // before, no `)`, no digits, ids too long to keep, and texts shorter than a word.
        let texts: [&[u8]; 16] = [
            b"12) Pause Young",
            b"12) Eden regions",
            b"12)",
            b"123) Pause",
            b"12) x",
            b"1) Pause",
            b"12 ) Pause",
            b"12x) Pause",
            b") Pause",
            b"",
            b"9999999) Pause",
            b"99999999) Pause",
            b"99999999) Eden",
            b"123456789012345678901234567890) overflow",
            b"12) Pause Young",
            b"21) Pause Young",
        ];
        let mut cache = IdCache::default();
        for _ in 0..2 {
            for t in texts {
                let want = leading_u64(t).filter(|(_, r)| r.starts_with(b")"));
                assert_eq!(
                    cache.id_then_paren(t),
                    want,
                    "{:?}",
                    String::from_utf8_lossy(t)
                );
            }
        }
        assert_eq!(
            cache.id_then_paren(b"12) Pause"),
            Some((12, &b") Pause"[..]))
        );
        assert_eq!(
            cache.id_then_paren(b"12) Pause"),
            Some((12, &b") Pause"[..]))
        );
        assert_eq!(
            cache.id_then_paren(b"13) Pause"),
            Some((13, &b") Pause"[..]))
        );
        assert_eq!(
            cache.id_then_paren(b"120) Paus"),
            Some((120, &b") Paus"[..]))
        );
        assert_eq!(cache.id_then_paren(b"12)"), Some((12, &b")"[..])));
    }

    #[test]
    fn reads_decimals_exactly() {
        for text in [
            "0.295",
            "6.187",
            "3.033",
            "42.463",
            "0,0123",
            "366,174",
            "1234567.891",
            "0.0000996",
            "12345678901234567.5",
        ] {
            let want: f64 = text.replace(',', ".").parse().unwrap();
            assert_eq!(
                leading_f64(text.as_bytes()).map(|x| x.0),
                Some(want),
                "{text}"
            );
        }
    }

    #[test]
    fn reads_sizes() {
        assert_eq!(leading_size(b"14M").map(|x| x.0), Some(14 << 20));
        assert_eq!(leading_size(b"3644K->").map(|x| x.0), Some(3644 << 10));
        assert_eq!(leading_size(b"0.0B").map(|x| x.0), Some(0));
        assert_eq!(leading_size(b"2136 K (").map(|x| x.0), Some(2136 << 10));
        assert_eq!(leading_size(b"1.5G").map(|x| x.0), Some(3 << 29));
        assert_eq!(leading_size(b"12"), None);
        assert_eq!(leading_size(b"12.K"), None);
        // The whole-number path gives what the float path gives, up to where f64 is exact
        // and beyond (huge products go to the float path).
        for text in [
            &b"8191G"[..],
            b"8192T",
            b"999999999999999T",
            b"123456789012345K",
            b"7 MB",
        ] {
            let (value, rest) = leading_f64(text).unwrap();
            let (mult, _) = unit(rest).unwrap();
            let want = crate::num::u64_from_f64((value * mult as f64).round());
            assert_eq!(leading_size(text).map(|x| x.0), Some(want), "{text:?}");
        }
    }

    #[test]
    fn reads_transitions() {
        let (t, rest) = leading_transition(b"14M->12M(128M) 7.033ms").unwrap();
        assert_eq!(
            (t.before, t.after, t.capacity),
            (14 << 20, 12 << 20, Some(128 << 20))
        );
        assert_eq!(rest, b" 7.033ms");
        let (t, _) = leading_transition(b"25600K(29696K)->4064K(29696K)").unwrap();
        assert_eq!(t.capacity_before, Some(29696 << 10));
        assert_eq!(t.after, 4064 << 10);
        let (t, _) = leading_transition(b"44M(4%)->34M(3%)").unwrap();
        assert_eq!((t.before, t.after, t.capacity), (44 << 20, 34 << 20, None));
        let (t, _) = find_transition(b"Pause Young (Normal) 6M->1M(34M) 5.696ms").unwrap();
        assert_eq!(t.after, 1 << 20);
        let (t, _) = find_transition(b"Metaspace: 2357K(2560K)->2357K(2560K) NonClass").unwrap();
        assert_eq!(t.before, 2357 << 10);
    }

    #[test]
    fn reads_capacities_near_and_far() {
        // `)` within the first bytes, past them, absent; 20+ digit sizes (float path).
        let (size, rest) = paren_size(b"(576K)->1");
        assert_eq!((size, rest), (Some(576 << 10), &b"->1"[..]));
        let far = b"(                    576K)x";
        assert_eq!(paren_size(far), (None, &b"x"[..]));
        let far = b"(576K                    )x";
        assert_eq!(paren_size(far), (Some(576 << 10), &b"x"[..]));
        assert_eq!(paren_size(b"(576K"), (None, &b"(576K"[..]));
        assert_eq!(paren_size(b"576K)"), (None, &b"576K)"[..]));
        let big = b"123456789012345678901234K";
        let (value, rest) = leading_f64(big).unwrap();
        let (mult, _) = unit(rest).unwrap();
        let want = crate::num::u64_from_f64((value * mult as f64).round());
        assert_eq!(leading_size(big).map(|x| x.0), Some(want));
    }

    #[test]
    fn reads_durations() {
        let (ms, rest) = trailing_duration_ms(b"Pause Young 6M->1M(34M) 5.696ms").unwrap();
        assert!((ms - 5.696).abs() < 1e-9);
        assert_eq!(rest, b"Pause Young 6M->1M(34M)");
        let (ms, _) =
            trailing_duration_ms(b"Major Collection (Warmup) 20M(1%)->12M(1%) 0.047s").unwrap();
        assert!((ms - 47.0).abs() < 1e-9);
        assert_eq!(trailing_duration_ms(b"Concurrent Cycle"), None);
        assert_eq!(trailing_duration_ms(b"Using 4 workers"), None);
        assert_eq!(trailing_duration_ms(b"Heap region size: 1M"), None);
    }
}
