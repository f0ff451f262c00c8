//! Memory of following a growing GC log: appends `SRC` to `OUT` in 8 MiB pieces until `OUT`
//! reaches `MB` megabytes while a [`GcLogSource`] follows it (the `live --gc-log` path), then
//! prints the events received and this process's peak RSS (`VmHWM`). Used by
//! `scripts/follow-gc-rss.sh`.
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

use jvmem::live::{GcLogSource, Sink};
use jvmem::model::Update;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (src, out, mb) = match args.as_slice() {
        [_, s, o, m] => (s.clone(), o.clone(), m.parse::<u64>()?),
        _ => return Err("usage: follow_gc_rss SRC OUT MB".into()),
    };
    let mut body = Vec::new();
    std::fs::File::open(&src)?.read_to_end(&mut body)?;
    let mut file = std::fs::File::create(&out)?;
    let (tx, rx) = mpsc::channel::<Update>();
    let mut source = GcLogSource::new(&out);
    source.options.poll_every = Duration::from_millis(50);
    source.options.settle = Duration::from_millis(200);
    let handle = source.spawn(Sink::new(tx, None))?;
    let counter = std::thread::spawn(move || {
        let mut events = 0usize;
        for u in rx {
            if let Update::GcEvents(e) = u {
                events += e.len();
            }
        }
        events
    });
    let target = mb << 20;
    let mut written = 0u64;
    let mut marks = Vec::new();
    let mut next_mark = target / 8;
    while written < target {
        for piece in body.chunks(8 << 20) {
            file.write_all(piece)?;
            written += piece.len() as u64;
            std::thread::sleep(Duration::from_millis(60));
            if written >= next_mark {
                marks.push((written >> 20, peak_rss_kib()));
                next_mark += target / 8;
            }
            if written >= target {
                break;
            }
        }
    }
    file.flush()?;
    std::thread::sleep(Duration::from_secs(3));
    handle.stop();
    let events = counter.join().map_err(|_| "counter thread panicked")?;
    for (mb, kib) in &marks {
        println!(
            "written {mb:>5} MiB  peak RSS so far {:>6.1} MiB",
            *kib as f64 / 1024.0
        );
    }
    println!(
        "followed {} MiB: {events} GC events, peak RSS {:.1} MiB",
        written >> 20,
        peak_rss_kib() as f64 / 1024.0
    );
    Ok(())
}
