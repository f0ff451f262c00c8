//! Analyses over the model: snapshot diffs, growth trends, leak diagnosis, container budgets,
//! hints, and the GC log summary.

pub mod budget;
pub mod budget_failure;
pub mod budget_gc;
pub mod budget_peaks;
mod budget_plan;
pub mod culprits;
pub mod diagnosis;
pub mod diff;
pub mod drill_diff;
pub mod drill_latest;
pub mod gc_summary;
pub mod growth;
pub mod hints;
pub mod suspects;
pub mod trend;
pub mod verdict;

pub use diagnosis::{DiagnoseOptions, Diagnosis, Suspect, SuspectKind, diagnose};
