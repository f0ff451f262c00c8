//! Compressed inputs and archives, recognised by their magic bytes (never by their names):
//! gzip (`gc.log.gz`, `.tar.gz`/`.tgz`, several gzip members one after the other as `cat a.gz
//! b.gz` makes), ZIP and tar. Everything is read as a stream with the `flate2`, `zip` and
//! `tar` crates; nothing is unpacked to disk.
//!
//! An archive member is found again through its [`Origin`] (the archive and the member's index),
//! so a GC log set inside an archive can be put in time order first and read in that order
//! afterwards. Reading a tar member again re-reads the archive up to it (tar has no index);
//! a ZIP member is reached directly.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::Arc;

/// What an input's first bytes say it is wrapped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// `1f 8b`.
    Gzip,
    /// `PK\x03\x04` (or `PK\x05\x06`, an empty archive).
    Zip,
    /// `ustar` at offset 257 (POSIX and GNU tar).
    Tar,
    /// Anything else: the bytes are the text.
    Plain,
}

/// The wrapper `head` (an input's first bytes, at least 262 of them when there are) shows.
pub fn container_of(head: &[u8]) -> Container {
    if head.starts_with(&[0x1f, 0x8b]) {
        Container::Gzip
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Container::Zip
    } else if head.get(257..262) == Some(b"ustar") {
        Container::Tar
    } else {
        Container::Plain
    }
}

/// Where an archive's bytes are: a file, or memory (an archive that came through a pipe).
#[derive(Debug, Clone)]
pub enum Store {
    Path(PathBuf),
    Bytes(Arc<[u8]>),
}

/// Read + Seek, as the ZIP reader needs.
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

impl Store {
    fn open(&self) -> std::io::Result<Box<dyn ReadSeek + '_>> {
        Ok(match self {
            Store::Path(p) => Box::new(BufReader::new(File::open(p)?)),
            Store::Bytes(b) => Box::new(Cursor::new(&b[..])),
        })
    }
}

/// Which part of a [`Store`] a member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The whole store (a plain or gzipped file).
    Whole,
    /// The n-th entry of a ZIP archive.
    Zip(usize),
    /// The n-th entry of a tar archive, itself gzipped or not.
    Tar { gzipped: bool, index: usize },
}

/// How to open one member again from its start.
#[derive(Debug, Clone)]
pub struct Origin {
    pub store: Store,
    pub entry: Entry,
    /// The member's own bytes are gzip (`gc.log.1.gz` in a ZIP, or a `.gz` file).
    pub gunzip: bool,
}

impl Origin {
    /// Calls `read` with the member's (decompressed) text from its start.
    pub fn with_reader<T>(&self, read: impl FnOnce(&mut dyn BufRead) -> T) -> std::io::Result<T> {
        let raw = self.store.open()?;
        match self.entry {
            Entry::Whole => Ok(self.finish(raw, read)),
            Entry::Zip(index) => {
                let mut zip = zip::ZipArchive::new(raw).map_err(zip_error)?;
                let member = zip.by_index(index).map_err(zip_error)?;
                Ok(self.finish(member, read))
            }
            Entry::Tar { gzipped, index } => {
                let tar_bytes: Box<dyn Read> = if gzipped {
                    Box::new(flate2::read::MultiGzDecoder::new(raw))
                } else {
                    raw
                };
                let mut archive = tar::Archive::new(tar_bytes);
                let member = archive.entries()?.nth(index).ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "archive member gone (the archive changed while being read)",
                    )
                })??;
                Ok(self.finish(member, read))
            }
        }
    }

    fn finish<R: Read, T>(&self, member: R, read: impl FnOnce(&mut dyn BufRead) -> T) -> T {
        const BUFFER: usize = 64 * 1024;
        if self.gunzip {
            let mut r = BufReader::with_capacity(BUFFER, flate2::read::MultiGzDecoder::new(member));
            read(&mut r)
        } else {
            let mut r = BufReader::with_capacity(BUFFER, member);
            read(&mut r)
        }
    }
}

/// The `zip` crate's errors as I/O errors (the caller reports them as "cannot read").
pub fn zip_error(e: zip::result::ZipError) -> std::io::Error {
    match e {
        zip::result::ZipError::Io(io) => io,
        other => std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()),
    }
}

/// One member listed in an archive: its index and name (directories and links are left out).
pub struct Listed {
    pub index: usize,
    pub name: String,
    pub size: Option<u64>,
}

/// The files of a ZIP archive, in the archive's order.
pub fn list_zip(store: &Store) -> std::io::Result<Vec<Listed>> {
    let raw = store.open()?;
    let mut zip = zip::ZipArchive::new(raw).map_err(zip_error)?;
    let mut out = Vec::new();
    for index in 0..zip.len() {
        let file = zip.by_index_raw(index).map_err(zip_error)?;
        if file.is_file() {
            out.push(Listed {
                index,
                name: file.name().to_string(),
                size: Some(file.size()),
            });
        }
    }
    Ok(out)
}

/// Calls `visit` with every regular file of a tar archive in one pass, in the archive's order.
pub fn for_each_tar_member(
    store: &Store,
    gzipped: bool,
    visit: &mut dyn FnMut(Listed, &mut dyn Read),
) -> std::io::Result<()> {
    let raw = store.open()?;
    let tar_bytes: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        raw
    };
    let mut archive = tar::Archive::new(tar_bytes);
    for (index, entry) in archive.entries()?.enumerate() {
        let mut entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let path = entry.path()?;
        let name = path.to_string_lossy();
        let name = name.strip_prefix("./").unwrap_or(&name).to_string();
        let size = entry.header().size().ok();
        visit(Listed { index, name, size }, &mut entry);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_by_magic_bytes() {
        assert_eq!(container_of(b"\x1f\x8b\x08\x00"), Container::Gzip);
        assert_eq!(container_of(b"PK\x03\x04rest"), Container::Zip);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(container_of(&tar), Container::Tar);
        assert_eq!(container_of(b"Native Memory Tracking:"), Container::Plain);
        assert_eq!(container_of(b""), Container::Plain);
    }
}
