//! The one loader: every input's members read in order and handed on as [`Update`]s —
//! `Progress` while a member is read (bytes so far, of its size), then what it held
//! (`Diagnostics`, `Snapshots`, `GcEvents`, `GcLog`, `Process`, `Limit`) and `Finished`. GC logs that
//! can be read again are read at the end as one rotated set in time order. The dashboard
//! applies the updates as they come (`jvmem view`); [`super::load_inputs`] adds them up for
//! the reports, so both see the same data.

use std::io::{BufRead, Read};
use std::sync::Arc;

use crate::model::{Snapshot, Timeline, Update};
use crate::nmt::Keep;

use super::{GcMember, InputKind, Member, for_each_member, nothing_found, read_member};

/// Bytes read between two [`Update::Progress`] reports of one member.
const PROGRESS_EVERY_BYTES: u64 = 4 << 20;

/// Reads `paths` (and `gc_logs`, read as GC logs whatever they look like), sending what they
/// hold to `send`; stops early when `send` returns false (the dashboard is gone). What the GC
/// logs said about themselves comes as an [`Update::GcLog`].
pub fn load_streaming_inputs(
    paths: &[String],
    gc_logs: &[String],
    send: &mut dyn FnMut(Update) -> bool,
) {
    load_streaming_inputs_keeping(paths, gc_logs, Keep::All, send)
}

/// [`load_streaming_inputs`] for a consumer that keeps only `keep` of each NMT snapshot
/// (`export --format csv`: [`Keep::Totals`]).
pub fn load_streaming_inputs_keeping(
    paths: &[String],
    gc_logs: &[String],
    keep: Keep,
    send: &mut dyn FnMut(Update) -> bool,
) {
    let mut gc_files: Vec<GcMember> = Vec::new();
    let mut gc_bytes: u64 = 0;
    let mut stopped = false;
    let named = paths
        .iter()
        .map(|p| (p, None))
        .chain(gc_logs.iter().map(|p| (p, Some(InputKind::GcLog))));
    for (path, forced) in named {
        let diagnostics = for_each_member(path, forced, &mut |member| {
            if stopped {
                return;
            }
            if member.kind == InputKind::GcLog {
                if let Some(origin) = member.origin.clone() {
                    gc_bytes += member.size.unwrap_or(0);
                    gc_files.push(GcMember {
                        name: member.source.to_string(),
                        origin,
                    });
                    return;
                }
            }
            stopped = !load_member(member, keep, send);
        });
        if stopped || !send(Update::Diagnostics(diagnostics)) {
            return;
        }
    }
    if gc_files.is_empty() {
        return;
    }
    let source: Arc<str> = match gc_files.as_slice() {
        [one] => Arc::from(one.name.as_str()),
        many => Arc::from(format!("{} GC log files", many.len())),
    };
    let progress = |done_bytes| Update::Progress {
        source: Arc::clone(&source),
        done_bytes,
        total_bytes: Some(gc_bytes),
    };
    if !send(progress(0)) {
        return;
    }
    let refs: Vec<&dyn crate::gclog::GcFile> = gc_files
        .iter()
        .map(|f| f as &dyn crate::gclog::GcFile)
        .collect();
    let parsed = crate::gclog::load_files(&refs);
    let mut diagnostics = parsed.diagnostics;
    if parsed.events.is_empty() {
        for f in &gc_files {
            diagnostics.push(nothing_found(&Arc::from(f.name.as_str())));
        }
    }
    let updates = [
        Update::Diagnostics(diagnostics),
        Update::GcEvents(parsed.events),
        Update::GcLog(parsed.info),
        progress(gc_bytes),
        Update::Finished { source },
    ];
    for update in updates {
        if !send(update) {
            return;
        }
    }
}

