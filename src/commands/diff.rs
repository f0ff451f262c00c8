//! `jvmem diff OLD [NEW] [--format text|json]`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use jvmem::analysis::diff::{diff, jcmd_baseline};
use jvmem::model::{Snapshot, Timeline};
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
    let old_timeline = jvmem::input::load(&[old_path.to_string()]);
    let new_timeline = if new_path == old_path {
        None
    } else {
        Some(jvmem::input::load(&[new_path.to_string()]))
    };
    super::print_diagnostics(&old_timeline.diagnostics);
    if let Some(t) = &new_timeline {
        super::print_diagnostics(&t.diagnostics);
    }
    let new_snapshots = &new_timeline.as_ref().unwrap_or(&old_timeline).snapshots;
    let drills = drill_diffs(
        &old_timeline,
        new_timeline.as_ref().unwrap_or(&old_timeline),
        old_pick,
        new_pick,
    );
    if old_timeline.snapshots.is_empty() && new_snapshots.is_empty() && !drills.is_empty() {
        print_drill_diffs(&drills, format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(a), Some(b)) = (
        select(&old_timeline.snapshots, old_pick),
        select(new_snapshots, new_pick),
    ) else {
        for (path, snapshots, pick) in [
            (old_path, &old_timeline.snapshots, old_pick),
            (new_path, new_snapshots, new_pick),
        ] {
            if select(snapshots, pick).is_none() {
                eprintln!(
                    "jvmem: {}: has {} snapshot(s); cannot take {}",
                    printable(path),
                    snapshots.len(),
                    describe(pick)
                );
            }
        }
        return Ok(ExitCode::from(super::NOTHING_READ));
    };
    // One `summary.diff` (or `detail.diff`) alone: jcmd already compared it with its baseline.
    let baseline = (new.is_none() && std::ptr::eq(a, b))
        .then(|| jcmd_baseline(b))
        .flatten();
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
    if new.is_none() && std::ptr::eq(a, b) {
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
    let d = diff(a, b);
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
        snapshots: vec![a.clone(), b.clone()],
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
    let (_tx, rx) = std::sync::mpsc::channel();
    crate::tui::run(app, rx)?;
    Ok(ExitCode::SUCCESS)
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
