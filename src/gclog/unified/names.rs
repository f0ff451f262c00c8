//! What an event's phase names say about it, for every collector: `Pause Young (Normal) (G1
//! Evacuation Pause)`, `Pause Init Mark (unload classes)`, `Pause Degenerated GC (Mark)`,
//! `Major Collection (Warmup)`, `Concurrent Mark Cycle`…

bitflags::bitflags! {
    /// Things seen in an event's lines; the event's kind is decided from them at the end.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Seen: u16 {
        const YOUNG = 1;
        const MIXED = 1 << 1;
        const FULL = 1 << 2;
        const INITIAL_MARK = 1 << 3;
        const REMARK = 1 << 4;
        const CLEANUP = 1 << 5;
        /// A concurrent phase or cycle.
        const CONCURRENT = 1 << 6;
        /// Generational ZGC `Minor Collection`.
        const MINOR = 1 << 7;
    }
}

/// What a `Pause …` name says.
pub fn pause_flags(name: &[u8]) -> Seen {
    let has = |n: &[u8]| memchr::memmem::find(name, n).is_some();
    let mut f = Seen::empty();
    if has(b"Full") || has(b"Degenerated") {
        f |= Seen::FULL;
    }
    if has(b"Mixed") && !has(b"Prepare Mixed") {
        f |= Seen::MIXED;
    } else if has(b"Young") {
        f |= Seen::YOUNG;
    }
    // ZGC's `Pause Mark Start` / `Pause Mark End` are its initial mark and remark.
    if has(b"Initial Mark") || has(b"Concurrent Start") || has(b"Init Mark") || has(b"Mark Start") {
        f |= Seen::INITIAL_MARK;
    }
    if has(b"Remark") || has(b"Final Mark") || has(b"Mark End") {
        f |= Seen::REMARK;
    }
    if has(b"Cleanup") {
        f |= Seen::CLEANUP;
    }
    f
}

/// How strongly a name stands for the whole event: a collection's own line beats its phases.
pub fn name_rank(name: &[u8]) -> u8 {
    const TOP: [&[u8]; 10] = [
        b"Pause Young",
        b"Pause Full",
        b"Pause Mixed",
        b"Pause Initial Mark",
        b"Garbage Collection",
        b"Minor Collection",
        b"Major Collection",
        b"Concurrent Cycle",
        b"Concurrent Mark Cycle",
        b"Concurrent Undo Cycle",
    ];
    if TOP.iter().any(|t| name.starts_with(t)) {
        3
    } else if name.starts_with(b"Pause Degenerated") {
        4
    } else if name.starts_with(b"Pause") {
        2
    } else {
        1
    }
}

/// Generational Shenandoah's old-generation phase that does not start with `Concurrent`.
pub const COALESCE_AND_FILL: &[u8] = b"Coalescing and filling";

/// Parenthesised groups that qualify a pause rather than say why it happened (generational
/// Shenandoah adds the generation: `Pause Init Mark (Young)`, `Concurrent marking (Old)`).
const NOT_CAUSES: [&[u8]; 15] = [
    b"Young",
    b"Old",
    b"Global",
    b"Normal",
    b"Concurrent Start",
    b"Mixed",
    b"Prepare Mixed",
    b"unload classes",
    b"process weakrefs",
    b"update refs",
    b"Major",
    b"Minor",
    b"Outside of Cycle",
    b"Mark",
    b"Evacuation",
];

/// The cause of a collection: the last parenthesised group of its name, when it is one.
pub fn cause(name: &[u8]) -> Option<&[u8]> {
    let name = super::super::numbers::trim_end(name);
    if name.last() != Some(&b')') {
        return None;
    }
    // Walk back to the matching '(' (causes can nest: `System.gc()`).
    let mut depth = 0i32;
    let mut open = None;
    for (i, c) in name.iter().enumerate().rev() {
        match c {
            b')' => depth += 1,
            b'(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = name.get(open? + 1..name.len() - 1)?;
    if NOT_CAUSES.contains(&inner) || inner.first().is_some_and(u8::is_ascii_digit) {
        None
    } else {
        Some(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_causes() {
        assert_eq!(
            cause(b"Pause Young (Normal) (G1 Evacuation Pause)"),
            Some(&b"G1 Evacuation Pause"[..])
        );
        assert_eq!(
            cause(b"Pause Full (System.gc())"),
            Some(&b"System.gc()"[..])
        );
        assert_eq!(cause(b"Pause Init Mark (unload classes)"), None);
        assert_eq!(cause(b"Pause Remark"), None);
        assert_eq!(cause(b"Major Collection (Warmup)"), Some(&b"Warmup"[..]));
    }

    #[test]
    fn classifies_pauses() {
        assert_eq!(
            pause_flags(b"Pause Young (Normal) (G1 Evacuation Pause)"),
            Seen::YOUNG
        );
        assert_eq!(
            pause_flags(b"Pause Young (Mixed) (G1 Evacuation Pause)"),
            Seen::MIXED
        );
        assert_eq!(
            pause_flags(b"Pause Young (Concurrent Start) (G1 Humongous Allocation)"),
            Seen::YOUNG | Seen::INITIAL_MARK
        );
        assert_eq!(pause_flags(b"Pause Degenerated GC (Mark)"), Seen::FULL);
        assert_eq!(pause_flags(b"Pause Final Mark"), Seen::REMARK);
    }
}
