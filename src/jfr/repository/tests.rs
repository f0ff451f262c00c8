use std::path::PathBuf;

use super::*;

const JVM_DIR: &str = "samples/jfr/repository-jdk21/2026_12_01_23_26_54_2864";
const FINISHED: &str = "2026_12_01_23_26_54.jfr";
const OPEN: &str = "2026_12_01_23_27_12.jfr";

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(JVM_DIR)
        .join(name);
    std::fs::read(path).expect("repository sample")
}

/// The open chunk as the JVM leaves it when it finishes: the same bytes, generation 0.
fn finalised(mut open: Vec<u8>) -> Vec<u8> {
    open[64] = 0;
    open
}

/// Everything a follower sent, in order.
#[derive(Default)]
struct Got {
    snapshot_times: Vec<i64>,
    gc_ids: Vec<u64>,
    diagnostics: Vec<String>,
    limits: Vec<u64>,
}

fn poll(f: &mut RepositoryFollower, got: &mut Got) {
    f.poll(&mut |u| {
        match u {
            Update::Snapshots(s) => got.snapshot_times.extend(s.iter().map(|s| {
                s.timestamp
                    .and_then(|t| t.timestamp_nanos_opt())
                    .unwrap_or(0)
            })),
            Update::GcEvents(e) => got.gc_ids.extend(e.iter().filter_map(|e| e.gc_id)),
            Update::Diagnostics(d) => got.diagnostics.extend(d.into_iter().map(|d| d.message)),
            Update::Limit(l) => got.limits.push(l),
            _ => {}
        }
        true
    })
    .expect("poll");
}

fn follower(dir: &std::path::Path) -> RepositoryFollower {
    let mut f = RepositoryFollower::new(dir, Arc::from("repo"));
    f.reparse_factor = 0;
    f
}

fn increasing(v: &[i64]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

#[test]
fn headers_tell_finished_from_open_chunks() {
    let finished = ChunkHead::parse(&sample(FINISHED)).expect("header");
    assert_eq!(finished.state, ChunkState::Finished);
    assert_eq!(finished.size, 272_807);
    assert!(!finished.last);
    let open = ChunkHead::parse(&sample(OPEN)).expect("header");
    assert_eq!(open.state, ChunkState::Open(49));
    assert_eq!(open.size, 326_209);
    assert!(open.start_nanos > finished.start_nanos);
    let mut updating = sample(OPEN);
    updating[64] = 255;
    assert_eq!(
        ChunkHead::parse(&updating).map(|h| h.state),
        Some(ChunkState::Updating)
    );
    assert_eq!(ChunkHead::parse(&sample(OPEN)[..67]), None);
    assert_eq!(ChunkHead::parse(&[b'x'; 68]), None);
}

#[test]
fn a_repository_base_is_read_in_order_and_the_open_chunk_as_it_grows() {
    let base = tempfile::tempdir().expect("tempdir");
    let jvm = base.path().join("2026_12_01_23_26_54_2864");
    std::fs::create_dir(&jvm).expect("mkdir");
    std::fs::write(jvm.join(FINISHED), sample(FINISHED)).expect("write");
    // The open chunk's file already holds bytes past its flushed part.
    let mut open = sample(OPEN);
    open.extend_from_slice(&sample(FINISHED)[1000..5000]);
    std::fs::write(jvm.join(OPEN), &open).expect("write");

    let mut f = follower(base.path());
    let mut got = Got::default();
    poll(&mut f, &mut got);
    // `jfr summary`: 18 NMT samples and GC ids 2..16 in the finished chunk; 48 samples and
    // GC ids 17..46 in the open chunk's flushed part, whose newest of each waits.
    assert_eq!(f.chunks_finished, 1);
    assert_eq!(got.snapshot_times.len(), 18 + 47);
    assert_eq!(got.gc_ids, (2..=45).collect::<Vec<u64>>());
    assert!(increasing(&got.snapshot_times));
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);

    // Nothing changed: nothing is sent again.
    poll(&mut f, &mut got);
    assert_eq!(got.snapshot_times.len(), 65);
    assert_eq!(got.gc_ids.len(), 44);

    // The chunk is finished: the held-back sample and GC come, and nothing twice.
    std::fs::write(jvm.join(OPEN), finalised(sample(OPEN))).expect("write");
    poll(&mut f, &mut got);
    assert_eq!(f.chunks_finished, 2);
    assert_eq!(got.snapshot_times.len(), 18 + 48);
    assert_eq!(got.gc_ids, (2..=46).collect::<Vec<u64>>());
    assert!(increasing(&got.snapshot_times));

    // The JVM deletes old chunks (maxage): their paths are forgotten.
    std::fs::remove_file(jvm.join(FINISHED)).expect("rm");
    poll(&mut f, &mut got);
    assert_eq!(got.snapshot_times.len(), 66);
    assert!(f.done.len() == 1 && f.open.is_empty());
}

