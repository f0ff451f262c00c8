//! Views of one snapshot: [`SnapshotRef`], [`CategoryRef`], [`UsageRef`]. They read a
//! [`super::Snapshots`] store's bytes in place (or a parsed [`Snapshot`], via
//! [`Snapshot::view`]), so the same analysis code serves both. The head of a snapshot (place,
//! time, pid, kind, the Total's amounts) is decoded when the view is made, categories and
//! sub-fields as they are iterated.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::snapshot_code::{Detail, Reader, find_field, read_field};
use super::snapshot_store::Snapshots;
use super::{Category, ExtraLine, Field, FieldValue, Scale, Snapshot, SnapshotKind, Usage};

/// One snapshot, read in place. The fields are the [`Snapshot`]'s of the same name.
#[derive(Debug, Clone, Copy)]
pub struct SnapshotRef<'a> {
    pub source: &'a Arc<str>,
    pub line: u64,
    pub timestamp: Option<DateTime<FixedOffset>>,
    pub pid: Option<u32>,
    pub jvm_version: Option<&'a Arc<str>>,
    pub kind: SnapshotKind,
    pub scale: Scale,
    pub total: UsageRef<'a>,
    pub complete: bool,
    pub(super) body: Body<'a>,
}

/// Where a view's categories are.
#[derive(Debug, Clone, Copy)]
pub(super) enum Body<'a> {
    Plain(&'a [Category]),
    Coded {
        store: &'a Snapshots,
        n: usize,
        /// At the first category's row and detail entry.
        rows: Reader<'a>,
        detail: Reader<'a>,
    },
}

impl<'a> Body<'a> {
    /// The Total's usage and the categories of a stored snapshot's two sections.
    pub(super) fn coded(
        store: &'a Snapshots,
        mut rows: Reader<'a>,
        mut detail: Reader<'a>,
    ) -> (UsageRef<'a>, Body<'a>) {
        let n = rows.n();
        let (reserved, committed) = (rows.u(), rows.u());
        let total = UsageRef::coded(reserved, committed, Detail::read(&mut detail));
        (
            total,
            Body::Coded {
                store,
                n,
                rows,
                detail,
            },
        )
    }
}

/// One category of a snapshot.
#[derive(Debug, Clone, Copy)]
pub struct CategoryRef<'a> {
    pub name: &'a Arc<str>,
    pub usage: UsageRef<'a>,
    /// The name's id in the store read ([`Snapshots::name_id`]), `NO_ID` for a parsed snapshot.
    id: u32,
}

const NO_ID: u32 = u32::MAX;

impl CategoryRef<'_> {
    /// The name's id in the [`Snapshots`] store this category was read from (`None` for a
    /// view of a parsed snapshot).
    pub fn name_id(&self) -> Option<usize> {
        (self.id != NO_ID).then_some(self.id as usize)
    }
}

/// Reserved/committed amounts with their sub-fields (see [`Usage`]).
#[derive(Debug, Clone, Copy)]
pub struct UsageRef<'a> {
    pub reserved_bytes: u64,
    pub committed_bytes: u64,
    pub reserved_delta_bytes: Option<i64>,
    pub committed_delta_bytes: Option<i64>,
    detail: UsageDetail<'a>,
}

