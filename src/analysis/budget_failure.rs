//! What ends the JVM first, and when: the container limit (an OOM kill, the budget's
//! `minutes_to_limit`) or the heap reaching its maximum (`OutOfMemoryError: Java heap
//! space`, the budget's `heap_exhaustion`). Under `-Xms = -Xmx` a heap leak never reaches the
//! limit but still fails the JVM, usually first; `jvmem fleet` ranks by this and `jvmem
//! serve` exposes it as `jvmem_time_to_failure_seconds{failure}`.

use serde::Serialize;

use super::budget::Budget;

/// How a growing JVM fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// The container reaches its memory limit: the kernel kills the process.
    OomKill,
    /// The heap reaches `-Xmx`: `OutOfMemoryError: Java heap space`.
    HeapOom,
}

impl Failure {
    /// As the tables write it: `OOM kill`, `heap OOM`.
    pub fn text(self) -> &'static str {
        match self {
            Failure::OomKill => "OOM kill",
            Failure::HeapOom => "heap OOM",
        }
    }

    /// As the JSON and the metrics' label write it: `oom_kill`, `heap_oom`.
    pub fn label(self) -> &'static str {
        match self {
            Failure::OomKill => "oom_kill",
            Failure::HeapOom => "heap_oom",
        }
    }
}

/// The first failure of a budget's projections.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirstFailure {
    /// Minutes until it, 0 when the limit is already reached.
    pub minutes: f64,
    pub failure: Failure,
}

impl Budget {
    /// The earlier of the OOM kill and the heap's exhaustion; `None` when neither comes. On a
    /// tie the OOM kill, which needs no full heap to happen.
    pub fn first_failure(&self) -> Option<FirstFailure> {
        let kill = self.minutes_to_limit.map(|m| FirstFailure {
            minutes: m.max(0.0),
            failure: Failure::OomKill,
        });
        let heap = self.heap_exhaustion.as_ref().map(|h| FirstFailure {
            minutes: h.minutes.max(0.0),
            failure: Failure::HeapOom,
        });
        match (kill, heap) {
            (Some(k), Some(h)) if h.minutes < k.minutes => Some(h),
            (Some(k), _) => Some(k),
            (None, h) => h,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::budget::HeapExhaustion;
    use crate::analysis::budget_gc::gc_model;
    use crate::model::Collector;

    fn budget(to_limit: Option<f64>, heap: Option<f64>) -> Budget {
        Budget {
            limit_bytes: 1 << 30,
            used_bytes: 1 << 28,
            used_source: "rss",
            headroom_bytes: 3 << 28,
            growth_rate_bytes_per_min: 0.0,
            minutes_to_limit: to_limit,
            nmt_committed_bytes: None,
            rss_bytes: None,
            rss_gap_bytes: None,
            lines: Vec::new(),
            fits: true,
            short_by_bytes: 0,
            needed_limit_bytes: 0,
            flags: String::new(),
            flag_list: Vec::new(),
            max_ram_percentage: None,
            max_threads: None,
            pids_limit: None,
            jdk: "9+",
            gc_model: gc_model(Collector::G1),
            needs: None,
            heap_exhaustion: heap.map(|minutes| HeapExhaustion {
                max_heap_bytes: 160 << 20,
                live_bytes: 150 << 20,
                fully_committed: true,
                minutes,
            }),
        }
    }

    #[test]
    fn the_earlier_of_the_kill_and_the_full_heap() {
        let first = |a, b| budget(a, b).first_failure().map(|f| (f.minutes, f.failure));
        // -Xms = -Xmx: no time to the limit, the heap full in 0.25 min.
        assert_eq!(first(None, Some(0.25)), Some((0.25, Failure::HeapOom)));
        assert_eq!(first(Some(262.0), None), Some((262.0, Failure::OomKill)));
        assert_eq!(
            first(Some(262.0), Some(30.0)),
            Some((30.0, Failure::HeapOom))
        );
        assert_eq!(
            first(Some(20.0), Some(30.0)),
            Some((20.0, Failure::OomKill))
        );
        assert_eq!(
            first(Some(30.0), Some(30.0)),
            Some((30.0, Failure::OomKill))
        );
        assert_eq!(first(Some(-1.0), None), Some((0.0, Failure::OomKill)));
        assert_eq!(first(None, None), None);
        assert_eq!(Failure::HeapOom.text(), "heap OOM");
        assert_eq!(
            serde_json::to_value(Failure::OomKill).ok(),
            Some(serde_json::json!("oom_kill"))
        );
    }
}
