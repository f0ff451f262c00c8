//! The NMT category vocabulary and what each JDK means by it: the one place that knows that
//! direct `ByteBuffer`s are counted under `Internal` on JDK 8 and under `Other` on JDK 9+, that
//! JDK 21+ prints metaspace twice (the `Metaspace` category and the Metadata block under
//! `Class`), and which categories make up the headline figures (heap, metaspace, direct,
//! threads). The dashboard, the reports and the budget all ask here; none of them names a
//! category for a JDK rule of its own.

use super::snapshot::Field;
#[cfg(test)]
use super::snapshot::Snapshot;
use super::snapshot_ref::SnapshotRef;

/// Category names as HotSpot prints them (`memReporter.cpp`), for the rules below.
pub mod names {
    /// The Java heap: `-Xmx` reserved, the committed part of it.
    pub const JAVA_HEAP: &str = "Java Heap";
    /// Class metadata; on JDK 10+ it holds the Metadata and Class space blocks.
    pub const CLASS: &str = "Class";
    /// Metaspace's own category (JDK 21+): the Metadata part again, plus its malloc.
    pub const METASPACE: &str = "Metaspace";
    /// Per-thread structures and (JDK 9+) stacks.
    pub const THREAD: &str = "Thread";
    /// Thread stacks when printed apart (some JDK builds).
    pub const THREAD_STACK: &str = "Thread Stack";
    /// JIT code cache.
    pub const CODE: &str = "Code";
    /// Collector data structures.
    pub const GC: &str = "GC";
    /// G1's remembered-set card sets (JDK 18+).
    pub const GC_CARD_SET: &str = "GCCardSet";
    /// Direct buffers, Unsafe and JNI malloc on JDK 9+.
    pub const OTHER: &str = "Other";
    /// JVM-internal malloc; on JDK 8 also direct buffers.
    pub const INTERNAL: &str = "Internal";
    /// The symbol and string tables.
    pub const SYMBOL: &str = "Symbol";
}

/// Whether a snapshot comes from a JDK 8-like VM: it has none of the categories JDK 9
/// introduced (`Other` alone is not enough: it is omitted when it weighs under 1 KB).
pub fn is_jdk8_like(s: SnapshotRef<'_>) -> bool {
    [
        names::OTHER,
        "Logging",
        "Module",
        names::METASPACE,
        "Arguments",
    ]
    .iter()
    .all(|name| s.amounts(name).is_none())
}

/// The category that counts direct `ByteBuffer`s for this snapshot's JDK: `Internal` on JDK 8,
/// `Other` on JDK 9+.
pub fn direct_category(s: SnapshotRef<'_>) -> &'static str {
    if is_jdk8_like(s) {
        names::INTERNAL
    } else {
        names::OTHER
    }
}

/// Committed direct memory (`ByteBuffer.allocateDirect`, Unsafe, JNI malloc): what
/// `-XX:MaxDirectMemorySize` bounds, as far as NMT shows it.
pub fn direct_committed_bytes(s: SnapshotRef<'_>) -> u64 {
    s.committed(direct_category(s))
}

/// Committed metaspace: what `-XX:MaxMetaspaceSize` bounds. JDK 10+ print the Metadata and
/// Class space blocks under `Class` (their sum is the metaspace; JDK 21+ print the Metadata
/// part again as the `Metaspace` category, which must not be added a second time); JDK 8/9
/// count metaspace in `Class` committed.
pub fn metaspace_committed_bytes(s: SnapshotRef<'_>) -> u64 {
    if let Some(class) = s.category(names::CLASS) {
        let metadata = class.usage.field(Field::MetadataCommittedBytes);
        let class_space = class.usage.field(Field::ClassSpaceCommittedBytes);
        if metadata.is_some() || class_space.is_some() {
            let bytes = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
            return bytes(metadata).saturating_add(bytes(class_space));
        }
    }
    s.committed(names::CLASS)
        .saturating_add(s.committed(names::METASPACE))
}

/// Committed thread memory: `Thread` (and `Thread Stack` where a JDK prints it apart).
pub fn thread_committed_bytes(s: SnapshotRef<'_>) -> u64 {
    s.committed(names::THREAD)
        .saturating_add(s.committed(names::THREAD_STACK))
}

/// Threads alive, from `(threads #N)` / `(thread #N)` under `Thread`.
pub fn thread_count(s: SnapshotRef<'_>) -> Option<i64> {
    s.category(names::THREAD)?.usage.field(Field::ThreadCount)
}

/// Classes loaded, from `(classes #N)` under `Class`.
pub fn class_count(s: SnapshotRef<'_>) -> Option<i64> {
    s.category(names::CLASS)?.usage.field(Field::ClassCount)
}

/// Committed collector structures: `GC` plus `GCCardSet` (JDK 18+ split G1's card sets out).
pub fn gc_committed_bytes(s: SnapshotRef<'_>) -> u64 {
    s.committed(names::GC)
        .saturating_add(s.committed(names::GC_CARD_SET))
}

/// The headline figures every view and report leads with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Headline {
    /// `Java Heap` committed.
    Heap,
    /// Metaspace committed ([`metaspace_committed_bytes`]).
    Metaspace,
    /// Direct buffers ([`direct_committed_bytes`]).
    Direct,
    /// Thread structures and stacks ([`thread_committed_bytes`]).
    Threads,
    /// NMT's `Total` committed.
    Total,
}

