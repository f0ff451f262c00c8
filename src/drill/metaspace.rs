//! `jcmd PID VM.metaspace` → rows per space type (`Non-Class`, `Class`, `Both`).
//!
//! ```text
//! Total Usage - 53 loaders, 752 classes (674 shared):
//!   Non-Class:   55 chunks,      4.20 MB capacity,  592.00 KB ( 14%) committed,   398.45 KB (  9%) used, …
//!       Class:   54 chunks,    355.00 KB capacity,  163.00 KB ( 46%) committed,    43.20 KB ( 12%) used, …
//!        Both:  109 chunks,      4.55 MB capacity,  755.00 KB ( 16%) committed,   441.65 KB (  9%) used, …
//! ```
//! A row's bytes are `committed` where printed (JDK 16+, the elastic metaspace), else `used`
//! (JDK 11–15 print capacity/used/free/waste only); its count is the chunks. The loader count
//! of the `Total Usage` line is the capture's total count, and the class count the `Both`
//! row's classes. Amounts follow the JVM's locale (`41,28 MB`). The per-loader blocks of
//! `show-loaders` and the later sections (virtual space, freelists, waste) are not read.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::tag,
    character::complete::{digit1, one_of, space0},
    combinator::{map_res, opt},
    sequence::preceded,
};

use super::Rows;
use crate::num::u64_from_f64;

/// True for the `Total Usage` line.
pub fn is_header(line: &str) -> bool {
    line.trim_start().starts_with("Total Usage")
}

/// `4.38 MB`, `41,28 MB`, `24 bytes`, `1.00 GB` → bytes.
pub fn amount(input: &str) -> IResult<&str, u64> {
    let (rest, (whole, frac, _, unit)) = (
        map_res(digit1, str::parse::<u64>),
        opt(preceded(one_of(".,"), digit1)),
        space0,
        alt((
            tag("bytes"),
            tag("KB"),
            tag("MB"),
            tag("GB"),
            tag("K"),
            tag("M"),
            tag("G"),
        )),
    )
        .parse(input)?;
    let scale: u64 = match unit {
        "KB" | "K" => 1 << 10,
        "MB" | "M" => 1 << 20,
        "GB" | "G" => 1 << 30,
        _ => 1,
    };
    let frac_value = frac.map_or(0.0, |f: &str| {
        f.parse::<f64>().unwrap_or(0.0) / 10f64.powi(i32::try_from(f.len().min(18)).unwrap_or(18))
    });
    let bytes = (whole as f64 + frac_value) * scale as f64;
    Ok((rest, u64_from_f64(bytes.round())))
}

/// One space-type line: (name, chunks, committed-or-used bytes).
pub fn space_row(line: &str) -> Option<(&str, u64, u64)> {
    let (name, rest) = line.trim_start().split_once(':')?;
    if !matches!(name, "Non-Class" | "Class" | "Both") {
        return None;
    }
    let (mut chunks, mut committed, mut used) = (None, None, None);
    // The locale's decimal comma is followed by a digit, the list's comma by a space.
    for piece in rest.split(", ") {
        let piece = piece.trim();
        if let Some(n) = piece.strip_suffix(" chunks") {
            chunks = n.trim().parse().ok();
        } else if let Ok((after, bytes)) = amount(piece) {
            let word = after.trim_start();
            let word = word.rsplit(' ').next().unwrap_or(word);
            match word {
                "committed" => committed = Some(bytes),
                "used" => used = Some(bytes),
                _ => {}
            }
        }
    }
    Some((name, chunks?, committed.or(used)?))
}

/// The numbers of the `Total Usage` line: (loaders, classes).
pub fn header_counts(line: &str) -> (Option<u64>, Option<u64>) {
    let before = |word: &str| -> Option<u64> {
        let at = line.find(word)?;
        let digits: String = line[..at]
            .trim_end()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().ok()
    };
    (before(" loaders"), before(" classes"))
}

/// Reads the `Total Usage` line (at `start`) and the space-type lines under it.
pub fn read(lines: &[&str], start: usize, rows: &mut Rows) -> usize {
    let (loaders, classes) = lines.get(start).map_or((None, None), |l| header_counts(l));
    rows.total_count = loaders;
    let mut i = start + 1;
    while let Some(line) = lines.get(i) {
        let Some((name, chunks, bytes)) = space_row(line) else {
            break;
        };
        let row = rows.add(name, bytes, chunks);
        if name == "Both" {
            row.classes = classes;
            rows.total_bytes = Some(bytes);
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_both_locales() {
        assert_eq!(
            amount("4.38 MB").unwrap().1,
            (4.38 * 1048576.0f64).round() as u64
        );
        assert_eq!(
            amount("41,28 MB").unwrap().1,
            (41.28 * 1048576.0f64).round() as u64
        );
        assert_eq!(amount("24 bytes").unwrap().1, 24);
        assert!(amount("MB").is_err());
    }

    #[test]
    fn space_lines_of_jdk11_and_jdk17() {
        let jdk17 = "  Non-Class:   55 chunks,      4.20 MB capacity,  592.00 KB ( 14%) committed,   398.45 KB (  9%) used,   193.55 KB (  4%) free,     0 bytes (  0%) waste , deallocated: 0 blocks with 0 bytes";
        assert_eq!(space_row(jdk17), Some(("Non-Class", 55, 592 * 1024)));
        let jdk11 = "       Both:  141 chunks,      4.92 MB capacity,     4.64 MB ( 94%) used,   285.25 KB (  6%) free,    24 bytes ( <1%) waste,     8.81 KB ( <1%) overhead, deallocated: 52 blocks with 13.09 KB";
        assert_eq!(
            space_row(jdk11),
            Some(("Both", 141, (4.64 * 1048576.0f64).round() as u64))
        );
        assert_eq!(space_row("  Non-class space:  8.00 MB reserved"), None);
        assert_eq!(
            header_counts("Total Usage - 53 loaders, 752 classes (674 shared):"),
            (Some(53), Some(752))
        );
        assert_eq!(
            header_counts("Total Usage ( 1041 loaders):"),
            (Some(1041), None)
        );
    }
}
