//! Serial, Parallel and CMS generation lines: `PSYoungGen: 8704K->592K(9728K)`, `DefNew: …`,
//! `ParNew: …`, `ParOldGen: …`, `PSOldGen: …`, `Tenured: …`, `CMS: …`, and every collector's
//! `Metaspace: 3644K->3644K(1056768K)` (JDK 17+: `2357K(2560K)->2357K(2560K) NonClass: …`).

use crate::gclog::numbers::{Transition, find_transition};
use crate::model::Collector;

/// Which space a generation line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    Young,
    Old,
    Metaspace,
}

/// Reads a generation line: its space, the transition, and the collector it betrays.
pub fn generation_line(body: &[u8]) -> Option<(Space, Transition, Option<Collector>)> {
    const NAMES: [(&[u8], Space, Option<Collector>); 9] = [
        (b"PSYoungGen:", Space::Young, Some(Collector::Parallel)),
        (b"ParOldGen:", Space::Old, Some(Collector::Parallel)),
        (b"PSOldGen:", Space::Old, Some(Collector::Parallel)),
        (b"DefNew:", Space::Young, Some(Collector::Serial)),
        (b"Tenured:", Space::Old, None),
        (b"ParNew:", Space::Young, Some(Collector::Cms)),
        (b"CMS:", Space::Old, Some(Collector::Cms)),
        (b"Metaspace:", Space::Metaspace, None),
        (b"Old:", Space::Old, None),
    ];
    let (name, space, collector) = NAMES.iter().find(|(n, _, _)| body.starts_with(n))?;
    let rest = body.get(name.len()..)?;
    let (t, _) = find_transition(rest)?;
    Some((*space, t, *collector))
}
