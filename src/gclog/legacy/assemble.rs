//! Putting records together from the pieces of lines they arrive in.
//!
//! - A record is fed piece by piece; concurrent phases in a piece are cut out (and read) as
//!   the piece arrives, so a cycle's phases keep their order even when one is printed inside a
//!   record that ends lines later (`[Full GC (Metadata GC Threshold) [GC
//!   concurrent-root-region-scan-start]` … ` 3227M->3226M(4096M), 1.38 secs]`, JDK 8 G1).
//! - A record ends at the bracket that balances it; the rest of that line may open another
//!   record (`[GC 3968K->3968K(5056K), 0.0045 secs][Full GC 3968K->3880K(5056K), 0.012 secs]`).
//! - A record opening at the margin while one is open interrupts it: the open one waits, the
//!   new one is read on its own, and the next line that goes on with bracketed text is the
//!   waiting one's continuation (`-XX:+CMSScavengeBeforeRemark` with `-XX:+PrintHeapAtGC`:
//!   `[GC (CMS Final Remark) {Heap before GC …` / dump / `[GC (CMS Final Remark) 890910K->
//!   620060K(7992832K), 0.12 secs]` / dump / ` 620060K(7992832K), 0.23 secs]`). If another
//!   record opens instead, the waiting one was cut (a truncated log) and is read as it is.
//!   Events of records read while one waits are emitted with it, in time order.
//! - A line none of the rules knows may still hold a whole record after text that another
//!   thread or program printed into it (`831626.089: [ParNew831628.158: [ParNew2016-09-30T…:
//!   833918.729: [GC (Allocation Failure) …, 0.056 secs]`): when the record balances on that
//!   line and ends in a duration, it is read from its own date/uptime.

use super::prefix::{Prefix, Raw, raw};
use super::{LegacyParser, concurrent, lines, record};
use crate::gclog::GcSink;
use crate::gclog::driver::{Ctx, LineStatus};
use crate::gclog::find::find;
use crate::gclog::numbers::trim_start;
use crate::model::GcEvent;

/// A record longer than this is cut (a truncated log, or a line the rules misread).
const MAX_RECORD_LINES: u32 = 400;
const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Text inside a record that belongs to something else and is blanked before reading it:
/// `[Times: …]`, `[G1Ergonomics …]` groups, and `-XX:PrintFLSStatistics` markers.
const BLANKED_GROUPS: [&[u8]; 2] = [b"[Times:", b"[G1Ergonomics"];
const BLANKED_WORDS: [&[u8]; 2] = [b"Before GC:", b"After GC:"];

impl LegacyParser {
    /// A line while a record is open.
    pub(super) fn inside_record<S: GcSink>(
        &mut self,
        line_no: u64,
        line: &[u8],
        p: &Raw<'_>,
        ctx: &mut Ctx<S>,
    ) {
        let rest = p.rest;
        if lines::is_fragment_line(rest) {
            // The open record may go on after the phase, on the same line (`[GC
            // concurrent-root-region-scan-end, 0.0189841 secs] (to-space exhausted),
            // 0.3314995 secs]`): only the phase's group is cut out.
            self.feed(line_no, rest, &p.parse(), ctx);
            return;
        }
        let at_margin = !line.first().is_some_and(u8::is_ascii_whitespace);
        if (at_margin || p.stamped()) && lines::shape(line, p) == lines::Shape::Record {
            self.suspend(ctx);
            self.start(line_no, &p.parse(), ctx);
            return;
        }
        if lines::adds_nothing(line, rest) {
            return;
        }
        self.record.lines += 1;
        self.feed(line_no, line, &p.parse(), ctx);
    }

    /// Opens a record at `p.rest`.
    pub(super) fn start<S: GcSink>(&mut self, line_no: u64, p: &Prefix<'_>, ctx: &mut Ctx<S>) {
        self.flush_held(ctx);
        let r = &mut self.record;
        r.text.clear();
        r.depth = 0;
        r.line = line_no;
        r.lines = 1;
        r.uptime = p.uptime_s;
        r.timestamp = p.timestamp;
        r.id = p.gc_id;
        r.resumed = false;
        // Most records are whole on their line with nothing to cut out: read them in place
        // (copying each record and searching it for what to blank was a third of the time on
        // a log of one-line records).
        if let Some(close) = whole_record(p.rest) {
            let (head, tail) = p.rest.split_at(close);
            if let Some(e) = self.event_of(head, line_no, p, ctx) {
                self.deliver(e, ctx);
            }
            self.after_record(line_no, tail, p, ctx);
            return;
        }
        self.feed(line_no, p.rest, p, ctx);
    }

