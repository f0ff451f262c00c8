//! Snapshots reduced to what a table of them shows (`export --format csv`): per snapshot its
//! place (source, line), time, pid, kind, completeness and JVM identity; per category its
//! interned name and reserved/committed amounts (and deltas, for `.diff` snapshots) in
//! columns. About 0.7 KB for a 32-category JDK 25 snapshot, against ~10 KB of full model and
//! 4.6 KB of text (docs/benchmarks.md), so a long input can be exported without holding
//! either.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::identity::{JvmIdentity, change_diagnostics, runs_of};
use super::strings::Strings;
use super::timeline::time_order;
use super::{Diagnostic, Snapshot, SnapshotKind};

/// One snapshot's own columns.
#[derive(Debug, Clone)]
struct Head {
    source: Arc<str>,
    line: u64,
    timestamp: Option<DateTime<FixedOffset>>,
    kind: SnapshotKind,
    complete: bool,
    identity: JvmIdentity,
    /// Its first category row.
    first_row: u32,
}

/// Snapshots as columns, in the order they were added; [`SnapshotTable::time_order`] gives
/// the timeline's order.
#[derive(Debug, Default)]
pub struct SnapshotTable {
    names: Strings,
    heads: Vec<Head>,
    name_ids: Vec<u32>,
    reserved: Vec<u64>,
    committed: Vec<u64>,
    /// Rows that carry a delta: (row, reserved delta, committed delta), in row order.
    deltas: Vec<(u32, Option<i64>, Option<i64>)>,
}

/// One category row of one snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRow<'a> {
    pub name: &'a Arc<str>,
    pub reserved_bytes: u64,
    pub committed_bytes: u64,
    pub reserved_delta_bytes: Option<i64>,
    pub committed_delta_bytes: Option<i64>,
}

/// One snapshot of a table.
#[derive(Debug, Clone, Copy)]
pub struct TableSnapshot<'a> {
    table: &'a SnapshotTable,
    index: usize,
}

impl SnapshotTable {
    /// Adds snapshots after those already held.
    pub fn extend(&mut self, snapshots: impl IntoIterator<Item = Snapshot>) {
        for snapshot in snapshots {
            self.push(&snapshot);
        }
    }

    /// Adds one snapshot.
    pub fn push(&mut self, snapshot: &Snapshot) {
        let first_row = u32::try_from(self.name_ids.len()).unwrap_or(u32::MAX);
        self.heads.push(Head {
            source: Arc::clone(&snapshot.source),
            line: snapshot.line,
            timestamp: snapshot.timestamp,
            kind: snapshot.kind,
            complete: snapshot.complete,
            identity: snapshot.identity(),
            first_row,
        });
        for (k, category) in snapshot.categories.iter().enumerate() {
            let id = self.names.id_at(k, &category.name);
            let usage = &category.usage;
            if usage.reserved_delta_bytes.is_some() || usage.committed_delta_bytes.is_some() {
                let row = u32::try_from(self.name_ids.len()).unwrap_or(u32::MAX);
                self.deltas
                    .push((row, usage.reserved_delta_bytes, usage.committed_delta_bytes));
            }
            self.name_ids.push(id);
            self.reserved.push(usage.reserved_bytes);
            self.committed.push(usage.committed_bytes);
        }
    }

    /// Number of snapshots.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// True when no snapshot was added.
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The snapshot added `index`-th.
    pub fn get(&self, index: usize) -> Option<TableSnapshot<'_>> {
        (index < self.heads.len()).then_some(TableSnapshot { table: self, index })
    }

    /// Indices of the snapshots in the order [`super::Timeline::sort_snapshots`] gives them.
    pub fn time_order(&self) -> Vec<usize> {
        let timestamps: Vec<_> = self.heads.iter().map(|h| h.timestamp).collect();
        time_order(&timestamps).unwrap_or_else(|| (0..self.heads.len()).collect())
    }

    /// [`super::Timeline::jvm_change_diagnostics`] of these snapshots in `order`.
    pub fn jvm_change_diagnostics(&self, order: &[usize]) -> Vec<Diagnostic> {
        let runs = runs_of(order.iter().map(|&i| self.heads[i].identity.clone()));
        change_diagnostics(&runs, |at| {
            let head = &self.heads[*order.get(at)?];
            Some((Arc::clone(&head.source), head.line))
        })
    }

    /// Bytes held, roughly (the columns' capacity).
    pub fn heap_bytes(&self) -> usize {
        self.heads.capacity() * std::mem::size_of::<Head>()
            + self.name_ids.capacity() * 4
            + (self.reserved.capacity() + self.committed.capacity()) * 8
            + self.deltas.capacity() * std::mem::size_of::<(u32, Option<i64>, Option<i64>)>()
    }
}

