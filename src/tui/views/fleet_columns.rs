//! The fleet table's columns and cells: which columns fit a width ([`plan`]: the name, the
//! suspect, its rate, the minutes left to the first failure and the confidence always; how it
//! fails (`kill`: the OOM kill at the limit, `heap`: OutOfMemoryError at -Xmx) from 45 cells
//! on; usage and its share of the limit next; then the limit, the suspect's kind with the failure in words,
//! the snapshot count and a usage trend) and
//! how each cell is written to fit (names shortened in the middle, where pod names agree).

use jvmem::analysis::budget_failure::Failure;
use jvmem::analysis::verdict::short_kind;
use jvmem::fleet::FleetRow;
pub use jvmem::fleet::minutes_text;
use jvmem::model::Timeline;
use jvmem::model::units::format_bytes;

use super::super::fleet::FleetApp;
use super::super::metrics;
use super::cells;

const MIB: f64 = 1024.0 * 1024.0;

/// The longest a name column gets, and what it keeps before others are dropped for it.
const NAME_MAX: usize = 48;
const NAME_KEEP: usize = 22;

/// Which columns fit in `width` cells (inside the border) for names up to `longest` long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub name: u16,
    pub suspect: u16,
    /// The suspect's kind after its name (`Other (direct buffers)`), and the failure in
    /// words (`heap OOM`, not `heap`).
    pub kind: bool,
    /// How the JVM fails first (`kill`, `heap`).
    pub fails: bool,
    pub usage: bool,
    pub share: bool,
    pub limit: bool,
    pub snapshots: bool,
    /// Width of a sparkline of usage, when there is room.
    pub trend: Option<u16>,
}

const MARK: usize = 1;
const SUSPECT: usize = 10;
const SUSPECT_LONG: usize = 26;
const RATE: usize = 8;
const LEFT: usize = 8;
const FAIL: usize = 4;
const FAIL_LONG: usize = 8;
const CONF: usize = 4;
const BYTES: usize = 9;
const SHARE: usize = 4;
const SNAPS: usize = 5;
const TREND_MIN: usize = 10;

/// The columns for a table `width` cells wide (see the module doc for the order they go in).
pub fn plan(width: u16, longest: usize) -> Plan {
    let inner = usize::from(width);
    let want = longest.clamp(4, NAME_MAX);
    let keep = want.min(NAME_KEEP);
    // Every column after the marker is preceded by one space.
    let mut used = MARK + (SUSPECT + 1) + (RATE + 1) + (LEFT + 1) + (CONF + 1) + 1;
    let room = |used: usize| inner.saturating_sub(used);
    let mut plan = Plan {
        name: 0,
        suspect: cells(SUSPECT),
        kind: false,
        fails: false,
        usage: false,
        share: false,
        limit: false,
        snapshots: false,
        trend: None,
    };
    let take = |cost: usize, used: &mut usize| {
        let fits = room(*used + cost) >= keep;
        if fits {
            *used += cost;
        }
        fits
    };
    plan.fails = room(used + FAIL + 1) >= 4;
    if plan.fails {
        used += FAIL + 1;
    }
    plan.usage = plan.fails && take(BYTES + 1, &mut used);
    plan.share = plan.usage && take(SHARE + 1, &mut used);
    plan.limit = plan.share && take(BYTES + 1, &mut used);
    plan.kind = plan.limit && take(SUSPECT_LONG - SUSPECT + FAIL_LONG - FAIL, &mut used);
    if plan.kind {
        plan.suspect = cells(SUSPECT_LONG);
    }
    plan.snapshots = plan.kind && take(SNAPS + 1, &mut used);
    let name = room(used).min(want).max(4);
    plan.name = cells(name);
    let rest = room(used + name + 1);
    if plan.snapshots && rest >= TREND_MIN {
        plan.trend = Some(cells(rest));
    }
    plan
}

/// `text` in at most `width` characters: the middle gives way to `…` (pod names differ at
/// their ends: `bot-gateway-7d9f8c6b5-x2k4q` → `bot-gatew…6b5-x2k4q`).
pub fn fit_middle(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    if width <= 1 {
        return "…".chars().take(width).collect();
    }
    let tail = (width - 1) / 2;
    let head = width - 1 - tail;
    let chars: Vec<char> = text.chars().collect();
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[n - tail..]);
    out
}

