//! Snapshots arriving on a pipe: `while sleep 10; do date -Is; jcmd $PID VM.native_memory
//! summary; done | jvmem live -`. The read blocks on its own thread; snapshots are cut whole
//! (see [`Chunker`](super::Chunker)) and sent as they complete.

use std::io::Read;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::model::Update;

use super::follow::{FollowOptions, NmtFollower};
use super::{Sink, SourceHandle};

/// Reads concatenated snapshots from a stream (stdin, or any reader in tests).
pub struct StdinSource<R> {
    reader: R,
    name: Arc<str>,
    pub options: FollowOptions,
}

impl StdinSource<std::io::Stdin> {
    /// The process's standard input, named `-`.
    pub fn stdin() -> Self {
        StdinSource::new(std::io::stdin(), Arc::from("-"))
    }
}

impl<R: Read + Send + 'static> StdinSource<R> {
    /// Reads from `reader`; updates are named `name`.
    pub fn new(reader: R, name: Arc<str>) -> Self {
        StdinSource {
            reader,
            name,
            options: FollowOptions::default(),
        }
    }

    /// Starts reading. The source finishes when the stream ends.
    pub fn spawn(self, sink: Sink) -> std::io::Result<SourceHandle> {
        let StdinSource {
            mut reader,
            name,
            options,
        } = self;
        // Bounded: a fast writer waits for the parser instead of queueing the whole input.
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(8);
        // A blocked read cannot be interrupted; this thread ends with the stream (or the
        // process), and stops early when the source is gone and the next read returns.
        std::thread::Builder::new()
            .name("jvmem stdin reader".into())
            .spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            if tx.send(buf[..n].to_vec()).is_err() {
                                break;
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
            })?;
        SourceHandle::spawn(Arc::clone(&name), move |stopper| {
            let mut follower = NmtFollower::new(Arc::clone(&name), options.settle);
            sink.status(&name, "reading snapshots from stdin");
            let tick = (options.settle / 4).max(Duration::from_millis(10));
            loop {
                match rx.recv_timeout(tick) {
                    Ok(bytes) => follower.push(&bytes, Instant::now()),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => {
                        follower.finish(&sink);
                        sink.status(
                            &name,
                            format!("stdin ended after {} snapshot(s)", follower.snapshots),
                        );
                        break;
                    }
                }
                follower.emit_ready(&sink, Instant::now());
                if stopper.stopped() {
                    break;
                }
            }
            sink.send(Update::Finished { source: name });
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipe whose writes arrive when the test sends them.
    struct Pipe(mpsc::Receiver<Vec<u8>>, Vec<u8>);

    impl Read for Pipe {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1.is_empty() {
                match self.0.recv() {
                    Ok(bytes) => self.1 = bytes,
                    Err(_) => return Ok(0),
                }
            }
            let n = self.1.len().min(buf.len());
            buf[..n].copy_from_slice(&self.1[..n]);
            self.1.drain(..n);
            Ok(n)
        }
    }

    #[test]
    fn a_pipe_gives_whole_snapshots_as_they_complete_and_ends() {
        let snap = "2026-11-26T07:26:35+00:00\n4242:\n\nNative Memory Tracking:\n\nTotal: reserved=100000KB, committed=50000KB\n-                 Java Heap (reserved=100000KB, committed=50000KB)\n";
        let (write, read) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        let mut source = StdinSource::new(Pipe(read, Vec::new()), Arc::from("-"));
        source.options.settle = Duration::from_millis(100);
        let _handle = source.spawn(Sink::new(tx, None)).expect("spawn");
        let half = snap.len() / 2;
        write.send(snap.as_bytes()[..half].to_vec()).expect("send");
        std::thread::sleep(Duration::from_millis(300));
        write.send(snap.as_bytes()[half..].to_vec()).expect("send");
        write.send(snap.as_bytes()[..half].to_vec()).expect("send");
        let mut counts = Vec::new();
        // The first snapshot is released by the start of the second, before the pipe ends.
        while let Ok(u) = rx.recv_timeout(Duration::from_secs(5)) {
            if let Update::Snapshots(s) = u {
                counts.push(s.len());
                break;
            }
        }
        write.send(snap.as_bytes()[half..].to_vec()).expect("send");
        drop(write);
        let rest: Vec<Update> = rx.iter().collect();
        for u in &rest {
            if let Update::Snapshots(s) = u {
                counts.push(s.len());
            }
        }
        assert_eq!(counts, vec![1, 1]);
        assert!(rest.iter().any(
            |u| matches!(u, Update::Status { message, .. } if message.contains("ended after 2"))
        ));
        assert!(matches!(rest.last(), Some(Update::Finished { .. })));
    }
}