impl<'a> TableSnapshot<'a> {
    fn head(&self) -> &'a Head {
        &self.table.heads[self.index]
    }

    pub fn source(&self) -> &'a Arc<str> {
        &self.head().source
    }

    pub fn line(&self) -> u64 {
        self.head().line
    }

    pub fn timestamp(&self) -> Option<DateTime<FixedOffset>> {
        self.head().timestamp
    }

    pub fn pid(&self) -> Option<u32> {
        self.head().identity.pid
    }

    pub fn kind(&self) -> SnapshotKind {
        self.head().kind
    }

    pub fn complete(&self) -> bool {
        self.head().complete
    }

    /// The category rows, in the order the JVM printed them.
    pub fn rows(&self) -> impl Iterator<Item = TableRow<'a>> + 'a {
        let table = self.table;
        let start = self.head().first_row as usize;
        let end = table
            .heads
            .get(self.index + 1)
            .map_or(table.name_ids.len(), |h| h.first_row as usize);
        // Deltas are in row order: find this snapshot's first one.
        let mut delta = table.deltas.partition_point(|d| (d.0 as usize) < start);
        (start..end).map(move |row| {
            let (mut rd, mut cd) = (None, None);
            if let Some(&(at, r, c)) = table.deltas.get(delta) {
                if at as usize == row {
                    (rd, cd) = (r, c);
                    delta += 1;
                }
            }
            TableRow {
                name: &table.names.all[table.name_ids[row] as usize],
                reserved_bytes: table.reserved[row],
                committed_bytes: table.committed[row],
                reserved_delta_bytes: rd,
                committed_delta_bytes: cd,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column of every row reads back as it was in the snapshots, deltas included, and
    /// the order and JVM changes are the timeline's.
    #[test]
    fn rows_read_back_and_order_is_the_timelines() {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let text = format!(
            "{}{}{}",
            read("samples/nmt/jdk25/concat-date-iso.txt"),
            read("samples/nmt/jdk25/summary-diff.txt"),
            read("samples/nmt/two-jvms/snap_00.txt") + &read("samples/nmt/two-jvms/snap_03.txt"),
        );
        let source: Arc<str> = Arc::from("t");
        let mut snapshots = crate::nmt::parse_str(&source, &text).snapshots;
        assert!(snapshots.len() >= 7, "{}", snapshots.len());
        // Out of time order, so the table must reorder.
        snapshots.swap(0, 3);
        let mut table = SnapshotTable::default();
        table.extend(snapshots.iter().cloned());
        assert_eq!(table.len(), snapshots.len());
        let mut timeline = crate::model::Timeline {
            snapshots: snapshots.clone().into(),
            ..Default::default()
        };
        timeline.sort_snapshots();
        let order = table.time_order();
        assert_ne!(order, (0..snapshots.len()).collect::<Vec<_>>());
        let mut deltas = 0;
        for (s, &i) in timeline.snapshots.iter().zip(&order) {
            let t = table.get(i).unwrap();
            assert_eq!(
                (t.source(), t.line(), t.timestamp()),
                (s.source, s.line, s.timestamp)
            );
            assert_eq!(
                (t.pid(), t.kind(), t.complete()),
                (s.pid, s.kind, s.complete)
            );
            let rows: Vec<TableRow<'_>> = t.rows().collect();
            assert_eq!(rows.len(), s.category_count());
            for (r, c) in rows.iter().zip(s.categories()) {
                assert_eq!(r.name, c.name);
                assert_eq!(r.reserved_bytes, c.usage.reserved_bytes);
                assert_eq!(r.committed_bytes, c.usage.committed_bytes);
                assert_eq!(r.reserved_delta_bytes, c.usage.reserved_delta_bytes);
                assert_eq!(r.committed_delta_bytes, c.usage.committed_delta_bytes);
                deltas += usize::from(r.committed_delta_bytes.is_some());
            }
        }
        assert!(deltas > 5, "{deltas}");
        assert_eq!(
            table.jvm_change_diagnostics(&order),
            timeline.jvm_change_diagnostics()
        );
        assert!(!timeline.jvm_change_diagnostics().is_empty());
    }
}
