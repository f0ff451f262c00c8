//! Plain data shared by every part of jvmem: snapshots, GC events, timelines, diagnostics.
//! No parsing and no rendering lives here.

pub mod categories;
mod diagnostic;
mod drill;
mod gc;
mod gc_columns;
mod gc_log;
mod gc_slice;
mod gc_store;
mod identity;
pub(crate) mod intern;
mod snapshot;
mod snapshot_code;
mod snapshot_iter;
mod snapshot_ref;
mod snapshot_store;
mod snapshot_table;
mod strings;
mod timeline;
pub mod units;
mod update;

pub use categories::Headline;
pub use diagnostic::{Diagnostic, Severity};
pub use drill::{DrillCapture, DrillKind, DrillRow};
pub use gc::{Collector, GcEvent, GcKind};
pub use gc_log::{GcLogFormat, GcLogInfo};
pub use gc_slice::{GcSlice, Iter as GcIter};
pub use gc_store::{GcEvents, GcSize};
pub use identity::{JvmIdentity, JvmRun};
pub use snapshot::{
    Category, ExtraLine, Field, FieldUnit, FieldValue, Scale, Snapshot, SnapshotKind, Usage,
};
pub use snapshot_iter::{Iter as SnapshotIter, SnapshotRange};
pub use snapshot_ref::{Categories, CategoryRef, Fields, SnapshotRef, UsageRef};
pub use snapshot_store::{SnapshotHead, Snapshots};
pub use snapshot_table::{SnapshotTable, TableRow, TableSnapshot};
pub use timeline::{ProcessSample, Timeline, time_order};
pub use update::Update;
