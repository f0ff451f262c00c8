//! One legacy collection record, once its brackets balance: `[GC [ParNew: …] …, 0.03 secs]`,
//! `[Full GC (System.gc()) [PSYoungGen: …] [ParOldGen: …] … [Metaspace: …], 0.1 secs]`,
//! `[GC pause (G1 Evacuation Pause) (young), 0.01 secs]`, `[GC (CMS Initial Mark) [1 CMS-initial-mark: …] …]`.
//!
//! The record is read as a tree one level deep: the top level's own text (name, cause, heap
//! transition, pause) and its child groups (generations, CMS phases, reference processing).

use crate::gclog::numbers::{
    Transition, find_transition, leading_f64, leading_size, trim_end, trim_start,
};
use crate::model::{Collector, GcKind};

/// What a record says, before it becomes an event.
#[derive(Debug, Default)]
pub struct Record<'a> {
    /// `GC`, `Full GC (System.gc())`, `GC pause (G1 Evacuation Pause) (young)`, …
    pub head: &'a [u8],
    pub cause: Option<&'a [u8]>,
    pub kind: Option<GcKind>,
    pub collector: Option<Collector>,
    pub pause_ms: Option<f64>,
    pub heap: Option<Transition>,
    pub young: Option<Transition>,
    pub old: Option<Transition>,
    pub meta: Option<Transition>,
    /// The heap figure was a transition (`A->B(C)`), not an occupancy (`A(C)`).
    pub heap_moved: bool,
    /// A top-level occupancy and nothing else: a CMS initial mark or remark (`-verbose:gc`).
    pub occupancy_only: bool,
    /// An old-generation group was printed, with figures or cut before them (a young
    /// collection that fell back to the old generation, in a truncated log).
    pub old_named: bool,
}

/// Reads a balanced record (`text` starts at its opening `[`, fragments already blanked).
pub fn read(text: &[u8]) -> Record<'_> {
    let mut r = Record::default();
    let Some(body) = text.strip_prefix(b"[") else {
        return r;
    };
    // Split the top level from its children (spans of `body`; a record has a handful of
    // each, so they live on the stack: this loop was the legacy reader's hottest).
    let mut top = Spans::default();
    let mut children = Spans::default();
    let mut depth = 0i32;
    let mut span_start = 0;
    let mut child_start = 0;
    let mut end = body.len();
    for i in memchr::memchr2_iter(b'[', b']', body) {
        if body.get(i) == Some(&b'[') {
            if depth == 0 {
                top.push(span_start, i);
                child_start = i + 1;
            }
            depth += 1;
        } else {
            if depth == 0 {
                end = i;
                break;
            }
            depth -= 1;
            if depth == 0 {
                children.push(child_start, i);
                span_start = i + 1;
            }
        }
    }
    if depth > 0 {
        // Cut off inside a child: keep what the child said.
        children.push(child_start, body.len());
    } else {
        top.push(span_start, end);
    }
    let top = top.as_slice();
    let children = children.as_slice();
    let first_top = top
        .first()
        .and_then(|(a, b)| body.get(*a..*b))
        .unwrap_or_default();
    r.head = head(first_top);
    let head = r.head;
    let has = |n: &[u8]| crate::gclog::find::find(head, n).is_some();
    // G1's qualifiers can come after a number another thread printed into the line
    // (`[GC pause (young)0.333 (initial-mark), 0.0017 secs]`): look at the whole top level.
    let top_has = |n: &[u8]| crate::gclog::find::find(first_top, n).is_some();
    for (a, b) in children {
        child(body.get(*a..*b).unwrap_or_default(), &mut r);
    }
    for (a, b) in top {
        let t = body.get(*a..*b).unwrap_or_default();
        if r.heap.is_none() {
            r.heap = find_transition(t).map(|(t, _)| t);
            r.heap_moved = r.heap.is_some();
            r.heap = r.heap.or_else(|| occupancy(t));
        }
        if let Some(ms) = secs(t) {
            r.pause_ms = Some(ms);
        }
    }
    r.cause = cause(head);
    // The record's own words decide its kind, then what its children showed.
    let kind = if head.starts_with(b"Full GC") || head.starts_with(b"Full") {
        GcKind::Full
    } else if head.starts_with(b"Pause ") {
        // JDK 8 Shenandoah: the unified names, in brackets.
        r.collector = Some(Collector::Shenandoah);
        shenandoah_kind(head)
    } else if has(b"GC pause") || has(b"GC Pause") {
        r.collector = Some(Collector::G1);
        if top_has(b"(mixed)") || top_has(b"(partial)") || has(b"mixed") {
            GcKind::Mixed
        } else if top_has(b"initial-mark") {
            GcKind::InitialMark
        } else {
            GcKind::Young
        }
    } else if head.starts_with(b"GC remark") {
        r.collector = Some(Collector::G1);
        GcKind::Remark
    } else if head.starts_with(b"GC cleanup") {
        r.collector = Some(Collector::G1);
        GcKind::Cleanup
    } else if let Some(k) = r.kind {
        k
    } else if r.heap.is_some_and(|h| h.before == h.after && !r.heap_moved) && r.young.is_none() {
        // `[GC 46468K(83008K), 0.0039333 secs]`: an occupancy, no `->`: CMS with -verbose:gc
        // only prints its initial mark and remark this way (the caller tells which).
        r.occupancy_only = true;
        if has(b"Final Remark") {
            GcKind::Remark
        } else {
            GcKind::InitialMark
        }
    } else if r.old.is_some() || r.old_named {
        // A young collection that fell back to the old generation (promotion failed,
        // concurrent mode failure) is a full collection.
        GcKind::Full
    } else {
        GcKind::Young
    };
    r.kind = Some(kind);
    r
}

