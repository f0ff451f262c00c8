//! The `jvmem` binary: parses the command line and hands over to one command. Everything it
//! shows comes from the `jvmem` library.

mod cli;
mod commands;
// `live`/`replay` (issue 5) use the rest of the dashboard's API.
#[allow(dead_code, unused_imports)]
mod tui;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
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
        }) => commands::report::run(
            inputs,
            gc_logs,
            *limit,
            *format,
            output.as_deref(),
            *fail_on_growth,
        ),
        Some(Command::Diff { old, new, format }) => {
            commands::diff::run(old, new.as_deref(), *format)
        }
        Some(Command::View { inputs, limit }) => commands::view::run(inputs, *limit),
        Some(Command::Live(args)) => commands::live::run(args),
        Some(Command::Replay {
            inputs,
            speed,
            limit,
        }) => commands::replay::run(inputs, *speed, *limit),
        Some(Command::Demo { speed, limit }) => commands::demo::run(*speed, *limit),
        None => commands::live::run(&cli::LiveArgs::default()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // A closed pipe (`jvmem export … | head`) is not an error worth a message.
            if let Some(io) = error.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("jvmem: error: {error:#}");
            ExitCode::from(commands::NOTHING_READ)
        }
    }
}
