//! Shares one `Arc<str>` per distinct event name or cause, so a million events cost a handful of
//! strings. The table is capped: past the cap, strings are allocated per event (still correct).

use std::collections::HashMap;
use std::sync::Arc;

use super::fasthash::FastBuild;

const MAX_ENTRIES: usize = 4096;

/// Byte string → shared string.
#[derive(Debug, Default)]
pub struct Interner {
    table: HashMap<Box<[u8]>, Arc<str>, FastBuild>,
}

impl Interner {
    /// The shared string for `bytes` (lossy UTF-8).
    pub fn get(&mut self, bytes: &[u8]) -> Arc<str> {
        if let Some(s) = self.table.get(bytes) {
            return Arc::clone(s);
        }
        let s: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
        if self.table.len() < MAX_ENTRIES {
            self.table.insert(bytes.into(), Arc::clone(&s));
        }
        s
    }
}
