//! Robust trend of one time series `(t_min, value)`: the Theil–Sen slope (median of pairwise
//! slopes, unmoved by outliers and single spikes), the Mann–Kendall tau-b (how consistently the
//! series moves one way: 1 = every later point is higher), and checks that tell a leak from
//! warm-up or one step: the slope over the late half, and the share of the largest single jump.
//!
//! Significance against the series' own noise: the Mann–Kendall test's one-sided p-value
//! (variance corrected for ties), the Theil–Sen slope's 90% confidence interval (Sen 1968: the
//! pairwise slopes ranked around the median by z·sqrt(Var S)), and the residual noise around
//! the fitted line (1.4826 × median absolute deviation, a robust standard deviation). A series
//! "clearly grows" when its rise is many times that noise and the test rejects "no trend" —
//! however short the window; the window's length is a separate doubt (warm-up), not a filter.
//!
//! Everything is pure arithmetic on slices; nothing here knows about NMT or GC logs.

use serde::Serialize;

use crate::num::usize_from_f64;

/// Pairwise statistics are O(n²): longer series are reduced to this many bucket medians first.
pub const MAX_POINTS: usize = 240;

/// The trend of one series over its window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    /// Points used (after warm-up trimming and downsampling).
    pub points: usize,
    /// Time from the first to the last point, in minutes.
    pub span_min: f64,
    /// Theil–Sen slope, value units per minute.
    pub slope_per_min: f64,
    /// Theil–Sen slope over the late half of the window (by time) only.
    pub late_slope_per_min: f64,
    /// Mann–Kendall tau-b in -1..=1 (ties in value are corrected for).
    pub tau: f64,
    /// The Theil–Sen line's value at the first point of the window.
    pub start_value: f64,
    /// The last observed value.
    pub end_value: f64,
    /// Largest single increase between neighbours over the total rise (0 when it did not rise).
    pub largest_step_share: f64,
    /// Mann–Kendall one-sided p-value of "no upward trend" (small = significant growth).
    pub p_value: f64,
    /// Lower end of the Theil–Sen slope's two-sided 90% confidence interval, per minute.
    pub slope_low_per_min: f64,
    /// Upper end of that interval, per minute.
    pub slope_high_per_min: f64,
    /// Robust standard deviation of the residuals around the Theil–Sen line (value units).
    pub noise: f64,
}

impl Trend {
    /// Growth over the window as the fitted line sees it: slope × span.
    pub fn growth(&self) -> f64 {
        self.slope_per_min * self.span_min
    }

    /// Growth over the window in units of the residual noise (large = far above the noise);
    /// capped at 1000 for a noiseless line.
    pub fn signal_to_noise(&self) -> f64 {
        let g = self.growth();
        if self.noise > 0.0 {
            (g / self.noise).min(1000.0)
        } else if g > 0.0 {
            1000.0
        } else {
            0.0
        }
    }
}

/// Standard normal upper tail, 1 − Φ(z) (Abramowitz & Stegun 7.1.26, error < 1.5e-7).
pub fn normal_upper_tail(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-x * x).exp();
    if z >= 0.0 {
        erfc / 2.0
    } else {
        1.0 - erfc / 2.0
    }
}

/// −1, 0 or +1: the sign of a difference, with 0 for a tie. (`f64::signum` gives +1 for
/// +0.0, which would count every tied pair as concordant and lift S on flat stretches.)
fn sign(d: f64) -> i64 {
    if d > 0.0 {
        1
    } else if d < 0.0 {
        -1
    } else {
        0
    }
}

/// What the pairwise statistics need, from one pass over every pair of points (i < j): the
/// slopes between pairs with distinct times (Theil–Sen, Sen's interval), Mann–Kendall S and the
/// ties (tau-b). One pass instead of four: the slopes were built twice and the signs counted
/// twice per series, most of `trend`'s time on 240 points (docs/benchmarks.md, "report after
/// the parser").
struct Pairs {
    /// In pair order (by first point, then second), so the pairs whose first point is at or
    /// after `late_start` are the tail from `late_from`.
    slopes: Vec<f64>,
    late_from: usize,
    /// Concordant − discordant pairs (a pair tied in time or value counts for neither).
    s: i64,
    pairs: i64,
    time_ties: i64,
    value_ties: i64,
}