    /// Adds one piece of a line to the open record, and completes it where it balances.
    fn feed<S: GcSink>(&mut self, line_no: u64, piece: &[u8], p: &Prefix<'_>, ctx: &mut Ctx<S>) {
        // `{Heap before GC invocations=7 (full 2):` opens a `PrintHeapAtGC` dump: the rest of
        // the line is the dump's.
        let piece = match find(piece, b"{Heap before GC") {
            Some(at) => piece.get(..at).unwrap_or_default(),
            None => piece,
        };
        let owned;
        let mut piece = piece;
        if let Some(first) = concurrent::find_fragment(piece) {
            let mut text = piece.to_vec();
            let mut from = first;
            loop {
                let end = concurrent::group_end(&text, from).unwrap_or(text.len());
                self.concurrent_fragment(line_no, p, text.get(from..end).unwrap_or_default(), ctx);
                blank(&mut text, from, end);
                match text.get(end..).and_then(concurrent::find_fragment) {
                    Some(next) => from = end + next,
                    None => break,
                }
            }
            owned = text;
            piece = &owned;
        }
        let mut depth = self.record.depth;
        let mut close = None;
        for i in memchr::memchr2_iter(b'[', b']', piece) {
            if piece.get(i) == Some(&b'[') {
                depth += 1;
            } else {
                depth -= 1;
                if depth <= 0 {
                    close = Some(i + 1);
                    break;
                }
            }
        }
        let (head, tail) = piece.split_at(close.unwrap_or(piece.len()));
        let r = &mut self.record;
        if !r.text.is_empty() {
            r.text.push(b' ');
        }
        r.text.extend_from_slice(head);
        r.depth = depth;
        if close.is_some() || r.lines > MAX_RECORD_LINES || r.text.len() > MAX_RECORD_BYTES {
            self.complete(ctx);
            if close.is_some() {
                self.after_record(line_no, tail, p, ctx);
            }
        }
    }

    /// What follows a record's closing bracket on its line: another record, the waiting
    /// record's continuation, or `[Times: …]` and the like.
    fn after_record<S: GcSink>(
        &mut self,
        line_no: u64,
        tail: &[u8],
        p: &Prefix<'_>,
        ctx: &mut Ctx<S>,
    ) {
        let t = trim_start(tail);
        if t.is_empty() {
            return;
        }
        let q = raw(t);
        if q.rest.starts_with(b"[Eden: ") {
            // G1's summary on the pause's own line (`…, 0.33 secs][Eden: …]`, JDK 8).
            if let Some(e) = self.held.as_mut() {
                super::g1::eden_line(q.rest, e);
            }
            return;
        }
        if lines::is_collection_open(q.rest) && !lines::is_fragment_line(q.rest) {
            // Without a time of its own, the second record has the line's.
            let mut next = q.parse();
            if !q.stamped() {
                next.uptime_s = p.uptime_s;
                next.timestamp = p.timestamp;
            }
            self.start(line_no, &next, ctx);
            return;
        }
        if self.waiting.is_some()
            && !q.rest.starts_with(b"[Times:")
            && !lines::adds_nothing(t, q.rest)
        {
            self.resume(line_no, t, &q, ctx);
        }
    }

