//! `jvmem report --format markdown`: the same diagnosis as the text report, as GitHub-flavoured
//! Markdown for tickets and CI summaries.

use std::fmt::Write;

use super::diagnosis_text::{budget_verdict, series_amounts};
use crate::analysis::Diagnosis;
use crate::model::units::format_bytes;

/// Table cells must not break the table; commands and flags become code (see [`prose`]).
pub fn cell(s: &str) -> String {
    prose(s).replace('|', "\\|").replace('\n', " ")
}

/// Text for Markdown: commands (`jcmd <pid> VM.classloader_stats`, `GC.heap_dump`) and JVM
/// flags (`-XX:MaxDirectMemorySize`) become code spans, and any other `<`/`>` is escaped, so
/// GitHub shows `<pid>` instead of dropping it as an HTML tag.
pub fn prose(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let (lead, core, tail) = split_punctuation(words[i]);
        if core == "jcmd"
            && words
                .get(i + 1)
                .is_some_and(|w| split_punctuation(w).1 == "<pid>")
        {
            // `jcmd <pid>` and the command words after it, up to punctuation.
            let mut span = vec!["jcmd".to_string()];
            let mut end_tail = tail;
            let mut j = i + 1;
            if tail.is_empty() {
                while let Some(word) = words.get(j) {
                    let (lead, core, tail) = split_punctuation(word);
                    if !lead.is_empty() || !(core == "<pid>" || is_jcmd_word(core)) {
                        break;
                    }
                    span.push(core.to_string());
                    j += 1;
                    end_tail = tail;
                    if !tail.is_empty() {
                        break;
                    }
                }
            }
            out.push(format!("{lead}`{}`{}", span.join(" "), escape(end_tail)));
            i = j;
            continue;
        }
        if is_jcmd_command(core) || is_flag(core) {
            out.push(format!("{lead}`{core}`{}", escape(tail)));
        } else {
            out.push(escape(words[i]));
        }
        i += 1;
    }
    out.join(" ")
}

/// `(VM.native_memory),` → (`(`, `VM.native_memory`, `),`).
fn split_punctuation(word: &str) -> (&str, &str, &str) {
    let (lead, rest) = word.split_at(word.len() - word.trim_start_matches('(').len());
    let core = rest.trim_end_matches([',', '.', ';', ':', ')']);
    let (core, tail) = rest.split_at(core.len());
    (lead, core, tail)
}

/// A jcmd command (`VM.classloader_stats`, `GC.class_histogram`, `Thread.print`).
fn is_jcmd_command(word: &str) -> bool {
    let Some((group, name)) = word.split_once('.') else {
        return false;
    };
    ["VM", "GC", "Thread", "Compiler", "JFR", "System"].contains(&group)
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// A word that continues a jcmd command line: the command or one of its arguments.
fn is_jcmd_word(word: &str) -> bool {
    is_jcmd_command(word)
        || [
            "summary",
            "detail",
            "detail.diff",
            "summary.diff",
            "baseline",
            "-all",
        ]
        .contains(&word)
}

/// A JVM flag: `-XX:…`, `-Xmx…`, `-Xss…`.
fn is_flag(word: &str) -> bool {
    word.starts_with("-XX:") || word.starts_with("-Xm") || word.starts_with("-Xss")
}

fn escape(text: &str) -> String {
    text.replace('<', "&lt;").replace('>', "&gt;")
}

/// Renders the whole diagnosis as Markdown.
pub fn render(d: &Diagnosis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# JVM memory report\n");
    if d.suspects.is_empty() {
        let _ = writeln!(
            out,
            "**Verdict: no growth found** ({}).",
            d.window.summary()
        );
    } else {
        let _ = writeln!(
            out,
            "**Verdict: {} suspect(s)**, most likely first:\n",
            d.suspects.len()
        );
        for (i, s) in d.suspects.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, cell(&s.headline()));
        }
    }
    if let Some(b) = &d.budget {
        let _ = writeln!(out, "\n**Container:** {}.", prose(&budget_verdict(b)));
    }
    for note in &d.notes {
        let _ = writeln!(out, "\n> Note: {}", prose(note));
    }
    for (i, s) in d.suspects.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n## Suspect {}: {} ({})\n",
            i + 1,
            s.category,
            s.kind.meaning()
        );
        let _ = writeln!(out, "{}\n", prose(&s.evidence));
        let _ = writeln!(
            out,
            "| category | series | start | growth | rate | tau | points |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|");
        for row in &s.series {
            let (start, growth, rate) = series_amounts(row);
            let _ = writeln!(
                out,
                "| {} | {} | {start} | {growth} | {rate} | {:.2} | {} |",
                cell(&row.category),
                row.metric.label(),
                row.trend.tau,
                row.trend.points
            );
        }
        for h in d.hints_for(s) {
            let _ = writeln!(out, "\n**What to do: {}**\n", prose(&h.title));
            for step in &h.steps {
                let _ = writeln!(out, "- {}", cell(step));
            }
        }
    }
    if let Some(b) = &d.budget {
        let _ = writeln!(out, "\n## Container budget\n");
        let _ = writeln!(out, "| item | budget | seen | flag | why |");
        let _ = writeln!(out, "|---|---:|---:|---|---|");
        for l in &b.lines {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                l.item,
                format_bytes(l.budget_bytes),
                format_bytes(l.observed_bytes),
                l.flag
                    .as_deref()
                    .map(|f| format!("`{f}`"))
                    .unwrap_or_default(),
                cell(&l.why)
            );
        }
        let _ = writeln!(out, "\n{}", cell(&super::diagnosis_text::fit_verdict(b)));
        if !b.flags.is_empty() {
            let _ = writeln!(out, "\n```\n{}\n```", b.flags);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn commands_and_flags_become_code_and_angle_brackets_survive() {
        assert_eq!(
            prose("jcmd <pid> VM.classloader_stats (or GC.class_histogram) shows which loaders"),
            "`jcmd <pid> VM.classloader_stats` (or `GC.class_histogram`) shows which loaders"
        );
        assert_eq!(
            prose("compare jcmd <pid> VM.native_memory detail.diff against a baseline."),
            "compare `jcmd <pid> VM.native_memory detail.diff` against a baseline."
        );
        assert_eq!(
            prose(
                "Take dumps (jcmd <pid> GC.heap_dump); run with -XX:+HeapDumpOnOutOfMemoryError."
            ),
            "Take dumps (`jcmd <pid> GC.heap_dump`); run with `-XX:+HeapDumpOnOutOfMemoryError`."
        );
        assert_eq!(prose("a <b> c"), "a &lt;b&gt; c");
    }
}