#[derive(Debug, Clone, Copy)]
enum UsageDetail<'a> {
    Plain(&'a Usage),
    Coded(Detail<'a>),
}

impl<'a> UsageRef<'a> {
    /// A view of a parsed usage.
    pub fn of(usage: &'a Usage) -> Self {
        UsageRef {
            reserved_bytes: usage.reserved_bytes,
            committed_bytes: usage.committed_bytes,
            reserved_delta_bytes: usage.reserved_delta_bytes,
            committed_delta_bytes: usage.committed_delta_bytes,
            detail: UsageDetail::Plain(usage),
        }
    }

    fn coded(reserved: u64, committed: u64, detail: Detail<'a>) -> Self {
        UsageRef {
            reserved_bytes: reserved,
            committed_bytes: committed,
            reserved_delta_bytes: detail.reserved_delta,
            committed_delta_bytes: detail.committed_delta,
            detail: UsageDetail::Coded(detail),
        }
    }

    /// The sub-fields printed, in the order first seen.
    pub fn fields(&self) -> Fields<'a> {
        match self.detail {
            UsageDetail::Plain(u) => Fields(FieldsInner::Plain(u.fields.iter())),
            UsageDetail::Coded(d) => Fields(FieldsInner::Coded(d.fields(), d.n_fields)),
        }
    }

    /// Number of sub-fields printed.
    pub fn field_count(&self) -> usize {
        match self.detail {
            UsageDetail::Plain(u) => u.fields.len(),
            UsageDetail::Coded(d) => d.n_fields,
        }
    }

    /// The value of one sub-field, if printed.
    pub fn field(&self, field: Field) -> Option<i64> {
        self.field_value(field).map(|f| f.value)
    }

    /// The full printed value (with delta) of one sub-field.
    pub fn field_value(&self, field: Field) -> Option<FieldValue> {
        match self.detail {
            UsageDetail::Plain(u) => u.field_value(field).copied(),
            // The other fields' values are skipped, not decoded.
            UsageDetail::Coded(d) => find_field(d.fields(), d.n_fields, field),
        }
    }

    /// The sub-lines not understood.
    pub fn extras(&self) -> Vec<ExtraLine> {
        match self.detail {
            UsageDetail::Plain(u) => u.extras.clone(),
            UsageDetail::Coded(d) => d.extras(),
        }
    }

    /// Number of sub-lines not understood.
    pub fn extra_count(&self) -> usize {
        match self.detail {
            UsageDetail::Plain(u) => u.extras.len(),
            UsageDetail::Coded(d) => d.n_extras,
        }
    }

    /// The usage decoded.
    pub fn to_usage(&self) -> Usage {
        Usage {
            reserved_bytes: self.reserved_bytes,
            committed_bytes: self.committed_bytes,
            reserved_delta_bytes: self.reserved_delta_bytes,
            committed_delta_bytes: self.committed_delta_bytes,
            fields: self.fields().collect(),
            extras: self.extras(),
        }
    }
}

/// A usage's sub-fields.
#[derive(Debug, Clone)]
pub struct Fields<'a>(FieldsInner<'a>);

#[derive(Debug, Clone)]
enum FieldsInner<'a> {
    Plain(std::slice::Iter<'a, FieldValue>),
    Coded(Reader<'a>, usize),
}

impl Iterator for Fields<'_> {
    type Item = FieldValue;

    fn next(&mut self) -> Option<FieldValue> {
        match &mut self.0 {
            FieldsInner::Plain(it) => it.next().copied(),
            FieldsInner::Coded(r, left) => {
                *left = left.checked_sub(1)?;
                Some(read_field(r))
            }
        }
    }
}

/// A snapshot's categories, in the order the JVM printed them.
#[derive(Debug, Clone)]
pub struct Categories<'a> {
    body: Body<'a>,
    left: usize,
}

impl<'a> Iterator for Categories<'a> {
    type Item = CategoryRef<'a>;

