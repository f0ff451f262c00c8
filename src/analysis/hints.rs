//! What to do about a suspect: the usual causes of that kind of growth, what to look at next,
//! and the JVM flags that bound it — written for the suspect found, with its numbers.

use serde::Serialize;

use super::budget::Budget;
use super::diagnosis::{Suspect, SuspectKind};
use crate::model::units::format_bytes;
use crate::model::{Field, Timeline};

/// Advice for one suspect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hint {
    /// The suspect's marked category, so a view can show the hints next to it.
    pub category: Option<String>,
    pub kind: SuspectKind,
    /// One line: the likely cause.
    pub title: String,
    /// What to check or change, one step per entry.
    pub steps: Vec<String>,
    /// Flags mentioned in the steps, for copy and paste.
    pub flags: Vec<String>,
}

fn hint(s: &Suspect, title: &str, steps: Vec<String>, flags: &[&str]) -> Hint {
    Hint {
        category: Some(s.category.clone()),
        kind: s.kind,
        title: title.to_string(),
        steps,
        flags: flags.iter().map(|f| f.to_string()).collect(),
    }
}

fn last_field(timeline: &Timeline, category: &str, field: Field) -> Option<i64> {
    timeline
        .snapshots
        .iter()
        .rev()
        .find_map(|s| s.category(category).and_then(|c| c.usage.field(field)))
}

