//! Prometheus' HTTP API, as much as `jvmem fleet` needs: `GET /api/v1/query_range` over
//! plain `http://` (a std `TcpStream`, HTTP/1.0 so that the answer is never chunked or
//! compressed), with a bearer token when given, and the JSON matrix it answers.
//!
//! Limits: Prometheus refuses a range query of more than 11,000 points per series, so a range
//! is asked in pieces of at most [`MAX_POINTS`] steps. `https://` is refused with a clear
//! error (put a port-forward or a local proxy in front).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde::Deserialize;

/// Steps per query: under Prometheus' 11,000-point limit.
pub const MAX_POINTS: u64 = 10_000;
/// Largest answer read, so that a wrong URL cannot fill memory.
pub const MAX_BODY: u64 = 512 << 20;

#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error(
        "{0}: only http://HOST:PORT[/PATH] URLs are supported (for https, port-forward or proxy)"
    )]
    Url(String),
    #[error("cannot reach Prometheus at {0}: {1}")]
    Connect(String, std::io::Error),
    #[error("Prometheus answered HTTP {status}{}: {body}", if *.status == 401 || *.status == 403 { " (authentication: check --bearer-token-file)" } else { "" })]
    Http { status: u16, body: String },
    #[error("not a Prometheus answer: {0}")]
    Answer(String),
    #[error("Prometheus query failed: {0}")]
    Query(String),
    #[error("the selector must be {{label=\"value\",…}}, not {0:?}")]
    Selector(String),
}

/// One series of a range query: its labels and (unix seconds, value) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub points: Vec<(f64, f64)>,
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    data: Option<Data>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "resultType")]
    result_type: String,
    result: Vec<RawSeries>,
}

#[derive(Deserialize)]
struct RawSeries {
    metric: BTreeMap<String, String>,
    #[serde(default)]
    values: Vec<(f64, String)>,
}

/// Reads a `query_range` answer (`resultType: matrix`).
pub fn parse_matrix(json: &str) -> Result<Vec<Series>, FleetError> {
    let answer: Answer =
        serde_json::from_str(json).map_err(|e| FleetError::Answer(e.to_string()))?;
    if answer.status != "success" {
        return Err(FleetError::Query(answer.error.unwrap_or(answer.status)));
    }
    let data = answer
        .data
        .ok_or_else(|| FleetError::Answer("no data".into()))?;
    if data.result_type != "matrix" {
        return Err(FleetError::Answer(format!(
            "resultType {} (a range query answers matrix)",
            data.result_type
        )));
    }
    Ok(data
        .result
        .into_iter()
        .map(|s| Series {
            labels: s.metric,
            points: s
                .values
                .into_iter()
                .filter_map(|(t, v)| v.parse::<f64>().ok().map(|v| (t, v)))
                .collect(),
        })
        .collect())
}

/// The selector's matchers without braces, checked for the shape `{…}`.
pub fn matchers(selector: &str) -> Result<String, FleetError> {
    let s = selector.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let inner = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .ok_or_else(|| FleetError::Selector(selector.to_string()))?;
    Ok(inner.trim().trim_end_matches(',').to_string())
}

/// The PromQL that selects `names` within `selector`.
pub fn query(names: &[&str], selector: &str) -> Result<String, FleetError> {
    let extra = matchers(selector)?;
    let mut q = format!("{{__name__=~\"{}\"", names.join("|"));
    if !extra.is_empty() {
        q.push(',');
        q.push_str(&extra);
    }
    q.push('}');
    Ok(q)
}

/// A Prometheus server: `http://host:port` and an optional path prefix.
#[derive(Debug, Clone)]
pub struct Client {
    host_port: String,
    prefix: String,
    token: Option<String>,
    timeout: Duration,
}