/// `text` in at most `width` characters, cut at the end with `…`.
pub fn fit_end(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A growth rate in MiB/min, signed: `+4.0`, `+0.05`, `-` for none.
pub fn rate_text(bytes_per_min: Option<f64>) -> String {
    match bytes_per_min {
        None => "-".into(),
        Some(r) if (r / MIB).abs() >= 0.1 || r == 0.0 => format!("{:+.1}", r / MIB),
        Some(r) => format!("{:+.2}", r / MIB),
    }
}

/// How the row's JVM fails first: `kill`/`heap` in a narrow table, `OOM kill`/`heap OOM` in
/// a wide one, `-` when it does not.
pub fn failure_text(failure: Option<Failure>, long: bool) -> String {
    match (failure, long) {
        (None, _) => "-".into(),
        (Some(f), true) => f.text().into(),
        (Some(Failure::OomKill), false) => "kill".into(),
        (Some(Failure::HeapOom), false) => "heap".into(),
    }
}

/// How a row is marked, readable without colour: `!` fails (an OOM kill or a full heap in
/// the minutes left), `▲` grows for sure, `?` grows maybe, blank clean.
pub fn mark(row: &FleetRow) -> &'static str {
    match (row.top_suspect.is_some(), row.sure, row.minutes_left) {
        (false, _, _) => " ",
        (true, true, Some(_)) => "!",
        (true, true, None) => "▲",
        (true, false, _) => "?",
    }
}

fn share_text(row: &FleetRow) -> String {
    match (row.usage_bytes, row.limit_bytes) {
        (Some(u), Some(l)) if l > 0 => format!("{:.0}%", u as f64 * 100.0 / l as f64),
        _ => "-".into(),
    }
}

/// The top suspect, its kind when there is room (`Other (direct buffers)`), `?` after it when
/// unsure, as the text table writes it.
fn suspect_text(row: &FleetRow, plan: &Plan) -> String {
    let (Some(name), Some(s)) = (&row.top_suspect, row.diagnosis.suspects.first()) else {
        return row.top_suspect_text();
    };
    let mut text = name.clone();
    if plan.kind {
        text = format!("{text} ({})", short_kind(s.kind));
    }
    let unsure = if row.sure { "" } else { "?" };
    let width = usize::from(plan.suspect).saturating_sub(unsure.len());
    format!("{}{unsure}", fit_end(&text, width))
}

/// Usage over time: RSS (else the container's working set) when sampled, else NMT committed.
fn usage_series(timeline: &Timeline, points: usize) -> Vec<u64> {
    let process: Vec<u64> = timeline
        .process
        .iter()
        .filter_map(|p| p.rss_bytes.or(p.cgroup_usage_bytes))
        .collect();
    let values: Vec<u64> = if process.len() >= 2 {
        process
    } else {
        timeline
            .snapshots
            .iter()
            .map(|s| s.total.committed_bytes)
            .collect()
    };
    metrics::sample_indices(values.len(), points)
        .into_iter()
        .map(|i| values[i])
        .collect()
}

/// The cells of one row, as the plan lays them out.
pub fn row_cells(app: &FleetApp, index: usize, plan: &Plan) -> Vec<String> {
    let Some(row) = app.rows().get(index) else {
        return Vec::new();
    };
    let name = app
        .names
        .get(index)
        .map_or(row.jvm.as_str(), String::as_str);
    let bytes = |v: Option<u64>| v.map_or_else(|| "-".to_string(), format_bytes);
    let mut out = vec![
        mark(row).to_string(),
        fit_middle(name, usize::from(plan.name)),
    ];
    if plan.usage {
        out.push(bytes(row.usage_bytes));
    }
    if plan.share {
        out.push(share_text(row));
    }
    if plan.limit {
        out.push(bytes(row.limit_bytes));
    }
    out.push(suspect_text(row, plan));
    out.push(rate_text(row.rate_bytes_per_min));
    out.push(minutes_text(row.minutes_left));
    if plan.fails {
        out.push(failure_text(row.failure, plan.kind));
    }
    out.push(
        row.confidence
            .map_or_else(|| "-".to_string(), |c| format!("{c:.2}")),
    );
    if plan.snapshots {
        out.push(row.snapshots.to_string());
    }
    if let Some(width) = plan.trend {
        let values = app
            .fleet
            .timeline(&row.jvm)
            .map(|t| usage_series(t, usize::from(width)))
            .unwrap_or_default();
        out.push(metrics::sparkline_significant(&values));
    }
    out
}

/// Column headers and widths of a plan; `true` for right-aligned columns.
pub fn columns(plan: &Plan) -> Vec<(&'static str, u16, bool)> {
    let mut out = vec![("", cells(MARK), false), ("Pod", plan.name, false)];
    if plan.usage {
        out.push(("Usage", cells(BYTES), true));
    }
    if plan.share {
        out.push(("%lim", cells(SHARE), true));
    }
    if plan.limit {
        out.push(("Limit", cells(BYTES), true));
    }
    out.extend([
        ("Suspect", plan.suspect, false),
        ("MiB/min", cells(RATE), true),
        ("Min left", cells(LEFT), true),
    ]);
    if plan.fails {
        out.push(if plan.kind {
            ("Fails by", cells(FAIL_LONG), false)
        } else {
            ("OOM", cells(FAIL), false)
        });
    }
    out.push(("Conf", cells(CONF), true));
    if plan.snapshots {
        out.push(("Snaps", cells(SNAPS), true));
    }
    if let Some(w) = plan.trend {
        out.push(("Usage trend", w, false));
    }
    out
}
