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
        let names = timeline.category_names();
        let index: FxHashMap<&str, usize> =
            names.iter().enumerate().map(|(i, n)| (&**n, i)).collect();
        let fields: Vec<Option<Field>> = metrics.iter().map(|m| m.field()).collect();
        let k = metrics.len();
        let mut values: Vec<Option<Vec<f64>>> = vec![None; names.len() * k];
        let (mut timestamps, mut is_level) = (Vec::new(), Vec::new());
        let mut levels = 0;
        let mut row = vec![None; names.len() * k];
        for s in timeline.snapshots.iter().filter(|s| s.complete) {
            let level = !s.kind.is_diff();
            row.fill(None);
            for c in s.categories() {
                let Some(&i) = index.get(&**c.name) else {
                    continue;
                };
                let at = i * k;
                if row[at].is_some() {
                    continue; // a name printed twice: the first, as `SnapshotRef::category`
                }
                row[at] = Some(c.usage.committed_bytes as f64);
                if level {
                    for f in c.usage.fields() {
                        for (j, _) in fields
                            .iter()
                            .enumerate()
                            .filter(|(_, x)| **x == Some(f.field))
                        {
                            row[at + j].get_or_insert(f.value as f64);
                        }
                    }
                }
            }
            let all = timestamps.len();
            for (slot, (column, value)) in values.iter_mut().zip(&row).enumerate() {
                let committed = slot % k == 0;
                if !committed && !level {
                    continue;
                }
                let len = if committed { all } else { levels };
                match (column.as_mut(), value) {
                    (Some(c), v) => c.push(v.unwrap_or(0.0)),
                    (None, Some(v)) => {
                        let mut c = vec![0.0; len];
                        c.push(*v);
                        *column = Some(c);
                    }
                    (None, None) => {}
                }
            }
            timestamps.push(s.timestamp);
            is_level.push(level);
            levels += usize::from(level);
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