impl Pairs {
    /// Every pair of `points`; `late_start` marks where the late part's pairs begin.
    fn of(points: &[(f64, f64)], late_start: usize) -> Self {
        let n = points.len();
        let mut out = Pairs {
            slopes: Vec::with_capacity(n * n.saturating_sub(1) / 2),
            late_from: 0,
            s: 0,
            pairs: 0,
            time_ties: 0,
            value_ties: 0,
        };
        for (i, a) in points.iter().enumerate() {
            if i == late_start {
                out.late_from = out.slopes.len();
            }
            for b in &points[i + 1..] {
                let dt = b.0 - a.0;
                let dv = b.1 - a.1;
                out.time_ties += i64::from(dt == 0.0);
                out.value_ties += i64::from(dv == 0.0);
                out.s += sign(dt) * sign(dv);
                if dt.abs() > f64::EPSILON {
                    out.slopes.push(dv / dt);
                }
            }
        }
        out.pairs = i64::try_from(n * n.saturating_sub(1) / 2).unwrap_or(i64::MAX);
        if late_start >= n {
            out.late_from = out.slopes.len();
        }
        out
    }

    /// Mann–Kendall tau-b in -1..=1.
    fn tau(&self) -> f64 {
        let denominator = (((self.pairs - self.time_ties) as f64)
            * ((self.pairs - self.value_ties) as f64))
            .sqrt();
        if denominator > 0.0 {
            (self.s as f64 / denominator).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }
}

/// The variance of Mann–Kendall S under "no trend", corrected for groups of tied values.
fn mann_kendall_var(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let mut values: Vec<f64> = points.iter().map(|p| p.1).collect();
    values.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut run = 1.0;
    for w in values.windows(2) {
        if w[1] == w[0] {
            run += 1.0;
        } else {
            ties += run * (run - 1.0) * (2.0 * run + 5.0);
            run = 1.0;
        }
    }
    ties += run * (run - 1.0) * (2.0 * run + 5.0);
    let var = ((n * (n - 1.0) * (2.0 * n + 5.0)) - ties) / 18.0;
    var.max(0.0)
}

/// Mann–Kendall S (concordant − discordant pairs) and its variance under "no trend",
/// corrected for groups of tied values (a pair tied in time or value counts for neither side).
#[cfg(test)]
fn mann_kendall_s(points: &[(f64, f64)]) -> (f64, f64) {
    let pairs = Pairs::of(points, points.len());
    (pairs.s as f64, mann_kendall_var(points))
}

/// One-sided p-value of "no upward trend" (from S and its variance).
fn p_value(s: i64, var: f64) -> f64 {
    if var > 0.0 {
        // Continuity correction: S moves towards 0 by one (S = 0 stays 0).
        let s = s as f64;
        let z = (s - sign(s) as f64) / var.sqrt();
        normal_upper_tail(z)
    } else {
        1.0
    }
}

/// The ranks Sen's 90% interval of the slope takes among `n` finite slopes.
fn interval_ranks(n: usize, var: f64) -> (usize, usize) {
    let c = 1.645 * var.sqrt();
    let last = n - 1;
    let n = n as f64;
    let lo = usize_from_f64(((n - c) / 2.0).floor() - 1.0).min(last);
    let hi = usize_from_f64(((n + c) / 2.0).ceil()).min(last).max(lo);
    (lo, hi)
}

/// The slopes ranked `lo` and `hi` (what a sort would put there, by selection: the pairs of
/// 240 points are ~29k slopes per series).
fn ranked_pair(slopes: &mut [f64], lo: usize, hi: usize) -> (f64, f64) {
    let (_, &mut low, above) = slopes.select_nth_unstable_by(lo, f64::total_cmp);
    let high = match hi.checked_sub(lo + 1) {
        Some(k) => *above.select_nth_unstable_by(k, f64::total_cmp).1,
        None => low,
    };
    (low, high)
}

/// The slope ranked `k` in `slopes` already partitioned around rank `mid` (by [`median`]):
/// only the side that holds it is searched.
fn ranked_beside(slopes: &mut [f64], mid: usize, k: usize) -> f64 {
    match k.cmp(&mid) {
        std::cmp::Ordering::Less => *slopes[..mid].select_nth_unstable_by(k, f64::total_cmp).1,
        std::cmp::Ordering::Equal => slopes[mid],
        std::cmp::Ordering::Greater => {
            *slopes[mid + 1..]
                .select_nth_unstable_by(k - mid - 1, f64::total_cmp)
                .1
        }
    }
}

/// One-sided p-value of "no upward trend" and the 90% interval of the Theil–Sen slope, from
/// `pairs` whose slopes [`median`] has partitioned around their middle (the interval's ranks
/// lie on either side of it, so each is selected in one half).
fn significance(points: &[(f64, f64)], pairs: &mut Pairs) -> (f64, f64, f64) {
    let var = mann_kendall_var(points);
    let p = p_value(pairs.s, var);
    let slopes = &mut pairs.slopes;
    if slopes.is_empty() {
        return (p, 0.0, 0.0);
    }
    if slopes.iter().all(|v| v.is_finite()) {
        let (lo, hi) = interval_ranks(slopes.len(), var);
        let mid = slopes.len() / 2;
        let low = ranked_beside(slopes, mid, lo);
        let high = ranked_beside(slopes, mid, hi);
        return (p, low, high);
    }
    // An overflowed slope (values near f64's limits): ranks among the finite ones only.
    let mut finite: Vec<f64> = slopes.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return (p, 0.0, 0.0);
    }
    let (lo, hi) = interval_ranks(finite.len(), var);
    let (low, high) = ranked_pair(&mut finite, lo, hi);
    (p, low, high)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    // Selection, not a sort: the same two middle values (by `total_cmp`) in linear time
    // (Theil–Sen takes the median of ~29k slopes per series; a sort was 5% of `report`).
    // Leaves `values` partitioned around `values.len() / 2` ([`ranked_beside`] uses that).
    let (len, mid) = (values.len(), values.len() / 2);
    let (below, &mut at, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    Some(if len % 2 == 1 {
        at
    } else {
        let lower = below.iter().copied().max_by(f64::total_cmp).unwrap_or(at);
        (lower + at) / 2.0
    })
}

/// [`median`] of values already in `total_cmp` order (a timeline's times): the middle ones,
/// no selection; `None` when they are not in order (or empty).
fn median_of_sorted(values: &[f64]) -> Option<f64> {
    if !values.windows(2).all(|w| w[0].total_cmp(&w[1]).is_le()) {
        return None;
    }
    let mid = values.len() / 2;
    let at = *values.get(mid)?;
    Some(if values.len() % 2 == 1 {
        at
    } else {
        (values.get(mid - 1).copied().unwrap_or(at) + at) / 2.0
    })
}

/// Theil–Sen slope: the median of the slopes between every pair of points with distinct times.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<f64> {
    median(&mut Pairs::of(points, points.len()).slopes).filter(|s| s.is_finite())
}

