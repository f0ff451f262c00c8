//! Small inline SVG line charts for the HTML report: one plot area, a y axis in MiB (or a
//! count, or milliseconds), an x axis in minutes, any number of series, and optionally a
//! horizontal limit line.
//!
//! Hand-written rather than `plotters`: the report needs one chart shape, the output is a few
//! kilobytes of plain `<path>` elements that any browser, printer or mail client shows, and it
//! adds no dependency tree to the build (plotters' SVG backend pulls in its font and colour
//! stack). Series are reduced to (min, max) pairs per pixel column, like the dashboard's charts,
//! so a 100k-snapshot recording still draws every peak in a few hundred points.

use std::fmt::Write;

use super::html_escape::escape;

/// Okabe–Ito colours: distinguishable with every common colour-vision deficiency and in
/// greyscale print (each series also gets its own dash pattern).
pub const PALETTE: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

/// Dash patterns paired with [`PALETTE`], so lines differ without colour too.
const DASHES: [&str; 7] = ["", "6 3", "2 2", "8 3 2 3", "", "4 4", "1 3"];

/// What the y values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YUnit {
    /// Bytes, shown as MiB.
    Bytes,
    /// Milliseconds.
    Millis,
}

/// One line on a chart: (minutes, value) points in time order.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// Index into [`PALETTE`] (wraps).
    pub colour: usize,
    /// Drawn as dots rather than a line (e.g. pauses).
    pub dots: bool,
}

/// A chart to draw.
#[derive(Debug, Clone)]
pub struct Chart<'a> {
    pub title: &'a str,
    pub series: Vec<Series>,
    pub y_unit: YUnit,
    /// A horizontal line, e.g. the container limit, with its label.
    pub limit: Option<(f64, String)>,
    pub width: u32,
    pub height: u32,
}

const MARGIN_LEFT: f64 = 64.0;
const MARGIN_RIGHT: f64 = 12.0;
const MARGIN_TOP: f64 = 24.0;
const MARGIN_BOTTOM: f64 = 34.0;

