//! A GC log read as it arrives: [`GcReader::push`] the bytes as they come (in any pieces),
//! take the collections that are complete, [`GcReader::finish`] at the end. The same driver as
//! a whole-file read, so a log pushed in pieces gives the events a whole read gives; memory
//! holds only the collections still open and a cut line, never the text.

use std::sync::Arc;

use super::driver::{Driver, Mode, append_capped};
use super::unified::UnifiedParser;
use super::{GcLogInfo, GcParse, finish_events};
use crate::model::{Collector, Diagnostic, GcEvent};

/// Incremental reading of one GC log.
pub struct GcReader {
    driver: Driver<Vec<GcEvent>>,
    /// The start of a line whose newline has not arrived yet.
    carry: Vec<u8>,
    /// Diagnostics already handed out by [`GcReader::take_diagnostics`].
    diagnostics_taken: usize,
}

impl GcReader {
    /// A reader for the log named `source`.
    pub fn new(source: Arc<str>) -> Self {
        GcReader {
            driver: Driver::new(source, Vec::new(), Mode::Unknown, UnifiedParser::default()),
            carry: Vec::new(),
            diagnostics_taken: 0,
        }
    }

    /// Reads more of the log: every line these bytes complete.
    pub fn push(&mut self, bytes: &[u8]) {
        let d = &mut self.driver;
        d.ctx.info.bytes += bytes.len() as u64;
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', bytes) {
            let piece = bytes.get(start..nl).unwrap_or_default();
            if self.carry.is_empty() {
                d.line(piece);
            } else {
                append_capped(&mut self.carry, piece);
                d.line(&self.carry);
                self.carry.clear();
            }
            start = nl + 1;
        }
        append_capped(&mut self.carry, bytes.get(start..).unwrap_or_default());
    }

    /// The collections complete so far, in line order, each handed out once.
    ///
    /// Without `settled` only what later lines can no longer change: the parser's finished
    /// events. With it (the log has been quiet for a while), also every pause still held open
    /// for more detail lines — but not a concurrent cycle still running, whose remaining lines
    /// would otherwise become a second event with the same id.
    pub fn take_ready(&mut self, settled: bool) -> Vec<GcEvent> {
        let d = &mut self.driver;
        if settled {
            d.unified.settle(&mut d.ctx);
            d.legacy.settle(&mut d.ctx);
        }
        let mut events = std::mem::take(&mut d.ctx.sink);
        events.sort_by_key(|e| e.line);
        if let Some(c) = d
            .ctx
            .info
            .collector
            .or(d.unified.header().0)
            .filter(|c| *c != Collector::Unknown)
        {
            for e in events.iter_mut() {
                e.collector = c;
            }
        }
        events
    }

    /// Diagnostics (unrecognized lines) found since the last call.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        let all = &self.driver.diagnostics;
        let fresh = all
            .get(self.diagnostics_taken..)
            .unwrap_or_default()
            .to_vec();
        self.diagnostics_taken = all.len();
        fresh
    }

    /// What is known about the log so far.
    pub fn info(&self) -> &GcLogInfo {
        &self.driver.ctx.info
    }

    /// The log ended: reads the last line and closes every collection still open. Returns the
    /// events not yet taken, what was learnt, and every diagnostic (taken or not).
    pub fn finish(mut self) -> GcParse {
        let d = &mut self.driver;
        if !self.carry.is_empty() {
            d.line(&self.carry);
        }
        d.finish_undecided();
        d.unified.finish(&mut d.ctx);
        d.legacy.finish(&mut d.ctx);
        d.ctx.info.lines = d.line_no;
        d.ctx.info.region_size_bytes = d.unified.header().1;
        let mut parse = GcParse {
            events: std::mem::take(&mut d.ctx.sink).into(),
            info: std::mem::take(&mut d.ctx.info),
            diagnostics: std::mem::take(&mut d.diagnostics),
        };
        finish_events(&mut parse);
        parse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> GcParse {
        super::super::parse_str(Arc::from("gc.log"), text)
    }

    fn pieces(text: &str, size: usize, settle_every: bool) -> (Vec<GcEvent>, GcParse) {
        let mut r = GcReader::new(Arc::from("gc.log"));
        let mut taken = Vec::new();
        for chunk in text.as_bytes().chunks(size.max(1)) {
            r.push(chunk);
            taken.extend(r.take_ready(settle_every));
        }
        let rest = r.finish();
        (taken, rest)
    }

    fn key(e: &GcEvent) -> (u64, Option<u64>, String, u64) {
        (
            e.line,
            e.gc_id,
            format!("{:?}", e.kind),
            (e.pause_ms * 1e6).round() as u64,
        )
    }

    #[test]
    fn pieces_give_the_events_of_a_whole_read() {
        for path in [
            "samples/gc/jdk17/g1-gcstar.log",
            "samples/gc/jdk17/shenandoah-gcstar.log",
            "samples/gc/jdk21.0.8/zgc-generational-gcstar.log",
            "samples/gc/jdk8-handwritten/cms-interleaved.log",
            "samples/gc/jdk8-handwritten/g1-details.log",
        ] {
            let text = std::fs::read_to_string(path).expect(path);
            let want: Vec<_> = whole(&text).events.iter().map(|e| key(&e)).collect();
            assert!(want.len() > 3, "{path}: {}", want.len());
            for size in [1, 7, 4096, usize::MAX] {
                let (taken, rest) = pieces(&text, size.min(text.len()), false);
                let mut got: Vec<_> = taken
                    .iter()
                    .map(key)
                    .chain(rest.events.iter().map(|e| key(&e)))
                    .collect();
                got.sort();
                assert_eq!(got, want, "{path} in pieces of {size}");
                assert_eq!(rest.info.events as usize, want.len());
            }
        }
    }

    #[test]
    fn settling_hands_out_pauses_early_and_never_twice() {
        let text = std::fs::read_to_string("samples/gc/jdk17/g1-gcstar.log").expect("sample");
        let want = whole(&text).events;
        let (taken, rest) = pieces(&text, 512, true);
        // Settling after every piece hands out nearly everything before the end...
        assert!(
            taken.len() + 2 >= want.len(),
            "{} of {}",
            taken.len(),
            want.len()
        );
        // ...and still one event per collection.
        let mut ids: Vec<_> = taken
            .iter()
            .map(|e| e.gc_id)
            .chain(rest.events.iter().map(|e| e.gc_id))
            .collect();
        ids.sort();
        let mut want_ids: Vec<_> = want.iter().map(|e| e.gc_id).collect();
        want_ids.sort();
        assert_eq!(ids, want_ids);
    }
}
