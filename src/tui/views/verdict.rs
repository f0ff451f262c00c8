//! The verdict line under the header: the library's [`Verdict`] of the snapshots up to the
//! cursor — the top contributor to the container's growth with its rate, when the limit is
//! reached, the one thing to do, then the other contributors. Wrapped, never cut: at 80
//! columns it takes up to three rows, and when the whole does not fit in three it drops, in
//! this order, the others' names (their count stays), the limit's note, the `as of #N`.

use jvmem::analysis::verdict::{Outlook, Verdict};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::app::{App, Mode};

/// Minutes to the limit under which the outlook is drawn as an alarm.
const ALARM_MINUTES: f64 = 30.0;

/// Most rows the verdict takes.
const MAX_ROWS: usize = 3;

/// The rows the verdict needs at this width (1 to 3).
pub fn height(app: &App, width: u16) -> u16 {
    super::cells(rows_needed(&spans(app, width), width).min(MAX_ROWS))
}

/// Rows a line of these spans takes when word-wrapped at `width` (as `Wrap { trim: true }`
/// does it: greedy, breaking at spaces, a word longer than a row split across rows).
fn rows_needed(spans: &[Span], width: u16) -> usize {
    let width = usize::from(width.max(1));
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        let needed = if used == 0 { len } else { used + 1 + len };
        if needed <= width {
            used = needed;
        } else {
            rows += 1;
            used = len;
            while used > width {
                rows += 1;
                used -= width;
            }
        }
    }
    rows
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    frame.render_widget(
        Paragraph::new(Line::from(spans(app, area.width))).wrap(Wrap { trim: true }),
        area,
    );
}

/// Which optional parts of the verdict are drawn.
#[derive(Clone, Copy)]
struct Parts {
    /// `as of #N: ` before the verdict: which snapshot is judged (the status bar says `#N/M`
    /// too, so it goes last).
    as_of: bool,
    /// Where an assumed limit comes from, `(limit: demo default, …)`: only the demo has one,
    /// and its first screen shows it; the header's gauge still names the limit.
    limit_note: bool,
    /// The other contributors by name and rate; else only how many (`2 more suspects`).
    others_listed: bool,
}

/// The verdict's forms, longest first: the first that fits in [`MAX_ROWS`] is drawn. Each
/// drops what an SRE misses least, so the suspect, its rate, the time to the first failure,
/// the flag and the hint that more suspects exist are never cut (80 columns, the demo's end:
/// the heap's outlook names two failures and the action two steps).
const FORMS: [Parts; 4] = [
    Parts {
        as_of: true,
        limit_note: true,
        others_listed: true,
    },
    Parts {
        as_of: true,
        limit_note: true,
        others_listed: false,
    },
    Parts {
        as_of: true,
        limit_note: false,
        others_listed: false,
    },
    Parts {
        as_of: false,
        limit_note: false,
        others_listed: false,
    },
];

/// The verdict's spans in the longest form that fits in three rows at `width` (the shortest
/// when none does).
fn spans(app: &App, width: u16) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for parts in FORMS {
        out = all_spans(app, parts);
        if rows_needed(&out, width) <= MAX_ROWS {
            break;
        }
    }
    out
}

fn all_spans(app: &App, parts: Parts) -> Vec<Span<'static>> {
    let theme = app.theme;
    let mut out = Vec::new();
    if parts.as_of && !matches!(app.mode, Mode::View) && !app.timeline.snapshots.is_empty() {
        out.push(Span::styled(
            format!("as of #{}: ", app.cursor + 1),
            theme.dim(),
        ));
    }
    let Some(judgement) = app.judgement() else {
        if app.timeline.is_empty() {
            out.push(Span::styled("no data yet", theme.dim()));
        } else {
            out.push(Span::styled("judging…", theme.dim()));
        }
        return out;
    };
    let verdict: &Verdict = &judgement.verdict;
    let sep = || Span::styled(" · ", theme.dim());
    if let Some(top) = verdict.top_text() {
        out.push(Span::styled(format!("▶ {top}"), theme.growing()));
        out.push(sep());
    }
    let outlook_style = match &verdict.outlook {
        Outlook::LimitIn { .. } | Outlook::HeapFullIn { .. }
            if verdict.limit_within(ALARM_MINUTES) =>
        {
            theme.growing()
        }
        Outlook::LimitIn { .. } | Outlook::HeapFullIn { .. } | Outlook::NoLimit { .. } => {
            theme.warning()
        }
        Outlook::NoGrowth => theme.shrinking(),
        Outlook::NotEnoughData { .. } => theme.dim(),
    };
    out.push(Span::styled(verdict.outlook_text(), outlook_style));
    let names_limit = match verdict.outlook {
        Outlook::LimitIn { .. } | Outlook::NoGrowth => true,
        Outlook::HeapFullIn { limit_minutes, .. } => limit_minutes.is_some(),
        Outlook::NoLimit { .. } | Outlook::NotEnoughData { .. } => false,
    };
    if let (Some(note), true, true) = (&app.limit_note, names_limit, parts.limit_note) {
        out.push(Span::styled(format!(" (limit: {note})"), theme.dim()));
    }
    if let Some(action) = &verdict.action {
        out.push(sep());
        out.push(Span::styled(action.clone(), theme.title()));
    }
    let others = verdict.contributors.len().saturating_sub(1);
    if parts.others_listed {
        if let Some(list) = verdict.others_text() {
            out.push(sep());
            out.push(Span::styled(list, Style::new()));
        }
    } else if others > 0 {
        out.push(Span::styled(
            format!(
                " · {others} more suspect{} (2: detail)",
                if others == 1 { "" } else { "s" }
            ),
            theme.dim(),
        ));
    }
    if app.judging() {
        out.push(Span::styled(" (judging…)", theme.dim()));
    }
    out
}
