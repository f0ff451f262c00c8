//! The drill-down part of the detail view: what `d` does on this category (with a live JVM),
//! and what the latest capture behind it shows — its largest rows and what grew since the one
//! before. Culprits judged over many captures come with the suspect's hints, not here.

use jvmem::analysis::drill_latest::LatestDrill;
use jvmem::model::units::{format_bytes, format_delta};
use ratatui::text::Line;

use super::super::app::{App, drill_label, topic_for};

/// Captures of a kind the culprit analysis needs before it names anything (its `min_points`).
const CULPRIT_MIN_CAPTURES: usize = 5;

/// The lines for category `name`; empty when no drill-down explains it.
pub fn lines(app: &App, name: &str) -> Vec<Line<'static>> {
    let theme = app.theme;
    let Some(topic) = topic_for(name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let state = &app.drill;
    // Without a live JVM the key says why only when pressed (the status bar): files shown
    // without drill-downs keep their detail view as it was.
    let key_line = if state.confirm == Some(topic) {
        Some("y: take the class histogram (full GC) · any other key: cancel".to_string())
    } else if state.running == Some(topic) || state.request == Some(topic) {
        Some(format!("taking {}…", topic.describe()))
    } else if state.access.is_ok() {
        Some(format!("d: {}", drill_label(topic)))
    } else {
        None
    };
    out.extend(key_line.map(|l| Line::styled(l, theme.title())));
    let Some(judgement) = app.judgement() else {
        return out;
    };
    for latest in judgement.drills_for(name) {
        out.extend(capture_lines(latest));
    }
    out
}

fn capture_lines(d: &LatestDrill) -> Vec<Line<'static>> {
    let noun = d.kind.count_noun();
    let mut out = Vec::new();
    let when = d
        .timestamp
        .map(|t| t.format(" %H:%M:%S").to_string())
        .unwrap_or_default();
    let pid = d.pid.map(|p| format!(" · pid {p}")).unwrap_or_default();
    let enough = if d.captures >= CULPRIT_MIN_CAPTURES {
        String::new()
    } else {
        format!(", culprits need {CULPRIT_MIN_CAPTURES}")
    };
    let row_noun = d.kind.row_noun();
    let plural = if row_noun.ends_with('s') { "es" } else { "s" };
    out.push(Line::from(format!(
        "{}{when}{pid} ({} capture(s){enough}; {} {row_noun}{plural})",
        d.kind.command(),
        d.captures,
        d.rows,
    )));
    out.push(Line::from("largest now:"));
    for r in &d.largest {
        let text = if d.kind.has_bytes() {
            format!(
                "• {} {} ({} {noun})",
                r.name,
                format_bytes(r.bytes),
                r.count
            )
        } else {
            format!("• {} {} {noun}", r.name, r.count)
        };
        out.push(Line::from(text));
    }
    if let Some(since) = &d.since_previous {
        let gap = since
            .minutes
            .map(|m| format!(" ({m:.1} min)"))
            .unwrap_or_default();
        if since.grown.is_empty() {
            out.push(Line::from(format!("since the previous{gap}: nothing grew")));
        } else {
            out.push(Line::from(format!("grown since the previous{gap}:")));
        }
        for r in &since.grown {
            let text = if d.kind.has_bytes() {
                format!(
                    "• {} {} ({:+} {noun})",
                    r.name,
                    format_delta(r.delta_bytes),
                    r.delta_count
                )
            } else {
                format!("• {} {:+} {noun}", r.name, r.delta_count)
            };
            out.push(Line::from(text));
        }
    }
    out
}
