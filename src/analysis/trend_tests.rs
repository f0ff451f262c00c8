//! Tests of [`super`]: trends of known series, ties, significance, degenerate input.
use super::*;

/// A deterministic pseudo-random number in -1..1 (no rand dependency).
fn noise(i: usize) -> f64 {
    let x = (i as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    ((x >> 33) % 2001) as f64 / 1000.0 - 1.0
}

fn series(n: usize, f: impl Fn(usize) -> f64) -> Vec<(f64, f64)> {
    (0..n).map(|i| (i as f64 * 0.05, f(i))).collect()
}

#[test]
fn straight_line_has_its_slope_and_tau_one() {
    let s = series(30, |i| 100.0 + 2.0 * i as f64); // 2 per 0.05 min = 40/min
    let t = trend(&s).unwrap();
    assert!((t.slope_per_min - 40.0).abs() < 1e-9);
    assert!((t.tau - 1.0).abs() < 1e-9);
    assert!((t.start_value - 100.0).abs() < 1e-9);
    assert!((t.growth() - 40.0 * 29.0 * 0.05).abs() < 1e-6);
    assert!(t.largest_step_share < 0.05);
}

#[test]
fn pure_noise_has_no_slope_to_speak_of() {
    let s = series(40, |i| 1000.0 + 50.0 * noise(i));
    let t = trend(&s).unwrap();
    assert!(t.tau.abs() < 0.3, "tau {}", t.tau);
    assert!(t.growth().abs() < 60.0, "growth {}", t.growth());
}

#[test]
fn slope_survives_noise_and_spikes() {
    let s = series(40, |i| {
        let spike = if i % 9 == 4 { 5000.0 } else { 0.0 };
        1000.0 + 10.0 * i as f64 + 5.0 * noise(i) + spike
    });
    let t = trend(&s).unwrap();
    assert!(
        (t.slope_per_min - 200.0).abs() < 20.0,
        "slope {}",
        t.slope_per_min
    );
    assert!(t.tau > 0.6, "tau {}", t.tau);
}

#[test]
fn one_step_is_not_a_steady_climb() {
    let s = series(30, |i| if i < 20 { 100.0 } else { 200.0 });
    let t = trend(&s).unwrap();
    assert_eq!(
        t.slope_per_min, 0.0,
        "a late step moves the median slope nowhere"
    );
    assert!((t.largest_step_share - 1.0).abs() < 1e-9);
}

#[test]
fn gc_sawtooth_is_flat() {
    // Heap before/after collections: rises 10 per point, drops every 6 points.
    let s = series(60, |i| 100.0 + 10.0 * (i % 6) as f64);
    let t = trend(&s).unwrap();
    // Pairs inside one tooth all rise, so tau is not 0, but far below a leak's.
    assert!(t.tau.abs() < 0.3, "tau {}", t.tau);
    assert!(t.growth().abs() < 10.0, "growth {}", t.growth());
    let floor = rolling_min(&s, 6);
    let f = trend(&floor).unwrap();
    assert_eq!(f.slope_per_min, 0.0);
    assert_eq!(f.tau, 0.0);
}

#[test]
fn a_rising_sawtooth_floor_is_found() {
    let s = series(60, |i| 100.0 + 10.0 * (i % 6) as f64 + 3.0 * i as f64);
    let floor = rolling_min(&s, 6);
    let f = trend(&floor).unwrap();
    assert!(f.tau > 0.99 && f.slope_per_min > 0.0);
}

#[test]
fn warm_up_is_trimmed_and_the_plateau_remains() {
    // Fast growth for the first 5 points (startup), flat afterwards.
    let s = series(40, |i| {
        if i < 5 {
            i as f64 * 100.0
        } else {
            500.0 + noise(i)
        }
    });
    let whole = trend(&s).unwrap();
    let trimmed = trend(trim_warmup(&s, 0.15, 5)).unwrap();
    assert!(whole.late_slope_per_min.abs() < whole.slope_per_min.abs() + 1.0);
    assert!(trimmed.growth().abs() < 5.0, "growth {}", trimmed.growth());
    assert!(trimmed.tau.abs() < 0.3);
    // Too few points: keep the last `min_points`.
    assert_eq!(trim_warmup(&s[..6], 0.5, 5).len(), 5);
    assert!(trim_warmup(&[], 0.2, 5).is_empty());
}

#[test]
fn downsampling_keeps_the_slope() {
    let s: Vec<(f64, f64)> = (0..5000).map(|i| (i as f64, 3.0 * i as f64)).collect();
    let d = downsample(&s, MAX_POINTS);
    assert!(d.len() <= MAX_POINTS);
    let t = trend(&s).unwrap();
    assert!((t.slope_per_min - 3.0).abs() < 1e-6);
}

#[test]
fn significance_follows_the_noise_not_the_length() {
    // 13 points over 27 s rising in a straight line: highly significant, no noise.
    let line: Vec<(f64, f64)> = (0..13)
        .map(|i| (i as f64 * 2.25 / 60.0, 3.0 + 5.5 * i as f64))
        .collect();
    let t = trend(&line).unwrap();
    assert!(t.p_value < 1e-4, "p {}", t.p_value);
    assert!(t.slope_low_per_min > 0.9 * t.slope_per_min);
    assert_eq!(t.signal_to_noise(), 1000.0);
    // Pure noise: not significant, slope interval spans zero.
    let s = series(40, |i| 1000.0 + 50.0 * noise(i));
    let t = trend(&s).unwrap();
    assert!(t.p_value > 0.05, "p {}", t.p_value);
    assert!(t.slope_low_per_min < 0.0 && t.slope_high_per_min > 0.0);
    assert!(t.signal_to_noise() < 2.0, "snr {}", t.signal_to_noise());
    // A small rise buried in noise ten times larger: the rise is below the noise.
    let s = series(40, |i| 1000.0 + 0.5 * i as f64 + 50.0 * noise(i));
    let t = trend(&s).unwrap();
    assert!(t.signal_to_noise() < 3.0, "snr {}", t.signal_to_noise());
}

#[test]
fn ties_count_for_neither_side() {
    // Flat, then one step up: 10 points at 0 and 10 at 1. Of the 190 pairs, 45 + 45 are tied
    // in value and 100 are concordant, none discordant: S = 100 and tau-b = 100 / 145.
    let pts = series(20, |i| if i < 10 { 0.0 } else { 1.0 });
    let (s, _) = super::mann_kendall_s(&pts);
    assert_eq!(s, 100.0);
    let tau = mann_kendall_tau(&pts);
    assert!(
        (tau - 100.0 / (190.0f64 * 100.0).sqrt()).abs() < 1e-9,
        "{tau}"
    );
    // A flat series has no trend at all.
    let flat = series(20, |_| 5.0);
    assert_eq!(super::mann_kendall_s(&flat).0, 0.0);
    assert_eq!(mann_kendall_tau(&flat), 0.0);
}

#[test]
fn normal_tail_has_known_values() {
    assert!((normal_upper_tail(0.0) - 0.5).abs() < 1e-6);
    assert!((normal_upper_tail(1.645) - 0.05).abs() < 1e-3);
    assert!((normal_upper_tail(-1.96) - 0.975).abs() < 1e-3);
}

#[test]
fn degenerate_inputs_give_none_not_panics() {
    assert!(trend(&[]).is_none());
    assert!(trend(&[(0.0, 1.0), (1.0, 2.0)]).is_none());
    assert!(trend(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]).is_none());
    assert!(trend(&[(0.0, f64::NAN), (1.0, 2.0), (2.0, 3.0)]).is_none());
    assert_eq!(mann_kendall_tau(&[(0.0, 1.0), (1.0, 1.0)]), 0.0);
}
