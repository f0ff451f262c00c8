#!/usr/bin/env bash
# Builds jvmem's man pages from the clap definition (examples/manpage.rs) into DIR
# (default target/man): jvmem.1 and jvmem-SUBCOMMAND.1. Install them with
#   install -Dm644 -t ~/.local/share/man/man1 target/man/*.1     # then: man jvmem
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --example manpage -- "${1:-target/man}"
