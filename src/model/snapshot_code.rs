//! The byte code a [`super::Snapshots`] store keeps each snapshot's amounts in: LEB128 varints,
//! amounts that are whole KiB (nearly all NMT prints) stored in KiB. A snapshot's bytes are two
//! sections, so a series of committed amounts reads the short first one only:
//!
//! - rows: `n`, the Total's reserved and committed, then per category its name id, reserved
//!   and committed;
//! - detail: per usage (the Total, then each category in order) its length in bytes (so a
//!   reader steps over it at once), a header `n_fields << 3 |
//!   has_extras << 2 | has_committed_delta << 1 | has_reserved_delta`, the deltas printed, the
//!   unknown sub-lines (`n`, then per line its name, `has_committed << 1 | has_reserved` and
//!   the amounts) and the fields (`field | has_delta << 7`, value, delta).
//!
//! Lossless for every `u64`/`i64`: a value that is not whole KiB is tagged and kept exact.

use super::{ExtraLine, Field, FieldValue, Usage};

/// Appends one varint (up to 19 bytes for a u128).
#[allow(clippy::cast_possible_truncation)] // the low 7 bits, on purpose
#[inline]
fn put(out: &mut Vec<u8>, v: u128) {
    // Nearly every value fits 64 bits (amounts in KiB, ids, counts): u64 arithmetic there,
    // u128 shifts cost twice the instructions of the whole store's encoding loop.
    let Ok(mut v) = u64::try_from(v) else {
        return put_wide(out, v);
    };
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[allow(clippy::cast_possible_truncation)] // the low 7 bits, on purpose
#[cold]
fn put_wide(out: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends an unsigned amount: `kib << 1` when whole KiB, else `v << 1 | 1`.
pub(super) fn put_u(out: &mut Vec<u8>, v: u64) {
    if v % 1024 == 0 {
        put(out, u128::from(v >> 10) << 1);
    } else {
        put(out, u128::from(v) << 1 | 1);
    }
}

#[allow(clippy::cast_sign_loss)] // zigzag: the bits, not the value
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[allow(clippy::cast_possible_wrap)] // zigzag: the bits, not the value
fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// Appends a signed amount (zigzag), whole KiB stored in KiB like [`put_u`].
pub(super) fn put_i(out: &mut Vec<u8>, v: i64) {
    // Whole KiB: the low 10 bits clear (negative values too), then the shift is exact.
    if v & 1023 == 0 {
        put(out, u128::from(zigzag(v >> 10)) << 1);
    } else {
        put(out, u128::from(zigzag(v)) << 1 | 1);
    }
}

/// Appends a usize count or id.
pub(super) fn put_n(out: &mut Vec<u8>, n: usize) {
    put(out, n as u128);
}

/// Appends one usage's detail section entry, its length first.
#[allow(clippy::cast_possible_truncation)] // a length under 0x80, checked
pub(super) fn put_detail(out: &mut Vec<u8>, usage: &Usage) {
    // One byte held for the length (nearly every entry is under 128 bytes), the entry
    // written after it, the length put in (and widened in the rare longer case).
    let at = out.len();
    out.push(0);
    put_entry(out, usage);
    let len = out.len() - at - 1;
    if len < 0x80 {
        out[at] = len as u8;
    } else {
        let mut prefix = Vec::with_capacity(3);
        put_n(&mut prefix, len);
        out.splice(at..=at, prefix);
    }
}

/// One usage's detail section entry, without its length.
fn put_entry(out: &mut Vec<u8>, usage: &Usage) {
    let header = usage.fields.len() << 3
        | usize::from(!usage.extras.is_empty()) << 2
        | usize::from(usage.committed_delta_bytes.is_some()) << 1
        | usize::from(usage.reserved_delta_bytes.is_some());
    put_n(out, header);
    for delta in [usage.reserved_delta_bytes, usage.committed_delta_bytes]
        .into_iter()
        .flatten()
    {
        put_i(out, delta);
    }
    if !usage.extras.is_empty() {
        put_n(out, usage.extras.len());
        for extra in &usage.extras {
            put_n(out, extra.name.len());
            out.extend_from_slice(extra.name.as_bytes());
            let flags = usize::from(extra.committed_bytes.is_some()) << 1
                | usize::from(extra.reserved_bytes.is_some());
            put_n(out, flags);
            for v in [extra.reserved_bytes, extra.committed_bytes]
                .into_iter()
                .flatten()
            {
                put_u(out, v);
            }
        }
    }
    for f in &usage.fields {
        out.push(f.field as u8 | u8::from(f.delta.is_some()) << 7);
        put_i(out, f.value);
        if let Some(d) = f.delta {
            put_i(out, d);
        }
    }
}

/// Reads back what the `put_*` functions wrote. Reading past the end gives zeros (the store
/// only reads bytes it wrote, so that never happens; it just cannot panic).
#[derive(Debug, Clone, Copy)]
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// The bytes not read yet.
    #[cfg(test)]
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    #[inline]
    fn get(&mut self) -> u128 {
        // The first nine bytes (63 bits) in a u64: nearly every varint ends there.
        let mut v = 0u64;
        let mut shift = 0;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return u128::from(v);
            }
            shift += 7;
            if shift == 63 {
                return self.get_wide(v);
            }
        }
        u128::from(v)
    }

    /// The rest of a varint longer than nine bytes, after its low 63 bits.
    #[cold]
    fn get_wide(&mut self, low: u64) -> u128 {
        let mut v = u128::from(low);
        let mut shift = 63;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            if shift < 128 {
                v |= u128::from(b & 0x7f) << shift;
            }
            shift += 7;
            if b < 0x80 {
                break;
            }
        }
        v
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    #[allow(clippy::cast_possible_truncation)] // the store wrote a u64 / usize there
    pub fn u(&mut self) -> u64 {
        let v = self.get();
        if v & 1 == 0 {
            ((v >> 1) as u64) << 10
        } else {
            (v >> 1) as u64
        }
    }

    #[allow(clippy::cast_possible_truncation)] // the store wrote a zigzagged i64 there
    pub fn i(&mut self) -> i64 {
        let v = self.get();
        if v & 1 == 0 {
            unzigzag((v >> 1) as u64).wrapping_mul(1024)
        } else {
            unzigzag((v >> 1) as u64)
        }
    }

    #[allow(clippy::cast_possible_truncation)] // the store wrote a usize there
    pub fn n(&mut self) -> usize {
        self.get() as usize
    }

    /// Skips one varint.
    pub fn skip(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            if b < 0x80 {
                break;
            }
        }
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let end = self.at.saturating_add(n).min(self.bytes.len());
        let s = self.bytes.get(self.at..end).unwrap_or_default();
        self.at = end;
        s
    }
}

