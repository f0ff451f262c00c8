//! The first word people type: `jvmem nmt.log` means `jvmem view nmt.log` when `nmt.log`
//! exists. `jvmem`, `jvmem -` and `jvmem --pid 4242` are `jvmem live` (clap does that: the
//! live flags are the top level's too). A first word that is neither a subcommand nor a path
//! is clap's "unrecognized subcommand" error (exit 2), with a hint.

use std::ffi::OsString;
use std::path::Path;

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::cli::Cli;

/// The command line with `view` put in front of a first word that is an existing path.
/// Exits (code 2) when the first word is neither a subcommand nor a path.
pub fn with_default_command(mut args: Vec<OsString>) -> Vec<OsString> {
    let Some(first) = args.get(1).and_then(|a| a.to_str()) else {
        return args;
    };
    if first == "-" || first.starts_with('-') {
        return args;
    }
    let mut command = Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .flat_map(|c| std::iter::once(c.get_name()).chain(c.get_all_aliases()))
        .chain(["help"])
        .map(str::to_string)
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    if names.contains(&first) {
        return args;
    }
    if Path::new(first).exists() {
        args.insert(1, OsString::from("view"));
        return args;
    }
    let mut error = clap::Error::new(ErrorKind::InvalidSubcommand).with_cmd(&command);
    error.insert(
        ContextKind::InvalidSubcommand,
        ContextValue::String(first.to_string()),
    );
    let tip = match closest(first, &names) {
        Some(name) => format!("a subcommand with a similar name exists: '{name}'"),
        None => format!(
            "no file or directory named '{first}' either; `jvmem FILE` opens files, \
             `jvmem --help` lists the subcommands"
        ),
    };
    error.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![tip.into()]),
    );
    error.insert(
        ContextKind::Usage,
        ContextValue::StyledStr(command.render_usage()),
    );
    error.exit()
}

/// The subcommand within two edits of what was typed (`reprot` → `report`).
fn closest<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .map(|name| (edit_distance(typed, name), *name))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn an_existing_path_is_viewed_and_subcommands_and_flags_are_left_alone() {
        let here = env!("CARGO_MANIFEST_DIR");
        assert_eq!(
            with_default_command(args(&["jvmem", here])),
            args(&["jvmem", "view", here])
        );
        for kept in [
            &["jvmem", "report", "x"][..],
            &["jvmem", "-"],
            &["jvmem", "--pid", "1"],
            &["jvmem"],
        ] {
            assert_eq!(with_default_command(args(kept)), args(kept));
        }
    }

    #[test]
    fn near_names() {
        let names = ["report", "replay", "gc"];
        assert_eq!(closest("reprot", &names), Some("report"));
        assert_eq!(closest("nmt.log", &names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
