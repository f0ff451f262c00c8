//! The verdict line under the header: the library's [`Verdict`] of the snapshots up to the
//! cursor — the top contributor to the container's growth with its rate, when the limit is
//! reached, the one thing to do, then the other contributors. Wrapped, never cut: at 80
//! columns it takes up to three rows.

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

/// The verdict's spans; the other contributors are left out (counted) when all of it does
/// not fit in three rows, so the parts that matter most are never cut.
fn spans(app: &App, width: u16) -> Vec<Span<'static>> {
    let all = all_spans(app, true);
    if rows_needed(&all, width) <= MAX_ROWS {
        return all;
    }
    let mut short = all_spans(app, false);
    let others = app
        .judgement()
        .map_or(0, |j| j.verdict.contributors.len().saturating_sub(1));
    if others > 0 {
        short.push(Span::styled(
            format!(
                " · {others} more suspect{} (2: detail)",
                if others == 1 { "" } else { "s" }
            ),
            app.theme.dim(),
        ));
    }
    short
}

fn all_spans(app: &App, with_others: bool) -> Vec<Span<'static>> {
    let theme = app.theme;
    let mut out = Vec::new();
    if !matches!(app.mode, Mode::View) && !app.timeline.snapshots.is_empty() {
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
    if let (Some(note), true) = (&app.limit_note, names_limit) {
        out.push(Span::styled(format!(" (limit: {note})"), theme.dim()));
    }
    if let Some(action) = &verdict.action {
        out.push(sep());
        out.push(Span::styled(action.clone(), theme.title()));
    }
    if let Some(others) = verdict.others_text().filter(|_| with_others) {
        out.push(sep());
        out.push(Span::styled(others, Style::new()));
    }
    if app.judging() {
        out.push(Span::styled(" (judging…)", theme.dim()));
    }
    out
}
