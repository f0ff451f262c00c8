//! Which queries `jvmem fleet` sends: jvmem's own series within the user's selector; when
//! Prometheus has none, Micrometer's, then cAdvisor's and kube-state-metrics' for the pods
//! Micrometer named (those carry no application labels, so they are asked by namespace and
//! pod, [`PODS_PER_QUERY`] pods a query to keep URLs short).

use super::prometheus::{Client, FleetError, query, range_pieces, raw_pieces};
use super::standard::PodLabels;
use super::{Series, jvmem_series, standard};
use crate::model::Timeline;

/// Pods named in one container query's `pod=~"…"` (a URL of a few KiB).
pub const PODS_PER_QUERY: usize = 100;

/// How the samples are read.
#[derive(Debug, Clone, Copy)]
pub enum Window {
    /// Every raw sample of the `range_s` seconds up to `end` (see `Client::query_raw`).
    Raw { range_s: u64, end: f64 },
    /// `query_range` resampled every `step` seconds.
    Steps { start: f64, end: f64, step: f64 },
}

impl Window {
    /// HTTP requests one query over this window takes (its pieces).
    pub fn requests(&self) -> usize {
        match *self {
            Window::Raw { range_s, .. } => raw_pieces(range_s.max(1)).len(),
            Window::Steps { start, end, step } => range_pieces(start, end, step).len(),
        }
    }
}

/// How far a read has come, for the fleet view to show while it waits: first the queries
/// (one HTTP request per piece of the window), then the diagnosis of each JVM.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadProgress {
    /// Requests Prometheus has answered.
    pub requests_done: usize,
    /// Requests known to be needed so far: jvmem's series' first; Micrometer's and the
    /// container series' are added when jvmem's are absent.
    pub requests_known: usize,
    /// Series read so far (distinct within each query).
    pub series: usize,
    /// JVMs diagnosed, of [`ReadProgress::jvms`] (0 while reading).
    pub judged: usize,
    pub jvms: usize,
}

/// Counts the requests and series of one read and reports each step.
struct Tally<'a> {
    progress: ReadProgress,
    report: &'a mut dyn FnMut(ReadProgress),
}

impl Tally<'_> {
    fn expect(&mut self, requests: usize) {
        if requests > 0 {
            self.progress.requests_known += requests;
            (self.report)(self.progress);
        }
    }

    fn ask(
        &mut self,
        client: &Client,
        promql: &str,
        window: Window,
    ) -> Result<Vec<Series>, FleetError> {
        let before = self.progress.series;
        let progress = &mut self.progress;
        let report = &mut *self.report;
        let mut on_piece = |series: usize| {
            progress.requests_done += 1;
            progress.series = before + series;
            report(*progress);
        };
        match window {
            Window::Raw { range_s, end } => {
                client.query_raw_with(promql, range_s.max(1), end, &mut on_piece)
            }
            Window::Steps { start, end, step } => {
                client.query_range_with(promql, start, end, step, &mut on_piece)
            }
        }
    }
}

/// Which exporter's series the timelines come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exporter {
    Jvmem,
    /// Micrometer, with cAdvisor and kube-state-metrics when present.
    Standard,
}

/// What was read: the exporter, the queries asked (for messages) and the timelines.
#[derive(Debug)]
pub struct Fetched {
    pub exporter: Exporter,
    pub queries: Vec<String>,
    pub jvms: Vec<(String, Timeline)>,
}

/// A label value as a literal inside a PromQL regex in double quotes.
fn regex_literal(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push_str("\\\\");
        } else if c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A label value inside double quotes.
