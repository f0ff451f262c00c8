//! Renderings of the model for people and programs: text, JSON, CSV.

pub mod gc_text;
