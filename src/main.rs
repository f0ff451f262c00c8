//! The `jvmem` binary: parses the command line and hands over to one command. Everything it
//! shows comes from the `jvmem` library.

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

mod args;
mod cli;
mod commands;
mod tui;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use jvmem::model::units::Size;

fn main() -> ExitCode {
    let cli = Cli::parse_from(args::with_default_command(std::env::args_os().collect()));
    let result = run(&cli);
    match result {
        Ok(code) => code,
        Err(error) => commands::exit_for(&error),
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Some(Command::Export { inputs, format }) => commands::export::run(inputs, *format),
        Some(Command::Gc {
            logs,
            verbose,
            format,
        }) => commands::gc::run(logs, *verbose, *format),
        Some(Command::Report {
            inputs,
            gc_logs,
            limit,
            format,
            output,
            fail_on_growth,
            min_confidence,
            suggest_limit,
        }) => commands::report::run(
            inputs,
            gc_logs,
            bytes(limit),
            *format,
            output.as_deref(),
            (*fail_on_growth).then_some(*min_confidence),
            *suggest_limit,
        ),
        Some(Command::Diff { old, new, format }) => {
            commands::diff::run(old, new.as_deref(), *format)
        }
        Some(Command::View { inputs, limit }) => commands::view::run(inputs, bytes(limit)),
        Some(Command::Live(args)) => live(args),
        Some(Command::Replay {
            inputs,
            speed,
            limit,
        }) => commands::replay::run(inputs, *speed, bytes(limit)),
        Some(Command::Demo { speed, limit }) => commands::demo::run(*speed, bytes(limit)),
        Some(Command::Serve(args)) => {
            bytes(&args.limit);
            commands::serve::run(args)
        }
        Some(Command::Fleet {
            prometheus,
            selector,
            range,
            step,
            bearer_token_file,
            limit,
            pod_labels,
            format,
        }) => commands::fleet::run(&commands::fleet::FleetArgs {
            prometheus,
            selector,
            range: *range,
            step: *step,
            bearer_token_file: bearer_token_file.as_deref(),
            limit_bytes: bytes(limit),
            pod_labels,
            format: *format,
        }),
        Some(Command::Completions { shell }) => commands::completions::run(*shell),
        None => live(&cli.live),
    }
}

fn live(args: &cli::LiveArgs) -> anyhow::Result<ExitCode> {
    bytes(&args.limit);
    commands::live::run(args)
}

/// A `--limit`'s bytes, saying on stderr how the value was read (`1G` is 10^9, `1Gi` 2^30:
/// the difference is 7%, enough to move a verdict).
fn bytes(limit: &Option<Size>) -> Option<u64> {
    let size = limit.as_ref()?;
    eprintln!("jvmem: --limit {}", size.explain());
    Some(size.bytes)
}
