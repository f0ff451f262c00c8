//! Byte amounts as people read them: IEC units for display, and sizes typed by users
//! (`--limit 1Gi`, `512M`, `2g`, `1073741824`).

use thiserror::Error;

const KIB: f64 = 1024.0;

/// Formats a byte count with IEC units, 1 decimal above KiB: `512 B`, `1.5 KiB`, `24.0 MiB`.
pub fn format_bytes(bytes: u64) -> String {
    format_magnitude(bytes as f64, "")
}

/// Formats a signed byte delta with an explicit sign: `+1.5 MiB`, `-12 B`, `0 B`.
pub fn format_delta(delta: i64) -> String {
    let sign = match delta.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    format_magnitude(delta.unsigned_abs() as f64, sign)
}

/// Formats a rate in bytes per minute: `+1.2 MiB/min`.
pub fn format_rate_per_min(bytes_per_min: f64) -> String {
    let sign = if bytes_per_min < 0.0 { "-" } else { "+" };
    format!("{}/min", format_magnitude(bytes_per_min.abs(), sign))
}

fn format_magnitude(value: f64, sign: &str) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = value;
    let mut unit = 0;
    while v >= KIB && unit < UNITS.len() - 1 {
        v /= KIB;
        unit += 1;
    }
    if unit == 0 {
        format!("{sign}{v:.0} {}", UNITS[unit])
    } else {
        format!("{sign}{v:.1} {}", UNITS[unit])
    }
}

/// A percentage change from `old` to `new`, or `None` when `old` is zero.
pub fn percent_change(old: u64, new: u64) -> Option<f64> {
    (old != 0).then(|| (new as f64 - old as f64) * 100.0 / old as f64)
}

/// Why a size typed by the user could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("cannot read size {input:?}: {reason} (examples: 1Gi, 512Mi, 768M, 2g, 1073741824)")]
pub struct SizeError {
    input: String,
    reason: &'static str,
}

/// Parses a size the way Kubernetes and the JVM write them: `1Gi`, `512Mi`, `1G` (JVM style,
/// powers of 1024 as in `-Xmx1g`), `1GB`, `1.5GiB`, `500k`, or plain bytes.
///
/// Decision: `G`/`M`/`K` without `i` are read as powers of 1024, as the JVM does for `-Xmx`,
/// because that is what users copy between `-Xmx` and container limits. Kubernetes' decimal
/// suffixes are different (`1G` = 10^9) only in the manifest; `Gi` is what people set there.
pub fn parse_size(input: &str) -> Result<u64, SizeError> {
    let err = |reason| SizeError {
        input: input.to_string(),
        reason,
    };
    let s = input.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    if number.is_empty() {
        return Err(err("no number"));
    }
    let value: f64 = number.parse().map_err(|_| err("not a number"))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "ki" | "kb" | "kib" => 1 << 10,
        "m" | "mi" | "mb" | "mib" => 1 << 20,
        "g" | "gi" | "gb" | "gib" => 1 << 30,
        "t" | "ti" | "tb" | "tib" => 1 << 40,
        _ => return Err(err("unknown unit")),
    };
    let bytes = value * multiplier as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(err("too large"));
    }
    Ok(bytes.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_iec_units() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(1023), "1023 B");
        assert_eq!(format_bytes(1536), "1.5 KiB");
        assert_eq!(format_bytes(24 << 20), "24.0 MiB");
        assert_eq!(format_bytes(3 << 30), "3.0 GiB");
        assert_eq!(format_delta(-(5 << 20)), "-5.0 MiB");
        assert_eq!(format_delta(2048), "+2.0 KiB");
        assert_eq!(format_delta(0), "0 B");
        assert_eq!(format_rate_per_min(1048576.0), "+1.0 MiB/min");
    }

    #[test]
    fn parses_sizes_like_kubernetes_and_the_jvm() {
        assert_eq!(parse_size("1Gi"), Ok(1 << 30));
        assert_eq!(parse_size("512Mi"), Ok(512 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size(" 1073741824 "), Ok(1 << 30));
        assert_eq!(parse_size("768 MB"), Ok(768 << 20));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("12parsecs").is_err());
        assert!(parse_size("").is_err());
    }

    #[test]
    fn percent_change_handles_zero_base() {
        assert_eq!(percent_change(0, 10), None);
        assert_eq!(percent_change(200, 300), Some(50.0));
    }
}
