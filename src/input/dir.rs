//! The files a path names: itself, or a directory's files in natural order.

use std::path::{Path, PathBuf};

use super::InputError;

/// The files an input names: itself, or a directory's files sorted by name (so rotated and
/// numbered snapshot files come in order).
pub fn expand(path: &str) -> Result<Vec<String>, InputError> {
    let p = Path::new(path);
    if path == "-" || !p.is_dir() {
        return Ok(vec![path.to_string()]);
    }
    let entries = std::fs::read_dir(p).map_err(|source| InputError::Io {
        path: path.to_string(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        return Err(InputError::EmptyDirectory(path.to_string()));
    }
    files.sort_by_cached_key(|p| natural_key(p));
    Ok(files
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

/// Sorts `snap-2` before `snap-10`: digit runs compare as numbers.
fn natural_key(path: &Path) -> Vec<(u64, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let mut key = Vec::new();
    let mut rest: &str = &name;
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
}
