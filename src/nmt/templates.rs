//! How a sub-line of a known shape sets its category's fields, for the full read
//! ([`Keep::All`](super::Keep): `report`, `view`, `diff`, JSON).
//!
//! A sub-line's shape (its text with each digit run as `0`, `shapes.rs`) and the context it is
//! read in fix which fields it sets, in which order, and the context it leaves; its numbers
//! only give the values: each value is one digit run times a unit (the line's own, or the
//! snapshot's scale; a delta's sign is part of the shape), or a constant (`at peak`). So the
//! first line of each shape, context and scale is read in full (tokens, `group::apply`: the one
//! place of those rules); then a *probe* — the same line with its k-th digit run replaced by
//! `k + 2` — is read in full too, and each field it set tells which run and unit give it (a
//! value `p × 1024^j` with `2 ≤ p < 1024` names run `p − 2` and unit `1024^j`). The template is
//! kept only when, applied to the line's own digit runs, it gives exactly what the full read of
//! the line gave (fields, values, deltas, context, delta flag); later lines of the shape only
//! have their digit runs read and the fields set in that order (`Usage::set_field`, as the
//! full read does). Runs are at most 9 digits (`shapes::MAX_DIGITS`), so no product overflows.
//!
//! docs/benchmarks.md ("NMT full read by shape") has the measurements.

use crate::model::{Field, Scale, Usage};

use super::builder::{amounts_into, read_sub_line};
use super::group::{Context as GroupContext, Outcome};
use super::tokens::tokenize_into;

/// Probes name runs as `k + 2` below 1024: lines with more runs are always read in full.
const MAX_RUNS: usize = 1000;

#[cfg(test)]
thread_local! {
    /// Tests read with no template applied, to compare with the fast path.
    static FULL_READ_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Constant(i64),
    /// Digit run `k` of the line times a signed unit.
    Run(u16, i64),
}

impl Source {
    /// The value for a line whose digit runs are `runs` (as many as the template's line had:
    /// each of at most 9 digits, so the product fits; saturating all the same).
    fn value(self, runs: &[u64]) -> i64 {
        match self {
            Source::Constant(c) => c,
            Source::Run(k, unit) => {
                let run = runs
                    .get(usize::from(k))
                    .map_or(0, |&r| i64::try_from(r).unwrap_or(i64::MAX));
                run.saturating_mul(unit)
            }
        }
    }

    /// What a probe's `value` says of its source.
    fn of_probe(value: i64) -> Source {
        let magnitude = value.unsigned_abs();
        for shift in [30, 20, 10, 0] {
            let p = magnitude >> shift;
            if magnitude == p << shift && (2..1024).contains(&p) {
                let sign = if value < 0 { -1 } else { 1 };
                if let Ok(k) = u16::try_from(p - 2) {
                    return Source::Run(k, sign << shift);
                }
            }
        }
        Source::Constant(value)
    }
}

/// One field a line sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Set {
    field: Field,
    value: Source,
    delta: Option<Source>,
}

/// True unless `source` reads a run past the first `n`.
fn below(source: Source, n: usize) -> bool {
    !matches!(source, Source::Run(k, _) if usize::from(k) >= n)
}

/// Where a header's reserved and committed amounts and their deltas come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Amounts {
    reserved: Source,
    committed: Source,
    reserved_delta: Option<Source>,
    committed_delta: Option<Source>,
}

/// What every line of one shape, read in one context and scale, does to its category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Template {
    sets: Box<[Set]>,
    /// The usage's own amounts (all `Constant(0)` and `None` for a sub-line).
    amounts: Amounts,
    /// The number of digit runs in a line of the shape.
    runs: usize,
    /// The group context after the line.
    pub context: GroupContext,
    pub has_delta: bool,
}

impl Template {
    /// Sets the fields of a line whose digit runs are `runs` in `usage`; false (and nothing
    /// set) when their number is not the shape's, which a line of the shape cannot give.
    pub fn apply(&self, runs: &[u64], usage: &mut Usage) -> bool {
        #[cfg(test)]
        if FULL_READ_ONLY.with(std::cell::Cell::get) {
            return false;
        }
        if runs.len() != self.runs {
            return false;
        }
        let a = &self.amounts;
        if a != &NO_AMOUNTS {
            usage.reserved_bytes = a.reserved.value(runs).unsigned_abs();
            usage.committed_bytes = a.committed.value(runs).unsigned_abs();
            usage.reserved_delta_bytes = a.reserved_delta.map(|d| d.value(runs));
            usage.committed_delta_bytes = a.committed_delta.map(|d| d.value(runs));
        }
        for set in &self.sets {
            usage.set_field(
                set.field,
                set.value.value(runs),
                set.delta.map(|d| d.value(runs)),
            );
        }
        true
    }