/// Mann–Kendall tau-b: (concordant − discordant) pairs over the pairs not tied, in -1..=1.
/// Ties in value (a flat stretch) count for neither side, so a flat series has tau 0.
pub fn mann_kendall_tau(points: &[(f64, f64)]) -> f64 {
    Pairs::of(points, points.len()).tau()
}

/// Drops the warm-up: the first `fraction` of the time span, but keeps at least `min_points`
/// points (or all of them when there are fewer).
pub fn trim_warmup(points: &[(f64, f64)], fraction: f64, min_points: usize) -> &[(f64, f64)] {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return points;
    };
    let cut = first.0 + (last.0 - first.0) * fraction.clamp(0.0, 0.9);
    let start = points.iter().position(|p| p.0 >= cut).unwrap_or(0);
    let start = start.min(points.len().saturating_sub(min_points));
    &points[start..]
}

/// Reduces a series to at most `max` points: the median time and value of equal-count buckets.
pub fn downsample(points: &[(f64, f64)], max: usize) -> Vec<(f64, f64)> {
    if points.len() <= max || max == 0 {
        return points.to_vec();
    }
    let bucket = points.len().div_ceil(max);
    // Two buffers for every bucket (a pair of `Vec`s per bucket was a third of the cost).
    let (mut t, mut v) = (Vec::with_capacity(bucket), Vec::with_capacity(bucket));
    let mut out = Vec::with_capacity(max);
    for chunk in points.chunks(bucket) {
        t.clear();
        v.clear();
        t.extend(chunk.iter().map(|p| p.0));
        v.extend(chunk.iter().map(|p| p.1));
        if let (Some(mt), Some(mv)) = (
            median_of_sorted(&t).or_else(|| median(&mut t)),
            median(&mut v),
        ) {
            out.push((mt, mv));
        }
    }
    out
}

