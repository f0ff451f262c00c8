//! The packed columns of [`GcEvents`](super::GcEvents): one value per event, stored in a
//! narrow form (4 bytes, or 2 for name ids) while every value of the column fits it *exactly*,
//! and as the plain wide value (8 or 16 bytes) from the first one that does not.
//!
//! Exactly means bit for bit: a value is packed only when unpacking gives it back unchanged
//! (the same `f64` bits, the same instant *and* UTC offset), checked on every push, so nothing
//! printed from the events can change. What fits, on the logs the JVM writes:
//! - sizes: whole KiB below 4 TiB (unified logs print `K`/`M`/`G`, legacy logs `K`);
//! - pauses and concurrent times: decimals with up to 4 places below 429,496 ms (unified
//!   logs print 3 places of ms, legacy logs 7 places of seconds, i.e. 4 of ms);
//! - uptimes: decimals with up to 3 places below 49.7 days (`[12.345s]`, `12.345: `);
//! - wall-clock times: whole milliseconds within ±24 days of the first, all with the first
//!   one's UTC offset (the `time` decorator and legacy date stamps print milliseconds);
//! - GC ids and line numbers below 2^32; name ids below 2^16.
//!
//! Anything else (a flight recording's exact byte counts and nanosecond times, an uptime of
//! months, a DST change) widens that one column, still exact.

use std::fmt::Debug;

use chrono::{DateTime, FixedOffset};

/// How one column packs its values.
pub(super) trait Codec: Clone + Debug {
    type Value: Copy + Default + Debug;
    type Narrow: Copy + Default + Debug;
    /// The narrow form of `v`, if it has one (checked by [`Codec::same`] after unpacking).
    fn pack(&mut self, v: Self::Value) -> Option<Self::Narrow>;
    fn unpack(&self, n: Self::Narrow) -> Self::Value;
    /// Bit-for-bit equality (for `f64`, the same bits; for times, the same offset too).
    fn same(a: &Self::Value, b: &Self::Value) -> bool;
}

/// One value per event, narrow while every value fits.
#[derive(Debug, Clone)]
pub(super) struct Column<C: Codec> {
    codec: C,
    narrow: Vec<C::Narrow>,
    /// Every value, once one did not fit (`narrow` is then empty).
    wide: Option<Vec<C::Value>>,
}

impl<C: Codec> Column<C> {
    pub fn new(codec: C) -> Self {
        Column {
            codec,
            narrow: Vec::new(),
            wide: None,
        }
    }

    pub fn push(&mut self, v: C::Value) {
        if let Some(wide) = &mut self.wide {
            wide.push(v);
            return;
        }
        match self.codec.pack(v) {
            Some(n) if C::same(&self.codec.unpack(n), &v) => self.narrow.push(n),
            _ => {
                self.widen();
                self.wide.get_or_insert_with(Vec::new).push(v);
            }
        }
    }

    /// A placeholder for an event without this value (its presence bit is clear).
    pub fn push_absent(&mut self) {
        match &mut self.wide {
            Some(wide) => wide.push(C::Value::default()),
            None => self.narrow.push(C::Narrow::default()),
        }
    }

    /// The value of event `i` (the default past the end: callers index within `len`).
    pub fn get(&self, i: usize) -> C::Value {
        match &self.wide {
            Some(wide) => wide.get(i).copied().unwrap_or_default(),
            None => self
                .narrow
                .get(i)
                .map_or_else(C::Value::default, |n| self.codec.unpack(*n)),
        }
    }

    pub fn set(&mut self, i: usize, v: C::Value) {
        if self.wide.is_none() {
            match self.codec.pack(v) {
                Some(n) if C::same(&self.codec.unpack(n), &v) => {
                    if let Some(slot) = self.narrow.get_mut(i) {
                        *slot = n;
                    }
                    return;
                }
                _ => self.widen(),
            }
        }
        if let Some(slot) = self.wide.as_mut().and_then(|w| w.get_mut(i)) {
            *slot = v;
        }
    }