    /// The template of sub-line `line` read in `context` with `scale`, when the probe
    /// explains the line's own full read exactly (see the module doc).
    pub fn learn(line: &str, context: GroupContext, scale: Scale) -> Option<Template> {
        Template::learn_from(line, |l| read_alone(l, context, scale))
    }

    /// The template of the amounts of a category header (`inner`: its text in the
    /// parentheses), read with `scale`.
    pub fn learn_header(inner: &str, scale: Scale) -> Option<Template> {
        Template::learn_from(inner, |l| header_alone(l, scale))
    }

    fn learn_from(
        line: &str,
        read: impl Fn(&str) -> Option<(Usage, GroupContext, bool)>,
    ) -> Option<Template> {
        let mut runs = Vec::new();
        let probe = probe_of(line, &mut runs)?;
        let (probe_usage, probe_after, probe_delta) = read(&probe)?;
        let (usage, after, has_delta) = read(line)?;
        let amounts = Amounts {
            reserved: Source::of_probe(clamp(probe_usage.reserved_bytes)),
            committed: Source::of_probe(clamp(probe_usage.committed_bytes)),
            reserved_delta: probe_usage.reserved_delta_bytes.map(Source::of_probe),
            committed_delta: probe_usage.committed_delta_bytes.map(Source::of_probe),
        };
        let sets: Box<[Set]> = probe_usage
            .fields
            .iter()
            .map(|f| Set {
                field: f.field,
                value: Source::of_probe(f.value),
                delta: f.delta.map(Source::of_probe),
            })
            .collect();
        let n = runs.len();
        let own = [
            (amounts.reserved, amounts.reserved_delta),
            (amounts.committed, amounts.committed_delta),
        ];
        let mut sources = sets.iter().map(|s| (s.value, s.delta)).chain(own);
        if sources.any(|(value, delta)| !below(value, n) || delta.is_some_and(|d| !below(d, n))) {
            return None;
        }
        let template = Template {
            sets,
            amounts,
            runs: runs.len(),
            context: probe_after,
            has_delta: probe_delta,
        };
        let mut replayed = Usage::default();
        let same = template.apply(&runs, &mut replayed)
            && replayed == usage
            && after == probe_after
            && has_delta == probe_delta;
        same.then_some(template)
    }
}

/// One line read in full into an empty usage: its fields, the context after it and whether it
/// carried a delta; `None` when anything in it was not understood.
fn read_alone(
    line: &str,
    context: GroupContext,
    scale: Scale,
) -> Option<(Usage, GroupContext, bool)> {
    let mut usage = Usage::default();
    let mut context = context;
    let mut tokens = Vec::new();
    let (understood, has_delta) = read_sub_line(
        line,
        scale,
        &mut usage,
        &mut context,
        &mut tokens,
        |_, _| {},
    );
    (understood && usage.extras.is_empty()).then_some((usage, context, has_delta))
}

/// A header's amounts read in full into an empty usage (tokens, `amounts_into`); `None`
/// unless both amounts were there and everything was understood.
fn header_alone(inner: &str, scale: Scale) -> Option<(Usage, GroupContext, bool)> {
    let mut usage = Usage::default();
    let mut tokens = Vec::new();
    if !tokenize_into(inner, &mut tokens) {
        return None;
    }
    let (seen_both, has_delta, outcome) = amounts_into(&tokens, scale, &mut usage);
    let understood = seen_both && outcome == Outcome::Understood && usage.extras.is_empty();
    understood.then_some((usage, GroupContext::None, has_delta))
}

fn clamp(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

const NO_AMOUNTS: Amounts = Amounts {
    reserved: Source::Constant(0),
    committed: Source::Constant(0),
    reserved_delta: None,
    committed_delta: None,
};

/// `line` with its k-th digit run written as `k + 2`, and the values of its runs; `None` past
/// [`MAX_RUNS`] runs.
fn probe_of(line: &str, runs: &mut Vec<u64>) -> Option<String> {
    let mut probe = String::with_capacity(line.len() + 8);
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let end = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .map_or(bytes.len(), |n| i + n);
            // Digits are ASCII: both cuts are char boundaries.
            probe.push_str(line.get(plain..i)?);
            if runs.len() >= MAX_RUNS {
                return None;
            }
            probe.push_str(&(runs.len() + 2).to_string());
            runs.push(line.get(i..end)?.parse().ok()?);
            i = end;
            plain = end;
        } else {
            i += 1;
        }
    }
    probe.push_str(line.get(plain..)?);
    Some(probe)
}