impl Client {
    pub fn new(url: &str, token: Option<String>) -> Result<Self, FleetError> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| FleetError::Url(url.to_string()))?;
        let (host_port, prefix) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
            None => (rest, ""),
        };
        if host_port.is_empty() {
            return Err(FleetError::Url(url.to_string()));
        }
        let host_port = if host_port.contains(':') {
            host_port.to_string()
        } else {
            format!("{host_port}:80")
        };
        Ok(Client {
            host_port,
            prefix: prefix.to_string(),
            token,
            timeout: Duration::from_secs(60),
        })
    }

    /// `GET path?query` and the body of a 200 answer.
    fn get(&self, path_and_query: &str) -> Result<String, FleetError> {
        let connect = |e| FleetError::Connect(self.host_port.clone(), e);
        let mut stream = TcpStream::connect(&self.host_port).map_err(connect)?;
        stream
            .set_read_timeout(Some(self.timeout))
            .map_err(connect)?;
        let mut request = format!(
            "GET {}{path_and_query} HTTP/1.0\r\nHost: {}\r\nAccept: application/json\r\n",
            self.prefix, self.host_port
        );
        if let Some(token) = &self.token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).map_err(connect)?;
        let mut raw = Vec::new();
        stream
            .take(MAX_BODY)
            .read_to_end(&mut raw)
            .map_err(connect)?;
        let text = String::from_utf8_lossy(&raw);
        let (head, body) = text
            .split_once("\r\n\r\n")
            .ok_or_else(|| FleetError::Answer("no HTTP headers".into()))?;
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| FleetError::Answer("no HTTP status".into()))?;
        if status != 200 {
            // Prometheus explains a bad query in the JSON of a 400/422.
            if let Err(FleetError::Query(why)) = parse_matrix(body) {
                return Err(FleetError::Query(why));
            }
            let body: String = body.chars().take(300).collect();
            return Err(FleetError::Http { status, body });
        }
        Ok(body.to_string())
    }

    /// `query_range` over `[start, end]` every `step` seconds, asked in pieces of at most
    /// [`MAX_POINTS`] steps ([`range_pieces`]); the pieces' series are joined by their labels.
    pub fn query_range(
        &self,
        promql: &str,
        start: f64,
        end: f64,
        step: f64,
    ) -> Result<Vec<Series>, FleetError> {
        self.query_range_with(promql, start, end, step, &mut |_| {})
    }

    /// [`Client::query_range`], calling `on_piece` with the series joined so far after each
    /// piece is answered.
    pub fn query_range_with(
        &self,
        promql: &str,
        start: f64,
        end: f64,
        step: f64,
        on_piece: &mut dyn FnMut(usize),
    ) -> Result<Vec<Series>, FleetError> {
        let mut joined: BTreeMap<BTreeMap<String, String>, Vec<(f64, f64)>> = BTreeMap::new();
        for (from, to) in range_pieces(start, end, step) {
            let path = format!(
                "/api/v1/query_range?query={}&start={from:.3}&end={to:.3}&step={step}",
                encode(promql)
            );
            for s in parse_matrix(&self.get(&path)?)? {
                let points = joined.entry(s.labels).or_default();
                for p in s.points {
                    if points.last().is_none_or(|last| last.0 < p.0) {
                        points.push(p);
                    }
                }
            }
            on_piece(joined.len());
        }
        Ok(joined
            .into_iter()
            .map(|(labels, points)| Series { labels, points })
            .collect())
    }
}

/// The `(from, to)` pieces [`Client::query_range`] asks `[start, end]` in: at most
/// [`MAX_POINTS`] steps each.
pub fn range_pieces(start: f64, end: f64, step: f64) -> Vec<(f64, f64)> {
    let mut pieces = Vec::new();
    let piece = step * MAX_POINTS as f64;
    let mut from = start;
    // A step of 0 (or NaN) would never move on: one piece then.
    while from <= end && (pieces.is_empty() || step > 0.0) {
        let to = (from + piece).min(end);
        pieces.push((from, to));
        from = to + step;
    }
    pieces
}

