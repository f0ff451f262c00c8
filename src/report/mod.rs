//! Renderings of the model for people and programs: text, Markdown, HTML, JSON, CSV,
//! OpenMetrics.

pub mod csv;
pub mod culprits;
pub mod diagnosis_markdown;
pub mod diagnosis_text;
pub mod diff_text;
pub mod drill_diff_text;
pub mod gc_text;
pub mod html;
pub mod html_escape;
mod html_tables;
pub mod json;
pub mod openmetrics;
mod openmetrics_gc;
pub mod sanitize;
pub mod svg;
