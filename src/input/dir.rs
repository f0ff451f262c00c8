//! The files a path names: itself, or every file under a directory, recursively, in natural
//! order (`snap-2` before `snap-10`, a folder's files where the folder's name sorts).
//!
//! Decisions: at most [`MAX_DEPTH`] folders deep (an unpacked support bundle nests 3–4 levels;
//! deeper is more likely a mistake such as `/`), each real directory is entered once (a symlink
//! back to an ancestor is reported, not followed again), and the debris of macOS archives
//! (`__MACOSX/`, `._name` AppleDouble files) and hidden files are skipped, as unpacked ZIPs
//! from support tickets are full of them and none of them is ever jcmd output or a GC log.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Diagnostic;

use super::InputError;

/// How many directory levels below a named directory are read.
pub const MAX_DEPTH: usize = 8;

/// The files an input names: itself, or the files under a directory in natural order,
/// recursively. Problems met on the way (a loop, too deep, an unreadable sub-folder) are
/// returned as warnings; only an unreadable or empty top directory is an error.
pub fn expand_with_warnings(path: &str) -> Result<(Vec<String>, Vec<Diagnostic>), InputError> {
    let p = Path::new(path);
    if path == "-" || !p.is_dir() {
        return Ok((vec![path.to_string()], Vec::new()));
    }
    let mut walk = Walk::default();
    walk.dir(p, 0).map_err(|source| InputError::Io {
        path: path.to_string(),
        source,
    })?;
    if walk.files.is_empty() {
        return Err(InputError::EmptyDirectory(path.to_string()));
    }
    let files = walk
        .files
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Ok((files, walk.warnings))
}

/// [`expand_with_warnings`] without the warnings.
pub fn expand(path: &str) -> Result<Vec<String>, InputError> {
    expand_with_warnings(path).map(|(files, _)| files)
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    warnings: Vec<Diagnostic>,
    /// Canonical paths of the directories entered so far.
    entered: HashSet<PathBuf>,
}

impl Walk {
    fn warn(&mut self, path: &Path, message: impl Into<String>) {
        let source: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        self.warnings.push(Diagnostic::warning(&source, 0, message));
    }

    fn dir(&mut self, dir: &Path, depth: usize) -> std::io::Result<()> {
        let real = std::fs::canonicalize(dir)?;
        if !self.entered.insert(real.clone()) {
            self.warn(
                dir,
                format!(
                    "directory already read (a symlink loop to {}): skipped",
                    real.display()
                ),
            );
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| !skipped_name(p))
            .collect();
        entries.sort_by_cached_key(|p| natural_key(p));
        for entry in entries {
            if entry.is_dir() {
                if depth + 1 > MAX_DEPTH {
                    self.warn(
                        &entry,
                        format!("more than {MAX_DEPTH} folders deep: not read"),
                    );
                } else if let Err(e) = self.dir(&entry, depth + 1) {
                    self.warn(&entry, format!("cannot read directory: {e}"));
                }
            } else if entry.is_file() {
                self.files.push(entry);
            }
        }
        Ok(())
    }
}

/// Hidden files and macOS archive debris: never inputs (see the module note).
pub(super) fn skipped_name(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| n.starts_with('.') || n == "__MACOSX")
}

/// Sorts `snap-2` before `snap-10`: digit runs compare as numbers.
fn natural_key(path: &Path) -> Vec<(u64, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    natural_key_str(&name)
}

/// [`natural_key`] of a whole string (an archive member's path).
pub(super) fn natural_key_str(name: &str) -> Vec<(u64, String)> {
    let mut key = Vec::new();
    let mut rest: &str = name;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            key.push((rest[..digits].parse().unwrap_or(u64::MAX), String::new()));
            rest = &rest[digits..];
        } else {
            let text = rest.len() - rest.trim_start_matches(|c: char| !c.is_ascii_digit()).len();
            key.push((0, rest[..text].to_string()));
            rest = &rest[text..];
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_of_numbered_files() {
        let mut names = vec!["s-10.txt", "s-2.txt", "s-1.txt", "gc.log"];
        names.sort_by_key(|n| natural_key(Path::new(n)));
        assert_eq!(names, vec!["gc.log", "s-1.txt", "s-2.txt", "s-10.txt"]);
    }

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x\n").unwrap();
    }

    #[test]
    fn recurses_in_natural_order_skipping_debris() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in [
            "run-10/gc.log",
            "run-2/gc.log.1",
            "run-2/gc.log.0",
            "a.txt",
            "__MACOSX/run-2/._gc.log.0",
            "run-2/._gc.log.0",
            ".DS_Store",
        ] {
            touch(&root.join(f));
        }
        let (files, warnings) = expand_with_warnings(root.to_str().unwrap()).unwrap();
        let rel: Vec<String> = files
            .iter()
            .map(|f| {
                Path::new(f)
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            rel,
            vec!["a.txt", "run-2/gc.log.0", "run-2/gc.log.1", "run-10/gc.log"]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn symlink_loops_are_named_and_depth_is_limited() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        touch(&root.join("sub/snap.txt"));
        std::os::unix::fs::symlink(root, root.join("sub/back")).unwrap();
        let mut deep = root.join("deep");
        for level in 0..=MAX_DEPTH {
            deep = deep.join(format!("l{level}"));
        }
        touch(&deep.join("too-deep.txt"));
        let (files, warnings) = expand_with_warnings(root.to_str().unwrap()).unwrap();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].ends_with("sub/snap.txt"));
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("symlink loop")));
        assert!(messages.iter().any(|m| m.contains("8 folders deep")));
    }
}
