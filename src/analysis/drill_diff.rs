//! Two drill-down captures of the same kind compared row by row (a class, a loader type, a
//! thread group, a call site), matched by name. Exact: every delta is new − old of the printed
//! integers, so the deltas add up to the change of the rows' sums.

use serde::Serialize;

use crate::model::{DrillCapture, DrillKind};

/// One row's change; a row missing on one side counts as 0 there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowDelta {
    pub name: String,
    pub old_bytes: u64,
    pub new_bytes: u64,
    pub delta_bytes: i64,
    pub old_count: u64,
    pub new_count: u64,
    pub delta_count: i64,
}

/// Where a capture was read, for JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaptureRef {
    pub source: String,
    pub line: u64,
    pub timestamp: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub pid: Option<u32>,
}

impl CaptureRef {
    fn of(c: &DrillCapture) -> Self {
        CaptureRef {
            source: c.source.to_string(),
            line: c.line,
            timestamp: c.timestamp,
            pid: c.pid,
        }
    }
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillDiff<'a> {
    pub kind: DrillKind,
    #[serde(skip)]
    pub old: &'a DrillCapture,
    #[serde(skip)]
    pub new: &'a DrillCapture,
    /// Where the two captures come from.
    pub old_capture: CaptureRef,
    pub new_capture: CaptureRef,
    /// Changed rows, largest byte change (by size) first, then largest count change.
    pub rows: Vec<RowDelta>,
    pub delta_bytes: i64,
    pub delta_count: i64,
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Compares two captures; `None` when they are of different kinds.
pub fn diff_captures<'a>(old: &'a DrillCapture, new: &'a DrillCapture) -> Option<DrillDiff<'a>> {
    if old.kind != new.kind {
        return None;
    }
    let old_index: std::collections::HashMap<&str, usize> = old
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (&*r.name, i))
        .collect();
    let new_names: std::collections::HashSet<&str> = new.rows.iter().map(|r| &*r.name).collect();
    let mut rows: Vec<RowDelta> = Vec::new();
    let mut push = |name: &str, o: (u64, u64), n: (u64, u64)| {
        let d = RowDelta {
            name: name.to_string(),
            old_bytes: o.0,
            new_bytes: n.0,
            delta_bytes: signed(n.0) - signed(o.0),
            old_count: o.1,
            new_count: n.1,
            delta_count: signed(n.1) - signed(o.1),
        };
        if d.delta_bytes != 0 || d.delta_count != 0 {
            rows.push(d);
        }
    };
    for r in &new.rows {
        let o = old_index
            .get(&*r.name)
            .and_then(|&i| old.rows.get(i))
            .map_or((0, 0), |o| (o.bytes, o.count));
        push(&r.name, o, (r.bytes, r.count));
    }
    for r in old.rows.iter().filter(|r| !new_names.contains(&*r.name)) {
        push(&r.name, (r.bytes, r.count), (0, 0));
    }
    rows.sort_by(|a, b| {
        b.delta_bytes
            .unsigned_abs()
            .cmp(&a.delta_bytes.unsigned_abs())
            .then(
                b.delta_count
                    .unsigned_abs()
                    .cmp(&a.delta_count.unsigned_abs()),
            )
            .then_with(|| a.name.cmp(&b.name))
    });
    // VM.metaspace's `Both` is the sum of the other two rows: not counted twice.
    let counted = rows
        .iter()
        .filter(|r| !(old.kind == DrillKind::Metaspace && r.name == "Both"));
    let (delta_bytes, delta_count) =
        counted.fold((0, 0), |(b, c), r| (b + r.delta_bytes, c + r.delta_count));
    Some(DrillDiff {
        kind: old.kind,
        old,
        new,
        old_capture: CaptureRef::of(old),
        new_capture: CaptureRef::of(new),
        rows,
        delta_bytes,
        delta_count,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;

    /// A histogram as JDK 17 prints it, from (name index, instances, bytes) rows.
    fn histogram_text(rows: &[(usize, u64, u64)]) -> String {
        let mut text = String::from(
            "4242:\n num     #instances         #bytes  class name (module)\n-------------------------------------------------------\n",
        );
        let (mut instances, mut bytes) = (0, 0);
        for (i, (name, n, b)) in rows.iter().enumerate() {
            text.push_str(&format!(
                "{:>4}: {:>13} {:>14}  app.Class{name}\n",
                i + 1,
                n,
                b
            ));
            instances += n;
            bytes += b;
        }
        text.push_str(&format!("Total {instances:>13} {bytes:>14}\n"));
        text
    }

    fn rows() -> impl Strategy<Value = Vec<(usize, u64, u64)>> {
        // Distinct names: a histogram prints each class once.
        prop::collection::btree_map(0usize..40, (1u64..1_000_000, 16u64..1_000_000_000), 1..30)
            .prop_map(|m| m.into_iter().map(|(k, (n, b))| (k, n, b)).collect())
    }

    proptest! {
        #[test]
        fn histogram_diffs_are_exact(old in rows(), new in rows()) {
            let source: Arc<str> = Arc::from("prop");
            let a = crate::drill::parse_str(&source, &histogram_text(&old));
            let b = crate::drill::parse_str(&source, &histogram_text(&new));
            prop_assert_eq!(a.captures.len(), 1);
            prop_assert_eq!(b.captures.len(), 1);
            let (a, b) = (&a.captures[0], &b.captures[0]);
            let d = diff_captures(a, b).unwrap();
            let total = |rows: &[(usize, u64, u64)]| -> (i64, i64) {
                (rows.iter().map(|r| r.2 as i64).sum(), rows.iter().map(|r| r.1 as i64).sum())
            };
            let (ob, oc) = total(&old);
            let (nb, nc) = total(&new);
            prop_assert_eq!(d.delta_bytes, nb - ob);
            prop_assert_eq!(d.delta_count, nc - oc);
            prop_assert_eq!(a.total_bytes, Some(ob as u64));
            for (name, n, bytes) in &new {
                let was = old.iter().find(|r| r.0 == *name).map_or((0, 0), |r| (r.1, r.2));
                let row = d.rows.iter().find(|r| r.name == format!("app.Class{name}"));
                if was == (*n, *bytes) {
                    prop_assert!(row.is_none());
                } else {
                    let row = row.unwrap();
                    prop_assert_eq!(row.delta_bytes, *bytes as i64 - was.1 as i64);
                    prop_assert_eq!(row.delta_count, *n as i64 - was.0 as i64);
                }
            }
            // A class gone from the newer histogram is a row of its whole loss.
            for (name, n, bytes) in old.iter().filter(|o| !new.iter().any(|r| r.0 == o.0)) {
                let row = d.rows.iter().find(|r| r.name == format!("app.Class{name}")).unwrap();
                prop_assert_eq!((row.delta_bytes, row.delta_count), (-(*bytes as i64), -(*n as i64)));
            }
            // The rows account for the whole change.
            prop_assert_eq!(d.rows.iter().map(|r| r.delta_bytes).sum::<i64>(), d.delta_bytes);
            prop_assert_eq!(d.rows.iter().map(|r| r.delta_count).sum::<i64>(), d.delta_count);
        }
    }
}