fn quoted(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Reads the fleet within `selector`; `names` are the labels of Micrometer's series that hold
/// the namespace, pod and container.
pub fn fetch(
    client: &Client,
    selector: &str,
    window: Window,
    names: &PodLabels,
) -> Result<Fetched, FleetError> {
    fetch_with(client, selector, window, names, &mut |_| {})
}

/// [`fetch()`], reporting its progress after each request.
pub fn fetch_with(
    client: &Client,
    selector: &str,
    window: Window,
    names: &PodLabels,
    progress: &mut dyn FnMut(ReadProgress),
) -> Result<Fetched, FleetError> {
    let mut tally = Tally {
        progress: ReadProgress::default(),
        report: progress,
    };
    let per_query = window.requests();
    let own = query(jvmem_series::SERIES, selector)?;
    tally.expect(per_query);
    let series = tally.ask(client, &own, window)?;
    if !series.is_empty() {
        return Ok(Fetched {
            exporter: Exporter::Jvmem,
            queries: vec![own],
            jvms: jvmem_series::timelines(&series),
        });
    }
    let micrometer = query(standard::JVM_SERIES, selector)?;
    tally.expect(per_query);
    let jvm_series = tally.ask(client, &micrometer, window)?;
    let mut queries = vec![own, micrometer];
    let mut container_series = Vec::new();
    let pods = standard::pods(&jvm_series, names);
    let container_queries = container_queries(&pods);
    tally.expect(container_queries.len() * per_query);
    for promql in container_queries {
        container_series.extend(tally.ask(client, &promql, window)?);
        if queries.len() < 4 {
            queries.push(promql);
        }
    }
    Ok(Fetched {
        exporter: Exporter::Standard,
        queries,
        jvms: standard::timelines(&jvm_series, &container_series, names),
    })
}

/// The container series' queries for these (namespace, pod)s, sorted: [`PODS_PER_QUERY`]
/// pods of one namespace each.
fn container_queries(pods: &[(String, String)]) -> Vec<String> {
    let names = standard::CONTAINER_SERIES.join("|");
    let mut out = Vec::new();
    let mut i = 0;
    while i < pods.len() {
        let namespace = &pods[i].0;
        let same: Vec<&str> = pods[i..]
            .iter()
            .take_while(|(ns, _)| ns == namespace)
            .take(PODS_PER_QUERY)
            .map(|(_, pod)| pod.as_str())
            .collect();
        i += same.len();
        let pod_re = same
            .iter()
            .map(|p| regex_literal(p))
            .collect::<Vec<_>>()
            .join("|");
        out.push(format!(
            "{{__name__=~\"{names}\",namespace=\"{}\",pod=~\"{pod_re}\"}}",
            quoted(namespace)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_takes_one_request_per_piece() {
        let raw = |range_s| Window::Raw { range_s, end: 0.0 }.requests();
        assert_eq!((raw(0), raw(3600), raw(3601), raw(7200)), (1, 1, 2, 2));
        let steps = |n: f64| {
            Window::Steps {
                start: 0.0,
                end: n * 30.0,
                step: 30.0,
            }
            .requests()
        };
        // A piece spans MAX_POINTS steps (10,001 points with both ends): one more step is a
        // second piece.
        assert_eq!((steps(720.0), steps(10_000.0), steps(10_001.0)), (1, 1, 2));
    }

    /// A Prometheus that answers every request with an empty matrix; the number of requests
    /// answered so far.
    fn empty_prometheus() -> (Client, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = std::sync::Arc::clone(&answered);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let body = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
                let _ = write!(stream, "HTTP/1.0 200 OK\r\n\r\n{body}");
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        (Client::new(&url, None).unwrap(), answered)
    }

    #[test]
    fn progress_counts_the_requests_as_they_are_answered() {
        let (client, answered) = empty_prometheus();
        let window = Window::Raw {
            range_s: 7200,
            end: 1_764_000_000.0,
        };
        let mut seen = Vec::new();
        let fetched = fetch_with(&client, "", window, &PodLabels::default(), &mut |p| {
            seen.push((p.requests_done, p.requests_known));
        })
        .unwrap();
        assert!(fetched.jvms.is_empty());
        // jvmem's series: 2 pieces; none, so Micrometer's: 2 more; no pods, no container query.
        assert_eq!(seen, [(0, 2), (1, 2), (2, 2), (2, 4), (3, 4), (4, 4)]);
        assert_eq!(answered.load(std::sync::atomic::Ordering::SeqCst), 4);
    }

    #[test]
    fn container_queries_take_a_hundred_pods_of_one_namespace_each() {
        let mut pods: Vec<(String, String)> =
            (0..150).map(|i| ("a".into(), format!("p{i:03}"))).collect();
        pods.push(("b".into(), "q".into()));
        let queries = container_queries(&pods);
        assert_eq!(queries.len(), 3);
        assert_eq!(queries[0].matches('|').count(), 1 + 99);
        assert!(
            queries[2].contains(r#"namespace="b",pod=~"q""#),
            "{}",
            queries[2]
        );
    }

    #[test]
    fn pod_names_are_regex_literals() {
        assert_eq!(regex_literal("bot-gateway-7d9.x"), r"bot-gateway-7d9\\.x");
        assert_eq!(quoted(r#"a"b"#), r#"a\"b"#);
    }
}
