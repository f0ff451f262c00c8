//! GC events rebuilt from scraped gauges, so that `jvmem fleet` runs the diagnosis' GC
//! series too: the old generation (else the heap) after collections is how a heap leak shows
//! when `-Xms = -Xmx` keeps NMT's committed heap flat.
//!
//! A scrape sees per collector and kind the collection counter and the figures the last
//! collection left (`jvm_gc_last_*`, see [`LastFigures`]); each scrape in which the counter
//! rose becomes one event at the scrape's time with those figures. The events are thus the
//! collections sampled at the scrape interval (with 15 s scrapes and a young pause every
//! second, one in fifteen): enough for a trend over minutes, not for counting collections.
//! Without a counter (Micrometer's `jvm_gc_live_data_size_bytes`), a change of the figures
//! makes the event.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::build::time;
use crate::model::{Collector, GcEvent, GcKind};
use crate::report::openmetrics::LastFigures;

/// One scrape of one collector and kind.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct GcSample {
    pub collections: Option<f64>,
    pub last: LastFigures,
}

/// Per (collector, kind) name, the samples by millisecond timestamp.
pub type GcSamples = BTreeMap<(String, String), BTreeMap<i64, GcSample>>;

/// The collector named as `Collector::as_str` writes it.
pub fn collector(name: &str) -> Collector {
    [
        Collector::G1,
        Collector::Parallel,
        Collector::Serial,
        Collector::Cms,
        Collector::Shenandoah,
        Collector::Zgc,
        Collector::Epsilon,
    ]
    .into_iter()
    .find(|c| c.as_str() == name)
    .unwrap_or(Collector::Unknown)
}

/// The kind named as `GcKind::as_str` writes it.
pub fn kind(name: &str) -> GcKind {
    GcKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name)
        .unwrap_or(GcKind::Other)
}

fn has_figures(l: &LastFigures) -> bool {
    l.heap_after_bytes.is_some() || l.old_after_bytes.is_some()
}

/// The rebuilt events of one JVM, in time order.
pub fn events(source: &Arc<str>, samples: GcSamples) -> Vec<GcEvent> {
    let mut out = Vec::new();
    for ((collector_name, kind_name), by_time) in samples {
        let name: Arc<str> = Arc::from(format!("{kind_name} (rebuilt from Prometheus)"));
        let mut previous: Option<GcSample> = None;
        for (ms, s) in by_time {
            let new = match (previous, s.collections) {
                (None, _) => true,
                (Some(p), Some(n)) => p.collections.is_none_or(|c| n > c),
                (Some(p), None) => p.last != s.last,
            };
            previous = Some(s);
            if !new || !has_figures(&s.last) {
                continue;
            }
            let Some(timestamp) = time(ms as f64 / 1000.0) else {
                continue;
            };
            let mut e = GcEvent::new(
                Arc::clone(source),
                out.len() as u64 + 1,
                collector(&collector_name),
                Arc::clone(&name),
            );
            e.timestamp = Some(timestamp);
            e.kind = kind(&kind_name);
            e.heap_before_bytes = s.last.heap_before_bytes;
            e.heap_after_bytes = s.last.heap_after_bytes;
            e.heap_capacity_bytes = s.last.heap_capacity_bytes;
            e.old_after_bytes = s.last.old_after_bytes;
            e.metaspace_after_bytes = s.last.metaspace_after_bytes;
            out.push(e);
        }
    }
    out.sort_by_key(|e| e.timestamp);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(collections: Option<f64>, old_mb: u64) -> GcSample {
        GcSample {
            collections,
            last: LastFigures {
                old_after_bytes: Some(old_mb << 20),
                heap_after_bytes: Some((old_mb + 1) << 20),
                ..LastFigures::default()
            },
        }
    }

    #[test]
    fn one_event_per_scrape_in_which_the_counter_rose() {
        let mut samples = GcSamples::new();
        samples.insert(
            ("G1".into(), "young".into()),
            BTreeMap::from([
                (0, sample(Some(3.0), 10)),
                (15_000, sample(Some(3.0), 10)),
                (30_000, sample(Some(9.0), 12)),
                (45_000, sample(Some(10.0), 14)),
            ]),
        );
        // Micrometer's live data size has no counter: a changed figure is a new collection.
        samples.insert(
            ("Unknown".into(), "full".into()),
            BTreeMap::from([
                (0, sample(None, 5)),
                (15_000, sample(None, 5)),
                (30_000, sample(None, 6)),
            ]),
        );
        let events = events(&Arc::from("pod"), samples);
        let young: Vec<_> = events.iter().filter(|e| e.kind == GcKind::Young).collect();
        assert_eq!(young.len(), 3);
        assert_eq!(young[0].collector, Collector::G1);
        assert_eq!(
            young.iter().map(|e| e.old_after_bytes).collect::<Vec<_>>(),
            vec![Some(10 << 20), Some(12 << 20), Some(14 << 20)]
        );
        let full: Vec<_> = events.iter().filter(|e| e.kind == GcKind::Full).collect();
        assert_eq!(full.len(), 2);
        assert_eq!(full[1].old_after_bytes, Some(6 << 20));
        assert!(events.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));
    }
}
