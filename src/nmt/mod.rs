//! NMT text → [`Snapshot`](crate::model::Snapshot)s.