/// Up to 32 spans of a record; past that the last one is replaced, so the first (the name)
/// and the last (the pause) always stay.
#[derive(Default)]
struct Spans {
    spans: [(usize, usize); 32],
    len: usize,
}

impl Spans {
    fn push(&mut self, a: usize, b: usize) {
        if let Some(s) = self.spans.get_mut(self.len) {
            *s = (a, b);
            self.len += 1;
        } else if let Some(last) = self.spans.last_mut() {
            *last = (a, b);
        }
    }

    fn as_slice(&self) -> &[(usize, usize)] {
        self.spans.get(..self.len).unwrap_or_default()
    }
}

/// The kind a JDK 8 Shenandoah `Pause …` name stands for (as in unified logs).
fn shenandoah_kind(head: &[u8]) -> GcKind {
    use crate::gclog::unified::names::{Seen, pause_flags};
    let f = pause_flags(head);
    if f.contains(Seen::FULL) {
        GcKind::Full
    } else if f.contains(Seen::INITIAL_MARK) {
        GcKind::InitialMark
    } else if f.contains(Seen::REMARK) {
        GcKind::Remark
    } else {
        GcKind::Other
    }
}

/// The record's name: its first words, up to the first number or child.
fn head(top: &[u8]) -> &[u8] {
    let mut paren = 0i32;
    let mut end = top.len();
    for (i, c) in top.iter().enumerate() {
        match c {
            b'(' => paren += 1,
            b')' => paren -= 1,
            b'0'..=b'9' | b',' if paren <= 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    trim_end(top.get(..end).unwrap_or(top))
}

/// `GC (Allocation Failure)` → `Allocation Failure`; `GC pause (G1 Evacuation Pause) (young)` →
/// `G1 Evacuation Pause`; CMS phase names and G1 qualifiers are not causes.
fn cause(head: &[u8]) -> Option<&[u8]> {
    let open = memchr::memchr(b'(', head)?;
    let mut depth = 0;
    let mut close = None;
    for (i, c) in head.iter().enumerate().skip(open) {
        match c {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = head.get(open + 1..close?)?;
    const NOT: [&[u8]; 7] = [
        b"young",
        b"mixed",
        b"partial",
        b"initial-mark",
        b"CMS Initial Mark",
        b"CMS Final Remark",
        b"to-space exhausted",
    ];
    (!NOT.contains(&inner)).then_some(inner)
}

/// One child group: a generation, a CMS phase, or detail we do not need.
fn child<'a>(c: &'a [u8], r: &mut Record<'a>) {
    let c = trim_start(c);
    // `CMS-initial-mark` / `CMS-remark` anywhere in the child: one search for `CMS-`, then a
    // look at what follows each one.
    let mut at = 0;
    let mut marks = (false, false);
    while let Some(pos) = c
        .get(at..)
        .and_then(|t| crate::gclog::find::find(t, b"CMS-"))
    {
        let after = c.get(at + pos + 4..).unwrap_or_default();
        marks.0 |= after.starts_with(b"initial-mark");
        marks.1 |= after.starts_with(b"remark");
        at += pos + 1;
    }
    if marks.0 {
        r.kind = Some(GcKind::InitialMark);
        r.collector = Some(Collector::Cms);
        return;
    }
    if marks.1 {
        r.kind = Some(GcKind::Remark);
        r.collector = Some(Collector::Cms);
        return;
    }
    let transition = || find_transition(c).map(|(t, _)| t);
    let name_is = |n: &[u8]| c.starts_with(n);
    if name_is(b"PSYoungGen") || name_is(b"ASPSYoungGen") {
        r.young = transition();
        r.collector = Some(Collector::Parallel);
    } else if name_is(b"ParOldGen") || name_is(b"PSOldGen") || name_is(b"ASParOldGen") {
        r.old = transition();
        r.old_named = true;
        r.collector = Some(Collector::Parallel);
    } else if name_is(b"DefNew") {
        r.young = transition();
        r.collector.get_or_insert(Collector::Serial);
    } else if name_is(b"ParNew") || name_is(b"ASParNew") {
        r.young = transition();
        r.collector = Some(Collector::Cms);
    } else if name_is(b"Tenured") {
        r.old = transition();
        r.old_named = true;
        r.collector.get_or_insert(Collector::Serial);
    } else if name_is(b"CMS Perm")
        || name_is(b"PSPermGen")
        || name_is(b"Perm")
        || name_is(b"Metaspace")
    {
        r.meta = transition();
    } else if name_is(b"CMS") || name_is(b"ASCMS") {
        // `[CMS: …]`, `[CMSCMS: Large block …: …]` (`-XX:PrintFLSStatistics`), JDK 6's
        // `[ASCMS: …]` (`-XX:+UseAdaptiveSizePolicy`).
        r.old = transition();
        r.old_named = true;
        r.collector = Some(Collector::Cms);
    }
}

/// `109176K(249088K)`: occupancy without a before/after, as CMS initial mark and remark print.
/// The first such figure in `t` (after a date or uptime another line left there).
fn occupancy(t: &[u8]) -> Option<Transition> {
    let mut at = 0;
    while let Some(pos) = t.get(at..)?.iter().position(u8::is_ascii_digit) {
        let start = at + pos;
        if let Some((used, rest)) = leading_size(t.get(start..)?) {
            if let Some((cap, _)) = rest.strip_prefix(b"(").and_then(leading_size) {
                return Some(Transition {
                    before: used,
                    after: used,
                    capacity: Some(cap),
                    capacity_before: None,
                });
            }
        }
        // The next number.
        let run = t
            .get(start..)?
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'.' || *c == b','))
            .unwrap_or(t.len() - start);
        at = start + run.max(1);
    }
    None
}

/// The last `N secs` (or `N,N secs`; JDK 8 Shenandoah: `N ms`) of a text, in milliseconds.
pub fn secs(t: &[u8]) -> Option<f64> {
    let (pos, factor) = match crate::gclog::find::rfind(t, b" secs") {
        Some(p) => (p, 1e3),
        None => (crate::gclog::find::rfind(t, b" ms")?, 1.0),
    };
    let before = trim_end(t.get(..pos)?);
    let mut start = before.len();
    while start > 0
        && before
            .get(start - 1)
            .is_some_and(|c| c.is_ascii_digit() || *c == b'.' || *c == b',')
    {
        start -= 1;
    }
    let (v, rest) = leading_f64(before.get(start..)?)?;
    rest.is_empty().then_some(v * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parnew() {
        let r = read(b"[GC 0.294: [ParNew: 104960K->13042K(118016K), 0.0284337 secs] 104960K->34501K(249088K), 0.0285898 secs]");
        assert_eq!(r.head, b"GC");
        assert_eq!(r.kind, Some(GcKind::Young));
        assert_eq!(r.collector, Some(Collector::Cms));
        assert_eq!(r.heap.map(|t| t.after), Some(34501 << 10));
        assert_eq!(r.young.map(|t| t.before), Some(104960 << 10));
        assert!((r.pause_ms.unwrap() - 28.5898).abs() < 1e-9);
    }

    #[test]
    fn reads_full_parallel() {
        let r = read(b"[Full GC (Ergonomics) [PSYoungGen: 1K->0K(2K)] [ParOldGen: 10K->5K(20K)] 11K->5K(22K), [Metaspace: 3K->3K(1056K)], 0.1 secs]");
        assert_eq!(r.kind, Some(GcKind::Full));
        assert_eq!(r.cause, Some(&b"Ergonomics"[..]));
        assert_eq!(r.old.map(|t| t.after), Some(5 << 10));
        assert_eq!(r.meta.map(|t| t.capacity), Some(Some(1056 << 10)));
        assert_eq!(r.heap.map(|t| t.before), Some(11 << 10));
    }

    #[test]
    fn reads_cms_initial_mark() {
        let r =
            read(b"[GC [1 CMS-initial-mark: 91890K(131072K)] 109176K(249088K), 0.0004006 secs]");
        assert_eq!(r.kind, Some(GcKind::InitialMark));
        assert_eq!(r.heap.map(|t| t.capacity), Some(Some(249088 << 10)));
    }
}
