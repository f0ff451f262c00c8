//! Number conversions whose rule is written once, so clippy's lossy-cast lints stay on
//! everywhere else. A float becomes an integer toward zero, saturating at the type's bounds,
//! NaN as 0 — what `as` has done since Rust 1.45; callers round first when they mean to round.

/// `x` toward zero, clamped to `0..=u64::MAX` (negative and NaN give 0).
#[inline]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn u64_from_f64(x: f64) -> u64 {
    x as u64
}

/// `x` toward zero, clamped to `i64::MIN..=i64::MAX` (NaN gives 0).
#[inline]
#[allow(clippy::cast_possible_truncation)]
pub fn i64_from_f64(x: f64) -> i64 {
    x as i64
}

/// `x` toward zero, clamped to `0..=usize::MAX` (negative and NaN give 0).
#[inline]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn usize_from_f64(x: f64) -> usize {
    x as usize
}

/// `a − b` as a signed figure, saturating at `i64`'s bounds (a growth or a gap in bytes).
pub fn difference(a: u64, b: u64) -> i64 {
    if a >= b {
        i64::try_from(a - b).unwrap_or(i64::MAX)
    } else {
        i64::try_from(b - a).map_or(i64::MIN, |d| -d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_saturate_toward_zero() {
        assert_eq!(u64_from_f64(2.9), 2);
        assert_eq!(u64_from_f64(-3.0), 0);
        assert_eq!(u64_from_f64(f64::NAN), 0);
        assert_eq!(u64_from_f64(1e30), u64::MAX);
        assert_eq!(i64_from_f64(-2.9), -2);
        assert_eq!(i64_from_f64(-1e30), i64::MIN);
        assert_eq!(i64_from_f64(f64::INFINITY), i64::MAX);
        assert_eq!(usize_from_f64(7.99), 7);
        assert_eq!(usize_from_f64(-0.5), 0);
    }

    #[test]
    fn differences_saturate() {
        assert_eq!(difference(10, 3), 7);
        assert_eq!(difference(3, 10), -7);
        assert_eq!(difference(u64::MAX, 0), i64::MAX);
        assert_eq!(difference(0, u64::MAX), i64::MIN);
        assert_eq!(difference(0, 1 << 63), i64::MIN);
    }
}