/// The `(seconds back from the end, seconds)` pieces [`Client::query_raw`] asks `range_s`
/// seconds in: [`RAW_PIECE_S`] each, newest first.
pub fn raw_pieces(range_s: u64) -> Vec<(u64, u64)> {
    let mut pieces = Vec::new();
    let mut back = 0;
    while back < range_s {
        let piece = RAW_PIECE_S.min(range_s - back);
        pieces.push((back, piece));
        back += piece;
    }
    pieces
}

/// Seconds of raw samples asked at once: Prometheus refuses a query that loads more than
/// `--query.max-samples` (50 million by default); an hour of 15 s scrapes is 240 samples a
/// series, so a piece stays under it up to ~200,000 series (a fleet of thousands of JVMs).
pub const RAW_PIECE_S: u64 = 3600;

impl Client {
    /// Every raw sample of `selector` in the `range_s` seconds up to `end` (instant queries
    /// of a range vector, `{…}[3600s]`, one per [`RAW_PIECE_S`] back from `end`), with the
    /// samples' own timestamps, joined by labels. This is what `jvmem fleet` reads rather
    /// than `query_range`: a range query resamples at its step and repeats the last sample
    /// for the 5-minute lookback, which would add flat points at the end of every series
    /// and duplicate others, and bend the trend tests.
    pub fn query_raw(
        &self,
        selector: &str,
        range_s: u64,
        end: f64,
    ) -> Result<Vec<Series>, FleetError> {
        self.query_raw_with(selector, range_s, end, &mut |_| {})
    }

    /// [`Client::query_raw`], calling `on_piece` with the series joined so far after each
    /// piece ([`raw_pieces`]) is answered.
    pub fn query_raw_with(
        &self,
        selector: &str,
        range_s: u64,
        end: f64,
        on_piece: &mut dyn FnMut(usize),
    ) -> Result<Vec<Series>, FleetError> {
        let mut joined: BTreeMap<BTreeMap<String, String>, Vec<(f64, f64)>> = BTreeMap::new();
        for (back, piece) in raw_pieces(range_s) {
            let at = end - back as f64;
            let path = format!(
                "/api/v1/query?query={}&time={at:.3}",
                encode(&format!("{selector}[{piece}s]"))
            );
            for s in parse_matrix(&self.get(&path)?)? {
                joined.entry(s.labels).or_default().extend(s.points);
            }
            on_piece(joined.len());
        }
        Ok(joined
            .into_iter()
            .map(|(labels, mut points)| {
                // Pieces come newest first; a range vector excludes its start, so none repeats.
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                points.dedup_by(|a, b| a.0 == b.0);
                Series { labels, points }
            })
            .collect())
    }
}

/// Percent-encodes a query parameter.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_urls_and_answers() {
        assert_eq!(
            query(&["a", "b"], r#"{namespace="prod",app="x"}"#).unwrap(),
            r#"{__name__=~"a|b",namespace="prod",app="x"}"#
        );
        assert_eq!(query(&["a"], "").unwrap(), r#"{__name__=~"a"}"#);
        assert!(query(&["a"], "namespace=prod").is_err());
        assert!(Client::new("https://x", None).is_err());
        let c = Client::new("http://127.0.0.1:9090/prom/", None).unwrap();
        assert_eq!(
            (c.host_port.as_str(), c.prefix.as_str()),
            ("127.0.0.1:9090", "/prom")
        );
        assert_eq!(encode(r#"{a="b c"}"#), "%7Ba%3D%22b%20c%22%7D");
        let json = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"jvm_nmt_committed_bytes","category":"Other","pod":"a"},
             "values":[[1764000000,"100"],[1764000015,"200"]]}]}}"#;
        let s = parse_matrix(json).unwrap();
        assert_eq!(
            s[0].points,
            vec![(1_764_000_000.0, 100.0), (1_764_000_015.0, 200.0)]
        );
        let err =
            parse_matrix(r#"{"status":"error","errorType":"bad_data","error":"parse error"}"#);
        assert!(matches!(err, Err(FleetError::Query(e)) if e == "parse error"));
    }
}
