//! Substring search for the short texts GC parsers look into (a record, a child group, a head):
//! `memchr::memmem::find` builds a searcher on every call, which costs more than a plain scan
//! of a hundred bytes. Long texts still go to `memmem`.

/// Below this many bytes a plain loop finds a byte in fewer instructions than `memchr`, whose
/// every call pays ~50 instructions of dispatch and setup (callgrind, legacy reader).
const SCALAR_BELOW: usize = 64;

fn first_of(b: u8, hay: &[u8]) -> Option<usize> {
    if hay.len() < SCALAR_BELOW {
        hay.iter().position(|&c| c == b)
    } else {
        memchr::memchr(b, hay)
    }
}

fn last_of(b: u8, hay: &[u8]) -> Option<usize> {
    if hay.len() < SCALAR_BELOW {
        hay.iter().rposition(|&c| c == b)
    } else {
        memchr::memrchr(b, hay)
    }
}

/// Position of the first `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() > 512 {
        return memchr::memmem::find(hay, needle);
    }
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(pos) = hay.get(from..).and_then(|h| first_of(first, h)) {
        let at = from + pos;
        if hay.get(at + 1..at + 1 + rest.len()) == Some(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Position of the last `needle` in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() > 512 {
        return memchr::memmem::rfind(hay, needle);
    }
    let (&first, rest) = needle.split_first()?;
    let mut end = hay.len();
    while let Some(at) = hay.get(..end).and_then(|h| last_of(first, h)) {
        if hay.get(at + 1..at + 1 + rest.len()) == Some(rest) {
            return Some(at);
        }
        end = at;
    }
    None
}

/// One byte searched for in long texts (a read buffer's lines), through memchr's AVX2
/// searcher itself when the CPU has AVX2: `memchr::memchr` reaches the same code through
/// two more calls (a dispatch by function pointer and the raw-pointer wrapper), ~45 of the
/// ~107 instructions it took per line of a unified log (callgrind).
pub struct ByteFinder {
    byte: u8,
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::One>,
}

impl ByteFinder {
    pub fn new(byte: u8) -> Self {
        ByteFinder {
            byte,
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::One::new(byte),
        }
    }

    /// The position of the first `byte` in `hay`.
    #[inline]
    pub fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(one) = &self.avx2 {
            return one.find(hay);
        }
        memchr::memchr(self.byte, hay)
    }
}

/// A two-byte needle searched for in texts of any length: memchr's AVX2 pair searcher
/// itself when the CPU has it and the text is long enough for it, else `memmem`.
pub struct PairFinder {
    needle: [u8; 2],
    any: memchr::memmem::Finder<'static>,
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::packedpair::Finder>,
}

impl PairFinder {
    pub fn new(needle: [u8; 2]) -> Self {
        PairFinder {
            needle,
            any: memchr::memmem::Finder::new(&needle).into_owned(),
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::packedpair::Finder::new(&needle),
        }
    }

    /// The position of the first needle in `hay`.
    #[inline]
    pub fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = self
            .avx2
            .as_ref()
            .filter(|f| hay.len() >= f.min_haystack_len())
        {
            return f.find(hay, &self.needle);
        }
        self.any.find(hay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_and_pair_finders_find_the_first_match() {
        let nl = ByteFinder::new(b'\n');
        let close = PairFinder::new(*b"] ");
        // Texts from empty to past two AVX2 vectors, the needle at every position, alone,
        // repeated, cut in half at the end, or absent.
        for len in 0..80 {
            for at in 0..=len {
                let mut t = vec![b'x'; len];
                if at < len {
                    t[at] = b'\n';
                }
                assert_eq!(
                    nl.find(&t),
                    t.iter().position(|c| *c == b'\n'),
                    "{len} {at}"
                );
                for fill in [b'x', b']', b' '] {
                    let mut t = vec![fill; len];
                    if at + 1 < len {
                        t[at] = b']';
                        t[at + 1] = b' ';
                    } else if at < len {
                        t[at] = b']';
                    }
                    let plain = t.windows(2).position(|w| w == b"] ");
                    assert_eq!(close.find(&t), plain, "{len} {at} {fill}");
                }
            }
        }
    }

    #[test]
    fn finds_like_memmem() {
        let hay = b"[GC pause (young) 0.1: [G1Ergonomics x] , 0.01 secs] 0.2 secs";
        for needle in [&b"[G1Ergonomics"[..], b" secs", b"young", b"zzz", b"s"] {
            assert_eq!(find(hay, needle), memchr::memmem::find(hay, needle));
            assert_eq!(rfind(hay, needle), memchr::memmem::rfind(hay, needle));
        }
        assert_eq!(find(b"", b"a"), None);
    }

    #[test]
    fn agrees_with_memmem_everywhere() {
        // Overlapping and repeated needles, anchors at every offset, needles as long as the
        // text or longer, texts on both sides of the 32-byte scalar cut.
        let texts: [&[u8]; 5] = [
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
            b"[CMS-concurrent-mark-start] [CMS-concurrent-mark: 0.1/0.2 secs] ms secs",
            b"yy yy yyy y",
            b"0.0123 secs] 0.0123 secs]",
            b"",
        ];
        let needles: [&[u8]; 9] = [
            b"aab",
            b"aaaa",
            b"b",
            b"concurrent-",
            b" secs]",
            b"yyy",
            b"y y",
            b" ms",
            b"secs] 0.0123 secs]x",
        ];
        for text in texts {
            for needle in needles {
                for cut in 0..=text.len() {
                    let hay = &text[..cut];
                    assert_eq!(
                        find(hay, needle),
                        memchr::memmem::find(hay, needle),
                        "{hay:?} {needle:?}"
                    );
                    assert_eq!(
                        rfind(hay, needle),
                        memchr::memmem::rfind(hay, needle),
                        "{hay:?} {needle:?}"
                    );
                }
            }
        }
    }
}
