//! The `gc` line of the budget: collector data structures as a fixed part plus a measured share
//! of the **maximum** heap (`-Xmx`), per collector.
//!
//! Card tables, mark bitmaps and block-offset tables are sized by the heap the collector may
//! use, not by what happens to be committed early on (scaling by a ratio to the *committed*
//! heap made a 34 MiB early heap with 37.5 MiB of G1 structures budget 365 MiB of GC). Measured
//! here with `samples/gen/gc-share.sh` (the `steady` workload, `-Xms = -Xmx`, NMT `GC` +
//! `GCCardSet` committed after 12 s, JDK 17.0.15 and 21.0.8, 1 and 2 CPUs, -Xmx 128m / 512m /
//! 2g; the full table is in `docs/diagnosis.md`, "Budget"):
//!
//! | collector  | fixed (2 CPUs)  | share of -Xmx | notes |
//! |------------|-----------------|---------------|-------|
//! | G1         | 36 MiB          | 4.0%          | JDK 17: 41.2 / 56.5 / 117.8 MiB; JDK 21: 39.0 / 47.8 / 83.0 (2.3%) |
//! | Parallel   | 9.5 MiB         | 3.7%          | JDK 17: 14.1 / 28.1 / 84.2 MiB; JDK 21: 10.9 / 25.0 / 81.1; −3 MiB on 1 CPU |
//! | Serial     | 0.5 MiB         | 0.4%          | 0.4 / 1.7 / 6.7 MiB on both JDKs and CPU counts |
//! | Shenandoah | 1.5 MiB         | 3.2%          | 5.2 / 17.4 / 65.4 MiB on both JDKs and CPU counts |
//! | ZGC        | 66 MiB          | 0.3%          | 65.6 – 71.0 MiB at every -Xmx: its structures are mostly fixed |
//! | Epsilon    | 0               | 0             | 1170 bytes at every -Xmx (it never collects) |
//!
//! The fixed part grows with the number of GC worker threads (a few MiB per worker for
//! Parallel and G1); the budget therefore takes the larger of this model's fixed part and the
//! fixed part the recording itself shows (its GC peak minus the share of its own maximum heap),
//! which also holds remembered sets that grow with the live data.

use serde::Serialize;

use super::budget_peaks::Needs;
use crate::model::Collector;
use crate::num::u64_from_f64;

const MIB: f64 = (1u64 << 20) as f64;

/// GC structures = `fixed_bytes` + `share_of_max_heap` × `-Xmx`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GcModel {
    /// The collector's name, as measured (`G1 (assumed)` without a GC log).
    pub name: &'static str,
    pub fixed_bytes: u64,
    pub share_of_max_heap: f64,
}

impl GcModel {
    /// The fixed part for this service: the model's, or more when the recording shows more
    /// (more GC workers, grown remembered sets).
    pub fn fixed_for(&self, n: &Needs) -> u64 {
        let seen = n.gc.peak_bytes as f64 - self.share_of_max_heap * n.heap_max_bytes as f64;
        u64_from_f64((self.fixed_bytes as f64).max(seen))
    }
}

/// The measured model of a collector. Without a GC log the collector is unknown: G1's figures
/// (the JDK 9+ default on 2+ CPUs) are used, and the fixed part seen in the recording still
/// raises them when larger.
pub fn gc_model(collector: Collector) -> GcModel {
    let (name, fixed_mib, share) = match collector {
        Collector::G1 => ("G1", G1_FIXED_MIB, G1_SHARE),
        Collector::Unknown => ("G1 (assumed: no GC log)", G1_FIXED_MIB, G1_SHARE),
        Collector::Parallel => ("Parallel", PARALLEL_FIXED_MIB, PARALLEL_SHARE),
        Collector::Serial => ("Serial", SERIAL_FIXED_MIB, SERIAL_SHARE),
        Collector::Shenandoah => ("Shenandoah", SHENANDOAH_FIXED_MIB, SHENANDOAH_SHARE),
        Collector::Zgc => ("ZGC", ZGC_FIXED_MIB, ZGC_SHARE),
        // Epsilon never collects: NMT `GC` is 1170 bytes at -Xmx 128m, 512m and 2g (JDK 17,
        // `-version` with PrintNMTStatistics).
        Collector::Epsilon => ("Epsilon", 0.0, 0.0),
        // CMS (JDK ≤ 13) cannot be run here: its card table and mark bitmap are like Serial's
        // plus a second bitmap; Parallel's figures are the closer upper bound.
        Collector::Cms => (
            "CMS (Parallel's figures)",
            PARALLEL_FIXED_MIB,
            PARALLEL_SHARE,
        ),
    };
    GcModel {
        name,
        fixed_bytes: u64_from_f64(fixed_mib * MIB),
        share_of_max_heap: share,
    }
}

// Fitted from the table above: the line through -Xmx 128m and 2g on 2 CPUs, taking the larger
// of JDK 17 and 21 for each part.
const G1_FIXED_MIB: f64 = 36.0;
const G1_SHARE: f64 = 0.040;
const PARALLEL_FIXED_MIB: f64 = 9.5;
const PARALLEL_SHARE: f64 = 0.037;
const SERIAL_FIXED_MIB: f64 = 0.5;
const SERIAL_SHARE: f64 = 0.004;
const SHENANDOAH_FIXED_MIB: f64 = 1.5;
const SHENANDOAH_SHARE: f64 = 0.032;
const ZGC_FIXED_MIB: f64 = 66.0;
const ZGC_SHARE: f64 = 0.003;