/// One usage's detail entry, its deltas decoded and its extras and fields left encoded.
#[derive(Debug, Clone, Copy)]
pub(super) struct Detail<'a> {
    pub reserved_delta: Option<i64>,
    pub committed_delta: Option<i64>,
    pub n_extras: usize,
    /// At the extras (if any).
    pub extras: Reader<'a>,
    /// At the first field (after the extras, found once by [`Detail::read`]).
    pub fields: Reader<'a>,
    pub n_fields: usize,
}

impl<'a> Detail<'a> {
    /// Reads the entry at `r`, leaving `r` after it: its length is read first, so its fields
    /// are stepped over at once (a loop over them was a third of reading a category).
    pub fn read(r: &mut Reader<'a>) -> Self {
        let len = r.n();
        let end = r.at.saturating_add(len).min(r.bytes.len());
        let header = r.n();
        let reserved_delta = (header & 1 != 0).then(|| r.i());
        let committed_delta = (header & 2 != 0).then(|| r.i());
        let n_extras = if header & 4 != 0 { r.n() } else { 0 };
        let extras = *r;
        for _ in 0..n_extras {
            skip_extra(r);
        }
        let fields = *r;
        r.at = end;
        Detail {
            reserved_delta,
            committed_delta,
            n_extras,
            extras,
            fields,
            n_fields: header >> 3,
        }
    }

    /// The unknown sub-lines.
    pub fn extras(&self) -> Vec<ExtraLine> {
        let mut r = self.extras;
        (0..self.n_extras).map(|_| read_extra(&mut r)).collect()
    }

