//! Gives meaning to the tokens of one NMT sub-line and stores them in a [`Usage`].
//!
//! Sub-lines come in any subset and order and change between JDK updates, so the meaning of
//! a key depends on a little context: the header before it (`mmap:`, `stack:`), the metaspace
//! block we are in (`Metadata`, `Class space`), and for `(peak=…)` / `(at peak)` the group they
//! follow (`malloc` or `arena`).

use crate::model::{ExtraLine, Field, Scale, Usage};

use super::tokens::{Amount, Delta, Token};

/// Which part of a category the next `peak`/`at peak` or metaspace keys refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Context {
    #[default]
    None,
    Malloc,
    Arena,
    Mmap,
    Stack,
    Metadata,
    ClassSpace,
}

/// What became of one sub-line.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every token was understood.
    Understood,
    /// Something was not understood; it was kept as an [`ExtraLine`] with this label.
    Unknown(String),
}

/// Reads the tokens of one `(…)` group (or a Total sub-line) into `usage`.
/// `context` carries over between groups and lines of the same category.
pub fn apply(
    tokens: &[Token<'_>],
    scale: Scale,
    usage: &mut Usage,
    context: &mut Context,
) -> Outcome {
    let mut header: Option<&str> = None;
    let mut last_count_field: Option<Field> = None;
    let mut unknown: Vec<&str> = Vec::new();
    let mut extra = ExtraLine {
        name: Box::from(""),
        reserved_bytes: None,
        committed_bytes: None,
    };
    let mut pending_word: Option<&str> = None;

    for token in tokens {
        match *token {
            Token::Comma => {}
            Token::Tag(_) => {}
            Token::Header(name) => match metaspace_block(name) {
                Some(block) => *context = block,
                None if name.is_empty() => {}
                None => {
                    header = Some(name);
                    match name {
                        "mmap" => *context = Context::Mmap,
                        "stack" => *context = Context::Stack,
                        "malloc" => *context = Context::Malloc,
                        _ => unknown.push(name),
                    }
                }
            },
            Token::Word(word) => {
                if word == "at peak" {
                    match at_peak_field(*context) {
                        Some(field) => usage.set_field(field, 1, None),
                        None => unknown.push(word),
                    }
                } else if let Some(block) = metaspace_block(word) {
                    *context = block;
                } else {
                    pending_word = Some(word);
                }
            }
            Token::Count(n, delta) => {
                let field = match pending_word.take() {
                    Some("classes") => Some(Field::ClassCount),
                    Some("instance classes") => Some(Field::InstanceClassCount),
                    Some("array classes") => Some(Field::ArrayClassCount),
                    Some("thread") | Some("threads") => Some(Field::ThreadCount),
                    Some(other) => {
                        unknown.push(other);
                        None
                    }
                    None => last_count_field.take(),
                };
                match field {
                    Some(field) => usage.set_field(field, clamp(n), delta),
                    None if unknown.is_empty() => unknown.push("#"),
                    None => {}
                }
            }
            Token::Percent(centi) => {
                let field = match *context {
                    Context::Metadata => Some(Field::MetadataWastePercent),
                    Context::ClassSpace => Some(Field::ClassSpaceWastePercent),
                    _ => None,
                };
                match field {
                    Some(field) => usage.set_field(field, centi, None),
                    None => unknown.push("%"),
                }
            }
            Token::Bare(amount, delta) => {
                // `malloc: 61343309 #216143` (Total sub-line).
                if header == Some("malloc") {
                    set_bytes(usage, Field::MallocBytes, amount, delta, scale);
                    last_count_field = Some(Field::MallocCount);
                } else {
                    unknown.push(header.unwrap_or("number"));
                }
            }
            Token::Key(key, amount, delta) => match key_field(key, header, *context) {
                KeyMeaning::Field(field, count_field, new_context) => {
                    set_bytes(usage, field, amount, delta, scale);
                    last_count_field = count_field;
                    if let Some(c) = new_context {
                        *context = c;
                    }
                }
                KeyMeaning::Unknown => {
                    if extra.name.is_empty() {
                        extra.name = Box::from(header.unwrap_or(key));
                    }
                    let bytes = Some(amount.bytes(scale));
                    match key {
                        "reserved" => extra.reserved_bytes = bytes,
                        "committed" => extra.committed_bytes = bytes,
                        _ if extra.committed_bytes.is_none() => extra.committed_bytes = bytes,
                        _ => {}
                    }
                    unknown.push(key);
                }
            },
        }
    }
    if let Some(word) = pending_word {
        unknown.push(word);
    }
    if unknown.is_empty() {
        return Outcome::Understood;
    }
    if extra.name.is_empty() {
        extra.name = Box::from(unknown[0]);
    }
    usage.extras.push(extra);
    Outcome::Unknown(unknown.join(", "))
}

enum KeyMeaning {
    /// The field, the field a following `#N` counts, and the context from here on.
    Field(Field, Option<Field>, Option<Context>),
    Unknown,
}

fn key_field(key: &str, header: Option<&str>, context: Context) -> KeyMeaning {
    use Field::*;
    use KeyMeaning::Field as F;
    let in_block = |reserved, committed, used, free, waste| match key {
        "reserved" => F(reserved, None, None),
        "committed" => F(committed, None, None),
        "used" => F(used, None, None),
        "free" => F(free, None, None),
        "waste" => F(waste, None, None),
        _ => KeyMeaning::Unknown,
    };
    match (header, key) {
        (_, "malloc") => F(MallocBytes, Some(MallocCount), Some(Context::Malloc)),
        (_, "arena") => F(ArenaBytes, Some(ArenaCount), Some(Context::Arena)),
        (_, "tracking overhead") => F(TrackingOverheadBytes, None, None),
        (_, "readonly") => F(ReadonlyBytes, None, None),
        (Some("mmap"), "reserved") => F(MmapReservedBytes, None, None),
        (Some("mmap"), "committed") => F(MmapCommittedBytes, None, None),
        (Some("mmap"), "peak") => F(MmapPeakBytes, None, None),
        (Some("stack"), "reserved") => F(StackReservedBytes, None, None),
        (Some("stack"), "committed") => F(StackCommittedBytes, None, None),
        (Some("stack"), "peak") => F(StackPeakBytes, None, None),
        (None, "peak") => match context {
            Context::Arena => F(ArenaPeakBytes, Some(ArenaPeakCount), None),
            Context::Mmap => F(MmapPeakBytes, None, None),
            Context::Stack => F(StackPeakBytes, None, None),
            _ => F(MallocPeakBytes, Some(MallocPeakCount), None),
        },
        (Some("malloc"), "peak") => F(MallocPeakBytes, Some(MallocPeakCount), None),
        (None, _) if context == Context::Metadata => in_block(
            MetadataReservedBytes,
            MetadataCommittedBytes,
            MetadataUsedBytes,
            MetadataFreeBytes,
            MetadataWasteBytes,
        ),
        (None, _) if context == Context::ClassSpace => in_block(
            ClassSpaceReservedBytes,
            ClassSpaceCommittedBytes,
            ClassSpaceUsedBytes,
            ClassSpaceFreeBytes,
            ClassSpaceWasteBytes,
        ),
        _ => KeyMeaning::Unknown,
    }
}

fn metaspace_block(name: &str) -> Option<Context> {
    // Tokens arrive trimmed; the colon, when printed, ended the token as a header.
    match name {
        "Metadata" => Some(Context::Metadata),
        "Class space" => Some(Context::ClassSpace),
        _ => None,
    }
}

fn at_peak_field(context: Context) -> Option<Field> {
    match context {
        Context::Malloc => Some(Field::MallocAtPeak),
        Context::Arena => Some(Field::ArenaAtPeak),
        Context::Mmap => Some(Field::MmapAtPeak),
        Context::Stack => Some(Field::StackAtPeak),
        _ => None,
    }
}

fn set_bytes(usage: &mut Usage, field: Field, amount: Amount, delta: Option<Delta>, scale: Scale) {
    let value = clamp(amount.bytes(scale));
    usage.set_field(field, value, delta.map(|d| d.bytes(scale)));
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmt::tokens::tokenize;

    fn run(lines: &[&str], scale: Scale) -> (Usage, Vec<Outcome>) {
        let mut usage = Usage::default();
        let mut context = Context::None;
        let outcomes = lines
            .iter()
            .map(|l| apply(&tokenize(l).unwrap(), scale, &mut usage, &mut context))
            .collect();
        (usage, outcomes)
    }

    #[test]
    fn malloc_then_peak_group_on_one_line() {
        let (u, _) = run(
            &["malloc=1567912 #53780", "peak=1807176 #68326"],
            Scale::Bytes,
        );
        assert_eq!(u.field(Field::MallocBytes), Some(1567912));
        assert_eq!(u.field(Field::MallocCount), Some(53780));
        assert_eq!(u.field(Field::MallocPeakBytes), Some(1807176));
        assert_eq!(u.field(Field::MallocPeakCount), Some(68326));
    }

    #[test]
    fn arena_peak_and_at_peak_follow_their_group() {
        let (u, _) = run(&["arena=47016 #79", "peak=857680 #72"], Scale::Bytes);
        assert_eq!(u.field(Field::ArenaPeakBytes), Some(857680));
        let (u, _) = run(&["arena=1KB #1", "at peak"], Scale::Kb);
        assert_eq!(u.field(Field::ArenaAtPeak), Some(1));
        assert_eq!(u.field(Field::MallocAtPeak), None);
    }

    #[test]
    fn metaspace_blocks_with_and_without_colons() {
        let (u, o) = run(
            &[
                "  Metadata:   ",
                "    reserved=65536KB, committed=37824KB",
                "    used=35306KB",
                "    waste=2518KB =6,66%",
                ":  Class space",
                "    reserved=1048576KB +2KB, committed=6848KB",
            ],
            Scale::Kb,
        );
        assert!(o.iter().all(|o| *o == Outcome::Understood), "{o:?}");
        assert_eq!(u.field(Field::MetadataCommittedBytes), Some(37824 << 10));
        assert_eq!(u.field(Field::MetadataUsedBytes), Some(35306 << 10));
        assert_eq!(u.field(Field::MetadataWastePercent), Some(666));
        assert_eq!(
            u.field_value(Field::ClassSpaceReservedBytes).unwrap().delta,
            Some(2048)
        );
    }

    #[test]
    fn unknown_sub_lines_are_kept_with_their_amounts() {
        let (u, o) = run(&["frobnicator: reserved=2KB, committed=1KB"], Scale::Kb);
        assert_eq!(
            o,
            vec![Outcome::Unknown("frobnicator, reserved, committed".into())]
        );
        assert_eq!(u.extras.len(), 1);
        assert_eq!(&*u.extras[0].name, "frobnicator");
        assert_eq!(u.extras[0].reserved_bytes, Some(2048));
        assert_eq!(u.extras[0].committed_bytes, Some(1024));
    }

    #[test]
    fn classes_threads_and_stack() {
        let (u, o) = run(
            &[
                "classes #842 +153",
                "  instance classes #800, array classes #42",
                "threads #40",
                "stack: reserved=41033728, committed=2187264, peak=2187264",
            ],
            Scale::Bytes,
        );
        assert!(o.iter().all(|o| *o == Outcome::Understood));
        assert_eq!(u.field_value(Field::ClassCount).unwrap().delta, Some(153));
        assert_eq!(u.field(Field::ArrayClassCount), Some(42));
        assert_eq!(u.field(Field::ThreadCount), Some(40));
        assert_eq!(u.field(Field::StackPeakBytes), Some(2187264));
    }
}
