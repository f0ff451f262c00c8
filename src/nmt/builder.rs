//! Builds one [`Snapshot`](crate::model::Snapshot) from the lines after `Native Memory Tracking:`.
//!
//! Line shapes (all JDKs 8–25; see docs/formats.md):
//! - `Total: reserved=…, committed=…` then, JDK 17u+/18+, indented `malloc: …` and `mmap: …`
//!   (JDK 25 diffs print them unindented as `malloc=… +… #… +…`);
//! - `-  NAME (reserved=…, committed=…[, readonly=…])` starts a category;
//! - `(…)` groups under a category, several per line;
//! - `Virtual memory map:` / `Details:` start the detail sections, which are skipped to their
//!   end (call sites and mappings are not needed by any view yet; see docs/formats.md).

use chrono::{DateTime, FixedOffset};

use crate::model::{Category, Scale, Usage};

use super::group::{self, Context as GroupContext, Outcome};
use super::scan::Context;
use super::shapes::{Known, Lookup};
use super::templates::{self, Template};
use super::tokens::{Token, tokenize_into};

mod finish;
mod reads;
mod text;

pub(super) use reads::{amounts_into, read_sub_line};
use text::{strip_log_prefix, trim_indent};

/// Names every JDK from 8 to 25 prints; others are kept but reported once.
const KNOWN_CATEGORIES: &[&str] = &[
    "Java Heap",
    "Class",
    "Thread",
    "Thread Stack",
    "Code",
    "GC",
    "GCCardSet",
    "Compiler",
    "JVMCI",
    "Internal",
    "Other",
    "Symbol",
    "Native Memory Tracking",
    "Shared class space",
    "Arena Chunk",
    "Test",
    "Tracing",
    "Logging",
    "Statistics",
    "Arguments",
    "Module",
    "Safepoint",
    "Synchronization",
    "Synchronizer",
    "Serviceability",
    "Metaspace",
    "String Deduplication",
    "Object Monitors",
    "Unknown",
];

/// Built once: the substring searcher for category header lines.
static RESERVED: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("(reserved="));

/// Stray lines tolerated between `Native Memory Tracking:` and `Total:`; a header mentioned in
/// prose is still given up soon after.
const MAX_SKIPPED_AT_START: u8 = 3;

/// What the scanner should do after a line was fed.
#[derive(Debug, PartialEq, Eq)]
pub enum Feed {
    Consumed,
    /// The line does not belong to this snapshot; it must be looked at again outside.
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before `Total:`.
    Start,
    /// After `Total:`, before the first category: the Total's own sub-lines.
    Total,
    Categories,
    /// `Virtual memory map:` / `Details:` of `detail` output.
    Detail,
}

pub struct SnapshotBuilder<'a> {
    line: u64,
    pid: Option<u32>,
    timestamp: Option<DateTime<FixedOffset>>,
    /// Width of a log prefix before `Native Memory Tracking:` (0: none).
    prefix_len: usize,
    section: Section,
    scale: Option<Scale>,
    total: Option<Usage>,
    total_context: GroupContext,
    categories: Vec<Category>,
    context: GroupContext,
    has_delta: bool,
    is_detail: bool,
    last_line: u64,
    /// Unrecognized lines skipped between the header and the Total.
    skipped_at_start: u8,
    /// `(…)` lines read under the current (last) category.
    sub_lines: u32,
    /// `(…)` lines read in the whole snapshot, the one being read included.
    snapshot_sub_lines: u32,
    /// Reused for every line: the hot path allocates no token vectors.
    tokens: Vec<Token<'a>>,
    /// Fields of the category being read, moved out exact-size when it closes.
    fields: Vec<crate::model::FieldValue>,
}

impl<'a> SnapshotBuilder<'a> {
    pub fn new(
        line: u64,
        pid: Option<u32>,
        timestamp: Option<DateTime<FixedOffset>>,
        prefix_len: usize,
    ) -> Self {
        SnapshotBuilder {
            line,
            pid,
            timestamp,
            prefix_len,
            section: Section::Start,
            scale: None,
            total: None,
            total_context: GroupContext::None,
            categories: Vec::with_capacity(24),
            context: GroupContext::None,
            has_delta: false,
            is_detail: false,
            last_line: line,
            skipped_at_start: 0,
            sub_lines: 0,
            snapshot_sub_lines: 0,
            tokens: Vec::with_capacity(16),
            fields: Vec::with_capacity(24),
        }
    }

