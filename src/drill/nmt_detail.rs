//! The call sites of `jcmd PID VM.native_memory detail` (and `detail.diff`) → rows of call
//! sites (malloc + mmap committed bytes, mallocs), each charged to its NMT category.
//!
//! ```text
//! Details:
//!
//! [0x00007f82cc0fef9a] Unsafe_AllocateMemory0+0x4a
//! [0x00007f82b500f8d0]
//!                              (malloc=1MB type=Other #45)            ← JDK 17+: `(at peak)` after
//!
//! [0x00007f82cc139ad2] ReservedSpace::ReservedSpace(unsigned long, unsigned long, bool, char*)+0x82
//!                              (reserved=1024MB, committed=1MB Type=Class)
//! (1280 call sites weighting less than 1KB each omitted.)
//! ```
//! JDK 25 writes `tag=`/`Tag=` for `type=`/`Type=` and wraps malloc lines in one more
//! parenthesis (`((malloc=1MB tag=Other #36) (at peak))`); `detail.diff` adds `+N`/`-N` deltas after values (the
//! current value is taken). A site's name is its resolved frames, innermost first, joined by
//! ` <- `, without addresses and offsets (frames without a symbol, JIT-compiled code, are left
//! out). The summary part before `Details:` is the NMT parser's ([`crate::nmt`]); the
//! `Virtual memory map:` section is not read.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::tag,
    character::complete::digit1,
    combinator::{map_res, opt},
};

use super::Rows;

/// True for the `Details:` line.
pub fn is_header(line: &str) -> bool {
    line.trim_end() == "Details:"
}

/// `1024KB`, `1MB`, `1732481964` (bytes when unit-less) → bytes.
pub fn amount(input: &str) -> IResult<&str, u64> {
    let (rest, (value, unit)) = (
        map_res(digit1, str::parse::<u64>),
        opt(alt((tag("KB"), tag("MB"), tag("GB"), tag("B")))),
    )
        .parse(input)?;
    let scale: u64 = match unit {
        Some("KB") => 1 << 10,
        Some("MB") => 1 << 20,
        Some("GB") => 1 << 30,
        _ => 1,
    };
    Ok((rest, value.saturating_mul(scale)))
}

/// A frame line `[0x…] symbol+0xoff [in lib]` → the symbol (`None` for unresolved frames);
/// `None` when the line is not a frame at all.
pub fn frame(line: &str) -> Option<Option<&str>> {
    let t = line.trim_start();
    let rest = t.strip_prefix("[0x")?;
    let close = rest.find(']')?;
    let symbol = rest[close + 1..].trim();
    let symbol = symbol.split_once(" in ").map_or(symbol, |(s, _)| s);
    let symbol = match symbol.rfind("+0x") {
        Some(at) => &symbol[..at],
        None => symbol,
    };
    Some((!symbol.is_empty()).then_some(symbol))
}

/// What a site's value line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteValue<'a> {
    pub bytes: u64,
    pub count: u64,
    pub category: Option<&'a str>,
}

fn value_after<'a>(inside: &'a str, key: &str) -> Option<&'a str> {
    let at = inside.find(key)?;
    Some(&inside[at + key.len()..])
}

/// `(malloc=1MB type=Other #45) (at peak)` / `(reserved=1024MB, committed=1MB Type=Class)`.
pub fn value_line(line: &str) -> Option<SiteValue<'_>> {
    // JDK 25 wraps the value and `(at peak)` in one more parenthesis: `((malloc=…) (at peak))`.
    let t = line.trim_start().strip_prefix('(')?.trim_start_matches('(');
    let inside = &t[..t.find(')')?];
    let malloc = value_after(inside, "malloc=").and_then(|v| amount(v).ok().map(|r| r.1));
    let committed = value_after(inside, "committed=").and_then(|v| amount(v).ok().map(|r| r.1));
    if malloc.is_none() && committed.is_none() {
        return None;
    }
    let count = value_after(inside, "#")
        .and_then(|v| {
            map_res(digit1::<&str, nom::error::Error<&str>>, str::parse::<u64>)
                .parse(v)
                .ok()
        })
        .map_or(0, |r| r.1);
    let category = ["type=", "Type=", "tag=", "Tag="]
        .iter()
        .find_map(|k| value_after(inside, k))
        .map(|v| {
            let end = [" #", ",", " +", " -"]
                .iter()
                .filter_map(|stop| v.find(stop))
                .min()
                .unwrap_or(v.len());
            v[..end].trim()
        });
    Some(SiteValue {
        bytes: malloc.unwrap_or(0).saturating_add(committed.unwrap_or(0)),
        count,
        category,
    })
}