/// The floor of a series: the minimum of each run of `window` consecutive points (at the time
/// of that minimum). A GC sawtooth's floor is flat; a leak's floor rises.
pub fn rolling_min(points: &[(f64, f64)], window: usize) -> Vec<(f64, f64)> {
    points
        .chunks(window.max(1))
        .filter_map(|chunk| chunk.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)))
        .collect()
}

/// The trend of a series already trimmed of warm-up; `None` with fewer than 3 points or when
/// all points share one time.
pub fn trend(points: &[(f64, f64)]) -> Option<Trend> {
    let points: Vec<(f64, f64)> = downsample(points, MAX_POINTS)
        .into_iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    if points.len() < 3 {
        return None;
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    let span_min = last.0 - first.0;
    if span_min <= 0.0 {
        return None;
    }
    // The late half by time, not by count: GC events crowd where the heap is nearly full
    // (back-to-back full collections), and half the points may be the last few seconds.
    let mid_t = first.0 + span_min / 2.0;
    let late_start = points
        .iter()
        .position(|p| p.0 >= mid_t)
        .unwrap_or(points.len() / 2)
        .min(points.len().saturating_sub(2));
    let mut pairs = Pairs::of(&points, late_start);
    // The late half's pairs are the tail of all pairs: their median is taken first, in place
    // (that only reorders the tail, so the median of all slopes is the same).
    let late_median = median(&mut pairs.slopes[pairs.late_from..]).filter(|s| s.is_finite());
    let slope = median(&mut pairs.slopes).filter(|s| s.is_finite())?;
    let late_slope = if points.len() - late_start >= 2 {
        late_median.unwrap_or(0.0)
    } else {
        slope
    };
    let mut ts: Vec<f64> = points.iter().map(|p| p.0).collect();
    let mut vs: Vec<f64> = points.iter().map(|p| p.1).collect();
    let (mt, mv) = (median(&mut ts)?, median(&mut vs)?);
    let start_value = mv + slope * (first.0 - mt);
    let min = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let max = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let largest_step = points
        .windows(2)
        .map(|w| w[1].1 - w[0].1)
        .fold(0.0, f64::max);
    let rise = max - min;
    let mut residuals: Vec<f64> = points
        .iter()
        .map(|p| p.1 - (start_value + slope * (p.0 - first.0)))
        .collect();
    let centre = median(&mut residuals.clone()).unwrap_or(0.0);
    for r in &mut residuals {
        *r = (*r - centre).abs();
    }
    let noise = 1.4826 * median(&mut residuals).unwrap_or(0.0);
    let (p_value, slope_low, slope_high) = significance(&points, &mut pairs);
    Some(Trend {
        points: points.len(),
        span_min,
        slope_per_min: slope,
        late_slope_per_min: late_slope,
        tau: pairs.tau(),
        start_value,
        end_value: last.1,
        largest_step_share: if rise > 0.0 { largest_step / rise } else { 0.0 },
        p_value,
        slope_low_per_min: slope_low,
        slope_high_per_min: slope_high,
        noise,
    })
}

#[cfg(test)]
#[path = "trend_tests.rs"]
mod tests;
