//! Checks a chunk's framing before `jfrs` reads it, for the damage `jfrs` does not survive.
//!
//! `jfrs` 0.2.5 trusts a chunk's framing: it steps from event to event by each event's size
//! and skips metadata and constant-pool events without reading them, so an event of size 0
//! of those two types (a zeroed metadata size, say) makes its event iterator spin forever
//! inside one `next()`, and a negative size steps backwards into a cycle (or panics on the
//! overflow in debug builds). It also follows the constant-pool chain by its deltas, which a
//! damaged delta can turn into a cycle. Found by zeroing the metadata event's size in the
//! recordings under `samples/jfr/` (the `damage` tests): each hung before this check.
//!
//! So the events are walked here first, with the chunk's own integer encoding, exactly as
//! `jfrs` will step: every size must be positive and stay inside the chunk, the walk must
//! end at the chunk's end, the header's metadata offset must be a metadata event, and the
//! constant-pool chain must visit constant-pool events only, each once.

use std::collections::HashMap;

/// Type ids of the two events every chunk has.
const METADATA: i64 = 0;
const CONSTANT_POOL: i64 = 1;
const HEADER_LEN: usize = 68;

/// Integers in a chunk: big-endian, or (feature bit 0) LEB128-like varints (as `jfrs` reads
/// them: 7 bits a byte, a 9th byte whole, no zig-zag).
struct Ints<'a> {
    bytes: &'a [u8],
    at: usize,
    compressed: bool,
}

impl Ints<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn var(&mut self) -> Option<i64> {
        let mut value = 0i64;
        for i in 0..8 {
            let b = self.byte()?;
            value = value.wrapping_add(i64::from(b & 0x7f) << (7 * i));
            if b < 0x80 {
                return Some(value);
            }
        }
        Some(value.wrapping_add(i64::from(self.byte()?) << 56))
    }

    fn fixed<const N: usize>(&mut self) -> Option<[u8; N]> {
        let bytes = self.bytes.get(self.at..self.at + N)?;
        self.at += N;
        bytes.try_into().ok()
    }

    fn int(&mut self) -> Option<i32> {
        if self.compressed {
            // `jfrs` reads a varint and keeps its low 32 bits: so must the check.
            #[allow(clippy::cast_possible_truncation)]
            self.var().map(|v| v as i32)
        } else {
            self.fixed::<4>().map(i32::from_be_bytes)
        }
    }

    fn long(&mut self) -> Option<i64> {
        if self.compressed {
            self.var()
        } else {
            self.fixed::<8>().map(i64::from_be_bytes)
        }
    }
}

fn header_long(chunk: &[u8], at: usize) -> i64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&chunk[at..at + 8]);
    i64::from_be_bytes(b)
}

/// Checks one whole chunk (its bytes from the magic to its declared end); the error says what
/// is wrong, in words for the user.
pub(super) fn check_chunk(chunk: &[u8]) -> Result<(), String> {
    if chunk.len() < HEADER_LEN {
        return Err("the chunk is shorter than its header".into());
    }
    let cp_offset = header_long(chunk, 16);
    let metadata_offset = header_long(chunk, 24);
    let compressed = chunk[HEADER_LEN - 1] & 1 != 0;
    let mut ints = Ints {
        bytes: chunk,
        at: HEADER_LEN,
        compressed,
    };
    // Event start → type, as `jfrs` will step through them.
    let mut events: HashMap<usize, i64> = HashMap::new();
    while ints.at < chunk.len() {
        let start = ints.at;
        let (Some(event_size), Some(kind)) = (ints.int(), ints.long()) else {
            return Err(format!(
                "the event at byte {start} runs past the chunk's end"
            ));
        };
        let end = usize::try_from(event_size)
            .ok()
            .filter(|&n| n > 0)
            .and_then(|n| start.checked_add(n))
            .filter(|&end| end <= chunk.len() && end >= ints.at);
        let Some(end) = end else {
            return Err(format!(
                "the event at byte {start} declares {event_size} bytes (damaged)"
            ));
        };
        events.insert(start, kind);
        ints.at = end;
    }
    let event_at = |offset: i64, kind: i64| {
        usize::try_from(offset)
            .ok()
            .and_then(|o| events.get(&o))
            .is_some_and(|&k| k == kind)
    };
    if !event_at(metadata_offset, METADATA) {
        return Err(format!(
            "the header's metadata offset {metadata_offset} is not a metadata event (damaged)"
        ));
    }
    // The constant pools: the header points at the last, each at the one before (delta 0 ends).
    let mut offset = 0i64;
    let mut delta = cp_offset;
    let mut seen = 0usize;
    while delta != 0 {
        offset = offset.saturating_add(delta);
        seen += 1;
        let at = usize::try_from(offset)
            .ok()
            .filter(|_| seen <= events.len());
        let Some(at) = at.filter(|_| event_at(offset, CONSTANT_POOL)) else {
            return Err(format!(
                "the constant-pool chain reaches byte {offset}, not a constant pool (damaged)"
            ));
        };
        let mut cp = Ints {
            bytes: chunk,
            at,
            compressed,
        };
        // size, type, start time, duration, then the delta to the previous pool.
        let fields = (cp.int(), cp.long(), cp.long(), cp.long(), cp.long());
        let (_, _, _, _, Some(next)) = fields else {
            return Err(format!("the constant pool at byte {offset} is cut short"));
        };
        delta = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_as_jfrs_reads_them() {
        let mut i = Ints {
            bytes: &[0x85, 0xb0, 0x03, 0x7f],
            at: 0,
            compressed: true,
        };
        assert_eq!(i.long(), Some(55301));
        assert_eq!(i.int(), Some(127));
        assert_eq!(i.int(), None);
    }
}
