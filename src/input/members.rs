//! The streams of text an input holds ("members"): a plain file, stdin, a FIFO (`<(…)`), a
//! gzipped file, each file of a ZIP or tar archive (gzipped or not), every file under a
//! directory. Each member comes with its kind, sniffed from a head that is then replayed, so
//! nothing is lost from a stream that cannot be read twice.

use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Diagnostic;

use super::archive::{self, Container, Entry, Origin, Store};
use super::sniff::{self, InputKind, SNIFF_BYTES};

/// One stream of text found in an input.
pub struct Member<'r> {
    /// The file name; `archive.zip!dir/gc.log.1` for an archive's member.
    pub source: Arc<str>,
    pub kind: InputKind,
    /// The member's (decompressed) text from its first byte.
    pub reader: &'r mut dyn BufRead,
    /// Its length in bytes when known before reading (a plain file, an archive entry).
    pub size: Option<u64>,
    /// How to read it again from the start; `None` for stdin, FIFOs and what came through them.
    pub origin: Option<Origin>,
}

/// Calls `visit` with every member of the input at `path` (`-` is stdin) in natural order, and
/// returns what could not be read (each member that could not be opened, archive debris
/// skipped, a directory loop). `forced` makes every readable text member that kind (an
/// explicit `--gc-log`); binary data is never forced.
pub fn for_each_member(
    path: &str,
    forced: Option<InputKind>,
    visit: &mut dyn FnMut(Member<'_>),
) -> Vec<Diagnostic> {
    let mut walker = Walker {
        forced,
        visit,
        diagnostics: Vec::new(),
    };
    if path == "-" {
        walker.one_shot("-", std::io::stdin().lock());
        return walker.diagnostics;
    }
    let files = match super::dir::expand_with_warnings(path) {
        Ok((files, warnings)) => {
            walker.diagnostics.extend(warnings);
            files
        }
        Err(e) => {
            walker.diagnostics.push(super::io_diagnostic(path, &e));
            return walker.diagnostics;
        }
    };
    for file in files {
        walker.file(&file);
    }
    walker.diagnostics
}

/// [`for_each_member`] over one stream read once (stdin, a paste, a file read whole).
pub fn for_each_member_in_reader<R: Read>(
    source: &str,
    reader: R,
    visit: &mut dyn FnMut(Member<'_>),
) -> Vec<Diagnostic> {
    let mut walker = Walker {
        forced: None,
        visit,
        diagnostics: Vec::new(),
    };
    walker.one_shot(source, reader);
    walker.diagnostics
}

struct Walker<'v> {
    forced: Option<InputKind>,
    visit: &'v mut dyn FnMut(Member<'_>),
    diagnostics: Vec<Diagnostic>,
}

/// Reads up to [`SNIFF_BYTES`] of `reader`: the head to sniff, to be replayed before the rest.
fn take_head<R: Read>(reader: &mut R) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    reader
        .by_ref()
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