    /// Reads one line (already trimmed at the end).
    pub fn feed(&mut self, line: &'a str, line_no: u64, ctx: &mut Context) -> Feed {
        let content = if self.prefix_len > 0 {
            match strip_log_prefix(line, self.prefix_len) {
                Some(c) => c,
                None => return Feed::Ended,
            }
        } else {
            line
        };
        let trimmed = trim_indent(content);
        if trimmed.is_empty() {
            return Feed::Consumed;
        }
        if self.section == Section::Detail {
            return self.feed_detail(content, trimmed);
        }
        // Sub-lines are most of a snapshot's lines, and no test below but the one for `(` can
        // match a line that starts with `(`: they go there first.
        if trimmed.starts_with('(') {
            self.last_line = line_no;
            if !trimmed.starts_with("(Omitting categories") {
                self.read_groups(trimmed, line_no, ctx);
            }
            return Feed::Consumed;
        }
        if trimmed.starts_with("Native Memory Tracking:") {
            return Feed::Ended;
        }
        if trimmed.starts_with("Virtual memory map:") || trimmed.starts_with("Details:") {
            self.section = Section::Detail;
            self.is_detail = true;
            return Feed::Consumed;
        }
        self.last_line = line_no;
        if let Some(rest) = trimmed.strip_prefix("Total:") {
            // A second Total starts the next snapshot (two pastes without their headers).
            if self.total.is_some() || self.section == Section::Categories {
                return Feed::Ended;
            }
            self.read_total(rest, line_no, ctx);
            return Feed::Consumed;
        }
        if trimmed.starts_with('-') {
            if let Some(open) = RESERVED.find(trimmed.as_bytes()) {
                self.read_category(trimmed, open, line_no, ctx);
                return Feed::Consumed;
            }
        }
        // JDK 25 `detail.diff` goes from the categories straight into call sites.
        if trimmed.starts_with("[0x") && self.section == Section::Categories {
            self.section = Section::Detail;
            self.is_detail = true;
            return Feed::Consumed;
        }
        // JDK 17 and early 21 diffs print the metaspace headers as `: (  Metadata)`.
        let trimmed = match trimmed.strip_prefix(':') {
            Some(rest) if rest.trim_ascii_start().starts_with('(') => rest.trim_ascii_start(),
            _ => trimmed,
        };
        if trimmed.starts_with('(') {
            if trimmed.starts_with("(Omitting categories") {
                return Feed::Consumed;
            }
            self.read_groups(trimmed, line_no, ctx);
            return Feed::Consumed;
        }
        if self.section == Section::Total
            && (trimmed.starts_with("malloc") || trimmed.starts_with("mmap"))
        {
            self.read_total_sub_line(trimmed, line_no, ctx);
            return Feed::Consumed;
        }
        // Before the Total, a few stray lines (a damaged paste, a log line that slipped in)
        // are skipped rather than costing the whole snapshot.
        if self.section == Section::Start
            && self.skipped_at_start < MAX_SKIPPED_AT_START
            && super::jcmd_errors::jcmd_failure(trimmed).is_none()
            && !is_context_line(trimmed)
        {
            self.skipped_at_start += 1;
            ctx.diagnostics.push(crate::model::Diagnostic::warning(
                &ctx.source,
                line_no,
                format!("unrecognized line after the NMT header, skipped: {trimmed:?}"),
            ));
            return Feed::Consumed;
        }
        if content.starts_with(char::is_whitespace) && self.section != Section::Start {
            ctx.warn_once(
                format!("line:{trimmed}"),
                line_no,
                format!("unrecognized line inside a snapshot, skipped: {trimmed:?}"),
            );
            return Feed::Consumed;
        }
        Feed::Ended
    }

    fn feed_detail(&self, content: &str, trimmed: &str) -> Feed {
        let belongs = content.starts_with(char::is_whitespace)
            || trimmed.starts_with('[')
            || trimmed.starts_with('(')
            || trimmed.starts_with("Details:")
            || trimmed.starts_with("Virtual memory map:");
        if belongs { Feed::Consumed } else { Feed::Ended }
    }

    fn scale(&self) -> Scale {
        self.scale.unwrap_or_default()
    }