/// The hints for one suspect (usually one; heap suspects also get the limit check).
pub fn hints_for(s: &Suspect, timeline: &Timeline, budget: Option<&Budget>) -> Vec<Hint> {
    let flag_of = |item: &str| {
        budget
            .and_then(|b| b.lines.iter().find(|l| l.item == item))
            .and_then(|l| l.flag.clone())
    };
    match s.kind {
        SuspectKind::DirectMemory => vec![hint(
            s,
            "Direct ByteBuffers (NIO, Netty) or other native malloc are not being released",
            vec![
                "Direct ByteBuffers count under Other on JDK 9+ (Internal on JDK 8). Look for ByteBuffer.allocateDirect kept in caches or pools, and Netty ByteBufs not release()d.".into(),
                "With Netty, run with -Dio.netty.leakDetection.level=paranoid (in a test) to get the allocation stack of every leaked buffer.".into(),
                format!(
                    "Bound it with {}: a leak then fails fast with OutOfMemoryError: Direct buffer memory instead of an OOM kill.",
                    flag_of("direct").unwrap_or_else(|| "-XX:MaxDirectMemorySize=…".into())
                ),
                "jcmd <pid> VM.native_memory detail shows the call sites (Unsafe_AllocateMemory0 for direct buffers, JNI libraries otherwise).".into(),
            ],
            &["-XX:MaxDirectMemorySize", "-Dio.netty.leakDetection.level=paranoid"],
        )],
        SuspectKind::ClassMetadata => {
            let classes = last_field(timeline, "Class", Field::ClassCount)
                .map(|n| format!(" ({n} classes loaded at the last snapshot)"))
                .unwrap_or_default();
            vec![hint(
                s,
                "Class-loader leak: classes are loaded again and again and their loaders never unload",
                vec![
                    format!("Watch the class count trend{classes}: it should level off after startup. A steady rise means new class loaders (redeploys, scripting engines, proxies, agents, per-request Groovy/JS compilation)."),
                    "jcmd <pid> VM.classloader_stats (or GC.class_histogram) shows which loaders hold the classes; a heap dump's class-loader view shows what keeps them reachable.".into(),
                    format!(
                        "Bound metaspace with {}: a leak then ends in OutOfMemoryError: Metaspace, with a stack trace, instead of an OOM kill.",
                        flag_of("metaspace").unwrap_or_else(|| "-XX:MaxMetaspaceSize=…".into())
                    ),
                    "-Xlog:class+load,class+unload shows whether classes are ever unloaded.".into(),
                ],
                &["-XX:MaxMetaspaceSize", "-Xlog:class+load,class+unload"],
            )]
        }
        SuspectKind::Threads => {
            let threads = last_field(timeline, "Thread", Field::ThreadCount)
                .map(|n| format!(" ({n} threads at the last snapshot)"))
                .unwrap_or_default();
            vec![hint(
                s,
                "Thread leak: threads are started and never end",
                vec![
                    format!("The thread count keeps rising{threads}. jcmd <pid> Thread.print (or jstack) shows the threads; group them by name to find the pool or code that starts them."),
                    "Executors created per request and never shut down, and unbounded pools (newCachedThreadPool) are the usual cause: share one bounded pool.".into(),
                    "Each thread reserves a stack (-Xss, 1 MiB by default on 64-bit Linux); a smaller -Xss (e.g. 512k) lowers the cost but does not fix the leak.".into(),
                ],
                &["-Xss"],
            )]
        }
        SuspectKind::Heap => {
            let mut steps = vec![
                "Heap that stays high after full/mixed collections means live data grows: a leak (caches without eviction, static collections, listeners) or a heap that is too small for the load.".into(),
                "Take two heap dumps minutes apart (jcmd <pid> GC.heap_dump) and compare the dominators; run with -XX:+HeapDumpOnOutOfMemoryError so the failure leaves one.".into(),
            ];
            if let Some(b) = budget {
                let xmx = timeline
                    .snapshots
                    .iter()
                    .rev()
                    .find_map(|s| s.category("Java Heap"))
                    .map(|c| c.usage.reserved_bytes);
                if let Some(xmx) = xmx {
                    steps.push(format!(
                        "The maximum heap (-Xmx, Java Heap reserved) is {} = {:.0}% of the {} limit; the rest of the JVM needs room too: size it with -Xmx or -XX:MaxRAMPercentage against the limit ({} suggested below).",
                        format_bytes(xmx),
                        xmx as f64 * 100.0 / b.limit_bytes as f64,
                        format_bytes(b.limit_bytes),
                        flag_of("heap").unwrap_or_else(|| "-Xmx…".into())
                    ));
                }
            } else {
                steps.push("Size the heap against the container limit with -Xmx or -XX:MaxRAMPercentage (give --limit for a suggestion).".into());
            }
            vec![hint(
                s,
                "Heap leak or undersized heap",
                steps,
                &["-XX:+HeapDumpOnOutOfMemoryError", "-Xmx", "-XX:MaxRAMPercentage"],
            )]
        }
        SuspectKind::CodeCache => vec![hint(
            s,
            "The code cache keeps growing",
            vec![
                "Code grows while the JIT compiles new code; steady growth late in a run means code is generated continuously (dynamic proxies, lambdas, scripting).".into(),
                "-XX:ReservedCodeCacheSize bounds it; jcmd <pid> Compiler.codecache shows its use.".into(),
            ],
            &["-XX:ReservedCodeCacheSize"],
        )],
        SuspectKind::GcStructures => vec![hint(
            s,
            "Collector data structures grow",
            vec![
                "GC memory (remembered sets, card tables, mark stacks) scales with the heap and the collector. Growth without heap growth points at remembered sets (G1): many cross-region references.".into(),
                "Compare collectors or tune G1 region size (-XX:G1HeapRegionSize); this is collector overhead, not application data.".into(),
            ],
            &["-XX:G1HeapRegionSize"],
        )],
        SuspectKind::Symbols => vec![hint(
            s,
            "The symbol / string table grows",
            vec![
                "Symbol grows with String.intern() of ever-new strings and with new class, method and field names. Look for interning of request data.".into(),
                "jcmd <pid> VM.stringtable and VM.symboltable show their sizes.".into(),
            ],
            &[],
        )],
        SuspectKind::Native => vec![hint(
            s,
            "Native memory in this NMT category grows",
            vec![format!(
                "Run with -XX:NativeMemoryTracking=detail and compare jcmd <pid> VM.native_memory detail.diff against a baseline to see the call sites that allocate {}.",
                s.category
            )],
            &["-XX:NativeMemoryTracking=detail"],
        )],
    }
}