/// The byte a template's key starts with: the group context and the scale the line is read in.
pub(super) fn key_byte(context: GroupContext, scale: Scale) -> u8 {
    let scale = match scale {
        Scale::Bytes => 0,
        Scale::Kb => 1,
        Scale::Mb => 2,
        Scale::Gb => 3,
    };
    context as u8 | scale << 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(line: &str, context: GroupContext, scale: Scale) -> (Usage, GroupContext, bool) {
        read_alone(line, context, scale).unwrap()
    }

    /// A template learnt from one line gives another line of its shape what the full read
    /// gives, units, deltas and repeated fields included.
    #[test]
    fn template_gives_what_the_full_read_gives() {
        let cases = [
            (
                "(malloc=319KB #4586) (peak=320KB #4587)",
                "(malloc=1KB #0) (peak=999999999KB #7)",
            ),
            ("(malloc=319KB +12KB #4586 +3)", "(malloc=0KB +1KB #5 +99)"),
            ("(malloc=319KB -12KB #4586 -3)", "(malloc=0KB -1KB #5 -99)"),
            (
                "(mmap: reserved=2048KB, committed=1024KB, at peak)",
                "(mmap: reserved=7KB, committed=7KB, at peak)",
            ),
            ("(arena=3 #2)", "(arena=123456789 #1)"),
            ("(classes #12)", "(classes #0)"),
        ];
        for scale in [Scale::Bytes, Scale::Kb, Scale::Mb] {
            for context in [
                GroupContext::None,
                GroupContext::Malloc,
                GroupContext::Metadata,
            ] {
                for (first, second) in cases {
                    let Some(t) = Template::learn(first, context, scale) else {
                        panic!("{first}: no template");
                    };
                    let mut runs = Vec::new();
                    probe_of(second, &mut runs).unwrap();
                    let mut usage = Usage::default();
                    assert!(t.apply(&runs, &mut usage));
                    let (expected, after, delta) = full(second, context, scale);
                    assert_eq!(usage, expected, "{second}");
                    assert_eq!((t.context, t.has_delta), (after, delta), "{second}");
                }
            }
        }
    }

    /// Every real capture reads to the same snapshots and diagnostics with templates as with
    /// the full read of every line.
    #[test]
    fn real_captures_read_the_same_by_template() {
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("samples/nmt")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        for entry in std::fs::read_dir("samples/scenarios").unwrap() {
            let path = entry.unwrap().path().join("nmt.log");
            if path.exists() {
                files.push(path);
            }
        }
        let mut templated = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let source: std::sync::Arc<str> = path.display().to_string().into();
            FULL_READ_ONLY.with(|f| f.set(false));
            let fast = super::super::parse_str(&source, &text);
            FULL_READ_ONLY.with(|f| f.set(true));
            let full = super::super::parse_str(&source, &text);
            FULL_READ_ONLY.with(|f| f.set(false));
            assert_eq!(fast.snapshots, full.snapshots, "{}", path.display());
            assert_eq!(fast.diagnostics, full.diagnostics, "{}", path.display());
            templated += usize::from(fast.snapshots.len() > 1);
        }
        assert!(
            files.len() > 100 && templated > 30,
            "{} {templated}",
            files.len()
        );
    }

    /// Lines not understood have no template; the probe names each run.
    #[test]
    fn no_template_for_what_is_not_understood() {
        assert_eq!(
            Template::learn("(frobs=1KB)", GroupContext::None, Scale::Kb),
            None
        );
        let mut runs = Vec::new();
        assert_eq!(
            probe_of("(a=10KB +0KB #77)", &mut runs).as_deref(),
            Some("(a=2KB +3KB #4)")
        );
        assert_eq!(runs, [10, 0, 77]);
        assert_eq!(Source::of_probe(5 << 20), Source::Run(3, 1 << 20));
        assert_eq!(Source::of_probe(-4), Source::Run(2, -1));
        assert_eq!(Source::of_probe(1), Source::Constant(1));
    }
}