    /// Bytes held by the values (not counting spare capacity).
    pub fn bytes(&self) -> usize {
        match &self.wide {
            Some(w) => std::mem::size_of_val(w.as_slice()),
            None => std::mem::size_of_val(self.narrow.as_slice()),
        }
    }

    #[cfg(test)]
    pub fn is_wide(&self) -> bool {
        self.wide.is_some()
    }

    /// Puts the values in `order` (indices into the column, each once).
    pub fn permute(&mut self, order: &[usize]) {
        match &mut self.wide {
            Some(w) => *w = pick(w, order),
            None => self.narrow = pick(&self.narrow, order),
        }
    }

    pub fn truncate(&mut self, len: usize) {
        match &mut self.wide {
            Some(w) => w.truncate(len),
            None => self.narrow.truncate(len),
        }
    }

    pub fn shrink_to_fit(&mut self) {
        match &mut self.wide {
            Some(w) => w.shrink_to_fit(),
            None => self.narrow.shrink_to_fit(),
        }
    }

    /// Drops the first `n` values.
    pub fn drain_front(&mut self, n: usize) {
        match &mut self.wide {
            Some(w) => drop(w.drain(..n.min(w.len()))),
            None => drop(self.narrow.drain(..n.min(self.narrow.len()))),
        }
    }

    fn widen(&mut self) {
        if self.wide.is_none() {
            let wide = self.narrow.iter().map(|n| self.codec.unpack(*n)).collect();
            self.narrow = Vec::new();
            self.wide = Some(wide);
        }
    }
}

fn pick<T: Copy + Default>(values: &[T], order: &[usize]) -> Vec<T> {
    order
        .iter()
        .map(|&i| values.get(i).copied().unwrap_or_default())
        .collect()
}

/// Whole multiples of `unit` (1 for ids and lines, 1024 for sizes) as `u32`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Whole {
    pub unit: u64,
}

impl Codec for Whole {
    type Value = u64;
    type Narrow = u32;
    fn pack(&mut self, v: u64) -> Option<u32> {
        let unit = self.unit.max(1);
        if v % unit == 0 {
            u32::try_from(v / unit).ok()
        } else {
            None
        }
    }
    fn unpack(&self, n: u32) -> u64 {
        u64::from(n).saturating_mul(self.unit.max(1))
    }
    fn same(a: &u64, b: &u64) -> bool {
        a == b
    }
}

/// Ids into a string table as `u16`.
#[derive(Debug, Clone, Copy)]
pub(super) struct SmallId;

impl Codec for SmallId {
    type Value = u32;
    type Narrow = u16;
    fn pack(&mut self, v: u32) -> Option<u16> {
        u16::try_from(v).ok()
    }
    fn unpack(&self, n: u16) -> u32 {
        u32::from(n)
    }
    fn same(a: &u32, b: &u32) -> bool {
        a == b
    }
}

/// Non-negative decimals with at most `log10(scale)` places as `u32` counts of `1/scale`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decimal {
    pub scale: f64,
}

impl Codec for Decimal {
    type Value = f64;
    type Narrow = u32;
    fn pack(&mut self, v: f64) -> Option<u32> {
        let k = (v * self.scale).round();
        // The range check keeps the cast exact; NaN fails it.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        (k >= 0.0 && k <= f64::from(u32::MAX)).then_some(k as u32)
    }
    fn unpack(&self, n: u32) -> f64 {
        f64::from(n) / self.scale
    }
    fn same(a: &f64, b: &f64) -> bool {
        a.to_bits() == b.to_bits()
    }
}

/// Wall-clock times as milliseconds from a base near the first one, all in its UTC offset.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Millis {
    /// Milliseconds since the epoch that narrow 0 stands for, and the offset of every value.
    base: Option<(i64, FixedOffset)>,
}