    fn read_total(&mut self, rest: &'a str, line_no: u64, ctx: &mut Context) {
        let mut tokens = std::mem::take(&mut self.tokens);
        if !tokenize_into(rest, &mut tokens) {
            ctx.error(line_no, format!("cannot read the Total line: {rest:?}"));
            self.tokens = tokens;
            return;
        }
        self.scale = Some(scale_of(&tokens));
        let mut usage = Usage::default();
        self.read_amounts(&tokens, &mut usage, line_no, ctx, "Total");
        self.tokens = tokens;
        self.total = Some(usage);
        self.section = Section::Total;
    }

    fn read_total_sub_line(&mut self, trimmed: &'a str, line_no: u64, ctx: &mut Context) {
        let scale = self.scale();
        if !tokenize_into(trimmed, &mut self.tokens) {
            ctx.warn_once(
                format!("total:{trimmed}"),
                line_no,
                format!("cannot read Total sub-line, skipped: {trimmed:?}"),
            );
            return;
        };
        self.has_delta |= has_delta(&self.tokens);
        let Some(total) = self.total.as_mut() else {
            return;
        };
        // Each Total sub-line stands alone: `mmap:` must not inherit `malloc`'s context.
        self.total_context = GroupContext::None;
        if let Outcome::Unknown(what) =
            group::apply(&self.tokens, scale, total, &mut self.total_context)
        {
            ctx.warn_once(
                format!("total-sub:{what}"),
                line_no,
                format!("unknown Total sub-line kept as extra ({what}): {trimmed:?}"),
            );
        }
    }

    /// A category header; `open` is where `(reserved=` starts.
    fn read_category(&mut self, trimmed: &'a str, open: usize, line_no: u64, ctx: &mut Context) {
        self.close_category();
        let name = trimmed[1..open].trim_ascii();
        let inner = &trimmed[open + 1..];
        let inner = memchr::memrchr(b')', inner.as_bytes()).map_or(inner, |close| &inner[..close]);
        let mut usage = Usage {
            fields: std::mem::take(&mut self.fields),
            ..Usage::default()
        };
        // The amounts of a header of a shape read before (`templates.rs`).
        let mut learn = None;
        if let (Some(scale), Some(headers)) = (self.scale, ctx.headers.as_mut()) {
            let key = templates::key_byte(GroupContext::None, scale);
            match headers.look_up(inner, key, self.categories.len(), true) {
                Lookup::Known(Some(t), runs) if t.apply(runs, &mut usage) => {
                    self.has_delta |= t.has_delta;
                    let name = category_name(ctx, name, line_no);
                    self.push_category(name, usage);
                    return;
                }
                Lookup::New => learn = Some(scale),
                _ => {}
            }
        }
        let mut tokens = std::mem::take(&mut self.tokens);
        if !tokenize_into(inner, &mut tokens) {
            self.tokens = tokens;
            self.fields = usage.fields;
            ctx.error(
                line_no,
                format!("cannot read the amounts of category {name:?}: {trimmed:?}"),
            );
            return;
        };
        if self.scale.is_none() {
            self.scale = Some(scale_of(&tokens));
        }
        let name = category_name(ctx, name, line_no);
        self.read_amounts(&tokens, &mut usage, line_no, ctx, &name);
        self.tokens = tokens;
        if let Some(scale) = learn {
            let template = Template::learn_header(inner, scale);
            if let Some(headers) = ctx.headers.as_mut() {
                headers.insert(template);
            }
        }
        self.push_category(name, usage);
    }

    fn push_category(&mut self, name: std::sync::Arc<str>, usage: Usage) {
        self.categories.push(Category { name, usage });
        self.sub_lines = 0;
        self.context = GroupContext::None;
        self.section = Section::Categories;
    }

