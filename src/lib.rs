//! jvmem: JVM memory forensics. Reads NMT snapshots (`jcmd <pid> VM.native_memory …`) and GC
//! logs into one [`model::Timeline`], analyses what grows, and renders reports.
//!
//! Data flows one way: text → [`nmt`] / [`gclog`] parsers → [`model`] → [`analysis`] →
//! [`report`]. This library has no terminal code; the binary's TUI renders the same model.

// Tests build values from loop counters and literals with `as`; the same code outside
// #[cfg(test)] is still held to the cast lints by the non-test build.
#![cfg_attr(
    test,
    allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_possible_wrap
    )
)]

pub mod analysis;
pub mod drill;
pub mod fleet;
pub mod gclog;
pub mod input;
pub mod jfr;
pub mod live;
pub mod model;
pub mod nmt;
pub mod num;
pub mod report;
pub mod session;
