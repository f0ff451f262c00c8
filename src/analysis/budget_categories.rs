//! TEMPORARY stand-in for `model::categories` (the lead lands it on main by ~21:05 UTC): the
//! same functions, so switching is one `use` line. Delete when merged.

use crate::model::{Field, Snapshot};

pub mod names {
    pub const JAVA_HEAP: &str = "Java Heap";
    pub const CLASS: &str = "Class";
    pub const METASPACE: &str = "Metaspace";
    pub const THREAD: &str = "Thread";
    pub const THREAD_STACK: &str = "Thread Stack";
    pub const CODE: &str = "Code";
    pub const GC: &str = "GC";
    pub const GC_CARD_SET: &str = "GCCardSet";
    pub const OTHER: &str = "Other";
    pub const INTERNAL: &str = "Internal";
}

pub fn is_jdk8_like(s: &Snapshot) -> bool {
    [
        names::OTHER,
        "Logging",
        "Module",
        names::METASPACE,
        "Arguments",
    ]
    .iter()
    .all(|name| s.category(name).is_none())
}

pub fn direct_category(s: &Snapshot) -> &'static str {
    if is_jdk8_like(s) {
        names::INTERNAL
    } else {
        names::OTHER
    }
}

pub fn metaspace_committed_bytes(s: &Snapshot) -> u64 {
    if let Some(class) = s.category(names::CLASS) {
        let metadata = class.usage.field(Field::MetadataCommittedBytes);
        let class_space = class.usage.field(Field::ClassSpaceCommittedBytes);
        if metadata.is_some() || class_space.is_some() {
            return metadata.unwrap_or(0).max(0) as u64 + class_space.unwrap_or(0).max(0) as u64;
        }
    }
    s.committed(names::CLASS)
        .saturating_add(s.committed(names::METASPACE))
}

pub fn thread_committed_bytes(s: &Snapshot) -> u64 {
    s.committed(names::THREAD)
        .saturating_add(s.committed(names::THREAD_STACK))
}

pub fn thread_count(s: &Snapshot) -> Option<i64> {
    s.category(names::THREAD)?.usage.field(Field::ThreadCount)
}

pub fn gc_committed_bytes(s: &Snapshot) -> u64 {
    s.committed(names::GC)
        .saturating_add(s.committed(names::GC_CARD_SET))
}
