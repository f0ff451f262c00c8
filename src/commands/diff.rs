//! `jvmem diff OLD [NEW] [--format text|json]`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use jvmem::analysis::diff::{diff, jcmd_baseline};
use jvmem::model::{Snapshot, SnapshotTable, Timeline, Update};
use jvmem::report;
use jvmem::report::sanitize::printable;

use crate::cli::DiffFormat;
use crate::tui::{App, Mode, View};

/// Which snapshot of a file a diff side names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    First,
    Last,
    /// 1-based.
    Nth(usize),
}

/// Splits `FILE@N` / `FILE@last` / `FILE@first`; a plain path gets `default`.
/// A path that itself contains `@` works as long as what follows it is not one of these.
pub fn parse_spec(spec: &str, default: Pick) -> (&str, Pick) {
    if let Some((path, suffix)) = spec.rsplit_once('@') {
        let pick = match suffix {
            "first" => Some(Pick::First),
            "last" => Some(Pick::Last),
            n => n.parse::<usize>().ok().map(Pick::Nth),
        };
        if let Some(pick) = pick {
            return (path, pick);
        }
    }
    (spec, default)
}

fn select<T>(items: &[T], pick: Pick) -> Option<&T> {
    match pick {
        Pick::First => items.first(),
        Pick::Last => items.last(),
        Pick::Nth(n) => n.checked_sub(1).and_then(|i| items.get(i)),
    }
}

/// Drill-down diffs (class histograms, thread dumps…): for each kind both sides hold, the
/// picked capture of that kind on each side (`@N` counts the captures of that kind).
fn drill_diffs<'a>(
    old: &'a Timeline,
    new: &'a Timeline,
    old_pick: Pick,
    new_pick: Pick,
) -> Vec<jvmem::analysis::drill_diff::DrillDiff<'a>> {
    jvmem::model::DrillKind::ALL
        .iter()
        .filter_map(|kind| {
            let of = |t: &'a Timeline| -> Vec<&'a jvmem::model::DrillCapture> {
                t.drills.iter().filter(|d| d.kind == *kind).collect()
            };
            let (a, b) = (of(old), of(new));
            let (a, b) = (select(&a, old_pick)?, select(&b, new_pick)?);
            if std::ptr::eq(*a, *b) {
                return None;
            }
            jvmem::analysis::drill_diff::diff_captures(a, b)
        })
        .collect()
}