impl Headline {
    /// Every headline, in the order they are shown.
    pub const ALL: [Headline; 5] = [
        Headline::Heap,
        Headline::Metaspace,
        Headline::Direct,
        Headline::Threads,
        Headline::Total,
    ];

    /// The short label people read.
    pub fn label(self) -> &'static str {
        match self {
            Headline::Heap => "Heap",
            Headline::Metaspace => "Metaspace",
            Headline::Direct => "Direct",
            Headline::Threads => "Threads",
            Headline::Total => "Total",
        }
    }

    /// Committed bytes of this headline in one snapshot.
    pub fn committed_bytes(self, s: SnapshotRef<'_>) -> u64 {
        match self {
            Headline::Heap => s.committed(names::JAVA_HEAP),
            Headline::Metaspace => metaspace_committed_bytes(s),
            Headline::Direct => direct_committed_bytes(s),
            Headline::Threads => thread_committed_bytes(s),
            Headline::Total => s.total.committed_bytes,
        }
    }

    /// The NMT categories this headline is made of, for this snapshot's JDK.
    pub fn categories(self, s: SnapshotRef<'_>) -> &'static [&'static str] {
        match self {
            Headline::Heap => &[names::JAVA_HEAP],
            Headline::Metaspace => &[names::CLASS, names::METASPACE],
            Headline::Direct if is_jdk8_like(s) => &[names::INTERNAL],
            Headline::Direct => &[names::OTHER],
            Headline::Threads => &[names::THREAD, names::THREAD_STACK],
            Headline::Total => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_snapshot(rel: &str) -> Snapshot {
        let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
        let t = crate::input::load(&[path]);
        t.snapshots
            .first()
            .expect("a snapshot in the sample")
            .to_snapshot()
    }

    #[test]
    fn jdk8_counts_direct_in_internal_and_metaspace_in_class() {
        let owned = first_snapshot("samples/nmt/jdk8/summary.txt");
        let s = owned.view();
        assert!(is_jdk8_like(s));
        assert_eq!(direct_category(s), "Internal");
        assert!(s.committed("Internal") > 0);
        assert_eq!(Headline::Direct.committed_bytes(s), s.committed("Internal"));
        assert_eq!(Headline::Metaspace.committed_bytes(s), s.committed("Class"));
        assert_eq!(thread_count(s), Some(38));
    }

    #[test]
    fn jdk21_counts_metaspace_once() {
        let owned = first_snapshot("samples/nmt/jdk21.0.8/summary.txt");
        let s = owned.view();
        assert!(!is_jdk8_like(s));
        assert_eq!(direct_category(s), "Other");
        // Metadata 5952 KB (also the `Metaspace` category's mmap) + class space 704 KB; the
        // 178 KB + 38 KB malloc of the two categories is not metaspace.
        assert_eq!(Headline::Metaspace.committed_bytes(s), (5952 + 704) << 10);
        assert_eq!(class_count(s), Some(965));
    }

    #[test]
    fn jdk25_counts_metaspace_once() {
        let owned = first_snapshot("samples/nmt/jdk25/summary.txt");
        let s = owned.view();
        assert_eq!(Headline::Metaspace.committed_bytes(s), (6272 + 704) << 10);
        assert_eq!(Headline::Direct.committed_bytes(s), s.committed("Other"));
        assert_eq!(thread_count(s), Some(19));
    }
}
