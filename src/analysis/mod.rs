//! Analyses over the model: snapshot diffs, growth trends, leak diagnosis, container budgets
//! and hints.

pub mod budget;
pub mod diagnosis;
pub mod diff;
pub mod growth;
pub mod hints;
pub mod trend;

pub use diagnosis::{DiagnoseOptions, Diagnosis, Suspect, SuspectKind, diagnose};
