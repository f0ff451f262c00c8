//! Legacy GC logs (JDK ≤ 8, `-XX:+PrintGCDetails` and friends): one event per collection record.
//!
//! A record starts at `[GC`, `[Full GC`, `[GC pause …` after an optional date/uptime/id
//! [`prefix`], and may span lines (tenuring distribution, adaptive-size policy and G1 ergonomics
//! lines in between); it ends where its brackets balance, and what follows on that line may be
//! another record (`[GC …][Full GC …]`). Concurrent phases ([`concurrent`]) may arrive on their
//! own lines or inside another record's text: they are cut out as they arrive and gathered into
//! one `concurrent` event per cycle. A record opening at the margin while another is open
//! (`-XX:+CMSScavengeBeforeRemark` with `-XX:+PrintHeapAtGC`: the remark's young collection
//! after a heap dump) is read on its own while the first waits (`assemble.rs`). G1's
//! `[Eden: …]` summary and `PrintHeapAtGC` dumps follow a record; the first amends the event
//! ([`g1`]), the second is skipped. Which line is what is decided in [`lines`].

mod assemble;
pub mod concurrent;
mod event;
pub mod g1;
pub mod lines;
pub mod prefix;
pub mod record;

use std::sync::Arc;

pub use lines::{header_line, is_legacy_only, is_record_start};

use super::GcSink;
use super::driver::{Ctx, LineStatus};
use crate::model::{Collector, GcEvent, GcKind};
use lines::Shape;
use prefix::Prefix;

/// A record in progress: its text so far and where it started.
#[derive(Debug, Default)]
struct Open {
    text: Vec<u8>,
    depth: i32,
    line: u64,
    lines: u32,
    uptime: Option<f64>,
    timestamp: Option<chrono::DateTime<chrono::FixedOffset>>,
    id: Option<u64>,
    /// Taken up again after a record that interrupted it.
    resumed: bool,
    /// Events of the records read while this one waited, emitted with it (in time order).
    after: Vec<GcEvent>,
}

/// The legacy parser's state.
#[derive(Debug, Default)]
pub struct LegacyParser {
    record: Open,
    /// A record interrupted by another opening at the margin, waiting for its continuation.
    waiting: Option<Box<Open>>,
    /// The last pause, held back so the lines after it (`[Eden: …]`) can complete it.
    held: Option<GcEvent>,
    /// The concurrent cycle in progress.
    cycle: Option<GcEvent>,
    /// The last CMS occupancy-only record (`[GC 46468K(83008K), …]`) was an initial mark: the
    /// next is its remark.
    mark_open: bool,
    collector: Option<Collector>,
}

impl LegacyParser {
    /// Reads one non-blank line.
    pub fn line<S: GcSink>(&mut self, line_no: u64, line: &[u8], ctx: &mut Ctx<S>) -> LineStatus {
        let p = prefix::raw(line);
        if !self.record.text.is_empty() {
            self.inside_record(line_no, line, &p, ctx);
            return LineStatus::Recognized;
        }
        match lines::shape(line, &p) {
            Shape::Record => {
                if self.waiting.is_some() {
                    // A new record, not the continuation: the waiting one was cut.
                    self.complete_waiting(ctx);
                }
                self.start(line_no, &p.parse(), ctx);
            }
            Shape::Fragment => self.concurrent_fragment(line_no, &p.parse(), p.rest, ctx),
            Shape::Eden => {
                let amended = self.held.as_mut().is_some_and(|e| g1::eden_line(p.rest, e));
                if !amended {
                    return LineStatus::Unrecognized;
                }
            }
            Shape::Skip => {}
            Shape::Header => return header_line(line, &mut ctx.info),
            shape @ (Shape::Detail | Shape::Other) => {
                if self.waiting.is_some() && !lines::adds_nothing(line, p.rest) {
                    self.resume(line_no, line, &p, ctx);
                    return LineStatus::Recognized;
                }
                if let Some(at) = concurrent::find_fragment(p.rest) {
                    // A concurrent phase can end a detail line
                    // (`[Preclean …]…[CMS-concurrent-preclean: …]`).
                    let end = concurrent::group_end(p.rest, at).unwrap_or(p.rest.len());
                    let fragment = p.rest.get(at..end).unwrap_or_default();
                    self.concurrent_fragment(line_no, &p.parse(), fragment, ctx);
                } else if shape == Shape::Other {
                    return self.recover(line_no, line, ctx);
                }
            }
        }
        LineStatus::Recognized
    }

    /// Reads what is left: a record cut off by the end of the log, the held pause, an open cycle.
    pub fn finish<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        if !self.record.text.is_empty() {
            self.complete(ctx);
        }
        if self.waiting.is_some() {
            self.complete_waiting(ctx);
        }
        self.flush_held(ctx);
        if let Some(c) = self.cycle.take() {
            ctx.emit(c);
        }
        // What the records showed beats the command line (which can be edited or stale).
        if self.collector.is_some() {
            ctx.info.collector = self.collector;
        }
    }

    /// The log has gone quiet (a followed log): the pause held for a summary line that has
    /// not come is handed on; a record in progress and an open concurrent cycle stay.
    pub fn settle<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        if self.record.text.is_empty() && self.waiting.is_none() {
            self.flush_held(ctx);
        }
    }

    fn flush_held<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        if let Some(e) = self.held.take() {
            ctx.emit(e);
        }
    }

    /// One concurrent phase, on its own or cut out of another record.
    fn concurrent_fragment<S: GcSink>(
        &mut self,
        line_no: u64,
        p: &Prefix<'_>,
        fragment: &[u8],
        ctx: &mut Ctx<S>,
    ) {
        let phase = concurrent::phase(fragment);
        let cms = fragment.starts_with(b"[CMS") || fragment.starts_with(b"[ASCMS");
        if phase.starts_cycle {
            if let Some(c) = self.cycle.take() {
                ctx.emit(c);
            }
        }
        let collector = if cms { Collector::Cms } else { Collector::G1 };
        self.collector.get_or_insert(collector);
        let cycle = self.cycle.get_or_insert_with(|| {
            let name: &[u8] = if cms {
                b"CMS concurrent cycle"
            } else {
                b"G1 concurrent cycle"
            };
            let mut e = GcEvent::new(
                Arc::clone(&ctx.source),
                line_no,
                collector,
                ctx.names.get(name),
            );
            e.kind = GcKind::Concurrent;
            e.uptime_s = p.uptime_s;
            e.timestamp = p.timestamp;
            e
        });
        if let Some(ms) = phase.ms {
            cycle.concurrent_ms = Some(cycle.concurrent_ms.unwrap_or(0.0) + ms);
        }
        if phase.ends_cycle {
            if let Some(c) = self.cycle.take() {
                ctx.emit(c);
            }
        }
    }
}
