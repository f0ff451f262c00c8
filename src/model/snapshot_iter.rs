//! Reading a [`Snapshots`] store like a `Vec<Snapshot>`: [`SnapshotRange`] (a slice of it),
//! [`Iter`], and the conversions and comparisons with parsed snapshots.

use super::Snapshot;
use super::snapshot_ref::SnapshotRef;
use super::snapshot_store::Snapshots;

/// Consecutive snapshots of a store (what a slice of a `Vec<Snapshot>` was).
#[derive(Clone, Copy)]
pub struct SnapshotRange<'a> {
    pub(super) store: &'a Snapshots,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl<'a> SnapshotRange<'a> {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The `index`-th snapshot of the range.
    pub fn get(&self, index: usize) -> Option<SnapshotRef<'a>> {
        (index < self.len())
            .then(|| self.store.get(self.start + index))
            .flatten()
    }

    pub fn first(&self) -> Option<SnapshotRef<'a>> {
        self.get(0)
    }

    pub fn last(&self) -> Option<SnapshotRef<'a>> {
        self.get(self.len().checked_sub(1)?)
    }

    pub fn iter(&self) -> Iter<'a> {
        Iter {
            store: self.store,
            at: self.start,
            end: self.end,
        }
    }

    /// The first `len` snapshots of the range.
    pub fn take(&self, len: usize) -> SnapshotRange<'a> {
        SnapshotRange {
            end: self.start + len.min(self.len()),
            ..*self
        }
    }
}

impl<'a> IntoIterator for SnapshotRange<'a> {
    type Item = SnapshotRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Iterator over [`Snapshots`].
#[derive(Clone)]
pub struct Iter<'a> {
    pub(super) store: &'a Snapshots,
    pub(super) at: usize,
    pub(super) end: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = SnapshotRef<'a>;

    fn next(&mut self) -> Option<SnapshotRef<'a>> {
        if self.at >= self.end {
            return None;
        }
        self.at += 1;
        self.store.get(self.at - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.at;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<SnapshotRef<'a>> {
        self.at = self.at.saturating_add(n).min(self.end);
        self.next()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.at >= self.end {
            return None;
        }
        self.end -= 1;
        self.store.get(self.end)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Snapshots {
    type Item = SnapshotRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Extend<Snapshot> for Snapshots {
    fn extend<I: IntoIterator<Item = Snapshot>>(&mut self, iter: I) {
        for s in iter {
            self.push_ref(&s);
        }
    }
}

impl FromIterator<Snapshot> for Snapshots {
    fn from_iter<I: IntoIterator<Item = Snapshot>>(iter: I) -> Self {
        let mut out = Snapshots::default();
        out.extend(iter);
        out
    }
}

impl From<Vec<Snapshot>> for Snapshots {
    fn from(snapshots: Vec<Snapshot>) -> Self {
        snapshots.into_iter().collect()
    }
}

impl PartialEq for Snapshots {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other)
                .all(|(a, b)| a.to_snapshot() == b.to_snapshot())
    }
}

/// Compares the decoded snapshots (tests compare a timeline with what a parser gave).
impl PartialEq<[Snapshot]> for Snapshots {
    fn eq(&self, other: &[Snapshot]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.to_snapshot() == *b)
    }
}

impl PartialEq<Vec<Snapshot>> for Snapshots {
    fn eq(&self, other: &Vec<Snapshot>) -> bool {
        *self == **other
    }
}

impl std::fmt::Debug for Snapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|s| s.to_snapshot()))
            .finish()
    }
}
