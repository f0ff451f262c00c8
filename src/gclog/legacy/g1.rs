//! The G1 summary line JDK 7/8 print after a pause's details:
//! `[Eden: 15.0M(15.0M)->0.0B(10.0M) Survivors: 2048.0K->3072.0K Heap: 71.1M(96.0M)->71.2M(103.0M)]`,
//! sometimes followed by `, [Metaspace: 2620K->2620K(1056768K)]` after a full collection.

use crate::gclog::numbers::{Transition, find_transition, leading_transition};
use crate::model::GcEvent;

/// Applies an `[Eden: …]` line to the event it belongs to; false when it is not one.
pub fn eden_line(trimmed: &[u8], event: &mut GcEvent) -> bool {
    let Some(rest) = trimmed.strip_prefix(b"[Eden: ") else {
        return false;
    };
    let eden = leading_transition(rest).map(|(t, _)| t);
    let survivors = after(rest, b"Survivors: ").and_then(|r| leading_transition(r).map(|(t, _)| t));
    let heap = after(rest, b"Heap: ").and_then(|r| leading_transition(r).map(|(t, _)| t));
    if let (Some(e), Some(s)) = (eden, survivors) {
        event.young_before_bytes = Some(e.before + s.before);
        event.young_after_bytes = Some(e.after + s.after);
    }
    if let Some(h) = heap {
        apply_heap(event, h);
        if let (Some(yb), Some(ya)) = (event.young_before_bytes, event.young_after_bytes) {
            event.old_before_bytes = h.before.checked_sub(yb);
            event.old_after_bytes = h.after.checked_sub(ya);
        }
    }
    if let Some(m) = after(rest, b"[Metaspace: ").and_then(|r| find_transition(r).map(|(t, _)| t)) {
        event.metaspace_before_bytes = Some(m.before);
        event.metaspace_after_bytes = Some(m.after);
    }
    true
}

fn apply_heap(event: &mut GcEvent, h: Transition) {
    event.heap_before_bytes = Some(h.before);
    event.heap_after_bytes = Some(h.after);
    event.heap_capacity_bytes = h.capacity;
}

fn after<'a>(s: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    crate::gclog::find::find(s, key).and_then(|p| s.get(p + key.len()..))
}
