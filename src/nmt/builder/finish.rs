//! The end of one snapshot: the checks that it was read whole (categories that add up to the
//! Total, a last category with its sub-lines), its kind, and the zero deltas a `.diff` leaves
//! out.

use crate::model::{Scale, Snapshot, SnapshotKind, Usage};

use super::super::scan::Context;
use super::SnapshotBuilder;

impl SnapshotBuilder<'_> {
    /// The snapshot, or `None` (with a diagnostic) when nothing usable was read.
    pub fn finish(mut self, ctx: &mut Context) -> Option<Snapshot> {
        self.close_category();
        if self.total.is_none() && self.categories.is_empty() {
            ctx.error(
                self.line,
                "`Native Memory Tracking:` header with no Total or categories after it \
                 (truncated paste?)",
            );
            return None;
        }
        let scale = self.scale();
        let is_diff = self.has_delta;
        let mut complete = true;
        if let Some(message) = super::super::plausible::dedup(&mut self.categories) {
            ctx.diagnostics.push(crate::model::Diagnostic::warning(
                &ctx.source,
                self.line,
                format!("snapshot at line {}: {message}", self.line),
            ));
        }
        let category_sum = |f: fn(&Usage) -> u64| -> u64 {
            // Saturating: hostile input can carry amounts near u64::MAX.
            self.categories
                .iter()
                .fold(0u64, |sum, c| sum.saturating_add(f(&c.usage)))
        };
        // Every category prints at least one sub-line (malloc, mmap, arena…) at KB and byte
        // scales — true of every real sample, JDK 8–25; at MB/GB a sub-line that rounds to 0 is
        // left out. A last category with none was cut off after its header.
        let cut_after_header = self.sub_lines == 0
            && matches!(scale, Scale::Bytes | Scale::Kb)
            && self.categories.last().is_some();
        if cut_after_header {
            complete = false;
            let name = self.categories.last().map_or("", |c| &*c.name);
            ctx.diagnostics.push(crate::model::Diagnostic::warning(
                &ctx.source,
                self.last_line,
                format!(
                    "snapshot at line {}: the last category ({name}) ends before its sub-lines; \
                     the snapshot looks cut",
                    self.line
                ),
            ));
        }
        let total = match self.total {
            Some(total) => {
                let sum = category_sum(|u| u.committed_bytes);
                // NMT rounds the Total and each category to the scale separately (half a unit
                // each at most) and omits categories that round to 0 (under half a unit each;
                // allow 8 of them). Measured on every real sample (JDK 8–25, all scales): at most
                // 3 units apart (KB, 17 categories), 1 unit (MB), exactly 0 in bytes. A cut
                // that loses 1 MiB of small categories at KB scale is now caught; the earlier
                // allowance (one unit per category + 8) let ~30 KiB go.
                let half_units = self.categories.len() as u64 + 1 + 8;
                let tolerance = half_units.div_ceil(2) * scale.bytes();
                if sum.abs_diff(total.committed_bytes) > tolerance {
                    complete = false;
                    ctx.diagnostics.push(crate::model::Diagnostic::warning(
                        &ctx.source,
                        self.last_line,
                        format!(
                            "snapshot at line {}: categories add up to {sum} bytes committed \
                             but Total says {} ({} apart); the snapshot looks truncated or edited",
                            self.line,
                            total.committed_bytes,
                            crate::model::units::format_bytes(sum.abs_diff(total.committed_bytes))
                        ),
                    ));
                }
                total
            }
            None => {
                complete = false;
                ctx.diagnostics.push(crate::model::Diagnostic::warning(
                    &ctx.source,
                    self.line,
                    "snapshot has no Total line (truncated at the start?); Total is the sum \
                     of the categories read",
                ));
                Usage {
                    reserved_bytes: category_sum(|u| u.reserved_bytes),
                    committed_bytes: category_sum(|u| u.committed_bytes),
                    ..Usage::default()
                }
            }
        };
        // `-XX:+PrintNMTStatistics` has no jcmd `<pid>:` header; on JDK 17+ it is also the
        // only output in bytes (jcmd's smallest scale is KB). Without a header we cannot tell
        // older exit output from a jcmd paste that lost its first line, so both are required.
        let exit_statistics = !is_diff && self.pid.is_none() && scale == Scale::Bytes;
        let kind = match (self.is_detail, is_diff) {
            _ if exit_statistics => SnapshotKind::ExitStatistics,
            (true, true) => SnapshotKind::DetailDiff,
            (true, false) => SnapshotKind::Detail,
            (false, true) => SnapshotKind::SummaryDiff,
            (false, false) => SnapshotKind::Summary,
        };
        let mut snapshot = Snapshot {
            source: std::sync::Arc::clone(&ctx.source),
            line: self.line,
            timestamp: self.timestamp,
            pid: self.pid,
            jvm_version: None,
            kind,
            scale,
            total,
            categories: self.categories,
            complete,
        };
        if is_diff {
            fill_zero_deltas(&mut snapshot);
        }
        ctx.diagnostics
            .extend(super::super::plausible::check(&snapshot));
        Some(snapshot)
    }
}

/// In `.diff` output the JVM omits a delta when it is zero; the model says 0 explicitly.
fn fill_zero_deltas(snapshot: &mut Snapshot) {
    let usages = std::iter::once(&mut snapshot.total)
        .chain(snapshot.categories.iter_mut().map(|c| &mut c.usage));
    for usage in usages {
        usage.reserved_delta_bytes.get_or_insert(0);
        usage.committed_delta_bytes.get_or_insert(0);
    }
}
