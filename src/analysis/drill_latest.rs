//! The latest drill-down capture behind a category, as evidence for the dashboard's detail view:
//! what is largest in it now, and what changed since the capture before it (same kind, same
//! JVM). This names no culprit — one or two captures are no series, and culprits are judged
//! only from series ([`super::culprits`]) — it shows what a drill just taken found.

use crate::model::{DrillCapture, DrillKind, DrillRow, Timeline};

use super::culprits::kinds_explaining;
use super::drill_diff::{RowDelta, diff_captures};

/// The newest capture of one kind for one category.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestDrill {
    pub kind: DrillKind,
    pub timestamp: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub pid: Option<u32>,
    /// Captures of this kind from this JVM so far (culprits are judged from 5).
    pub captures: usize,
    /// Rows of the category in the capture (a call site's own category for NMT detail).
    pub rows: usize,
    /// The largest rows (by bytes; by count for thread dumps), at most `top`.
    pub largest: Vec<DrillRow>,
    /// The rows that grew most since the previous capture, at most `top`, when there is one.
    pub since_previous: Option<SincePrevious>,
}

/// The change from the capture before the latest.
#[derive(Debug, Clone, PartialEq)]
pub struct SincePrevious {
    /// Minutes between the two captures, when both are dated.
    pub minutes: Option<f64>,
    pub grown: Vec<RowDelta>,
}

/// True when `row` belongs to `category` in a capture of `kind` (call sites carry their own).
fn row_of(kind: DrillKind, row: &DrillRow, category: &str) -> bool {
    kind != DrillKind::NmtDetail || row.category.as_deref() == Some(category)
}

/// The latest capture of each kind that explains `category` (see
/// [`kinds_explaining`]), newest JVM only, with its `top` largest and most grown rows.
pub fn latest_for(timeline: &Timeline, category: &str, top: usize) -> Vec<LatestDrill> {
    let mut out = Vec::new();
    for kind in kinds_explaining(category) {
        let all: Vec<&DrillCapture> = timeline.drills.iter().filter(|c| c.kind == kind).collect();
        let Some(last) = all.last().copied() else {
            continue;
        };
        let same_jvm: Vec<&DrillCapture> = all
            .iter()
            .copied()
            .filter(|c| last.pid.is_none() || c.pid.is_none() || c.pid == last.pid)
            .collect();
        let mut rows: Vec<&DrillRow> = last
            .rows
            .iter()
            .filter(|r| row_of(kind, r, category))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let size = |r: &DrillRow| if kind.has_bytes() { r.bytes } else { r.count };
        rows.sort_by(|a, b| size(b).cmp(&size(a)).then_with(|| a.name.cmp(&b.name)));
        let previous = same_jvm.len().checked_sub(2).map(|i| same_jvm[i]);
        let since_previous = previous.and_then(|p| diff_captures(p, last)).map(|d| {
            let mut grown: Vec<RowDelta> = d
                .rows
                .into_iter()
                .filter(|r| {
                    last.row(&r.name)
                        .or_else(|| previous.and_then(|p| p.row(&r.name)))
                        .is_some_and(|row| row_of(kind, row, category))
                })
                .filter(|r| {
                    if kind.has_bytes() {
                        r.delta_bytes > 0
                    } else {
                        r.delta_count > 0
                    }
                })
                .collect();
            grown.sort_by(|a, b| {
                let by = |r: &RowDelta| {
                    if kind.has_bytes() {
                        r.delta_bytes
                    } else {
                        r.delta_count
                    }
                };
                by(b).cmp(&by(a)).then_with(|| a.name.cmp(&b.name))
            });
            grown.truncate(top);
            SincePrevious {
                minutes: previous.and_then(|p| {
                    Some((last.timestamp? - p.timestamp?).num_seconds() as f64 / 60.0)
                }),
                grown,
            }
        });
        out.push(LatestDrill {
            kind,
            timestamp: last.timestamp,
            pid: last.pid,
            captures: same_jvm.len(),
            rows: rows.len(),
            largest: rows.into_iter().take(top).cloned().collect(),
            since_previous,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn histogram(at: &str, rows: &[(&str, u64, u64)]) -> String {
        let mut text = format!(
            "{at}\n4242:\n num     #instances         #bytes  class name (module)\n-------------------------------------------------------\n"
        );
        let (mut n, mut b) = (0, 0);
        for (i, (name, count, bytes)) in rows.iter().enumerate() {
            text.push_str(&format!("{:>4}: {count:>14} {bytes:>14}  {name}\n", i + 1));
            n += count;
            b += bytes;
        }
        text.push_str(&format!("Total {n:>14} {b:>14}\n"));
        text
    }

    fn timeline(texts: &[String]) -> Timeline {
        let mut t = Timeline::default();
        for text in texts {
            let parsed = crate::drill::parse_str(&Arc::from("h.txt"), text);
            assert_eq!(parsed.captures.len(), 1, "{:?}", parsed.diagnostics);
            t.apply(crate::model::Update::Drills(parsed.captures));
        }
        t
    }

    #[test]
    fn one_capture_shows_the_largest_and_no_change() {
        let t = timeline(&[histogram(
            "2026-12-01T10:00:00+00:00",
            &[
                ("[B", 10, 4000),
                ("[I", 3, 9000),
                ("java.lang.String", 20, 480),
            ],
        )]);
        let latest = latest_for(&t, "Java Heap", 2);
        assert_eq!(latest.len(), 1);
        let l = &latest[0];
        assert_eq!(
            (l.kind, l.pid, l.captures, l.rows),
            (DrillKind::ClassHistogram, Some(4242), 1, 3)
        );
        let names: Vec<&str> = l.largest.iter().map(|r| &*r.name).collect();
        assert_eq!(names, ["[I", "[B"]);
        assert_eq!(l.since_previous, None);
        assert!(latest_for(&t, "Thread", 2).is_empty());
        assert!(latest_for(&t, "Class", 2).is_empty());
    }

    #[test]
    fn two_captures_show_what_grew_between_them() {
        let t = timeline(&[
            histogram(
                "2026-12-01T10:00:00+00:00",
                &[("[I", 3, 9000), ("Foo$Entry", 3, 72)],
            ),
            histogram(
                "2026-12-01T10:05:00+00:00",
                &[("[I", 5, 15000), ("Foo$Entry", 5, 120), ("[B", 1, 16)],
            ),
        ]);
        let l = &latest_for(&t, "Java Heap", 5)[0];
        let since = l.since_previous.as_ref().expect("a previous capture");
        assert_eq!(since.minutes, Some(5.0));
        let grown: Vec<(&str, i64)> = since
            .grown
            .iter()
            .map(|r| (r.name.as_str(), r.delta_bytes))
            .collect();
        assert_eq!(grown, [("[I", 6000), ("Foo$Entry", 48), ("[B", 16)]);
        assert_eq!(l.captures, 2);
    }
}