/// `diff` of inputs that hold drill-down captures but no NMT snapshot.
fn print_drill_diffs(
    diffs: &[jvmem::analysis::drill_diff::DrillDiff<'_>],
    format: Option<DiffFormat>,
) -> Result<()> {
    match format.unwrap_or(DiffFormat::Text) {
        DiffFormat::Text => {
            let mut out = std::io::stdout().lock();
            for d in diffs {
                write!(out, "{}", report::drill_diff_text::render(d))?;
            }
        }
        DiffFormat::Json => report::json::write_pretty(std::io::stdout().lock(), &diffs)?,
    }
    Ok(())
}

/// Prints the diff (`--format`, or text on a pipe), or opens the Compare view on a terminal.
pub fn run(old: &str, new: Option<&str>, format: Option<DiffFormat>) -> Result<ExitCode> {
    let (old_path, old_pick) = parse_spec(old, Pick::First);
    let (new_path, new_pick) = match new {
        Some(new) => parse_spec(new, Pick::Last),
        None => (old_path, Pick::Last),
    };
    if old_pick == Pick::Nth(0) || new_pick == Pick::Nth(0) {
        eprintln!("jvmem: snapshot numbers start at 1 (FILE@1 is the first)");
        return Ok(ExitCode::from(super::USAGE));
    }
    let same_file = new_path == old_path;
    let old_picks: &[Pick] = if same_file {
        &[old_pick, new_pick]
    } else {
        &[old_pick]
    };
    let old_side = Side::load(old_path, old_picks);
    let new_side = (!same_file).then(|| Side::load(new_path, &[new_pick]));
    super::print_diagnostics(&old_side.rest.diagnostics);
    if let Some(side) = &new_side {
        super::print_diagnostics(&side.rest.diagnostics);
    }
    let new_of = new_side.as_ref().unwrap_or(&old_side);
    let drills = drill_diffs(&old_side.rest, &new_of.rest, old_pick, new_pick);
    if old_side.count == 0 && new_of.count == 0 && !drills.is_empty() {
        print_drill_diffs(&drills, format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (Some((a_index, a)), Some((b_index, b))) =
        (old_side.select(old_pick), new_of.select(new_pick))
    else {
        for (path, side, pick) in [
            (old_path, &old_side, old_pick),
            (new_path, new_of, new_pick),
        ] {
            if side.select(pick).is_none() {
                eprintln!(
                    "jvmem: {}: has {} snapshot(s); cannot take {}",
                    printable(path),
                    side.count,
                    describe(pick)
                );
            }
        }
        return Ok(ExitCode::from(super::NOTHING_READ));
    };
    // The same snapshot of the same file on both sides.
    let one_snapshot = new.is_none() && a_index == b_index;
    // One `summary.diff` (or `detail.diff`) alone: jcmd already compared it with its baseline.
    let baseline = one_snapshot.then(|| jcmd_baseline(b.view())).flatten();
    let a = match &baseline {
        Some(baseline) => {
            eprintln!(
                "jvmem: {old_path}: a {} against jcmd's baseline: old is that baseline \
                 (each amount minus jcmd's delta)",
                b.kind.as_str()
            );
            baseline
        }
        None => a,
    };
    if one_snapshot && baseline.is_none() {
        eprintln!(
            "jvmem: {}: has only one snapshot; give two files or FILE@N FILE@M",
            printable(old_path)
        );
        return Ok(ExitCode::from(super::NOTHING_READ));
    }
    // Two JVMs: the difference is not growth, and the user must know before reading it.
    if let Some(change) = b.identity().change_from(&a.identity()) {
        eprintln!(
            "jvmem: warning: the two snapshots come from different JVMs ({change}); \
             the difference is not growth of one process"
        );
    }
    let interactive = format.is_none() && std::io::stdout().is_terminal();
    if interactive {
        return open_compare(a, b, old_path, new_path);
    }
    let d = diff(a.view(), b.view());
    match format.unwrap_or(DiffFormat::Text) {
        DiffFormat::Text => {
            let mut out = std::io::stdout().lock();
            write!(out, "{}", printable(&report::diff_text::render(&d)))?;
            for dd in &drills {
                write!(out, "\n{}", printable(&report::drill_diff_text::render(dd)))?;
            }
            out.flush()?;
        }
        DiffFormat::Json => {
            report::json::write_pretty(std::io::stdout().lock(), &report::json::DiffJson(&d))?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The dashboard on the two snapshots only: A is the baseline, B the cursor.
fn open_compare(a: &Snapshot, b: &Snapshot, old_path: &str, new_path: &str) -> Result<ExitCode> {
    let timeline = Timeline {
        snapshots: vec![a.clone(), b.clone()].into(),
        ..Timeline::default()
    };
    let label = if old_path == new_path {
        old_path.to_string()
    } else {
        format!("{old_path} → {new_path}")
    };
    let app = App::new(timeline, Mode::View)
        .with_compare(0, 1)
        .with_view(View::Compare)
        .with_source_label(label);
    let (tx, rx) = std::sync::mpsc::channel();
    crate::tui::run(app, rx, jvmem::live::Sink::new(tx, None))?;
    Ok(ExitCode::SUCCESS)
}

/// One side of a diff: its input read as it streams by, keeping of its snapshots only those
/// a pick can name — for `first` the first and the earliest timestamped one, for `last` the
/// last and the latest (the timeline's order puts timestamped snapshots in time order among
/// the places they hold, [`jvmem::model::time_order`]) — and every snapshot only for `@N`.
/// The rest of the input (diagnostics, drill-down captures) is kept as [`input::load`] gives it.
///
/// [`input::load`]: jvmem::input::load
struct Side {
    rest: Timeline,
    count: usize,
    /// Snapshots kept, with their index in input order.
    kept: Vec<(usize, Snapshot)>,
    /// Input-order indices in timeline order.
    order: Vec<usize>,
}

impl Side {
    fn load(path: &str, picks: &[Pick]) -> Side {
        let keep_all = picks.iter().any(|p| matches!(p, Pick::Nth(_)));
        let mut table = SnapshotTable::default();
        let mut rest = Timeline::default();
        let mut kept: Vec<(usize, Snapshot)> = Vec::new();
        // Input-order indices of the earliest and latest timestamped snapshot so far.
        let (mut earliest, mut latest): (Option<usize>, Option<usize>) = (None, None);
        let mut times = Vec::new();
        jvmem::input::load_streaming_inputs(&[path.to_string()], &[], &mut |update| {
            let Update::Snapshots(batch) = update else {
                rest.apply(update);
                return true;
            };
            for snapshot in batch {
                let index = table.len();
                table.push(&snapshot);
                times.push(snapshot.timestamp);
                if let Some(t) = snapshot.timestamp {
                    // Stable order: the first of equal earliest, the last of equal latest.
                    if earliest.is_none_or(|e| Some(t) < times[e]) {
                        earliest = Some(index);
                    }
                    if latest.is_none_or(|l| Some(t) >= times[l]) {
                        latest = Some(index);
                    }
                }
                kept.push((index, snapshot));
                if !keep_all {
                    let wanted = [Some(0), earliest, latest, Some(index)];
                    kept.retain(|(i, _)| wanted.contains(&Some(*i)));
                }
            }
            true
        });
        // What `input::load` adds once everything is read.
        let order = table.time_order();
        rest.diagnostics
            .extend(table.jvm_change_diagnostics(&order));
        rest.sort_drills();
        Side {
            rest,
            count: table.len(),
            kept,
            order,
        }
    }

    /// The picked snapshot, with its index in input order.
    fn select(&self, pick: Pick) -> Option<(usize, &Snapshot)> {
        let index = *select(&self.order, pick)?;
        self.kept
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(i, s)| (*i, s))
    }
}

fn describe(pick: Pick) -> String {
    match pick {
        Pick::First => "the first".into(),
        Pick::Last => "the last".into(),
        Pick::Nth(n) => format!("snapshot @{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_snapshot_specs() {
        assert_eq!(parse_spec("a.txt", Pick::First), ("a.txt", Pick::First));
        assert_eq!(parse_spec("a.txt@3", Pick::First), ("a.txt", Pick::Nth(3)));
        assert_eq!(parse_spec("a.txt@last", Pick::First), ("a.txt", Pick::Last));
        assert_eq!(
            parse_spec("me@host/a.txt", Pick::Last),
            ("me@host/a.txt", Pick::Last)
        );
    }
}