/// `points` reduced to at most `buckets` (min, max) pairs in time order, keeping every peak.
pub fn downsample(points: &[(f64, f64)], buckets: usize) -> Vec<(f64, f64)> {
    if buckets == 0 || points.len() <= buckets * 2 {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(buckets * 2);
    for b in 0..buckets {
        let start = b * points.len() / buckets;
        let end = ((b + 1) * points.len() / buckets).max(start + 1);
        let Some(slice) = points.get(start..end.min(points.len())) else {
            continue;
        };
        let Some(&first) = slice.first() else {
            continue;
        };
        let (mut lo, mut hi) = (first, first);
        for &p in slice {
            if p.1 < lo.1 {
                lo = p;
            }
            if p.1 > hi.1 {
                hi = p;
            }
        }
        if lo.0 <= hi.0 {
            out.extend([lo, hi]);
        } else {
            out.extend([hi, lo]);
        }
    }
    out.dedup_by(|a, b| a == b);
    out
}

/// A value on the y axis as people read it.
fn y_label(value: f64, unit: YUnit) -> String {
    match unit {
        YUnit::Bytes => {
            let mib = value / (1024.0 * 1024.0);
            if mib >= 10_240.0 {
                format!("{:.0} GiB", mib / 1024.0)
            } else if mib >= 100.0 || mib == mib.trunc() {
                format!("{mib:.0} MiB")
            } else {
                format!("{mib:.1} MiB")
            }
        }
        YUnit::Millis => format!("{value:.0} ms"),
    }
}

/// A round step for about `ticks` ticks over `span`.
fn nice_step(span: f64, ticks: f64, unit: YUnit) -> f64 {
    let base: f64 = match unit {
        YUnit::Bytes => 1024.0 * 1024.0,
        YUnit::Millis => 1.0,
    };
    let raw = (span / ticks).max(base / 16.0);
    let magnitude = 10f64.powf((raw / base).log10().floor()) * base;
    for m in [1.0, 2.0, 5.0, 10.0] {
        if magnitude * m >= raw {
            return magnitude * m;
        }
    }
    magnitude * 10.0
}

/// Minutes as an axis label.
fn x_label(minutes: f64) -> String {
    if minutes >= 120.0 {
        format!("{:.1} h", minutes / 60.0)
    } else if minutes >= 2.0 || minutes == 0.0 {
        format!("{minutes:.0} min")
    } else {
        format!("{:.0} s", minutes * 60.0)
    }
}

/// The chart as an `<svg>` element, with a `<title>` and a legend; `data-points` on each
/// series' element counts the points drawn (for tests and for readers of the source).
pub fn render(chart: &Chart) -> String {
    let (w, h) = (f64::from(chart.width), f64::from(chart.height));
    let plot_w = (w - MARGIN_LEFT - MARGIN_RIGHT).max(10.0);
    let plot_h = (h - MARGIN_TOP - MARGIN_BOTTOM).max(10.0);
    let all = chart.series.iter().flat_map(|s| s.points.iter());
    let (mut x_max, mut y_max) = (0.0f64, 0.0f64);
    for &(x, y) in all {
        x_max = x_max.max(x);
        y_max = y_max.max(y);
    }
    if let Some((limit, _)) = &chart.limit {
        y_max = y_max.max(*limit);
    }
    let x_max = if x_max > 0.0 { x_max } else { 1.0 };
    let step = nice_step(y_max.max(1.0), 4.0, chart.y_unit);
    let y_top = ((y_max / step).ceil() * step).max(step);
    let sx = |x: f64| MARGIN_LEFT + x / x_max * plot_w;
    let sy = |y: f64| MARGIN_TOP + plot_h - y / y_top * plot_h;

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"><title>{}</title>"#,
        escape(chart.title)
    );
    let _ = write!(
        out,
        r##"<rect class="plot" x="{MARGIN_LEFT}" y="{MARGIN_TOP}" width="{plot_w:.1}" height="{plot_h:.1}" fill="none" stroke="#bbb"/>"##
    );
    let _ = write!(
        out,
        r#"<text x="{MARGIN_LEFT}" y="15" class="ctitle">{}</text>"#,
        escape(chart.title)
    );
    // y grid and labels
    let mut tick = 0.0;
    while tick <= y_top + step / 2.0 {
        let y = sy(tick);
        let _ = write!(
            out,
            r##"<line x1="{MARGIN_LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#eee"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="tick">{}</text>"##,
            MARGIN_LEFT + plot_w,
            MARGIN_LEFT - 4.0,
            y + 4.0,
            y_label(tick, chart.y_unit)
        );
        tick += step;
    }
    // x labels: start, middle, end
    for x in [0.0, x_max / 2.0, x_max] {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="tick">{}</text>"#,
            sx(x),
            MARGIN_TOP + plot_h + 16.0,
            x_label(x)
        );
    }
    if let Some((limit, label)) = &chart.limit {
        let y = sy(*limit);
        let _ = write!(
            out,
            r##"<line class="limit" x1="{MARGIN_LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#B00020" stroke-width="2" stroke-dasharray="10 4"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="limit-label" fill="#B00020">{}</text>"##,
            MARGIN_LEFT + plot_w,
            MARGIN_LEFT + plot_w - 4.0,
            y - 4.0,
            escape(label)
        );
    }
    let buckets = (crate::num::usize_from_f64(plot_w) / 2).max(1);
    for s in &chart.series {
        let colour = PALETTE[s.colour % PALETTE.len()];
        let points = downsample(&s.points, buckets);
        if s.dots {
            let _ = write!(
                out,
                r#"<g class="series" data-label="{}" data-points="{}" fill="{colour}">"#,
                escape(&s.label),
                points.len()
            );
            for &(x, y) in &points {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="2"/>"#,
                    sx(x),
                    sy(y)
                );
            }
            out.push_str("</g>");
        } else {
            let mut d = String::new();
            for (i, &(x, y)) in points.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.1},{:.1}",
                    if i == 0 { "M" } else { " L" },
                    sx(x),
                    sy(y)
                );
            }
            let dash = DASHES[s.colour % DASHES.len()];
            let dash = if dash.is_empty() {
                String::new()
            } else {
                format!(r#" stroke-dasharray="{dash}""#)
            };
            let _ = write!(
                out,
                r#"<path class="series" data-label="{}" data-points="{}" d="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
                escape(&s.label),
                points.len()
            );
        }
    }
    // legend
    let mut lx = MARGIN_LEFT;
    let ly = h - 6.0;
    for s in &chart.series {
        let colour = PALETTE[s.colour % PALETTE.len()];
        let _ = write!(
            out,
            r#"<rect x="{lx:.1}" y="{:.1}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{ly:.1}" class="legend">{}</text>"#,
            ly - 9.0,
            lx + 14.0,
            escape(&s.label)
        );
        lx += 24.0 + 7.0 * s.label.chars().count() as f64;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsampling_keeps_every_peak_and_bounds_the_points() {
        let points: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (f64::from(i), if i == 4242 { 1e9 } else { f64::from(i % 7) }))
            .collect();
        let d = downsample(&points, 100);
        assert!(d.len() <= 200, "{}", d.len());
        assert!(d.iter().any(|p| p.1 == 1e9));
        assert!(d.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn chart_draws_its_series_limit_and_escapes_labels() {
        let chart = Chart {
            title: "Other <committed>",
            series: vec![Series {
                label: "a&b".into(),
                points: vec![(0.0, 1.0e6), (1.0, 2.0e6), (2.0, 3.0e6)],
                colour: 0,
                dots: false,
            }],
            y_unit: YUnit::Bytes,
            limit: Some((8.0e6, "limit 7.6 MiB".into())),
            width: 400,
            height: 200,
        };
        let svg = render(&chart);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"data-points="3""#));
        assert!(svg.contains(r#"class="limit""#));
        assert!(svg.contains("Other &lt;committed&gt;"));
        assert!(svg.contains("a&amp;b"));
        assert!(!svg.contains("<committed>"));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(
            nice_step(400.0 * 1048576.0, 4.0, YUnit::Bytes),
            100.0 * 1048576.0
        );
        assert_eq!(nice_step(37.0, 4.0, YUnit::Millis), 10.0);
    }
}