#[test]
fn chunks_are_ordered_by_their_start_not_their_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The later chunk gets the name that sorts first.
    std::fs::write(dir.path().join("a.jfr"), finalised(sample(OPEN))).expect("write");
    std::fs::write(dir.path().join("b.jfr"), sample(FINISHED)).expect("write");
    std::fs::write(dir.path().join("notes.txt"), "not a chunk").expect("write");
    let mut f = follower(dir.path());
    let mut got = Got::default();
    poll(&mut f, &mut got);
    assert_eq!(got.snapshot_times.len(), 18 + 48);
    assert!(increasing(&got.snapshot_times));
    assert_eq!(got.gc_ids, (2..=46).collect::<Vec<u64>>());
}

#[test]
fn a_chunk_cut_short_waits_and_holds_back_the_chunks_after_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let finished = sample(FINISHED);
    // Being copied in: its header says 272,807 bytes, the file has half.
    std::fs::write(dir.path().join("1.jfr"), &finished[..finished.len() / 2]).expect("write");
    std::fs::write(dir.path().join("2.jfr"), finalised(sample(OPEN))).expect("write");
    // A file the JVM has just created, still without a header.
    std::fs::write(dir.path().join("3.jfr"), b"FLR\0").expect("write");
    let mut f = follower(dir.path());
    let mut got = Got::default();
    poll(&mut f, &mut got);
    assert!(got.snapshot_times.is_empty() && got.gc_ids.is_empty());
    assert!(got.diagnostics.is_empty(), "{:?}", got.diagnostics);

    std::fs::write(dir.path().join("1.jfr"), &finished).expect("write");
    poll(&mut f, &mut got);
    assert_eq!(got.snapshot_times.len(), 18 + 48);
    assert!(increasing(&got.snapshot_times));
    assert_eq!(f.chunks_finished, 2);
}

#[test]
fn an_open_chunk_cut_inside_its_flushed_part_waits_for_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let open = sample(OPEN);
    let path = dir.path().join("open.jfr");
    for cut in [68usize, 1000, open.len() / 2, open.len() - 1] {
        std::fs::write(&path, &open[..cut]).expect("write");
        let mut f = follower(dir.path());
        let mut got = Got::default();
        poll(&mut f, &mut got);
        assert!(got.snapshot_times.is_empty(), "cut at {cut}");
        assert!(
            got.diagnostics.is_empty(),
            "cut at {cut}: {:?}",
            got.diagnostics
        );
        std::fs::write(&path, &open).expect("write");
        poll(&mut f, &mut got);
        assert_eq!(got.snapshot_times.len(), 47, "cut at {cut}");
    }
}

#[test]
fn a_header_being_rewritten_is_looked_at_again_later() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut open = sample(OPEN);
    open[64] = 255;
    let path = dir.path().join("open.jfr");
    std::fs::write(&path, &open).expect("write");
    let mut f = follower(dir.path());
    let mut got = Got::default();
    poll(&mut f, &mut got);
    assert!(got.snapshot_times.is_empty());
    open[64] = 50;
    std::fs::write(&path, &open).expect("write");
    poll(&mut f, &mut got);
    assert_eq!(got.snapshot_times.len(), 47);
}

#[test]
fn a_file_that_is_not_a_chunk_is_named_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("x.jfr"), vec![b'x'; 100]).expect("write");
    std::fs::write(dir.path().join("1.jfr"), sample(FINISHED)).expect("write");
    let mut f = follower(dir.path());
    let mut got = Got::default();
    poll(&mut f, &mut got);
    poll(&mut f, &mut got);
    assert_eq!(got.diagnostics.len(), 1, "{:?}", got.diagnostics);
    assert!(got.diagnostics[0].contains("not a JFR chunk"));
    assert_eq!(got.snapshot_times.len(), 18);
}

#[test]
fn a_missing_directory_is_an_error_from_poll() {
    let mut f = follower(std::path::Path::new("/nonexistent/jvmem-repo"));
    assert!(f.poll(&mut |_| true).is_err());
}

#[test]
fn an_open_chunk_deleted_before_it_finishes_still_gives_what_was_held_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("open.jfr");
    std::fs::write(&path, sample(OPEN)).expect("write");
    let mut f = follower(dir.path());
    let mut got = Got::default();
    poll(&mut f, &mut got);
    assert_eq!((got.snapshot_times.len(), got.gc_ids.len()), (47, 29));
    std::fs::remove_file(&path).expect("rm");
    poll(&mut f, &mut got);
    assert_eq!((got.snapshot_times.len(), got.gc_ids.len()), (48, 30));
    assert_eq!(got.gc_ids.last(), Some(&46));
    assert!(increasing(&got.snapshot_times));
    poll(&mut f, &mut got);
    assert_eq!(got.snapshot_times.len(), 48);
}
