//! [`Snapshots`]: a timeline's NMT snapshots, kept compact. The parser's [`Snapshot`] is ~7 KB
//! of `Vec`s and `Option`s for a JDK 21 snapshot; here each is a fixed head (place, time, pid,
//! kind) and its amounts as bytes ([`super::snapshot_code`]): category names interned to small
//! ids, amounts as varints in KiB, sub-fields tagged, rare deltas and unknown sub-lines out of
//! the common path. About 0.6 KB a snapshot (docs/architecture.md, "Model"), so 100k
//! snapshots fit in ~60 MiB. Snapshots are read through [`SnapshotRef`] views, decoded on
//! demand; [`SnapshotRef::to_snapshot`] gives back exactly the snapshot pushed.

use std::sync::Arc;

use super::snapshot_code::{Reader, put_detail, put_n, put_u};
use super::snapshot_iter::{Iter, SnapshotRange};
use super::snapshot_ref::{Body, SnapshotRef};
use super::strings::Strings;
use super::{Scale, Snapshot, SnapshotKind};

const NONE: u32 = u32::MAX;

/// One snapshot's own columns and where its bytes are.
#[derive(Debug, Clone)]
pub(super) struct Head {
    start: usize,
    rows_len: u32,
    len: u32,
    line: u64,
    timestamp: Option<chrono::DateTime<chrono::FixedOffset>>,
    pid: Option<u32>,
    source: u32,
    jvm_version: u32,
    kind: SnapshotKind,
    scale: Scale,
    complete: bool,
}

/// The head of a stored snapshot: the [`SnapshotRef`] fields of the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotHead {
    pub line: u64,
    pub timestamp: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub pid: Option<u32>,
    pub kind: SnapshotKind,
    pub complete: bool,
}

/// A timeline's snapshots, in the timeline's order.
#[derive(Clone, Default)]
pub struct Snapshots {
    heads: Vec<Head>,
    bytes: Vec<u8>,
    /// Bytes referenced by a head (the rest is left by removed snapshots until compacted).
    live: usize,
    pub(super) names: Strings,
    strings: Strings,
}

impl Snapshots {
    /// Number of snapshots.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// Adds a snapshot at the end.
    pub fn push(&mut self, snapshot: Snapshot) {
        self.push_ref(&snapshot);
    }

    /// Adds a copy of a snapshot at the end.
    pub fn push_ref(&mut self, s: &Snapshot) {
        let start = self.bytes.len();
        let out = &mut self.bytes;
        put_n(out, s.categories.len());
        put_u(out, s.total.reserved_bytes);
        put_u(out, s.total.committed_bytes);
        for (i, c) in s.categories.iter().enumerate() {
            let id = self.names.id_at(i, &c.name);
            put_n(out, id as usize);
            put_u(out, c.usage.reserved_bytes);
            put_u(out, c.usage.committed_bytes);
        }
        let rows_len = out.len() - start;
        put_detail(out, &s.total);
        for c in &s.categories {
            put_detail(out, &c.usage);
        }
        let len = out.len() - start;
        self.live += len;
        let head = Head {
            start,
            rows_len: u32::try_from(rows_len).unwrap_or(u32::MAX),
            len: u32::try_from(len).unwrap_or(u32::MAX),
            line: s.line,
            timestamp: s.timestamp,
            pid: s.pid,
            source: self.strings.id(&s.source),
            jvm_version: s.jvm_version.as_ref().map_or(NONE, |v| self.strings.id(v)),
            kind: s.kind,
            scale: s.scale,
            complete: s.complete,
        };
        self.heads.push(head);
    }

