//! Writes jvmem's man pages, generated from the clap definition (`src/cli.rs`), into a
//! directory: `jvmem.1` and one page per subcommand (`jvmem-report.1`, …). Run by
//! `scripts/manpage.sh`; install with `install -m 644 target/man/*.1 ~/.local/share/man/man1/`.

// The binary's command-line definition, compiled here as well: it has no other home.
#[allow(dead_code)]
#[path = "../src/cli.rs"]
mod cli;

use std::path::PathBuf;

use clap::CommandFactory;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/man".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let command = cli::Cli::command();
    clap_mangen::generate_to(command, &dir)?;
    let mut pages: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".1"))
        .collect();
    pages.sort();
    println!("{}: {}", dir.display(), pages.join(" "));
    Ok(())
}
