//! Byte amounts and durations as people read them: IEC units for display, minutes in
//! sentences, and sizes typed by users (`--limit 1Gi`, `512M`, `2g`, `1073741824`).

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

/// Minutes as people say them: `42 s`, `5.5 min`, `17 min`, `3.5 h`, `2.0 days`. The one rule
/// for durations in sentences (diagnosis evidence, the verdict, every report); a decimal only
/// where it is worth reading (under 10 min, hours, days). Chart axes label their ticks apart
/// (`report::svg`).
pub fn format_minutes(minutes: f64) -> String {
    if minutes < 1.0 {
        format!("{:.0} s", minutes * 60.0)
    } else if minutes < 10.0 {
        format!("{minutes:.1} min")
    } else if minutes < 120.0 {
        format!("{minutes:.0} min")
    } else if minutes < 48.0 * 60.0 {
        format!("{:.1} h", minutes / 60.0)
    } else {
        format!("{:.1} days", minutes / 1440.0)
    }
}

/// A percentage change from `old` to `new`, or `None` when `old` is zero.
pub fn percent_change(old: u64, new: u64) -> Option<f64> {
    (old != 0).then(|| (new as f64 - old as f64) * 100.0 / old as f64)
}

/// Why a size typed by the user could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
#[error(
    "cannot read size {input:?}: {reason} (Kubernetes quantities: 1Gi, 512Mi, 1G = 10^9, 500M, \
     1073741824; JVM flag values: 2g, 512m)"
)]
pub struct SizeError {
    input: String,
    reason: &'static str,
}

/// How a size's suffix was read: the grammar it belongs to decides its multiplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeReading {
    /// A plain number (or a decimal exponent, `1e9`): bytes.
    Bytes,
    /// Kubernetes binary suffixes `Ki Mi Gi Ti Pi Ei` (and `KiB`…): powers of 1024.
    Binary,
    /// Kubernetes decimal suffixes `k M G T P E` (and SI `kB MB GB`…): powers of 1000.
    Decimal,
    /// Kubernetes milli (`m`): thousandths of a byte, as `kubectl` prints some computed limits.
    Milli,
    /// The JVM's `-Xmx` suffixes `k m g t` in lower case: powers of 1024.
    Jvm,
}

/// A size typed by the user, with how it was read (to say so in the output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Size {
    /// What was typed, trimmed.
    pub input: String,
    pub bytes: u64,
    pub reading: SizeReading,
}

impl Size {
    /// One line for the person who typed it: `1G = 1000000000 bytes (953.7 MiB): Kubernetes
    /// decimal G (10^9); 1Gi is 2^30`.
    pub fn explain(&self) -> String {
        let how = match self.reading {
            SizeReading::Bytes => "plain bytes",
            SizeReading::Binary => "Kubernetes binary suffix (powers of 1024)",
            SizeReading::Decimal => {
                "Kubernetes decimal suffix (powers of 1000; the binary one ends in i: Gi, Mi)"
            }
            SizeReading::Milli => "Kubernetes milli-bytes (m = 1/1000)",
            SizeReading::Jvm => "JVM flag suffix as in -Xmx (powers of 1024)",
        };
        format!(
            "{} = {} bytes ({}): {how}",
            self.input,
            self.bytes,
            format_bytes(self.bytes)
        )
    }
}

/// `m` is Kubernetes' milli, but `512m` as a memory size is what the JVM writes (`-Xmx512m`):
/// a milli amount is read as milli only when it comes to at least this many bytes (`kubectl`
/// prints computed limits like `1073741824000m`); below it, `m` is the JVM's mebibyte. No
/// container limit is under 1 MiB, so the two readings never compete for a real value.
const MILLI_AT_LEAST_BYTES: f64 = (1u64 << 20) as f64;

