//! Builds a big unified GC log for benchmarks by repeating the body of a real `-Xlog:gc*` log
//! with shifted times (`time`/`utctime` and `uptime` decorators) and GC ids, so the result reads
//! like one long-running JVM. `cargo run --release --example gen_big_gc_log -- SRC OUT [MB]`

use std::io::{BufWriter, Write};

use chrono::{DateTime, Duration, FixedOffset};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(src), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_big_gc_log SRC OUT [MB]");
        std::process::exit(2);
    };
    let target_mb: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(512);
    let text = std::fs::read_to_string(src)?;
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| l.contains("GC(")).unwrap_or(0);
    let last = lines
        .iter()
        .rposition(|l| l.contains("GC("))
        .unwrap_or(lines.len().saturating_sub(1));
    let (header, body) = (&lines[..first], &lines[first..=last]);
    let uptime = |l: &str| -> Option<f64> {
        l.split(']')
            .find_map(|g| g.trim_start_matches('[').strip_suffix('s')?.parse().ok())
    };
    let start = body.iter().find_map(|l| uptime(l)).unwrap_or(0.0);
    let end = body.iter().rev().find_map(|l| uptime(l)).unwrap_or(start);
    let period = (end - start).max(0.001) + 0.5;
    let max_id = body
        .iter()
        .filter_map(|l| {
            l.split("GC(")
                .nth(1)?
                .split(')')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    for l in header {
        writeln!(w, "{l}")?;
    }
    let target = target_mb << 20;
    let mut written = 0u64;
    let mut k = 0u64;
    let mut line = String::new();
    while written < target {
        let shift = period * k as f64;
        let id_shift = (max_id + 1) * k;
        for l in body {
            line.clear();
            shift_line(l, shift, id_shift, &mut line);
            line.push('\n');
            written += line.len() as u64;
            w.write_all(line.as_bytes())?;
        }
        k += 1;
    }
    w.flush()?;
    eprintln!(
        "{out}: {} MiB, {k} copies of {} lines",
        written >> 20,
        body.len()
    );
    Ok(())
}

/// Rewrites the decorators and the `GC(N)` id of one line.
fn shift_line(l: &str, shift: f64, id_shift: u64, out: &mut String) {
    let mut rest = l;
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else { break };
        let group = &inner[..close];
        out.push('[');
        if let Ok(t) = DateTime::<FixedOffset>::parse_from_str(group, "%Y-%m-%dT%H:%M:%S%.3f%z") {
            let t = t + Duration::microseconds(jvmem::num::i64_from_f64(shift * 1e6));
            out.push_str(&t.format("%Y-%m-%dT%H:%M:%S%.3f%z").to_string());
        } else if let Some(u) = group.strip_suffix('s').and_then(|u| u.parse::<f64>().ok()) {
            out.push_str(&format!("{:.3}s", u + shift));
        } else {
            out.push_str(group);
        }
        out.push(']');
        rest = &inner[close + 1..];
    }
    match rest.find("GC(") {
        Some(pos) => {
            let after = &rest[pos + 3..];
            let digits = after.find(')').unwrap_or(0);
            match after[..digits].parse::<u64>() {
                Ok(id) => {
                    out.push_str(&rest[..pos]);
                    out.push_str(&format!("GC({})", id + id_shift));
                    out.push_str(&after[digits + 1..]);
                }
                Err(_) => out.push_str(rest),
            }
        }
        None => out.push_str(rest),
    }
}
