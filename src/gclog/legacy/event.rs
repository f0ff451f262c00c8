//! A read record ([`record::read`]) becomes a [`GcEvent`]: its collector (one per JVM), name,
//! kind (the CMS marks that print only an occupancy alternate), times and sizes.

use std::sync::Arc;

use super::LegacyParser;
use super::prefix::Prefix;
use super::record;
use crate::gclog::GcSink;
use crate::gclog::driver::Ctx;
use crate::model::{Collector, GcEvent, GcKind};

impl LegacyParser {
    /// Reads one balanced record (fragments already cut out) into an event.
    pub(super) fn event_of<S: GcSink>(
        &mut self,
        text: &[u8],
        line_no: u64,
        p: &Prefix<'_>,
        ctx: &mut Ctx<S>,
    ) -> Option<GcEvent> {
        let r = record::read(text);
        if !r.head.is_empty() {
            // One JVM, one collector: CMS may run DefNew young collections (iCMS), so CMS wins
            // over Serial once seen.
            match (self.collector, r.collector) {
                (None, c) | (Some(Collector::Serial), c @ Some(Collector::Cms)) => {
                    self.collector = c.or(self.collector)
                }
                _ => {}
            }
            let collector = self
                .collector
                .or(ctx.info.collector)
                .unwrap_or(Collector::Unknown);
            let name = if crate::gclog::find::find(r.head, b"  ").is_some() {
                ctx.names.get(&collapse_spaces(r.head))
            } else {
                ctx.names.get(r.head)
            };
            let mut e = GcEvent::new(Arc::clone(&ctx.source), line_no, collector, name);
            e.gc_id = p.gc_id;
            e.uptime_s = p.uptime_s;
            e.timestamp = p.timestamp;
            e.kind = match r.kind {
                // Without a cause, the open concurrent cycle tells the remark from the initial
                // mark; without cycle lines either (`-verbose:gc` only), they alternate.
                Some(GcKind::InitialMark)
                    if r.occupancy_only
                        && r.cause.is_none()
                        && (self.cycle.is_some() || self.mark_open) =>
                {
                    GcKind::Remark
                }
                k => k.unwrap_or(GcKind::Other),
            };
            if r.occupancy_only {
                self.mark_open = e.kind == GcKind::InitialMark;
            }
            e.cause = r.cause.map(|c| ctx.names.get(c));
            e.pause_ms = r.pause_ms.unwrap_or(0.0);
            if let Some(h) = r.heap {
                e.heap_before_bytes = Some(h.before);
                e.heap_after_bytes = Some(h.after);
                e.heap_capacity_bytes = h.capacity;
            }
            if let Some(y) = r.young {
                e.young_before_bytes = Some(y.before);
                e.young_after_bytes = Some(y.after);
            }
            if let Some(o) = r.old {
                e.old_before_bytes = Some(o.before);
                e.old_after_bytes = Some(o.after);
            } else if let (Some(h), Some(y)) = (r.heap, r.young) {
                // Young collections print only young and whole-heap figures: old is the rest.
                e.old_before_bytes = h.before.checked_sub(y.before);
                e.old_after_bytes = h.after.checked_sub(y.after);
            }
            if let Some(m) = r.meta {
                e.metaspace_before_bytes = Some(m.before);
                e.metaspace_after_bytes = Some(m.after);
            }
            return Some(e);
        }
        None
    }
}

fn collapse_spaces(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if !(c == b' ' && out.last() == Some(&b' ')) {
            out.push(c);
        }
    }
    out
}
