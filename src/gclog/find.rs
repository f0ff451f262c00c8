//! Substring search for the short texts GC parsers look into (a record, a child group, a head):
//! `memchr::memmem::find` builds a searcher on every call, which costs more than a plain scan
//! of a hundred bytes. Long texts still go to `memmem`.

/// Position of the first `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() > 512 {
        return memchr::memmem::find(hay, needle);
    }
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(pos) = hay.get(from..).and_then(|h| memchr::memchr(first, h)) {
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
    while let Some(at) = hay.get(..end).and_then(|h| memchr::memrchr(first, h)) {
        if hay.get(at + 1..at + 1 + rest.len()) == Some(rest) {
            return Some(at);
        }
        end = at;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_like_memmem() {
        let hay = b"[GC pause (young) 0.1: [G1Ergonomics x] , 0.01 secs] 0.2 secs";
        for needle in [&b"[G1Ergonomics"[..], b" secs", b"young", b"zzz", b"s"] {
            assert_eq!(find(hay, needle), memchr::memmem::find(hay, needle));
            assert_eq!(rfind(hay, needle), memchr::memmem::rfind(hay, needle));
        }
        assert_eq!(find(b"", b"a"), None);
    }
}