    /// Moves `other`'s snapshots after these: their bytes are copied, the name ids in their
    /// rows renumbered to this store's.
    pub fn append(&mut self, other: Snapshots) {
        if self.is_empty() {
            *self = other;
            return;
        }
        let names: Vec<u32> = other.names.all.iter().map(|n| self.names.id(n)).collect();
        let strings: Vec<u32> = other
            .strings
            .all
            .iter()
            .map(|n| self.strings.id(n))
            .collect();
        let map = |ids: &[u32], id: u32| ids.get(id as usize).copied().unwrap_or(NONE);
        for head in &other.heads {
            let blob = other.blob(head);
            let (rows, detail) = blob.split_at((head.rows_len as usize).min(blob.len()));
            let start = self.bytes.len();
            let out = &mut self.bytes;
            let mut r = Reader::new(rows);
            let n = r.n();
            put_n(out, n);
            put_u(out, r.u());
            put_u(out, r.u());
            for _ in 0..n {
                let id = u32::try_from(r.n()).unwrap_or(NONE);
                put_n(out, map(&names, id) as usize);
                put_u(out, r.u());
                put_u(out, r.u());
            }
            let rows_len = out.len() - start;
            out.extend_from_slice(detail);
            let len = out.len() - start;
            self.live += len;
            self.heads.push(Head {
                start,
                rows_len: u32::try_from(rows_len).unwrap_or(u32::MAX),
                len: u32::try_from(len).unwrap_or(u32::MAX),
                source: map(&strings, head.source),
                jvm_version: map(&strings, head.jvm_version),
                ..head.clone()
            });
        }
    }

    fn blob(&self, head: &Head) -> &[u8] {
        self.bytes
            .get(head.start..head.start + head.len as usize)
            .unwrap_or_default()
    }

