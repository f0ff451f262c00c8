//! Values a JVM cannot have printed, flagged instead of passed on as data:
//! an amount that overflowed when scaled to bytes, reserved below committed (NMT's committed
//! memory is part of what it reserved; seen after a hand edit of a unit), a waste percentage
//! over 100, and a category printed twice (the second is dropped: two values for one name
//! would reach every consumer, and OpenMetrics would get two samples with one label set).

use crate::model::{Category, Diagnostic, FieldUnit, Snapshot, Usage};

/// Drops a category printed a second time in one snapshot (keeping the first), and says so.
pub(super) fn dedup(categories: &mut Vec<Category>) -> Option<String> {
    let mut seen: Vec<std::sync::Arc<str>> = Vec::with_capacity(categories.len());
    let mut twice: Vec<String> = Vec::new();
    categories.retain(|c| {
        if seen.contains(&c.name) {
            twice.push(c.name.to_string());
            false
        } else {
            seen.push(std::sync::Arc::clone(&c.name));
            true
        }
    });
    (!twice.is_empty()).then(|| {
        format!(
            "category printed twice: {} (the first is kept; a JVM prints each once)",
            twice.join(", ")
        )
    })
}

/// Checks a finished snapshot; returns one warning per kind of problem found.
pub(super) fn check(snapshot: &Snapshot) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let source = std::sync::Arc::clone(&snapshot.source);
    let line = snapshot.line;
    let mut warn = |message: String| {
        warnings.push(Diagnostic::warning(
            &source,
            line,
            format!("snapshot at line {line}: {message}"),
        ))
    };

    let usages = std::iter::once(("Total", &snapshot.total))
        .chain(snapshot.categories.iter().map(|c| (&*c.name, &c.usage)));
    let mut overflowed = Vec::new();
    let mut inverted = Vec::new();
    let mut percent = Vec::new();
    for (name, usage) in usages {
        if saturated(usage) {
            overflowed.push(name.to_string());
        }
        if usage.reserved_bytes < usage.committed_bytes {
            inverted.push(format!(
                "{name} (reserved {} < committed {})",
                usage.reserved_bytes, usage.committed_bytes
            ));
        }
        for f in &usage.fields {
            if f.field.unit() == FieldUnit::CentiPercent && !(0..=10_000).contains(&f.value) {
                percent.push(format!(
                    "{name} {} = {}.{:02}%",
                    f.field.key(),
                    f.value / 100,
                    (f.value % 100).abs()
                ));
            }
        }
    }
    if !overflowed.is_empty() {
        warn(format!(
            "amount too large to be real (over 16 EiB in bytes, capped): {}",
            overflowed.join(", ")
        ));
    }
    if !inverted.is_empty() {
        warn(format!(
            "reserved below committed, which NMT never prints (a unit edited by hand?): {}",
            inverted.join(", ")
        ));
    }
    if !percent.is_empty() {
        warn(format!("percentage over 100: {}", percent.join(", ")));
    }
    warnings
}

/// True when a byte amount hit the ceiling of its type while being scaled.
fn saturated(usage: &Usage) -> bool {
    let delta_capped = |d: Option<i64>| d.is_some_and(|d| d == i64::MAX || d <= i64::MIN + 1);
    usage.reserved_bytes == u64::MAX
        || usage.committed_bytes == u64::MAX
        || delta_capped(usage.reserved_delta_bytes)
        || delta_capped(usage.committed_delta_bytes)
        || usage.fields.iter().any(|f| {
            f.field.unit() == FieldUnit::Bytes && (f.value == i64::MAX || delta_capped(f.delta))
        })
}