    /// A reader at the first field.
    pub fn fields(&self) -> Reader<'a> {
        self.fields
    }
}

/// Steps over one extra line (its name is not decoded).
fn skip_extra(r: &mut Reader<'_>) {
    let len = r.n();
    r.take(len);
    let flags = r.n();
    if flags & 1 != 0 {
        r.skip();
    }
    if flags & 2 != 0 {
        r.skip();
    }
}

fn read_extra(r: &mut Reader<'_>) -> ExtraLine {
    let len = r.n();
    let name = String::from_utf8_lossy(r.take(len)).into();
    let flags = r.n();
    let reserved_bytes = (flags & 1 != 0).then(|| r.u());
    let committed_bytes = (flags & 2 != 0).then(|| r.u());
    ExtraLine {
        name,
        reserved_bytes,
        committed_bytes,
    }
}

/// The first of `n` fields at `r` that is `field`, skipping the others' values undecoded.
pub(super) fn find_field(mut r: Reader<'_>, n: usize, field: Field) -> Option<FieldValue> {
    for _ in 0..n {
        let tag = r.byte();
        if tag & 0x7f == field as u8 {
            let value = r.i();
            let delta = (tag & 0x80 != 0).then(|| r.i());
            return Some(FieldValue {
                field,
                value,
                delta,
            });
        }
        r.skip();
        if tag & 0x80 != 0 {
            r.skip();
        }
    }
    None
}

/// Reads one field written by [`put_detail`].
pub(super) fn read_field(r: &mut Reader<'_>) -> FieldValue {
    let tag = r.byte();
    let field = Field::ALL
        .get(usize::from(tag & 0x7f))
        .copied()
        .unwrap_or(Field::MallocBytes);
    let value = r.i();
    let delta = (tag & 0x80 != 0).then(|| r.i());
    FieldValue {
        field,
        value,
        delta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_trip_at_the_edges() {
        let us = [
            0,
            1,
            1023,
            1024,
            5 << 10,
            u64::MAX,
            u64::MAX - 1023,
            1 << 63,
        ];
        let is = [0, 1, -1, -1024, 1024, 3 << 10, i64::MIN, i64::MAX, -7];
        let mut out = Vec::new();
        us.iter().for_each(|&u| put_u(&mut out, u));
        is.iter().for_each(|&i| put_i(&mut out, i));
        let mut r = Reader::new(&out);
        assert_eq!(us.map(|_| r.u()), us);
        assert_eq!(is.map(|_| r.i()), is);
        assert!(r.rest().is_empty());
        // Whole KiB cost less than bytes: 64 MiB in 3 bytes.
        let mut small = Vec::new();
        put_u(&mut small, 64 << 20);
        assert_eq!(small.len(), 3);
    }

    #[test]
    fn entries_step_over_at_once_short_and_long() {
        let short = Usage {
            reserved_bytes: 0,
            committed_bytes: 0,
            reserved_delta_bytes: Some(-2048),
            committed_delta_bytes: None,
            fields: vec![FieldValue {
                field: Field::ThreadCount,
                value: 17,
                delta: Some(-1),
            }],
            extras: vec![],
        };
        // Over 128 bytes: the length takes two bytes, put in after the entry was written.
        let long = Usage {
            extras: (0..6)
                .map(|i| ExtraLine {
                    name: format!("an unknown sub-line of thirty bytes, {i}").into(),
                    reserved_bytes: Some(1 << 20),
                    committed_bytes: None,
                })
                .collect(),
            ..short.clone()
        };
        let mut out = Vec::new();
        for u in [&short, &long, &short] {
            put_detail(&mut out, u);
        }
        let mut r = Reader::new(&out);
        for u in [&short, &long, &short] {
            let d = Detail::read(&mut r);
            assert_eq!(d.reserved_delta, u.reserved_delta_bytes);
            assert_eq!(d.committed_delta, u.committed_delta_bytes);
            assert_eq!(d.extras(), u.extras);
            let mut f = d.fields();
            let fields: Vec<FieldValue> = (0..d.n_fields).map(|_| read_field(&mut f)).collect();
            assert_eq!(fields, u.fields);
        }
        assert!(r.rest().is_empty());
    }
}
