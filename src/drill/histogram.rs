//! `jcmd PID GC.class_histogram` → rows of classes (bytes, instances).
//!
//! Shapes (real output in `samples/drill/`; JDK 8 from `tests/fixtures/drill/`, hand-written):
//! ```text
//!  num     #instances         #bytes  class name (module)        ← JDK 9+; JDK 8: `class name`
//! -------------------------------------------------------
//!    1:          1640       76009224  [I (java.base@17.0.15)     ← JDK 8: no module
//! Total         14327        1299504
//! ```
//! Hidden and lambda classes carry addresses (`Foo$$Lambda$12/0x0000000800c0b440`), generated
//! reflection accessors carry numbers: [`class_key`] strips them so one kind of class is one row.

use nom::{
    IResult, Parser,
    bytes::complete::tag,
    character::complete::{char, digit1, space0, space1},
    combinator::map_res,
};

use super::Rows;

fn number(input: &str) -> IResult<&str, u64> {
    map_res(digit1, str::parse::<u64>).parse(input)
}

/// True for the column header line.
pub fn is_header(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("num ") && t.contains("#instances") && t.contains("#bytes")
}

/// `   1:          1640       76009224  [I (java.base@17.0.15)` → (instances, bytes, name, module).
pub fn row(line: &str) -> IResult<&str, (u64, u64, &str, Option<&str>)> {
    let (rest, (_, _, _, _, instances, _, bytes, _)) = (
        space0,
        number,
        char(':'),
        space1,
        number,
        space1,
        number,
        space1,
    )
        .parse(line)?;
    let rest = rest.trim_end();
    let (name, module) = match rest.split_once(' ') {
        Some((name, module)) => (
            name,
            module
                .trim()
                .strip_prefix('(')
                .and_then(|m| m.strip_suffix(')')),
        ),
        None => (rest, None),
    };
    Ok(("", (instances, bytes, name, module)))
}

/// `Total         14327        1299504` → (instances, bytes).
pub fn total(line: &str) -> IResult<&str, (u64, u64)> {
    let (rest, (_, _, _, instances, _, bytes)) =
        (space0, tag("Total"), space1, number, space1, number).parse(line)?;
    Ok((rest, (instances, bytes)))
}

/// The name a class is followed by: hidden-class addresses (`/0x…`), lambda numbers
/// (`$$Lambda$12`) and generated accessor numbers (`GeneratedMethodAccessor17`) removed, as
/// they differ per class of one kind and per run.
pub fn class_key(name: &str) -> std::borrow::Cow<'_, str> {
    let mut key = std::borrow::Cow::Borrowed(name);
    if let Some(slash) = key.find("/0x") {
        key.to_mut().truncate(slash);
    }
    if let Some(at) = key.find("$$Lambda$") {
        let start = at + "$$Lambda$".len();
        let digits = key[start..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            key.to_mut()
                .replace_range(at + "$$Lambda".len()..start + digits, "");
        }
    }
    for generated in [
        "GeneratedMethodAccessor",
        "GeneratedConstructorAccessor",
        "GeneratedSerializationConstructorAccessor",
        "$Proxy",
    ] {
        if let Some(at) = key.find(generated) {
            let start = at + generated.len();
            let digits = key[start..].bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && start + digits == key.len() {
                key.to_mut().truncate(start);
                key.to_mut().push_str("%d");
            }
        }
    }
    key
}

/// Reads rows from the line after the header; stops at `Total` (consumed) or at the first line
/// that is neither a row nor the dashed rule. Returns the index of the first line not used.
pub fn read(lines: &[&str], start: usize, rows: &mut Rows) -> usize {
    let mut i = start;
    while let Some(line) = lines.get(i) {
        if line.trim_start().starts_with("---") {
            i += 1;
            continue;
        }
        if let Ok((_, (instances, bytes))) = total(line) {
            rows.total_count = Some(instances);
            rows.total_bytes = Some(bytes);
            return i + 1;
        }
        match row(line) {
            Ok((_, (instances, bytes, name, module))) => {
                let key = class_key(name);
                let row = rows.add(&key, bytes, instances);
                if row.note.is_none() {
                    row.note = module.map(std::sync::Arc::from);
                }
            }
            Err(_) => return i,
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_jdk8_and_jdk9_shapes() {
        assert_eq!(
            row("   1:          1640       76009224  [I (java.base@17.0.15)")
                .unwrap()
                .1,
            (1640, 76009224, "[I", Some("java.base@17.0.15"))
        );
        assert_eq!(
            row("   7:           100           2400  ThumbnailCache$Entry")
                .unwrap()
                .1,
            (100, 2400, "ThumbnailCache$Entry", None)
        );
        assert_eq!(
            total("Total         14327        1299504").unwrap().1,
            (14327, 1299504)
        );
        assert!(row("Total 1 2").is_err());
        assert!(row("   1:  x").is_err());
        assert!(is_header(
            " num     #instances         #bytes  class name (module)"
        ));
        assert!(is_header(" num     #instances         #bytes  class name"));
    }

    #[test]
    fn hidden_classes_and_accessors_are_one_row_each_kind() {
        assert_eq!(
            class_key("Foo$$Lambda$12/0x0000000800c0b440"),
            "Foo$$Lambda"
        );
        assert_eq!(class_key("Foo$$Lambda/0x000001f0010a3a00"), "Foo$$Lambda");
        assert_eq!(
            class_key("jdk.internal.reflect.GeneratedMethodAccessor17"),
            "jdk.internal.reflect.GeneratedMethodAccessor%d"
        );
        assert_eq!(
            class_key("com.sun.proxy.$Proxy12"),
            "com.sun.proxy.$Proxy%d"
        );
        assert_eq!(class_key("[Ljava.lang.Object;"), "[Ljava.lang.Object;");
    }
}