    /// The `index`-th snapshot.
    pub fn get(&self, index: usize) -> Option<SnapshotRef<'_>> {
        let head = self.heads.get(index)?;
        let blob = self.blob(head);
        let (rows, detail) = blob.split_at((head.rows_len as usize).min(blob.len()));
        let string = |id: u32| self.strings.all.get(id as usize);
        let (total, body) = Body::coded(self, Reader::new(rows), Reader::new(detail));
        Some(SnapshotRef {
            source: string(head.source)?,
            line: head.line,
            timestamp: head.timestamp,
            pid: head.pid,
            jvm_version: (head.jvm_version != NONE)
                .then(|| string(head.jvm_version))
                .flatten(),
            kind: head.kind,
            scale: head.scale,
            total,
            complete: head.complete,
            body,
        })
    }

    pub fn first(&self) -> Option<SnapshotRef<'_>> {
        self.get(0)
    }

    pub fn last(&self) -> Option<SnapshotRef<'_>> {
        self.get(self.heads.len().checked_sub(1)?)
    }

    /// Every snapshot, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            store: self,
            at: 0,
            end: self.len(),
        }
    }

    /// The snapshots at `range` (clamped to the store), as a view.
    pub fn range(&self, range: std::ops::Range<usize>) -> SnapshotRange<'_> {
        let end = range.end.min(self.len());
        SnapshotRange {
            store: self,
            start: range.start.min(end),
            end,
        }
    }

    /// All snapshots as a [`SnapshotRange`].
    pub fn all(&self) -> SnapshotRange<'_> {
        self.range(0..self.len())
    }

    /// Every snapshot's head (time, pid, kind, completeness), in order, without decoding its
    /// amounts: passes that only filter or count snapshots skip the bytes.
    pub fn heads(&self) -> impl ExactSizeIterator<Item = SnapshotHead> + '_ {
        self.heads.iter().map(|h| SnapshotHead {
            line: h.line,
            timestamp: h.timestamp,
            pid: h.pid,
            kind: h.kind,
            complete: h.complete,
        })
    }

    /// The id of a category name in this store (what [`super::CategoryRef::name_id`] gives),
    /// and how many names it holds: analyses index their columns by it instead of hashing
    /// each category's name per snapshot.
    pub fn name_id(&self, name: &str) -> Option<usize> {
        self.names.find(name).map(|id| id as usize)
    }

    /// Number of distinct category names held (ids are below it).
    pub fn name_count(&self) -> usize {
        self.names.all.len()
    }

    /// Timestamps, in order (for sorting and time windows without decoding a snapshot).
    pub fn timestamps(
        &self,
    ) -> impl ExactSizeIterator<Item = Option<chrono::DateTime<chrono::FixedOffset>>> + '_ {
        self.heads.iter().map(|h| h.timestamp)
    }

    /// Every snapshot decoded (tests, and callers that mutate snapshots).
    pub fn to_vec(&self) -> Vec<Snapshot> {
        self.iter().map(|s| s.to_snapshot()).collect()
    }

    /// Edits every snapshot in place: each is decoded, given to `edit` with its index, and
    /// stored again (a whole rebuild: for tests and rare edits, not per update).
    pub fn edit(&mut self, mut edit: impl FnMut(usize, &mut Snapshot)) {
        let mut out = Snapshots::default();
        for (i, s) in self.iter().enumerate() {
            let mut s = s.to_snapshot();
            edit(i, &mut s);
            out.push(s);
        }
        *self = out;
    }

    /// Puts the snapshots in `order` (indices into the current order; each at most once).
    pub fn reorder(&mut self, order: &[usize]) {
        let heads: Vec<Head> = order
            .iter()
            .filter_map(|&i| self.heads.get(i).cloned())
            .collect();
        self.heads = heads;
        self.recount();
    }

    /// Keeps the first `len` snapshots.
    pub fn truncate(&mut self, len: usize) {
        self.heads.truncate(len);
        self.recount();
    }

    /// Keeps the snapshots for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(SnapshotRef<'_>) -> bool) {
        let keep: Vec<bool> = self.iter().map(&mut keep).collect();
        let mut k = keep.into_iter();
        self.heads.retain(|_| k.next().unwrap_or(true));
        self.recount();
    }

    /// Drops the first `n` snapshots.
    pub fn remove_front(&mut self, n: usize) {
        self.heads.drain(..n.min(self.heads.len()));
        self.recount();
    }

    /// Splits off the snapshots from `at` on (copied into a new store).
    pub fn split_off(&mut self, at: usize) -> Snapshots {
        let tail = self.slice(at..self.len());
        self.truncate(at);
        tail
    }

    /// A copy of the snapshots at `range` (clamped), their bytes copied as they are.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Snapshots {
        let end = range.end.min(self.len());
        let heads = self
            .heads
            .get(range.start.min(end)..end)
            .unwrap_or_default();
        let mut out = Snapshots {
            heads: Vec::with_capacity(heads.len()),
            bytes: Vec::new(),
            live: 0,
            names: self.names.clone(),
            strings: self.strings.clone(),
        };
        for head in heads {
            let blob = self
                .bytes
                .get(head.start..head.start + head.len as usize)
                .unwrap_or_default();
            out.heads.push(Head {
                start: out.bytes.len(),
                ..head.clone()
            });
            out.bytes.extend_from_slice(blob);
        }
        out.live = out.bytes.len();
        out
    }

    /// Category names over all snapshots, in order of first appearance.
    pub fn category_names(&self) -> Vec<Arc<str>> {
        let mut seen = vec![false; self.names.all.len()];
        let mut out = Vec::new();
        for head in &self.heads {
            if out.len() == seen.len() {
                break;
            }
            let rows = self.bytes.get(head.start..).unwrap_or_default();
            let mut r = Reader::new(rows);
            let n = r.n();
            r.skip();
            r.skip();
            for _ in 0..n {
                let id = r.n();
                r.skip();
                r.skip();
                if let Some(false) = seen.get(id) {
                    seen[id] = true;
                    out.extend(self.names.all.get(id).cloned());
                }
            }
        }
        out
    }

    /// Bytes held, roughly: the heads, the bytes and the string tables, at capacity.
    pub fn heap_bytes(&self) -> usize {
        self.heads.capacity() * std::mem::size_of::<Head>()
            + self.bytes.capacity()
            + self.names.heap_bytes()
            + self.strings.heap_bytes()
    }

    /// Re-counts the live bytes and drops the dead ones once they outweigh the live.
    fn recount(&mut self) {
        self.live = self.heads.iter().map(|h| h.len as usize).sum();
        if self.bytes.len() > 2 * self.live + 4096 {
            let mut bytes = Vec::with_capacity(self.live);
            for head in &mut self.heads {
                let blob = self
                    .bytes
                    .get(head.start..head.start + head.len as usize)
                    .unwrap_or_default();
                head.start = bytes.len();
                bytes.extend_from_slice(blob);
            }
            self.bytes = bytes;
        }
    }
}

#[cfg(test)]
#[path = "snapshot_store_tests.rs"]
mod tests;
