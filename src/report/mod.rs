//! Renderings of the model for people and programs: text, JSON, CSV.

pub mod csv;
pub mod diff_text;
pub mod json;
