//! Shares one `Arc<str>` per distinct name, so a million GC events or 100k NMT snapshots cost a
//! handful of strings: GC event names and causes, NMT category names. One table per parse.
//! The table is capped: past the cap, strings are allocated per use (still correct), so hostile
//! input with ever-new names cannot grow it without bound.

use std::sync::Arc;

use rustc_hash::FxHashMap;

const MAX_ENTRIES: usize = 4096;

/// Byte string → shared string. FxHash, not std's SipHash: the keys are short names looked up
/// once per line, where SipHash cost more than the rest of the line's work, and the cap makes a
/// collision flood harmless.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    table: FxHashMap<Box<[u8]>, Arc<str>>,
}

impl Interner {
    /// The shared string for `bytes` (lossy UTF-8).
    pub fn get(&mut self, bytes: &[u8]) -> Arc<str> {
        self.get_new(bytes).0
    }

    /// The shared string for `name`, and whether this table sees it for the first time (always
    /// true past the cap: callers that report new names once keep their own once-only record).
    pub fn get_str(&mut self, name: &str) -> (Arc<str>, bool) {
        self.get_new(name.as_bytes())
    }

    /// Number of names held.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The shared string held for `name`, without adding it.
    pub fn shared(&self, name: &str) -> Option<&Arc<str>> {
        self.table.get(name.as_bytes())
    }

    /// Adds the names of `other` this table does not hold yet (up to the cap).
    pub fn absorb(&mut self, other: Interner) {
        for (name, shared) in other.table {
            if self.table.len() < MAX_ENTRIES {
                self.table.entry(name).or_insert(shared);
            }
        }
    }

    fn get_new(&mut self, bytes: &[u8]) -> (Arc<str>, bool) {
        if let Some(s) = self.table.get(bytes) {
            return (Arc::clone(s), false);
        }
        let s: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
        if self.table.len() < MAX_ENTRIES {
            self.table.insert(bytes.into(), Arc::clone(&s));
        }
        (s, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_string_per_name_until_the_cap() {
        let mut names = Interner::default();
        let (a, new_a) = names.get_str("Java Heap");
        let (b, new_b) = names.get_str("Java Heap");
        assert!(new_a && !new_b);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(Arc::ptr_eq(&a, &names.get(b"Java Heap")));
        assert_eq!(&*names.get(b"caf\xe9"), "caf\u{fffd}");
        for i in 0..MAX_ENTRIES {
            names.get(format!("n{i}").as_bytes());
        }
        let (x, new_x) = names.get_str("past the cap");
        let (y, new_y) = names.get_str("past the cap");
        assert_eq!((&*x, new_x, new_y), ("past the cap", true, true));
        assert!(!Arc::ptr_eq(&x, &y));
    }
}
