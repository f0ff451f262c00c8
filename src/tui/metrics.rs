//! What the dashboard shows, computed from the model: per-category series, downsampling to
//! the drawn width, and text sparklines (the headline figures and their JDK rules are the
//! library's `model::categories`). Pure functions over snapshots; no terminal here.

use std::sync::Arc;

use jvmem::model::{CategoryRef, SnapshotRef};

pub use jvmem::model::Headline;
pub use jvmem::model::categories::thread_count;

/// A category by name, comparing the shared pointer first (names are interned per store, so
/// this is usually one pointer comparison instead of a string comparison).
pub fn find_category<'a>(s: SnapshotRef<'a>, name: &Arc<str>) -> Option<CategoryRef<'a>> {
    s.categories()
        .find(|c| Arc::ptr_eq(c.name, name))
        .or_else(|| s.categories().find(|c| c.name == name))
}

/// Committed bytes of a category, 0 when absent.
pub fn committed_of(s: SnapshotRef<'_>, name: &Arc<str>) -> u64 {
    s.committed(name)
}

/// Reserved bytes of a category, 0 when absent.
pub fn reserved_of(s: SnapshotRef<'_>, name: &Arc<str>) -> u64 {
    s.amounts(name).map_or(0, |(reserved, _)| reserved)
}

/// Indices of at most `points` snapshots out of `len`, evenly spread, always including the last.
/// Sparklines and table trends sample the value at each point: O(width), not O(snapshots).
pub fn sample_indices(len: usize, points: usize) -> Vec<usize> {
    if len == 0 || points == 0 {
        return Vec::new();
    }
    if len <= points {
        return (0..len).collect();
    }
    (1..=points).map(|i| i * len / points - 1).collect()
}

/// `values` reduced to at most `buckets` (min, max) pairs, so a chart keeps every peak: the
/// library's one rule, shared with the HTML report's charts.
pub use jvmem::report::svg::downsample as min_max_buckets;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline whose scale is never finer than [`Trend`]'s noise threshold: a series that
/// moves less than that (NMT rounding, a 64 KiB chunk) draws low and nearly flat, so only
/// significant growth fills the row.
pub fn sparkline_significant(values: &[u64]) -> String {
    let (Some(&lo), Some(&hi)) = (values.iter().min(), values.iter().max()) else {
        return String::new();
    };
    let span = (hi - lo).max(Trend::threshold(lo)).max(1);
    values
        .iter()
        .map(|&v| BARS[(((v - lo) as u128 * 7 + u128::from(span) / 2) / u128::from(span)) as usize])
        .collect()
}

/// Up (growing), down, or flat, with a tolerance so noise is flat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Up,
    Down,
    Flat,
}

impl Trend {
    /// Growth of at least 256 KiB and 2 % counts; less is noise: NMT's KB rounding, arenas,
    /// and the one 64 KiB metaspace chunk every JVM commits early (seen in every real sample).
    pub fn of(old: u64, new: u64) -> Trend {
        let threshold = Self::threshold(old);
        if new >= old.saturating_add(threshold) {
            Trend::Up
        } else if new.saturating_add(threshold) <= old {
            Trend::Down
        } else {
            Trend::Flat
        }
    }

    /// The least change from `old` that counts: 2 %, at least 256 KiB.
    pub fn threshold(old: u64) -> u64 {
        (old / 50).max(256 << 10)
    }

    /// The arrow shown, readable without colour.
    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Up => "▲",
            Trend::Down => "▼",
            Trend::Flat => "·",
        }
    }
}

/// `new - old` as a signed delta, saturating.
pub fn delta(old: u64, new: u64) -> i64 {
    let d = i128::from(new) - i128::from(old);
    i64::try_from(d).unwrap_or(if d < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_spread_and_keep_the_last() {
        assert_eq!(sample_indices(3, 10), vec![0, 1, 2]);
        assert_eq!(sample_indices(10, 5), vec![1, 3, 5, 7, 9]);
        assert_eq!(sample_indices(10_000, 20).len(), 20);
        assert_eq!(sample_indices(10_000, 20).last(), Some(&9_999));
        assert!(sample_indices(0, 5).is_empty());
    }

    #[test]
    fn sparkline_scales_min_to_max() {
        assert_eq!(sparkline_significant(&[1 << 30, 1 << 30, 1 << 30]), "▁▁▁");
        assert_eq!(sparkline_significant(&[0, 7 << 30, 14 << 30]), "▁▅█");
        assert_eq!(sparkline_significant(&[]), "");
    }

    #[test]
    fn insignificant_sparklines_stay_low() {
        // +0.5% of 1 MiB (5 KiB) is noise: drawn at the bottom, not as a full-height step.
        assert_eq!(sparkline_significant(&[1 << 20, (1 << 20) + 5120]), "▁▁");
        // +100 MiB over 10 MiB fills the row.
        assert_eq!(sparkline_significant(&[10 << 20, 110 << 20]), "▁█");
    }

    #[test]
    fn buckets_keep_peaks() {
        let values: Vec<(f64, f64)> = (0..100)
            .map(|i| (i as f64, if i == 42 { 99.0 } else { 1.0 }))
            .collect();
        let b = min_max_buckets(&values, 10);
        assert!(b.len() <= 20);
        assert!(b.iter().any(|p| p.1 == 99.0));
    }

    #[test]
    fn trend_ignores_noise() {
        assert_eq!(Trend::of(100 << 20, (100 << 20) + 4096), Trend::Flat);
        assert_eq!(Trend::of(576 << 10, 640 << 10), Trend::Flat);
        assert_eq!(Trend::of(100 << 20, 110 << 20), Trend::Up);
        assert_eq!(Trend::of(100 << 20, 90 << 20), Trend::Down);
    }
}
