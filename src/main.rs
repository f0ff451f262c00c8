//! The `jvmem` binary: parses the command line and hands over to one command. Everything it
//! shows comes from the `jvmem` library.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Export { inputs, format }) => commands::export::run(inputs, *format),
        Some(Command::Report {
            inputs,
            gc_logs,
            limit,
            format,
            fail_on_growth,
        }) => commands::report::run(inputs, gc_logs, *limit, *format, *fail_on_growth),
        Some(Command::Diff { old, new, format }) => {
            commands::diff::run(old, new.as_deref(), *format)
        }
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            Ok(ExitCode::from(commands::USAGE))
        }
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
