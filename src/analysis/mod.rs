//! Analyses over the model: snapshot diffs, growth detection, budgets.

pub mod gc_summary;
