//! ZGC's heap table (`GC(0)  Capacity:   104M (10%)   …`): the capacity at the end of the cycle
//! is the table's fourth column (`Relocate End`); single-generation and generational alike.

use crate::gclog::numbers::{leading_size, trim_start};

/// The capacity from a `Capacity:` row, when `body` is one.
pub fn capacity_row(body: &[u8]) -> Option<u64> {
    let mut rest = trim_start(body).strip_prefix(b"Capacity:")?;
    let mut last = None;
    for _ in 0..4 {
        rest = trim_start(rest);
        let (v, r) = leading_size(rest)?;
        last = Some(v);
        rest = trim_start(r);
        if let Some(close) = rest
            .strip_prefix(b"(")
            .and_then(|r| memchr::memchr(b')', r))
        {
            rest = rest.get(close + 2..).unwrap_or_default();
        }
    }
    last
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_capacity() {
        let row = b" Capacity:   194560M (100%)     194560M (100%)     194560M (100%)     200000M (100%)     194560M (100%)";
        assert_eq!(super::capacity_row(row), Some(200000 << 20));
    }
}