impl Codec for Millis {
    type Value = DateTime<FixedOffset>;
    type Narrow = u32;
    fn pack(&mut self, v: DateTime<FixedOffset>) -> Option<u32> {
        let ms = v.timestamp_millis();
        let (base, offset) = *self
            .base
            .get_or_insert((ms.saturating_sub(1 << 31), *v.offset()));
        (*v.offset() == offset)
            .then(|| u32::try_from(ms.checked_sub(base)?).ok())
            .flatten()
    }
    fn unpack(&self, n: u32) -> DateTime<FixedOffset> {
        let Some((base, offset)) = self.base else {
            return DateTime::default();
        };
        DateTime::from_timestamp_millis(base.saturating_add(i64::from(n)))
            .map(|t| t.with_timezone(&offset))
            .unwrap_or_default()
    }
    fn same(a: &DateTime<FixedOffset>, b: &DateTime<FixedOffset>) -> bool {
        a == b && a.offset() == b.offset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_values_stay_narrow_and_exact() {
        let mut pauses = Column::new(Decimal { scale: 1e4 });
        // Unified ms (3 places), legacy seconds turned into ms (4 places), 0.
        let values = [
            5.696,
            28.5898,
            0.0,
            1234.5,
            "0.0285898".parse::<f64>().unwrap() * 1000.0,
        ];
        for v in values {
            pauses.push(v);
        }
        for (i, v) in values.iter().enumerate() {
            assert_eq!(pauses.get(i).to_bits(), v.to_bits(), "{v}");
        }
        let mut sizes = Column::new(Whole { unit: 1024 });
        sizes.push(256 << 20);
        sizes.push(0);
        assert!(!sizes.is_wide());
        assert_eq!((sizes.get(0), sizes.get(1)), (256 << 20, 0));
        let mut times = Column::new(Millis::default());
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        times.push(t("2024-03-01T10:00:00.123+01:00"));
        times.push(t("2024-02-28T10:00:00.000+01:00"));
        assert!(!times.is_wide());
        assert_eq!(times.get(1), t("2024-02-28T10:00:00.000+01:00"));
        assert_eq!(
            times.get(1).offset(),
            t("2024-02-28T10:00:00+01:00").offset()
        );
    }

    #[test]
    fn a_value_that_does_not_fit_widens_the_column_losslessly() {
        let mut sizes = Column::new(Whole { unit: 1024 });
        sizes.push(2048);
        sizes.push(123_456_789); // a flight recording's exact byte count
        sizes.push(u64::MAX);
        assert!(sizes.is_wide());
        assert_eq!(
            (sizes.get(0), sizes.get(1), sizes.get(2)),
            (2048, 123_456_789, u64::MAX)
        );
        let mut pauses = Column::new(Decimal { scale: 1e4 });
        pauses.push(1.0);
        pauses.push(0.1 + 0.2); // not the nearest double to a 4-place decimal
        pauses.push(f64::NAN);
        pauses.push(-0.0);
        assert!(pauses.is_wide());
        assert_eq!(pauses.get(0), 1.0);
        assert_eq!(pauses.get(1).to_bits(), (0.1f64 + 0.2).to_bits());
        assert!(pauses.get(2).is_nan());
        assert_eq!(pauses.get(3).to_bits(), (-0.0f64).to_bits());
        let mut times = Column::new(Millis::default());
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        times.push(t("2024-03-30T10:00:00.123+01:00"));
        times.push(t("2024-03-31T10:00:00.123+02:00")); // the same zone after a DST change
        times.push(t("2024-03-31T10:00:00.123456789+02:00"));
        assert!(times.is_wide());
        assert_eq!(
            times.get(1).offset(),
            t("2024-03-31T10:00:00+02:00").offset()
        );
        assert_eq!(times.get(2), t("2024-03-31T10:00:00.123456789+02:00"));
    }

    #[test]
    fn set_permute_and_drain_keep_values_with_their_rows() {
        let mut c = Column::new(Whole { unit: 1 });
        for v in [10, 20, 30, 40] {
            c.push(v);
        }
        c.set(1, 21);
        c.permute(&[3, 0, 1, 2]);
        c.drain_front(1);
        assert_eq!((0..3).map(|i| c.get(i)).collect::<Vec<_>>(), [10, 21, 30]);
        c.set(0, u64::MAX);
        assert!(c.is_wide());
        assert_eq!(
            (0..3).map(|i| c.get(i)).collect::<Vec<_>>(),
            [u64::MAX, 21, 30]
        );
    }
}
