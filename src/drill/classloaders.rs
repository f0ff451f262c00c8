//! `jcmd PID VM.classloader_stats` → rows of loader types (chunk bytes, loaders, classes).
//!
//! ```text
//! ClassLoader         Parent              CLD*               Classes   ChunkSz   BlockSz  Type
//! 0x00007ff8cd001aa8  0x00007ff8cc07af08  0x00007ff92415cee0       1       768       176  PluginClassLoader
//!                                                                  7      2688      1662   + hidden classes
//! Total = 44                                                     749    594048     56003
//! ChunkSz: Total size of all allocated metaspace chunks
//! ```
//! One row per loader instance; the loaders of one type are summed into one row (count =
//! loaders). The `+ hidden classes` (JDK 15+) / `+ unsafe anonymous classes` (JDK 11–14) /
//! `+ anonymous classes` lines under a loader are its hidden classes: summed into a row of their
//! own, `<Type> (hidden classes)`, whose count is the number of hidden classes.

use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_while1},
    character::complete::{digit1, space0, space1},
    combinator::map_res,
};

use super::Rows;

fn number(input: &str) -> IResult<&str, u64> {
    map_res(digit1, str::parse::<u64>).parse(input)
}

fn address(input: &str) -> IResult<&str, &str> {
    (tag("0x"), take_while1(|c: char| c.is_ascii_hexdigit()))
        .map(|(_, hex)| hex)
        .parse(input)
}

/// True for the column header line.
pub fn is_header(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("ClassLoader") && t.contains("Parent") && t.contains("ChunkSz")
}

/// One loader: (classes, chunk bytes, block bytes, type).
pub fn loader_row(line: &str) -> IResult<&str, (u64, u64, u64, &str)> {
    let (rest, (_, _, _, _, _, _, _, classes, _, chunk, _, block, _)) = (
        space0, address, space1, address, space1, address, space1, number, space1, number, space1,
        number, space1,
    )
        .parse(line)?;
    Ok(("", (classes, chunk, block, rest.trim_end())))
}

/// A loader's hidden/anonymous classes: (classes, chunk bytes, block bytes).
pub fn hidden_row(line: &str) -> IResult<&str, (u64, u64, u64)> {
    let (rest, (_, classes, _, chunk, _, block, _, _)) = (
        space0,
        number,
        space1,
        number,
        space1,
        number,
        space1,
        tag("+ "),
    )
        .parse(line)?;
    if rest.trim_end().ends_with("classes") {
        Ok(("", (classes, chunk, block)))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            rest,
            nom::error::ErrorKind::Tag,
        )))
    }
}

/// `Total = 44   749    594048     56003` → (loaders, classes, chunk bytes).
pub fn total(line: &str) -> IResult<&str, (u64, u64, u64)> {
    let (rest, (_, _, _, _, _, loaders, _, classes, _, chunk)) = (
        space0,
        tag("Total"),
        space0,
        tag("="),
        space0,
        number,
        space1,
        number,
        space1,
        number,
    )
        .parse(line)?;
    Ok((rest, (loaders, classes, chunk)))
}

/// Reads loader rows after the header until the `Total =` line and its footnotes.
pub fn read(lines: &[&str], start: usize, rows: &mut Rows) -> usize {
    let mut i = start;
    let mut last_type: Option<String> = None;
    while let Some(line) = lines.get(i) {
        if let Ok((_, (classes, chunk, _, kind))) = loader_row(line) {
            let row = rows.add(kind, chunk, 1);
            *row.classes.get_or_insert(0) += classes;
            last_type = Some(kind.to_string());
        } else if let Ok((_, (classes, chunk, _))) = hidden_row(line) {
            let owner = last_type.as_deref().unwrap_or("<unknown loader>");
            let row = rows.add(&format!("{owner} (hidden classes)"), chunk, classes);
            *row.classes.get_or_insert(0) += classes;
        } else if let Ok((_, (loaders, _, chunk))) = total(line) {
            rows.total_count = Some(loaders);
            rows.total_bytes = Some(chunk);
        } else if line.starts_with("ChunkSz:") || line.starts_with("BlockSz:") {
            // Footnotes after the total.
        } else {
            return i;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_hidden_and_total_lines() {
        let line = "0x00007ff8cd001aa8  0x00007ff8cc07af08  0x00007ff92415cee0       1       768       176  PluginClassLoader";
        assert_eq!(
            loader_row(line).unwrap().1,
            (1, 768, 176, "PluginClassLoader")
        );
        let boot = "0x0000000000000000  0x0000000000000000  0x00007ff924054840     692    557056     44289  <boot class loader>";
        assert_eq!(loader_row(boot).unwrap().1.3, "<boot class loader>");
        let hidden = "                                                                 7      2688      1662   + hidden classes";
        assert_eq!(hidden_row(hidden).unwrap().1, (7, 2688, 1662));
        let anon = "                                    19     46080     29264   + unsafe anonymous classes";
        assert_eq!(hidden_row(anon).unwrap().1, (19, 46080, 29264));
        assert_eq!(
            total("Total = 44                                                     749    594048     56003  ")
                .unwrap()
                .1,
            (44, 749, 594048)
        );
        assert!(loader_row("Total = 44 1 2 3").is_err());
        assert!(hidden_row("  1 2 3  + something").is_err());
    }
}
