//! Writing a session: one JSON line per record, written whole and flushed as it arrives, so a
//! recording killed at any instant loses at most the record being written.

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
}

/// A recorder shared by several source threads.
pub type SharedRecorder = Arc<Mutex<Recorder<File>>>;

impl<W: Write> Recorder<W> {
    /// Starts a new session on `out`: writes the header line.
    pub fn new(mut out: W, header: &Header) -> io::Result<Self> {
        write_line(&mut out, header)?;
        Ok(Recorder { out, records: 0 })
    }

    /// Continues a session whose header is already in `out`.
    pub fn continuing(out: W) -> Self {
        Recorder { out, records: 0 }
    }

    /// Appends one record and flushes it.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        write_line(&mut self.out, record)?;
        self.records += 1;
        Ok(())
    }

    /// Records written by this recorder.
    pub fn records(&self) -> u64 {
        self.records
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
/// interleaved or half-written unless the process dies inside that call.
fn write_line<W: Write, T: serde::Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}
