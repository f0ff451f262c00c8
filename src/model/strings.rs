//! Names kept once each, by a small id: the NMT category names of a timeline's snapshots
//! ([`Snapshots`](super::Snapshots)) and of `export --format csv`'s table
//! ([`SnapshotTable`](super::SnapshotTable)). Ids stop below `u32::MAX`, which the store
//! uses for "no string".

use std::sync::Arc;

use rustc_hash::FxHashMap;

/// Strings kept once each, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Strings {
    pub all: Vec<Arc<str>>,
    ids: FxHashMap<Arc<str>, u32>,
    /// The name and id last seen at each category place (see [`Strings::id_at`]).
    by_place: Vec<(Arc<str>, u32)>,
}

impl Strings {
    pub fn id(&mut self, s: &Arc<str>) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.all.len()).unwrap_or(u32::MAX - 1);
        self.all.push(Arc::clone(s));
        self.ids.insert(Arc::clone(s), id);
        id
    }

    /// The id of the name of a snapshot's `i`-th category: the parser shares one `Arc` per
    /// name and prints categories in the same order each snapshot, so the id the `i`-th
    /// category had last time is checked by pointer first (hashing each name was a sixth of
    /// storing a snapshot). The place keeps a clone of the `Arc` it saw, so that allocation
    /// cannot be freed and reused for another name while it is checked against.
    pub fn id_at(&mut self, i: usize, s: &Arc<str>) -> u32 {
        if let Some((last, id)) = self.by_place.get(i)
            && Arc::ptr_eq(last, s)
        {
            return *id;
        }
        let id = self.id(s);
        let entry = (Arc::clone(s), id);
        if let Some(slot) = self.by_place.get_mut(i) {
            *slot = entry;
        } else if self.by_place.len() == i {
            self.by_place.push(entry);
        }
        id
    }

    pub fn find(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    pub fn heap_bytes(&self) -> usize {
        let text: usize = self.all.iter().map(|s| s.len() + 16).sum();
        text + self.all.capacity() * 16 + self.ids.capacity() * 24
    }
}
