//! G1's region lines (`Eden regions: 14->0(8)`, `Survivor regions`, `Old regions`,
//! `Humongous regions`) turned into young/old bytes once the region size is known
//! (`Heap region size: 1M`, JDK 17+ `Heap Region Size: 1M`).

use crate::gclog::numbers::{leading_size, leading_u64};

/// Bytes before and after a collection.
pub type BeforeAfter = (u64, u64);

/// Region counts before/after, by space.
#[derive(Debug, Clone, Copy, Default)]
pub struct Regions {
    /// [eden, survivor, old, humongous, archive] × (before, after); `seen` marks what was printed.
    counts: [(u64, u64); 5],
    seen: u8,
}

/// Reads a region line; true when it was one.
pub fn region_line(body: &[u8], regions: &mut Regions) -> bool {
    let (slot, rest) = if let Some(r) = body.strip_prefix(b"Eden regions: ") {
        (0, r)
    } else if let Some(r) = body.strip_prefix(b"Survivor regions: ") {
        (1, r)
    } else if let Some(r) = body.strip_prefix(b"Old regions: ") {
        (2, r)
    } else if let Some(r) = body.strip_prefix(b"Humongous regions: ") {
        (3, r)
    } else if let Some(r) = body.strip_prefix(b"Archive regions: ") {
        (4, r)
    } else {
        return false;
    };
    if let Some((before, r)) = leading_u64(rest) {
        if let Some((after, _)) = r.strip_prefix(b"->").and_then(leading_u64) {
            if let Some(c) = regions.counts.get_mut(slot) {
                *c = (before, after);
                regions.seen |= 1 << slot;
            }
        }
    }
    true
}

impl Regions {
    /// Young bytes (before, after) and, when printed, old+humongous bytes (before, after).
    pub fn bytes(&self, region_size: u64) -> Option<(BeforeAfter, Option<BeforeAfter>)> {
        if self.seen & 0b11 != 0b11 {
            return None;
        }
        // Old generation = old + humongous + archive (CDS) regions, as G1's heap total counts them.
        let [e, s, o, h, a] = self.counts;
        let young = ((e.0 + s.0) * region_size, (e.1 + s.1) * region_size);
        let old = (self.seen & 0b100 != 0).then(|| {
            (
                (o.0 + h.0 + a.0) * region_size,
                (o.1 + h.1 + a.1) * region_size,
            )
        });
        Some((young, old))
    }
}

impl Regions {
    /// Humongous bytes after the collection, when `Humongous regions:` was printed (part of
    /// the old figure of [`Regions::bytes`]; apart, it shows image-like arrays piling up).
    pub fn humongous_after(&self, region_size: u64) -> Option<u64> {
        (self.seen & 0b1000 != 0).then(|| self.counts[3].1 * region_size)
    }
}

/// The region size from a header line, when it is one.
pub fn region_size(msg: &[u8]) -> Option<u64> {
    let rest = msg
        .strip_prefix(b"Heap region size: ")
        .or_else(|| msg.strip_prefix(b"Heap Region Size: "))?;
    leading_size(rest).map(|(v, _)| v)
}