/// Parses a size as Kubernetes writes quantities (`1Gi`, `512Mi`, `1G` = 10^9, `500M`, `2k`,
/// `1e9`, plain bytes, `1073741824000m`) and as the JVM writes flag values (`2g`, `512m`,
/// `64k` in lower case: powers of 1024). Suffixes are case-sensitive, as in Kubernetes: `G` is
/// 10^9 and `g` (no such Kubernetes suffix) is the JVM's 2^30. SI-style `GB` is 10^9 and `GiB`
/// is 2^30. [`Size::explain`] says which reading was taken.
pub fn parse_size(input: &str) -> Result<Size, SizeError> {
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
    let unit = unit.trim();
    let (multiplier, reading) = match unit {
        "" | "B" => (1.0, SizeReading::Bytes),
        "Ki" | "KiB" => (1024f64, SizeReading::Binary),
        "Mi" | "MiB" => (1024f64.powi(2), SizeReading::Binary),
        "Gi" | "GiB" => (1024f64.powi(3), SizeReading::Binary),
        "Ti" | "TiB" => (1024f64.powi(4), SizeReading::Binary),
        "Pi" | "PiB" => (1024f64.powi(5), SizeReading::Binary),
        "Ei" | "EiB" => (1024f64.powi(6), SizeReading::Binary),
        "k" | "kB" | "KB" => (1e3, SizeReading::Decimal),
        "M" | "MB" => (1e6, SizeReading::Decimal),
        "G" | "GB" => (1e9, SizeReading::Decimal),
        "T" | "TB" => (1e12, SizeReading::Decimal),
        "P" | "PB" => (1e15, SizeReading::Decimal),
        "E" | "EB" => (1e18, SizeReading::Decimal),
        "m" if value / 1000.0 >= MILLI_AT_LEAST_BYTES => (1e-3, SizeReading::Milli),
        "m" => (1024f64.powi(2), SizeReading::Jvm),
        "K" => (1024f64, SizeReading::Jvm),
        "g" => (1024f64.powi(3), SizeReading::Jvm),
        "t" => (1024f64.powi(4), SizeReading::Jvm),
        exponent if exponent.starts_with(['e', 'E']) => {
            let e: i32 = exponent[1..]
                .parse()
                .map_err(|_| err("unknown unit (Kubernetes: Ki Mi Gi Ti, k M G T, m)"))?;
            if !(0..=18).contains(&e) {
                return Err(err("exponent out of range"));
            }
            (10f64.powi(e), SizeReading::Bytes)
        }
        _ => return Err(err("unknown unit (Kubernetes: Ki Mi Gi Ti, k M G T, m)")),
    };
    let bytes = value * multiplier;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(err("too large"));
    }
    Ok(Size {
        input: s.to_string(),
        bytes: crate::num::u64_from_f64(bytes.round()),
        reading,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_read_as_people_say_them() {
        let said: Vec<String> = [0.7, 5.5, 9.96, 17.04, 21.8, 119.4, 150.0, 2879.0, 4320.0]
            .into_iter()
            .map(format_minutes)
            .collect();
        assert_eq!(
            said,
            [
                "42 s", "5.5 min", "10.0 min", "17 min", "22 min", "119 min", "2.5 h", "48.0 h",
                "3.0 days"
            ]
        );
    }

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

    fn bytes(s: &str) -> Result<u64, SizeError> {
        parse_size(s).map(|size| size.bytes)
    }

    #[test]
    fn parses_sizes_like_kubernetes_and_the_jvm() {
        // Kubernetes binary and decimal suffixes are different numbers.
        assert_eq!(bytes("1Gi"), Ok(1 << 30));
        assert_eq!(bytes("1G"), Ok(1_000_000_000));
        assert_eq!(bytes("512Mi"), Ok(512 << 20));
        assert_eq!(bytes("500M"), Ok(500_000_000));
        assert_eq!(bytes("2k"), Ok(2000));
        assert_eq!(bytes("1Ti"), Ok(1 << 40));
        assert_eq!(bytes("1e9"), Ok(1_000_000_000));
        assert_eq!(bytes("1.5GiB"), Ok(3 << 29));
        assert_eq!(bytes(" 1073741824 "), Ok(1 << 30));
        assert_eq!(bytes("768 MB"), Ok(768_000_000));
        // Milli as kubectl prints it, and the JVM's own lower-case suffixes.
        assert_eq!(bytes("1073741824000m"), Ok(1 << 30));
        assert_eq!(
            parse_size("1073741824000m").unwrap().reading,
            SizeReading::Milli
        );
        assert_eq!(bytes("512m"), Ok(512 << 20));
        assert_eq!(parse_size("512m").unwrap().reading, SizeReading::Jvm);
        assert_eq!(bytes("2g"), Ok(2 << 30));
        assert!(bytes("lots").is_err());
        assert!(bytes("12parsecs").is_err());
        assert!(
            bytes("1gi").is_err(),
            "Kubernetes suffixes are case-sensitive"
        );
        assert!(bytes("").is_err());
        assert!(bytes("1e99").is_err());
    }

    #[test]
    fn says_which_reading_it_took() {
        let g = parse_size("1G").unwrap();
        assert_eq!(g.reading, SizeReading::Decimal);
        assert_eq!(
            g.explain(),
            "1G = 1000000000 bytes (953.7 MiB): Kubernetes decimal suffix (powers of 1000; \
             the binary one ends in i: Gi, Mi)"
        );
        assert!(parse_size("2g").unwrap().explain().contains("-Xmx"));
    }

    #[test]
    fn percent_change_handles_zero_base() {
        assert_eq!(percent_change(0, 10), None);
        assert_eq!(percent_change(200, 300), Some(50.0));
    }
}
