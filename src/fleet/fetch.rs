//! Which queries `jvmem fleet` sends: jvmem's own series within the user's selector; when
//! Prometheus has none, Micrometer's, then cAdvisor's and kube-state-metrics' for the pods
//! Micrometer named (those carry no application labels, so they are asked by namespace and
//! pod, [`PODS_PER_QUERY`] pods a query to keep URLs short).

use super::prometheus::{Client, FleetError, query};
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

fn ask(client: &Client, promql: &str, window: Window) -> Result<Vec<Series>, FleetError> {
    match window {
        Window::Raw { range_s, end } => client.query_raw(promql, range_s.max(1), end),
        Window::Steps { start, end, step } => client.query_range(promql, start, end, step),
    }
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
    let own = query(jvmem_series::SERIES, selector)?;
    let series = ask(client, &own, window)?;
    if !series.is_empty() {
        return Ok(Fetched {
            exporter: Exporter::Jvmem,
            queries: vec![own],
            jvms: jvmem_series::timelines(&series),
        });
    }
    let micrometer = query(standard::JVM_SERIES, selector)?;
    let jvm_series = ask(client, &micrometer, window)?;
    let mut queries = vec![own, micrometer];
    let mut container_series = Vec::new();
    let pods = standard::pods(&jvm_series, names);
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
        let names = standard::CONTAINER_SERIES.join("|");
        let pod_re = same
            .iter()
            .map(|p| regex_literal(p))
            .collect::<Vec<_>>()
            .join("|");
        let promql = format!(
            "{{__name__=~\"{names}\",namespace=\"{}\",pod=~\"{pod_re}\"}}",
            quoted(namespace)
        );
        container_series.extend(ask(client, &promql, window)?);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_names_are_regex_literals() {
        assert_eq!(regex_literal("bot-gateway-7d9.x"), r"bot-gateway-7d9\\.x");
        assert_eq!(quoted(r#"a"b"#), r#"a\"b"#);
    }
}