impl Walker<'_> {
    fn error(&mut self, source: &str, message: String) {
        let source: Arc<str> = Arc::from(source);
        self.diagnostics
            .push(Diagnostic::error(&source, 0, message));
    }

    fn warn(&mut self, source: &str, message: String) {
        let source: Arc<str> = Arc::from(source);
        self.diagnostics
            .push(Diagnostic::warning(&source, 0, message));
    }

    /// A file found by name: regular files can be opened again; FIFOs and devices cannot.
    fn file(&mut self, path: &str) {
        let regular = std::fs::metadata(path).map(|m| m.is_file());
        let opened = std::fs::File::open(path);
        let (mut file, regular) = match (opened, regular) {
            (Ok(f), Ok(regular)) => (f, regular),
            (Err(e), _) | (_, Err(e)) => return self.error(path, format!("cannot read: {e}")),
        };
        if !regular {
            return self.one_shot(path, file);
        }
        let size = file.metadata().ok().map(|m| m.len());
        let head = match take_head(&mut file) {
            Ok(head) => head,
            Err(e) => return self.error(path, format!("cannot read: {e}")),
        };
        let store = Store::Path(PathBuf::from(path));
        match archive::container_of(&head) {
            Container::Plain => {
                let origin = Origin {
                    store,
                    entry: Entry::Whole,
                    gunzip: false,
                };
                self.text(path, head, file, size, Some(origin), self.forced);
            }
            Container::Gzip => {
                let mut decoded = flate2::read::MultiGzDecoder::new(Cursor::new(head).chain(file));
                let head = match take_head(&mut decoded) {
                    Ok(head) => head,
                    Err(e) => return self.error(path, format!("cannot read gzip data: {e}")),
                };
                if archive::container_of(&head) == Container::Tar {
                    self.tar(path, &store, true);
                } else {
                    let origin = Origin {
                        store,
                        entry: Entry::Whole,
                        gunzip: true,
                    };
                    self.text(path, head, decoded, None, Some(origin), self.forced);
                }
            }
            Container::Zip => self.zip(path, &store),
            Container::Tar => self.tar(path, &store, false),
        }
    }

    /// A stream that can be read only once (stdin, a FIFO). Archives are read into memory
    /// (their index is at the end, and a rotated set must be ordered before it is read);
    /// everything else streams.
    fn one_shot<R: Read>(&mut self, name: &str, mut reader: R) {
        let head = match take_head(&mut reader) {
            Ok(head) => head,
            Err(e) => return self.error(name, format!("cannot read: {e}")),
        };
        match archive::container_of(&head) {
            Container::Plain => self.text(name, head, reader, None, None, self.forced),
            Container::Gzip => {
                let mut decoded =
                    flate2::read::MultiGzDecoder::new(Cursor::new(head).chain(reader));
                let head = match take_head(&mut decoded) {
                    Ok(head) => head,
                    Err(e) => return self.error(name, format!("cannot read gzip data: {e}")),
                };
                if archive::container_of(&head) == Container::Tar {
                    match read_rest(head, decoded) {
                        Ok(bytes) => self.tar(name, &Store::Bytes(bytes), false),
                        Err(e) => self.error(name, format!("cannot read gzip data: {e}")),
                    }
                } else {
                    self.text(name, head, decoded, None, None, self.forced);
                }
            }
            container @ (Container::Zip | Container::Tar) => match read_rest(head, reader) {
                Ok(bytes) if container == Container::Zip => self.zip(name, &Store::Bytes(bytes)),
                Ok(bytes) => self.tar(name, &Store::Bytes(bytes), false),
                Err(e) => self.error(name, format!("cannot read: {e}")),
            },
        }
    }

    /// A text stream whose `head` was already taken from `rest`.
    fn text<R: Read>(
        &mut self,
        source: &str,
        head: Vec<u8>,
        rest: R,
        size: Option<u64>,
        origin: Option<Origin>,
        forced: Option<InputKind>,
    ) {
        let kind = match (sniff::detect_kind(&head), forced) {
            (InputKind::Binary | InputKind::Jfr, _) | (_, None) => sniff::detect_kind(&head),
            (_, Some(forced)) => forced,
        };
        let mut reader = BufReader::with_capacity(SNIFF_BYTES, Cursor::new(head).chain(rest));
        (self.visit)(Member {
            source: Arc::from(source),
            kind,
            reader: &mut reader,
            size,
            origin,
        });
    }

    fn zip(&mut self, name: &str, store: &Store) {
        let mut listed = match archive::list_zip(store) {
            Ok(listed) => listed,
            Err(e) => return self.error(name, format!("cannot read ZIP archive: {e}")),
        };
        listed.sort_by_cached_key(|l| super::dir::natural_key_str(&l.name));
        let mut skipped = Skipped::default();
        for member in listed {
            let origin = Origin {
                store: store.clone(),
                entry: Entry::Zip(member.index),
                gunzip: false,
            };
            let source = format!("{name}!{}", member.name);
            if skip_member(&member.name) {
                continue;
            }
            let read = origin
                .with_reader(|mut r| self.entry(&source, &mut r, member.size, origin.clone()));
            match read {
                Ok(Some(why)) => skipped.add(why, &member.name),
                Ok(None) => {}
                Err(e) => self.error(&source, format!("cannot read: {e}")),
            }
        }
        skipped.report(self, name);
    }

    fn tar(&mut self, name: &str, store: &Store, gzipped: bool) {
        let mut skipped = Skipped::default();
        let result = archive::for_each_tar_member(store, gzipped, &mut |member, reader| {
            if skip_member(&member.name) {
                return;
            }
            let origin = Origin {
                store: store.clone(),
                entry: Entry::Tar {
                    gzipped,
                    index: member.index,
                },
                gunzip: false,
            };
            let source = format!("{name}!{}", member.name);
            if let Some(why) = self.entry(&source, reader, member.size, origin) {
                skipped.add(why, &member.name);
            }
        });
        if let Err(e) = result {
            self.error(name, format!("cannot read tar archive: {e}"));
        }
        skipped.report(self, name);
    }

    /// One archive member; returns why it was skipped, if it was.
    fn entry(
        &mut self,
        source: &str,
        mut reader: &mut dyn Read,
        size: Option<u64>,
        mut origin: Origin,
    ) -> Option<Skip> {
        let head = match take_head(&mut reader) {
            Ok(head) => head,
            Err(e) => {
                self.error(source, format!("cannot read: {e}"));
                return None;
            }
        };
        match archive::container_of(&head) {
            Container::Plain => self.member_text(source, head, reader, size, origin),
            Container::Gzip => {
                origin.gunzip = true;
                let mut decoded =
                    flate2::read::MultiGzDecoder::new(Cursor::new(head).chain(reader));
                let head = match take_head(&mut decoded) {
                    Ok(head) => head,
                    Err(e) => {
                        self.error(source, format!("cannot read gzip data: {e}"));
                        return None;
                    }
                };
                if archive::container_of(&head) != Container::Plain {
                    return Some(Skip::Nested);
                }
                self.member_text(source, head, decoded, None, origin)
            }
            Container::Zip | Container::Tar => Some(Skip::Nested),
        }
    }

    /// An archive member's text: binary members and text that is none of the known kinds are
    /// skipped (an archive holds READMEs, jars, heap dumps) and counted, not each an error.
    /// A kind forced on the archive (`--gc-log bundle.zip`) does not apply to its members:
    /// the archive is not a GC log, some of its members are.
    fn member_text<R: Read>(
        &mut self,
        source: &str,
        head: Vec<u8>,
        rest: R,
        size: Option<u64>,
        origin: Origin,
    ) -> Option<Skip> {
        match sniff::recognised_kind(&head) {
            None if sniff::detect_kind(&head) == InputKind::Binary => Some(Skip::Binary),
            None => Some(Skip::Unknown),
            Some(_) => {
                self.text(source, head, rest, size, Some(origin), None);
                None
            }
        }
    }
}