/// Reads one member (not a re-readable GC log), sending its progress and contents; false when
/// `send` asked to stop.
fn load_member(member: Member<'_>, keep: Keep, send: &mut dyn FnMut(Update) -> bool) -> bool {
    let source = Arc::clone(&member.source);
    let size = member.size;
    let progress = |done_bytes| Update::Progress {
        source: Arc::clone(&source),
        done_bytes,
        total_bytes: size,
    };
    if !send(progress(0)) {
        return false;
    }
    // Both the progress reports and (for NMT) each block's contents go to `send`.
    let send = std::cell::RefCell::new(send);
    let mut stopped = false;
    let stop = std::cell::Cell::new(false);
    let mut counting = ProgressReader {
        inner: member.reader,
        done_bytes: 0,
        reported_bytes: 0,
        report: &mut |done| {
            if !stop.get() && !(send.borrow_mut())(progress(done)) {
                stop.set(true);
            }
        },
    };
    if member.kind == InputKind::Nmt {
        // NMT text is parsed block by block and each block's contents sent at once: the text
        // is never held whole, and a consumer that does not keep snapshots holds none.
        let (mut read_any, mut errors) = (false, false);
        super::read_nmt(
            &member.source,
            &mut counting,
            keep,
            &mut |snapshots, block| {
                read_any |= !snapshots.is_empty() || !block.is_empty();
                errors |= block.error_count() > 0;
                !stop.get() && send_parts(snapshots, block, &mut |u| (send.borrow_mut())(u))
            },
        );
        if stop.get() {
            return false;
        }
        let mut last = Timeline::default();
        if !read_any && !errors {
            last.diagnostics.push(super::nothing_found(&source));
        }
        return send_timeline(source, last, &mut |u| (send.borrow_mut())(u));
    }
    let timeline = read_member(Member {
        source: Arc::clone(&member.source),
        kind: member.kind,
        reader: &mut counting,
        size,
        origin: member.origin,
    });
    stopped |= stop.get();
    !stopped && send_timeline(source, timeline, &mut |u| (send.borrow_mut())(u))
}

/// Sends what one block of an input held; false when `send` asked to stop.
fn send_contents(mut timeline: Timeline, send: &mut dyn FnMut(Update) -> bool) -> bool {
    let snapshots = std::mem::take(&mut timeline.snapshots).to_vec();
    send_parts(snapshots, timeline, send)
}

/// [`send_contents`] of parsed snapshots and the rest of a block (no snapshots in `timeline`).
fn send_parts(
    snapshots: Vec<Snapshot>,
    timeline: Timeline,
    send: &mut dyn FnMut(Update) -> bool,
) -> bool {
    let mut updates = vec![Update::Diagnostics(timeline.diagnostics)];
    if !snapshots.is_empty() {
        updates.push(Update::Snapshots(snapshots));
    }
    if !timeline.gc_events.is_empty() {
        updates.push(Update::GcEvents(timeline.gc_events));
    }
    if !timeline.drills.is_empty() {
        updates.push(Update::Drills(timeline.drills));
    }
    updates.extend(timeline.process.into_iter().map(Update::Process));
    updates.extend(timeline.gc_log.map(Update::GcLog));
    updates.extend(timeline.limit_bytes.map(Update::Limit));
    updates.into_iter().all(send)
}

/// Sends what one input held, then that it is finished; false when `send` asked to stop.
fn send_timeline(
    source: Arc<str>,
    timeline: Timeline,
    send: &mut dyn FnMut(Update) -> bool,
) -> bool {
    send_contents(timeline, send) && send(Update::Finished { source })
}

/// A buffered reader that reports how many bytes were consumed, every
/// [`PROGRESS_EVERY_BYTES`].
struct ProgressReader<'a, 'r> {
    inner: &'r mut dyn BufRead,
    done_bytes: u64,
    reported_bytes: u64,
    report: &'a mut dyn FnMut(u64),
}

impl ProgressReader<'_, '_> {
    fn count(&mut self, n: usize) {
        self.done_bytes += n as u64;
        if self.done_bytes >= self.reported_bytes + PROGRESS_EVERY_BYTES {
            self.reported_bytes = self.done_bytes;
            (self.report)(self.done_bytes);
        }
    }
}

impl Read for ProgressReader<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count(n);
        Ok(n)
    }
}

impl BufRead for ProgressReader<'_, '_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.count(amount);
    }
}
