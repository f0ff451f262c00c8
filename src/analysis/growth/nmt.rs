//! The NMT series of a timeline in one pass over its snapshots: per category and metric a
//! column of values, made when the metric is first printed (earlier snapshots read 0, as NMT
//! omits what is under 1 KB). A pass per category searched every snapshot for the category by
//! name and each field by a scan, 31% of `report` (issue 19); one pass reads each snapshot's
//! bytes once (docs/benchmarks.md, "Compact snapshots").

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{Metric, SeriesTime, snapshot_times};
use crate::model::{Field, Timeline};

/// Every NMT series of a timeline's complete snapshots.
pub(super) struct Columns {
    names: Vec<Arc<str>>,
    metrics: Vec<Metric>,
    /// `values[name * metrics + k]`, `None` when never printed.
    values: Vec<Option<Vec<f64>>>,
    /// Minutes of every complete snapshot, and of those that are not `.diff` (only their
    /// committed amounts go into series: a `.diff` prints deltas beside its sub-fields).
    times: Vec<f64>,
    level_times: Vec<f64>,
    pub time: SeriesTime,
}

impl Columns {
    pub fn of(timeline: &Timeline, metrics: &[Metric], assumed_interval_s: f64) -> Self {
        let store = &timeline.snapshots;
        let names = timeline.category_names();
        let k = metrics.len();
        // Column of each name id of the store (a parsed snapshot's names are looked up).
        let mut column_of_id: Vec<Option<usize>> = vec![None; store.name_count()];
        for (i, name) in names.iter().enumerate() {
            if let Some(slot) = store.name_id(name).and_then(|id| column_of_id.get_mut(id)) {
                *slot = Some(i);
            }
        }
        let index: FxHashMap<&str, usize> =
            names.iter().enumerate().map(|(i, n)| (&**n, i)).collect();
        // The metrics that read each field (by `Field as usize`).
        let by_field: Vec<Vec<usize>> = Field::ALL
            .iter()
            .map(|&f| {
                (0..k)
                    .filter(|&j| metrics.get(j).and_then(|m| m.field()) == Some(f))
                    .collect()
            })
            .collect();
        // The rows, from the heads alone: every column is made at its full length once, its
        // earlier rows 0 (pushing each row's value, or 0, to each column was a loop over every
        // category × metric per snapshot).
        let (mut timestamps, mut is_level) = (Vec::new(), Vec::new());
        for h in store.heads().filter(|h| h.complete) {
            timestamps.push(h.timestamp);
            is_level.push(!h.kind.is_diff());
        }
        let (rows, levels) = (timestamps.len(), is_level.iter().filter(|l| **l).count());
        let mut values: Vec<Option<Vec<f64>>> = vec![None; names.len() * k];
        // The row a slot was last set in: the first value printed in a snapshot counts.
        let mut set_in: Vec<usize> = vec![usize::MAX; names.len() * k];
        let (mut row, mut level_row) = (0, 0);
        for s in store.iter().filter(|s| s.complete) {
            let level = !s.kind.is_diff();
            for c in s.categories() {
                let i = match c.name_id().and_then(|id| column_of_id.get(id).copied()) {
                    Some(Some(i)) => i,
                    Some(None) => continue,
                    None => match index.get(&**c.name) {
                        Some(&i) => i,
                        None => continue,
                    },
                };
                let at = i * k;
                if set_in.get(at) == Some(&row) {
                    continue; // a name printed twice: the first, as `SnapshotRef::category`
                }
                set(
                    &mut values,
                    &mut set_in,
                    at,
                    rows,
                    (row, row),
                    c.usage.committed_bytes as f64,
                );
                if level {
                    for f in c.usage.fields() {
                        let value = f.value as f64;
                        for &j in by_field.get(f.field as usize).into_iter().flatten() {
                            set(
                                &mut values,
                                &mut set_in,
                                at + j,
                                levels,
                                (row, level_row),
                                value,
                            );
                        }
                    }
                }
            }
            row += 1;
            level_row += usize::from(level);
        }
        let (times, time) = snapshot_times(&timestamps, assumed_interval_s);
        let level_times = times
            .iter()
            .zip(&is_level)
            .filter(|(_, l)| **l)
            .map(|(t, _)| *t)
            .collect();
        Columns {
            names,
            metrics: metrics.to_vec(),
            values,
            times,
            level_times,
            time,
        }
    }

    /// Each printed series as points (minutes, value), by category then metric.
    pub fn series(&self) -> impl Iterator<Item = (&Arc<str>, Metric, Vec<(f64, f64)>)> + '_ {
        let k = self.metrics.len();
        self.values
            .iter()
            .enumerate()
            .filter_map(move |(slot, column)| {
                let column = column.as_ref()?;
                let times = if slot % k == 0 {
                    &self.times
                } else {
                    &self.level_times
                };
                let points = times.iter().copied().zip(column.iter().copied()).collect();
                Some((
                    self.names.get(slot / k)?,
                    *self.metrics.get(slot % k)?,
                    points,
                ))
            })
    }
}

/// Sets slot `at` of this snapshot (`row`: its index among all rows, for the once-per-snapshot
/// mark; `at_row`: where its value goes, among all or level rows) unless it is set already;
/// a slot's column is made the first time, `len` rows of 0.
fn set(
    values: &mut [Option<Vec<f64>>],
    set_in: &mut [usize],
    at: usize,
    len: usize,
    (row, at_row): (usize, usize),
    value: f64,
) {
    let (Some(mark), Some(column)) = (set_in.get_mut(at), values.get_mut(at)) else {
        return;
    };
    if *mark == row {
        return;
    }
    *mark = row;
    if let Some(v) = column.get_or_insert_with(|| vec![0.0; len]).get_mut(at_row) {
        *v = value;
    }
}
