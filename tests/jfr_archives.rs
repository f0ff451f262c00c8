//! A flight recording inside `.zip`, `.tar`, `.tar.gz` and `.gz` reads as the plain file does
//! (issue 18: "`.jfr` inside `.zip`/`.gz` too"), archives built here from a real recording.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;

use assert_cmd::Command;
use common::repo_path;

fn export_csv(dir: &std::path::Path, input: &str) -> String {
    let out = Command::cargo_bin("jvmem")
        .expect("binary")
        .current_dir(dir)
        .args(["export", "--format", "csv", input])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn a_recording_in_an_archive_reads_as_the_plain_file() {
    let rec = std::fs::read(repo_path("samples/jfr/direct-leak-jdk21/rec.jfr")).expect("sample");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("rec.jfr"), &rec).expect("write");

    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut z = zip::ZipWriter::new(std::fs::File::create(dir.path().join("r.zip")).expect("zip"));
    z.start_file("rec.jfr", deflated).expect("zip entry");
    z.write_all(&rec).expect("zip data");
    z.finish().expect("zip end");

    let tar_of = |w: Box<dyn Write>| {
        let mut t = tar::Builder::new(w);
        let mut h = tar::Header::new_gnu();
        h.set_size(rec.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        t.append_data(&mut h, "rec.jfr", rec.as_slice())
            .expect("tar entry");
        t.into_inner().expect("tar end").flush().expect("flush");
    };
    tar_of(Box::new(
        std::fs::File::create(dir.path().join("r.tar")).expect("tar"),
    ));
    tar_of(Box::new(flate2::write::GzEncoder::new(
        std::fs::File::create(dir.path().join("r.tar.gz")).expect("tgz"),
        flate2::Compression::fast(),
    )));
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(dir.path().join("rec.jfr.gz")).expect("gz"),
        flate2::Compression::fast(),
    );
    gz.write_all(&rec).expect("gz data");
    gz.finish().expect("gz end");

    let plain = export_csv(dir.path(), "rec.jfr");
    // `jfr summary`: 60 jdk.NativeMemoryUsageTotal; 27 categories each, a header line.
    let snapshots = plain
        .lines()
        .filter(|l| l.contains(",summary,Java Heap,"))
        .count();
    assert_eq!(snapshots, 60);
    for (input, source) in [
        ("r.zip", "r.zip!rec.jfr"),
        ("r.tar", "r.tar!rec.jfr"),
        ("r.tar.gz", "r.tar.gz!rec.jfr"),
        ("rec.jfr.gz", "rec.jfr.gz"),
    ] {
        let got = export_csv(dir.path(), input);
        assert!(got.contains(source), "{input}: source {source} not named");
        assert_eq!(got.replace(source, "rec.jfr"), plain, "{input}");
    }
}