/// Reads the rest of a one-shot stream into memory, after its head.
fn read_rest<R: Read>(head: Vec<u8>, mut rest: R) -> std::io::Result<Arc<[u8]>> {
    let mut bytes = head;
    rest.read_to_end(&mut bytes)?;
    Ok(Arc::from(bytes))
}

/// Directory entries inside archives that are never inputs (see `dir::skipped_name`).
fn skip_member(name: &str) -> bool {
    name.split('/')
        .any(|part| super::dir::skipped_name(Path::new(part)))
}

/// Why an archive member was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    Binary,
    Unknown,
    Nested,
}

/// Members skipped in one archive, reported in one warning per reason.
#[derive(Default)]
struct Skipped {
    names: Vec<(Skip, String)>,
}

impl Skipped {
    fn add(&mut self, why: Skip, name: &str) {
        self.names.push((why, name.to_string()));
    }

    fn report(self, walker: &mut Walker<'_>, archive: &str) {
        for why in [Skip::Binary, Skip::Unknown, Skip::Nested] {
            let names: Vec<&str> = self
                .names
                .iter()
                .filter(|(w, _)| *w == why)
                .map(|(_, n)| n.as_str())
                .collect();
            if names.is_empty() {
                continue;
            }
            let what = match why {
                Skip::Binary => "binary",
                Skip::Unknown => "not NMT output, a GC log or a session",
                Skip::Nested => "an archive inside the archive (unpack it first)",
            };
            let shown: Vec<&str> = names.iter().take(5).copied().collect();
            let more = names.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            walker.warn(
                archive,
                format!(
                    "{} member(s) skipped, {what}: {}{more}",
                    names.len(),
                    shown.join(", ")
                ),
            );
        }
    }
}
