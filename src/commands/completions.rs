//! `jvmem completions bash|zsh|fish|powershell|elvish`: a completion script from the clap
//! definition, on stdout.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

pub fn run(shell: Shell) -> Result<ExitCode> {
    // clap_complete panics when its writer fails; a buffer cannot, and a closed stdout is
    // then an ordinary error (a quiet exit for a broken pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "jvmem", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