    /// `reserved=…, committed=…[, readonly=…]` of the Total or a category header.
    fn read_amounts(
        &mut self,
        tokens: &[Token<'_>],
        usage: &mut Usage,
        line_no: u64,
        ctx: &mut Context,
        what: &str,
    ) {
        let (seen_both, has_delta, outcome) = amounts_into(tokens, self.scale(), usage);
        self.has_delta |= has_delta;
        if !seen_both {
            ctx.error(
                line_no,
                format!("{what}: reserved or committed amount missing"),
            );
        }
        if let Outcome::Unknown(unknown) = outcome {
            ctx.warn_once(
                format!("amounts:{what}:{unknown}"),
                line_no,
                format!("{what}: unknown value kept as extra ({unknown})"),
            );
        }
    }

    /// Gives the last category exact-size fields and keeps the big buffer for the next one.
    fn close_category(&mut self) {
        if let Some(last) = self.categories.last_mut() {
            if last.usage.fields.capacity() > last.usage.fields.len() {
                let exact = last.usage.fields.as_slice().to_vec();
                self.fields = std::mem::replace(&mut last.usage.fields, exact);
                self.fields.clear();
            }
        }
    }

    /// One line of `(…)` groups under the current category.
    fn read_groups(&mut self, trimmed: &'a str, line_no: u64, ctx: &mut Context) {
        let scale = self.scale();
        self.sub_lines += 1;
        self.snapshot_sub_lines += 1;
        let Some(category) = self.categories.last_mut() else {
            ctx.warn_once(
                format!("orphan:{trimmed}"),
                line_no,
                format!("sub-line before any category, skipped: {trimmed:?}"),
            );
            return;
        };
        // A consumer of totals only: a line of a shape read before is only counted
        // (`shapes.rs` says why that is exact).
        let context_before = self.context;
        let mut memo = false;
        let mut learn = false;
        if let Some(templates) = ctx.templates.as_mut() {
            let key = templates::key_byte(context_before, scale);
            let place = self.snapshot_sub_lines as usize;
            match templates.look_up(trimmed, key, place, true) {
                Lookup::Known(Some(t), runs) if t.apply(runs, &mut category.usage) => {
                    self.context = t.context;
                    self.has_delta |= t.has_delta;
                    return;
                }
                Lookup::New => learn = true,
                _ => {}
            }
        }
        if let Some(shapes) = ctx.shapes.as_mut() {
            let place = self.snapshot_sub_lines as usize;
            match shapes.look_up(trimmed, context_before as u8, place, false) {
                Lookup::Known(known, _) => {
                    self.context = known.context;
                    self.has_delta |= known.has_delta;
                    return;
                }
                Lookup::New => memo = true,
                Lookup::Never => {}
            }
        }
        let name = &category.name;
        let (understood, line_has_delta) = read_sub_line(
            trimmed,
            scale,
            &mut category.usage,
            &mut self.context,
            &mut self.tokens,
            |inner, unknown| match unknown {
                None => ctx.warn_once(
                    format!("group:{name}:{inner}"),
                    line_no,
                    format!("{name}: cannot read sub-line, skipped: ({inner})"),
                ),
                Some(what) => ctx.warn_once(
                    format!("sub:{name}:{what}"),
                    line_no,
                    format!("{name}: unknown sub-line kept as extra ({what}): ({inner})"),
                ),
            },
        );
        self.has_delta |= line_has_delta;
        if learn && understood {
            let template = Template::learn(trimmed, context_before, scale);
            if let Some(templates) = ctx.templates.as_mut() {
                templates.insert(template);
            }
        }
        if memo && understood {
            if let Some(shapes) = ctx.shapes.as_mut() {
                let known = Known {
                    context: self.context,
                    has_delta: line_has_delta,
                };
                shapes.insert(known);
            }
        }
    }
}

/// The shared copy of a category's name; an unknown name is reported the first time.
fn category_name(ctx: &mut Context, name: &str, line_no: u64) -> std::sync::Arc<str> {
    let (name, first_sight) = ctx.intern(name);
    if first_sight && !KNOWN_CATEGORIES.contains(&&*name) {
        ctx.warn_once(
            format!("category:{name}"),
            line_no,
            format!("unknown category {name:?} (newer JDK?): kept"),
        );
    }
    name
}

/// A jcmd `<pid>:` header or a timestamp line: context for the *next* snapshot, never skipped.
fn is_context_line(trimmed: &str) -> bool {
    let pid_header = trimmed
        .strip_suffix(':')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    pid_header || super::timestamp::parse_timestamp_line(trimmed).is_some()
}

fn has_delta(tokens: &[Token<'_>]) -> bool {
    tokens.iter().any(|t| match t {
        Token::Key(_, _, d) | Token::Bare(_, d) => d.is_some(),
        Token::Count(_, d) => d.is_some(),
        _ => false,
    })
}

/// The unit of the first amount that carries one; none at all means bytes.
fn scale_of(tokens: &[Token<'_>]) -> Scale {
    tokens
        .iter()
        .find_map(|t| match t {
            Token::Key(_, amount, _) | Token::Bare(amount, _) => Some(amount.unit),
            _ => None,
        })
        .flatten()
        .unwrap_or(Scale::Bytes)
}
