//! jvmem: JVM memory forensics. Reads NMT snapshots (`jcmd <pid> VM.native_memory …`) and GC
//! logs into one [`model::Timeline`], analyses what grows, and renders reports.
//!
//! Data flows one way: text → [`nmt`] / [`gclog`] parsers → [`model`] → [`analysis`] →
//! [`report`]. This library has no terminal code; the binary's TUI renders the same model.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod drill;
pub mod fleet;
pub mod gclog;
pub mod input;
pub mod jfr;
pub mod live;
pub mod model;
pub mod nmt;
pub mod report;
pub mod session;