    fn next(&mut self) -> Option<CategoryRef<'a>> {
        self.left = self.left.checked_sub(1)?;
        match &mut self.body {
            Body::Plain(cats) => {
                let (first, rest) = cats.split_first()?;
                *cats = rest;
                Some(first.view())
            }
            Body::Coded {
                store,
                rows,
                detail,
                ..
            } => {
                let id = rows.n();
                let (reserved, committed) = (rows.u(), rows.u());
                let usage = UsageRef::coded(reserved, committed, Detail::read(detail));
                let name = store.names.all.get(id)?;
                Some(CategoryRef {
                    name,
                    usage,
                    id: u32::try_from(id).unwrap_or(NO_ID),
                })
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Categories<'_> {}

impl Category {
    /// A view of this category.
    pub fn view(&self) -> CategoryRef<'_> {
        CategoryRef {
            name: &self.name,
            usage: UsageRef::of(&self.usage),
            id: NO_ID,
        }
    }
}

impl Snapshot {
    /// A view of this snapshot, for code that reads stored snapshots too.
    pub fn view(&self) -> SnapshotRef<'_> {
        SnapshotRef {
            source: &self.source,
            line: self.line,
            timestamp: self.timestamp,
            pid: self.pid,
            jvm_version: self.jvm_version.as_ref(),
            kind: self.kind,
            scale: self.scale,
            total: UsageRef::of(&self.total),
            complete: self.complete,
            body: Body::Plain(&self.categories),
        }
    }
}

impl<'a> SnapshotRef<'a> {
    /// The categories, in the order the JVM printed them.
    pub fn categories(&self) -> Categories<'a> {
        let left = match self.body {
            Body::Plain(c) => c.len(),
            Body::Coded { n, .. } => n,
        };
        Categories {
            body: self.body,
            left,
        }
    }

    /// Each category's name and committed bytes, without its sub-fields (cheaper than
    /// [`SnapshotRef::categories`]).
    pub fn committed_amounts(&self) -> impl Iterator<Item = (&'a Arc<str>, u64)> + 'a {
        let (plain, coded) = match self.body {
            Body::Plain(c) => (
                Some(c.iter().map(|c| (&c.name, c.usage.committed_bytes))),
                None,
            ),
            Body::Coded { store, n, rows, .. } => {
                let mut rows = rows;
                let it = (0..n).filter_map(move |_| {
                    let id = rows.n();
                    rows.skip();
                    let committed = rows.u();
                    Some((store.names.all.get(id)?, committed))
                });
                (None, Some(it))
            }
        };
        plain
            .into_iter()
            .flatten()
            .chain(coded.into_iter().flatten())
    }

    /// The category with exactly this name.
    pub fn category(&self, name: &str) -> Option<CategoryRef<'a>> {
        if let Body::Coded { store, .. } = self.body {
            store.names.find(name)?;
        }
        self.categories().find(|c| &**c.name == name)
    }

    /// Committed bytes of a category, 0 when absent (NMT omits tiny categories).
    pub fn committed(&self, name: &str) -> u64 {
        self.amounts(name).map_or(0, |(_, committed)| committed)
    }

    /// Reserved and committed bytes of a category, when present; reads only the rows (no
    /// sub-fields), what charts of one category need per snapshot.
    pub fn amounts(&self, name: &str) -> Option<(u64, u64)> {
        match self.body {
            Body::Plain(cats) => cats
                .iter()
                .find(|c| &*c.name == name)
                .map(|c| (c.usage.reserved_bytes, c.usage.committed_bytes)),
            Body::Coded { store, n, rows, .. } => {
                let want = store.names.find(name)? as usize;
                let mut rows = rows;
                for _ in 0..n {
                    let id = rows.n();
                    if id == want {
                        return Some((rows.u(), rows.u()));
                    }
                    rows.skip();
                    rows.skip();
                }
                None
            }
        }
    }

    /// Number of categories.
    pub fn category_count(&self) -> usize {
        self.categories().len()
    }

    /// The JVM this snapshot came from, as far as its text says.
    pub fn identity(&self) -> crate::model::JvmIdentity {
        crate::model::JvmIdentity::of(*self)
    }

    /// `source:line`, for messages.
    pub fn location(&self) -> String {
        format!("{}:{}", self.source, self.line)
    }

    /// The snapshot decoded, exactly as it was pushed.
    pub fn to_snapshot(&self) -> Snapshot {
        Snapshot {
            source: Arc::clone(self.source),
            line: self.line,
            timestamp: self.timestamp,
            pid: self.pid,
            jvm_version: self.jvm_version.cloned(),
            kind: self.kind,
            scale: self.scale,
            total: self.total.to_usage(),
            categories: self
                .categories()
                .map(|c| Category {
                    name: Arc::clone(c.name),
                    usage: c.usage.to_usage(),
                })
                .collect(),
            complete: self.complete,
        }
    }
}
