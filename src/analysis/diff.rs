//! Two snapshots compared category by category, matched by name.

use std::sync::Arc;

use serde::Serialize;

use crate::model::{
    Category, CategoryRef, FieldValue, Snapshot, SnapshotKind, SnapshotRef, Usage, UsageRef,
    units::percent_change,
};

/// What happened to a category between the two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffStatus {
    Changed,
    Unchanged,
    /// Only in the newer snapshot.
    New,
    /// Only in the older snapshot.
    Gone,
}

/// One category's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryDiff {
    pub name: Arc<str>,
    pub status: DiffStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_reserved_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_committed_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_reserved_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_committed_bytes: Option<u64>,
    pub reserved_delta_bytes: i64,
    pub committed_delta_bytes: i64,
}

impl CategoryDiff {
    /// Percent change of committed memory (`None` when new, or when the old value was 0).
    pub fn committed_percent(&self) -> Option<f64> {
        percent_change(
            self.old_committed_bytes?,
            self.new_committed_bytes.unwrap_or(0),
        )
    }
}

/// Two snapshots compared: the Total's change and each category's, largest change first.
#[derive(Debug, Clone)]
pub struct SnapshotDiff<'a> {
    pub old: SnapshotRef<'a>,
    pub new: SnapshotRef<'a>,
    pub reserved_delta_bytes: i64,
    pub committed_delta_bytes: i64,
    /// Sorted by |Δ committed|, then |Δ reserved|, then name.
    pub categories: Vec<CategoryDiff>,
}

fn delta(old: u64, new: u64) -> i64 {
    let d = i128::from(new) - i128::from(old);
    i64::try_from(d).unwrap_or(if d < 0 { i64::MIN } else { i64::MAX })
}

/// Compares `old` with `new`.
pub fn diff<'a>(old: SnapshotRef<'a>, new: SnapshotRef<'a>) -> SnapshotDiff<'a> {
    let mut categories: Vec<CategoryDiff> = Vec::new();
    for o in old.categories() {
        categories.push(compare(Some(o), new.category(o.name)));
    }
    for n in new.categories() {
        if old.category(n.name).is_none() {
            categories.push(compare(None, Some(n)));
        }
    }
    categories.sort_by(|a, b| {
        b.committed_delta_bytes
            .unsigned_abs()
            .cmp(&a.committed_delta_bytes.unsigned_abs())
            .then(
                b.reserved_delta_bytes
                    .unsigned_abs()
                    .cmp(&a.reserved_delta_bytes.unsigned_abs()),
            )
            .then_with(|| a.name.cmp(&b.name))
    });
    SnapshotDiff {
        old,
        new,
        reserved_delta_bytes: delta(old.total.reserved_bytes, new.total.reserved_bytes),
        committed_delta_bytes: delta(old.total.committed_bytes, new.total.committed_bytes),
        categories,
    }
}

/// The jcmd baseline a `.diff` snapshot was taken against (`jcmd PID VM.native_memory
/// baseline`), rebuilt from the deltas jcmd printed: each amount minus its delta. `None` for
/// a snapshot that is not a `.diff`. A category that was empty at the baseline (all of it is
/// delta) is left out, so the diff shows it as new. The baseline's time is not printed by
/// jcmd, so it has none.
pub fn jcmd_baseline(snapshot: SnapshotRef<'_>) -> Option<Snapshot> {
    if !snapshot.kind.is_diff() {
        return None;
    }
    let before = |usage: &UsageRef<'_>| {
        let minus = |value: u64, delta: Option<i64>| {
            u64::try_from(i128::from(value) - i128::from(delta.unwrap_or(0))).unwrap_or(0)
        };
        Usage {
            reserved_bytes: minus(usage.reserved_bytes, usage.reserved_delta_bytes),
            committed_bytes: minus(usage.committed_bytes, usage.committed_delta_bytes),
            reserved_delta_bytes: None,
            committed_delta_bytes: None,
            fields: usage
                .fields()
                .map(|f| FieldValue {
                    field: f.field,
                    value: f.value.saturating_sub(f.delta.unwrap_or(0)),
                    delta: None,
                })
                .collect(),
            extras: Vec::new(),
        }
    };
    let categories = snapshot
        .categories()
        .map(|c| Category {
            name: Arc::clone(c.name),
            usage: before(&c.usage),
        })
        .filter(|c| c.usage.reserved_bytes != 0 || c.usage.committed_bytes != 0)
        .collect();
    let kind = match snapshot.kind {
        SnapshotKind::DetailDiff => SnapshotKind::Detail,
        _ => SnapshotKind::Summary,
    };
    Some(Snapshot {
        kind,
        timestamp: None,
        total: before(&snapshot.total),
        categories,
        ..snapshot.to_snapshot()
    })
}

fn compare(old: Option<CategoryRef<'_>>, new: Option<CategoryRef<'_>>) -> CategoryDiff {
    let amounts =
        |c: Option<CategoryRef<'_>>| c.map(|c| (c.usage.reserved_bytes, c.usage.committed_bytes));
    let (o, n) = (amounts(old), amounts(new));
    let (or, oc) = o.unwrap_or((0, 0));
    let (nr, nc) = n.unwrap_or((0, 0));
    let status = match (o, n) {
        (None, _) => DiffStatus::New,
        (_, None) => DiffStatus::Gone,
        _ if or == nr && oc == nc => DiffStatus::Unchanged,
        _ => DiffStatus::Changed,
    };
    let name = old
        .or(new)
        .map(|c| Arc::clone(c.name))
        .unwrap_or_else(|| Arc::from(""));
    CategoryDiff {
        name,
        status,
        old_reserved_bytes: o.map(|x| x.0),
        old_committed_bytes: o.map(|x| x.1),
        new_reserved_bytes: n.map(|x| x.0),
        new_committed_bytes: n.map(|x| x.1),
        reserved_delta_bytes: delta(or, nr),
        committed_delta_bytes: delta(oc, nc),
    }
}