    /// A record opens at the margin while one is open: the open one waits.
    fn suspend<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        let open = std::mem::take(&mut self.record);
        self.complete_waiting(ctx);
        self.waiting = Some(Box::new(open));
    }

    /// The waiting record goes on with `line`.
    pub(super) fn resume<S: GcSink>(
        &mut self,
        line_no: u64,
        line: &[u8],
        p: &Raw<'_>,
        ctx: &mut Ctx<S>,
    ) {
        if let Some(w) = self.waiting.take() {
            self.record = *w;
            self.record.resumed = true;
            self.record.lines += 1;
            self.feed(line_no, line, &p.parse(), ctx);
        }
    }

    /// The waiting record will not go on (another record opened, or the log ended): read it as
    /// it is. Called with no record open.
    pub(super) fn complete_waiting<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        if let Some(w) = self.waiting.take() {
            let spare = std::mem::replace(&mut self.record, *w);
            self.complete(ctx);
            self.record.text = spare.text;
            self.record.text.clear();
        }
    }

    /// The record's brackets balanced (or it was cut): read it into an event.
    pub(super) fn complete<S: GcSink>(&mut self, ctx: &mut Ctx<S>) {
        let mut text = std::mem::take(&mut self.record.text);
        let mut after = std::mem::take(&mut self.record.after);
        let resumed = std::mem::take(&mut self.record.resumed);
        self.record.depth = 0;
        let line_no = self.record.line;
        let p = Prefix {
            timestamp: self.record.timestamp,
            uptime_s: self.record.uptime,
            gc_id: self.record.id,
            rest: b"",
        };
        if resumed {
            // Read while this one waited, and earlier than its end.
            for e in std::mem::take(&mut after) {
                self.deliver(e, ctx);
            }
        }
        // A collection printed inside another (`-XX:+CMSScavengeBeforeRemark`: the remark's
        // young collection, `[GC (CMS Final Remark) [YG occupancy: …]1.2: [GC (CMS Final
        // Remark) 1.2: [ParNew: …] …, 0.07 secs]…[1 CMS-remark: …] …]`) is its own event.
        let mut from = 1;
        while let Some(start) = nested_collection(&text, from) {
            let end = concurrent::group_end(&text, start).unwrap_or(text.len());
            let inner = text.get(start..end).unwrap_or_default().to_vec();
            if let Some(e) = self.event_of(&inner, line_no, &p, ctx) {
                self.deliver(e, ctx);
            }
            blank(&mut text, start, end);
            from = end;
        }
        for key in BLANKED_GROUPS {
            let mut from = 0;
            while let Some(pos) = text.get(from..).and_then(|t| find(t, key)) {
                let start = from + pos;
                let end = concurrent::group_end(&text, start).unwrap_or(text.len());
                blank(&mut text, start, end);
                from = end;
            }
        }
        for key in BLANKED_WORDS {
            while let Some(pos) = find(&text, key) {
                blank(&mut text, pos, pos + key.len());
            }
        }
        if let Some(e) = self.event_of(&text, line_no, &p, ctx) {
            self.deliver(e, ctx);
        }
        for e in after {
            self.deliver(e, ctx);
        }
        text.clear();
        self.record.text = text;
    }

    /// An event read: held for a summary line that may follow, or, while a record waits, kept
    /// to be emitted with it.
    fn deliver<S: GcSink>(&mut self, e: GcEvent, ctx: &mut Ctx<S>) {
        if let Some(w) = self.waiting.as_mut() {
            w.after.push(e);
            return;
        }
        self.flush_held(ctx);
        self.held = Some(e);
    }

    /// A line no rule knows: a whole record after text printed into it is still read.
    pub(super) fn recover<S: GcSink>(
        &mut self,
        line_no: u64,
        line: &[u8],
        ctx: &mut Ctx<S>,
    ) -> LineStatus {
        let mut at = 1;
        while let Some(start) = nested_collection(line, at) {
            let end = concurrent::group_end(line, start);
            let whole = end.and_then(|end| line.get(start..end));
            if whole.is_some_and(|r| record::secs(r).is_some()) {
                let p = stamp_before(line, start);
                if self.waiting.is_some() {
                    self.complete_waiting(ctx);
                }
                self.start(line_no, &p, ctx);
                return LineStatus::Recognized;
            }
            at = start + 1;
        }
        LineStatus::Unrecognized
    }
}

/// Where the record opening `rest` closes, when it closes on this line and holds nothing that
/// [`LegacyParser::feed`] or [`LegacyParser::complete`] would cut out or blank: no concurrent
/// phase, nested record, `[Times:`/`[G1Ergonomics` group, heap dump or FLS marker.
fn whole_record(rest: &[u8]) -> Option<usize> {
    let mut depth = 0i32;
    let mut close = None;
    for i in memchr::memchr2_iter(b'[', b']', rest) {
        if rest.get(i) == Some(&b'[') {
            if i > 0 {
                let group = rest.get(i..).unwrap_or_default();
                if lines::is_collection_open(group)
                    || group.starts_with(b"[Times:")
                    || group.starts_with(b"[G1Ergonomics")
                {
                    return None;
                }
            }
            depth += 1;
        } else {
            depth -= 1;
            if depth <= 0 {
                close = Some(i + 1);
                break;
            }
        }
    }
    let head = rest.get(..close?)?;
    // A phase after the record on its line is read by `feed` too.
    let clean = memchr::memchr(b'{', head).is_none()
        && find(head, b" GC:").is_none()
        && concurrent::find_fragment(rest).is_none();
    clean.then_some(head.len())
}

/// The date/uptime printed right before `line[start..]`, and that rest.
fn stamp_before(line: &[u8], start: usize) -> Prefix<'_> {
    let rest = line.get(start..).unwrap_or_default();
    // The longest stamp that ends exactly at `start` (a date and an uptime are < 64 bytes).
    for k in start.saturating_sub(64)..start {
        let Some(cand) = line.get(k..) else { break };
        let q = raw(cand);
        if q.stamped() && q.rest.len() == rest.len() {
            return q.parse();
        }
    }
    Prefix {
        rest,
        ..Prefix::default()
    }
}

/// Where a collection record opens inside another record's text, from `from` on.
fn nested_collection(text: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(pos) = text.get(at..).and_then(|t| memchr::memchr(b'[', t)) {
        let start = at + pos;
        let rest = text.get(start..).unwrap_or_default();
        if lines::is_collection_open(rest) && !lines::is_fragment_line(rest) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

fn blank(text: &mut [u8], start: usize, end: usize) {
    if let Some(s) = text.get_mut(start..end) {
        s.fill(b' ');
    }
}