/// Reads call sites after `Details:` until a line that is none of frame, value, blank or the
/// `(N call sites … omitted.)` note.
pub fn read(lines: &[&str], start: usize, rows: &mut Rows) -> usize {
    let mut frames: Vec<&str> = Vec::new();
    let mut i = start;
    while let Some(line) = lines.get(i) {
        let t = line.trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        match frame(line) {
            Some(symbol) => frames.extend(symbol),
            None => {
                if let Some(v) = value_line(line) {
                    let stack = if frames.is_empty() {
                        // JDK 25 prints only the JIT-compiled caller of `Unsafe_AllocateMemory0`.
                        "[no symbol: JIT-compiled code]".to_string()
                    } else {
                        frames.join(" <- ")
                    };
                    add_site(rows, &stack, &v);
                    frames.clear();
                } else if t.starts_with('(') && t.contains("call sites") {
                    return i + 1;
                } else {
                    return i;
                }
            }
        }
        i += 1;
    }
    i
}

fn add_site(rows: &mut Rows, stack: &str, v: &SiteValue<'_>) {
    let category = v.category.unwrap_or("?");
    // The same stack may be printed once per category (JDK 17+): keep them apart.
    let name = match rows.add(stack, 0, 0).category.as_deref() {
        Some(c) if c != category => format!("{stack} [{category}]"),
        _ => stack.to_string(),
    };
    let row = rows.add(&name, v.bytes, v.count);
    row.category
        .get_or_insert_with(|| std::sync::Arc::from(category));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_value_lines_across_jdks() {
        assert_eq!(
            frame("[0x00007f82cc0fef9a] Unsafe_AllocateMemory0+0x4a"),
            Some(Some("Unsafe_AllocateMemory0"))
        );
        assert_eq!(frame("[0x00007f82b500f8d0]"), Some(None));
        assert_eq!(
            frame("    [0x00007f0d] os::malloc(unsigned long)+0x1c in libjvm.so"),
            Some(Some("os::malloc(unsigned long)"))
        );
        assert!(frame("(malloc=1MB #1)").is_none());
        assert_eq!(
            value_line("      (malloc=1MB type=Other #45)"),
            Some(SiteValue {
                bytes: 1 << 20,
                count: 45,
                category: Some("Other")
            })
        );
        assert_eq!(
            value_line("   (malloc=512KB type=Other #32) (at peak)").map(|v| v.bytes),
            Some(512 << 10)
        );
        assert_eq!(
            value_line("   (reserved=256MB, committed=16MB Type=Java Heap)"),
            Some(SiteValue {
                bytes: 16 << 20,
                count: 0,
                category: Some("Java Heap")
            })
        );
        assert_eq!(
            value_line("   (malloc=135KB tag=Native Memory Tracking #1570) (at peak)")
                .and_then(|v| v.category),
            Some("Native Memory Tracking")
        );
        assert_eq!(
            value_line("   (malloc=712KB type=Other +200KB #52 +20)"),
            Some(SiteValue {
                bytes: 712 << 10,
                count: 52,
                category: Some("Other")
            })
        );
        assert_eq!(
            value_line("(1280 call sites weighting less than 1KB each omitted.)"),
            None
        );
    }
}
