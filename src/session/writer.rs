//! Writing a session: one JSON line per record, written whole and flushed as it arrives, so a
//! recording killed at any instant loses at most the record being written. A write that fails
//! (a full disk) may leave part of its line in the file; the next record then starts with a
//! `\n`, so the torn piece stays one skipped line and never swallows an acknowledged record.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::record::{Header, Record};

/// Appends records to a session.
#[derive(Debug)]
pub struct Recorder<W: Write> {
    out: W,
    records: u64,
    /// Records whose append failed (lost).
    failed: u64,
    /// The last write failed: the file may end in part of a line.
    torn: bool,
}

/// A recorder shared by several source threads.
pub type SharedRecorder = Arc<Mutex<Recorder<File>>>;

impl<W: Write> Recorder<W> {
    /// Starts a new session on `out`: writes the header line.
    pub fn new(mut out: W, header: &Header) -> io::Result<Self> {
        write_line(&mut out, header, false)?;
        Ok(Recorder::continuing(out))
    }

    /// Continues a session whose header is already in `out`.
    pub fn continuing(out: W) -> Self {
        Recorder {
            out,
            records: 0,
            failed: 0,
            torn: false,
        }
    }

    /// Appends one record and flushes it. After a failed append, the record's line is
    /// preceded by a line end (ending whatever part of the failed line reached the file).
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        match write_line(&mut self.out, record, self.torn) {
            Ok(()) => {
                self.torn = false;
                self.records += 1;
                Ok(())
            }
            Err(e) => {
                self.torn = true;
                self.failed += 1;
                Err(e)
            }
        }
    }

    /// Records written by this recorder.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Records this recorder failed to write (lost).
    pub fn failed(&self) -> u64 {
        self.failed
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl Recorder<File> {
    /// Opens `path` for recording. A missing or empty file gets a new header; an existing
    /// session is continued (after ending a torn last line, so new records start on a line of
    /// their own); any other existing file is refused rather than overwritten.
    pub fn open(path: &Path, header: &Header) -> io::Result<Self> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        let len = file.metadata()?.len();
        if len == 0 {
            return Recorder::new(file, header);
        }
        let mut head = [0u8; 32];
        file.seek(SeekFrom::Start(0))?;
        let n = file.read(&mut head)?;
        let head = String::from_utf8_lossy(&head[..n]);
        if !super::looks_like_session(&head) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} exists and is not a jvmem session; not overwriting it",
                    path.display()
                ),
            ));
        }
        let mut last = [0u8; 1];
        file.seek(SeekFrom::End(-1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            file.write_all(b"\n")?;
        }
        Ok(Recorder::continuing(file))
    }

    /// This recorder, shareable between threads.
    pub fn shared(self) -> SharedRecorder {
        Arc::new(Mutex::new(self))
    }
}

/// Serializes first, then writes the whole line with one `write_all`, so a line is never
/// interleaved or half-written unless the process dies inside that call or the write fails;
/// `after_torn` starts the line with `\n` (an empty line when nothing was torn, which readers
/// skip).
fn write_line<W: Write, T: serde::Serialize>(
    out: &mut W,
    value: &T,
    after_torn: bool,
) -> io::Result<()> {
    let mut line = Vec::new();
    if after_torn {
        line.push(b'\n');
    }
    serde_json::to_writer(&mut line, value).map_err(io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}
