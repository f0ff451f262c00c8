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
//! row's classes. Amounts follow the JVM's locale (`41,28 MB`). The later sections (virtual
//! space, freelists, waste) are not read.
//!
//! `VM.metaspace show-loaders` prints a `Usage per loader:` block before the totals, one entry
//! per class loader data (CLD), on JDK 11, 17, 21 and 25 alike:
//! ```text
//! Usage per loader:
//!
//!    1: CLD 0x00007fb82033e890: instance of PluginClassLoader, 1 class
//!   Non-Class:    1 chunk,       4.00 KB capacity,    4.00 KB (100%) committed,   880 bytes ( 21%) used, …
//!       Class:    1 chunk,       2.00 KB capacity,    2.00 KB (100%) committed,   528 bytes ( 26%) used, …
//!        Both:    2 chunks,      6.00 KB capacity,    6.00 KB (100%) committed,     1.38 KB ( 23%) used, …
//!
//!   45: CLD 0x00007fb82010bf90: <hidden class>, loaded by "<bootstrap>", 1 class
//!   58: CLD 0x00007fb820075eb0: "app" instance of jdk.internal.loader.ClassLoaders$AppClassLoader, 9 classes
//!   59: CLD 0x00007fb820019c30: "<bootstrap>", 692 classes (674 shared)
//! ```
//! It becomes a capture of its own kind ([`crate::model::DrillKind::MetaspaceLoaders`]): the
//! CLDs of one loader type summed into one row (bytes: the `Both` line's committed, or used on
//! JDK 11–15; count: loaders; classes), named as `VM.classloader_stats` names them so the two
//! sources agree — the class name of the loader (`"app"` dropped), `<boot class loader>` for
//! `<bootstrap>`, and the hidden (`<hidden class>`, JDK 15+) or anonymous (`<anonymous class>`,
//! JDK 11–14) CLDs as `<Type> (hidden classes)`, counted in classes.

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

/// True for the `Usage per loader:` line that opens `show-loaders`' block.
pub fn is_loaders_header(line: &str) -> bool {
    line.trim() == "Usage per loader:"
}

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
        if let Some(n) = piece
            .strip_suffix(" chunks")
            .or_else(|| piece.strip_suffix(" chunk"))
        {
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

/// A loader entry's first line → (row name, classes, hidden):
/// `  1: CLD 0x00007fb82033e890: instance of PluginClassLoader, 1 class` → `PluginClassLoader`.
pub fn loader_line(line: &str) -> Option<(String, u64, bool)> {
    let (number, rest) = line.trim_start().split_once(": CLD 0x")?;
    number.parse::<u64>().ok()?;
    let (_address, described) = rest.split_once(": ")?;
    let (who, tail) = described.rsplit_once(", ")?;
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    if !tail[digits.len()..].starts_with(" class") {
        return None;
    }
    let classes = digits.parse().ok()?;
    let (hidden, loader) = match who.split_once(", loaded by ") {
        Some((_, by)) => (true, by),
        None => (false, who),
    };
    let loader = match loader.trim() {
        "\"<bootstrap>\"" => "<boot class loader>",
        other => match other.split_once("instance of ") {
            Some((_, class)) => class.trim(),
            None => other.trim_matches('"'),
        },
    };
    let name = if hidden {
        format!("{loader} (hidden classes)")
    } else {
        loader.to_string()
    };
    Some((name, classes, hidden))
}

/// Reads the loader entries after `Usage per loader:` (from `start`) up to the first line that
/// is neither an entry nor blank (`Total Usage`, which [`read`] takes as its own capture).
pub fn read_loaders(lines: &[&str], start: usize, rows: &mut Rows) -> usize {
    let mut i = start;
    let mut end = start;
    // The entry being read: (name, classes, hidden, Both bytes, sum of the other space lines).
    let mut entry: Option<(String, u64, bool, Option<u64>, u64)> = None;
    let flush = |entry: Option<(String, u64, bool, Option<u64>, u64)>, rows: &mut Rows| {
        if let Some((name, classes, hidden, both, parts)) = entry {
            let count = if hidden { classes } else { 1 };
            let row = rows.add(&name, both.unwrap_or(parts), count);
            row.classes = Some(row.classes.unwrap_or(0).saturating_add(classes));
        }
    };
    while let Some(line) = lines.get(i) {
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if let Some((name, classes, hidden)) = loader_line(line) {
            flush(entry.take(), rows);
            entry = Some((name, classes, hidden, None, 0));
        } else if let (Some((name, _, bytes)), Some(e)) = (space_row(line), entry.as_mut()) {
            if name == "Both" {
                e.3 = Some(bytes);
            } else {
                e.4 = e.4.saturating_add(bytes);
            }
        } else {
            break;
        }
        i += 1;
        end = i;
    }
    flush(entry, rows);
    end
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

    #[test]
    fn loader_lines_of_every_shape() {
        assert_eq!(
            loader_line("   1: CLD 0x00007fb82033e890: instance of PluginClassLoader, 1 class"),
            Some(("PluginClassLoader".into(), 1, false))
        );
        assert_eq!(
            loader_line(
                "  58: CLD 0x00007fb820075eb0: \"app\" instance of jdk.internal.loader.ClassLoaders$AppClassLoader, 9 classes"
            ),
            Some((
                "jdk.internal.loader.ClassLoaders$AppClassLoader".into(),
                9,
                false
            ))
        );
        assert_eq!(
            loader_line("  59: CLD 0x00007fb820019c30: \"<bootstrap>\", 692 classes (674 shared)"),
            Some(("<boot class loader>".into(), 692, false))
        );
        assert_eq!(
            loader_line(
                "  45: CLD 0x00007fb82010bf90: <hidden class>, loaded by \"<bootstrap>\", 1 class"
            ),
            Some(("<boot class loader> (hidden classes)".into(), 1, true))
        );
        assert_eq!(
            loader_line(
                "  37: CLD 0x00007f14241927b0: <anonymous class>, loaded by \"app\" instance of jdk.internal.loader.ClassLoaders$AppClassLoader, 1 class"
            ),
            Some((
                "jdk.internal.loader.ClassLoaders$AppClassLoader (hidden classes)".into(),
                1,
                true
            ))
        );
        assert_eq!(
            loader_line("Total Usage - 59 loaders, 758 classes (674 shared):"),
            None
        );
        assert_eq!(
            loader_line("  1: CLD 0x00007fb8: instance of X, many classes"),
            None
        );
    }

    #[test]
    fn one_chunk_is_singular() {
        let line = "  Non-Class:    1 chunk,       4.00 KB capacity,    4.00 KB (100%) committed,   880 bytes ( 21%) used,     3.14 KB ( 79%) free,     0 bytes (  0%) waste , deallocated: 0 blocks with 0 bytes";
        assert_eq!(space_row(line), Some(("Non-Class", 1, 4096)));
    }
}
