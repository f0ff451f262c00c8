//! Sub-line shapes already read in full, for a consumer that keeps only each category's
//! reserved and committed amounts ([`Keep::Totals`](super::Keep), `export --format csv`).
//!
//! Of a sub-line such a consumer needs only what it does to the snapshot as a whole: that it
//! was there (a category without any looks cut), whether it carries a delta (the snapshot is
//! a `.diff`), the context it leaves for the next line (`Metadata:`, `mmap:`), and any warning
//! it gives. All four depend on the line's *shape* — its text with each run of digits written
//! as one `0` — and on the context it is read in, not on its numbers: the tokenizer reads a
//! digit run the same whatever its digits (runs of at most [`MAX_DIGITS`], which no scale can
//! overflow), and no key, word or header `group::apply` knows has a digit in it. So the first
//! line of each shape is read in full (tokens, `group::apply`: the one place of those rules),
//! and when it was understood without a warning, later lines of the same shape and context
//! are counted and skipped. A line with a `%` is always read in full: whether its percentage is
//! over 100 (a warning, `plausible.rs`) depends on its digits.
//!
//! On the 88 MiB JDK 25 bench input a snapshot prints ~27 sub-lines of ~25 shapes, the same in
//! every snapshot; docs/benchmarks.md ("NMT totals without sub-fields") has the measurements.

use rustc_hash::FxHashMap;

use super::group::Context as GroupContext;

/// Digit runs longer than this are read in full: 999,999,999 GB still fits an `i64` of bytes,
/// so a shorter run can neither overflow the tokenizer nor saturate an amount.
const MAX_DIGITS: usize = 9;

/// Shapes held at most: hostile input with ever-new shapes is read in full past it.
const MAX_SHAPES: usize = 4096;

/// What a sub-line of a known shape does to the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Known {
    /// The group context after the line.
    pub context: GroupContext,
    pub has_delta: bool,
}

/// What [`Shapes::look_up`] found for a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lookup<'s, T> {
    /// A line of this shape was read in full before, and did this (and, when asked for, the
    /// values of the line's digit runs in order).
    Known(&'s T, &'s [u64]),
    /// Not seen yet: read it in full, then [`Shapes::insert`] what it did if it was understood.
    New,
    /// A line that is always read in full.
    Never,
}

/// Shapes of the sub-lines understood so far in one scan, with the context each was read in.
///
/// The sub-lines of one snapshot come in the same order as those of the one before, so the
/// shape found at the same place (the n-th sub-line of its snapshot) the last time is tried
/// first, in place (no hashing; several categories share shapes such as `(mmap: …, at peak)`,
/// so neither "the next shape in the list" nor "the shape after this one" guesses well).
/// Otherwise the line's shape is written out and looked up.
///
/// `T` is what a line of a shape does: [`Known`] for [`Keep::Totals`](super::Keep),
/// a [`Template`](super::templates::Template) for the full read.
#[derive(Debug)]
pub(super) struct Shapes<T> {
    /// Every key held (the context it was read in as a byte, then the shape), in the order
    /// first read.
    list: Vec<Entry<T>>,
    /// Key → its place in `list`.
    index: FxHashMap<Box<[u8]>, usize>,
    /// For the n-th sub-line of a snapshot, the place in `list` of the key found there last.
    at_place: Vec<usize>,
    /// The key of the line being read (reused: no allocation per line).
    key: Vec<u8>,
    /// The place of the line being read among its snapshot's sub-lines.
    place: usize,
    /// The digit runs of the line last looked up (when asked for).
    runs: Vec<u64>,
}

impl<T> Default for Shapes<T> {
    fn default() -> Self {
        Shapes {
            list: Vec::new(),
            index: FxHashMap::default(),
            at_place: Vec::new(),
            key: Vec::new(),
            place: 0,
            runs: Vec::new(),
        }
    }
}

/// One shape held.
#[derive(Debug)]
struct Entry<T> {
    key: Box<[u8]>,
    known: T,
}

impl<T> Shapes<T> {
    /// What a line of `line`'s shape read in `context` does, if known; `place` is the
    /// line's place among the sub-lines of its snapshot (0 for the first). `context` is the
    /// byte all else the line's meaning depends on is written in (a group context, a scale).
    /// With `read_runs`, a known line's digit runs are read too.
    pub fn look_up(
        &mut self,
        line: &str,
        context: u8,
        place: usize,
        read_runs: bool,
    ) -> Lookup<'_, T> {
        self.place = place;
        self.runs.clear();
        let runs = read_runs.then_some(&mut self.runs);
        if let Some(&at) = self.at_place.get(place) {
            let key = &self.list[at].key;
            if key.first() == Some(&context) && same_shape(line.as_bytes(), &key[1..], runs) {
                return Lookup::Known(&self.list[at].known, &self.runs);
            }
        }
        self.key.clear();
        self.key.push(context);
        if !shape_of(line.as_bytes(), &mut self.key) {
            return Lookup::Never;
        }
        match self.index.get(self.key.as_slice()) {
            Some(&at) => {
                self.found_at(at);
                if read_runs {
                    self.runs.clear();
                    same_shape(line.as_bytes(), &self.key[1..], Some(&mut self.runs));
                }
                Lookup::Known(&self.list[at].known, &self.runs)
            }
            None => Lookup::New,
        }
    }

    /// Remembers what the line last looked up as [`Lookup::New`] did (read in full,
    /// understood, no warning).
    pub fn insert(&mut self, known: T) {
        if self.list.len() < MAX_SHAPES {
            let key: Box<[u8]> = self.key.as_slice().into();
            self.index.insert(key.clone(), self.list.len());
            self.list.push(Entry { key, known });
            self.found_at(self.list.len() - 1);
        }
    }

    /// The key at `at` in `list` was found at the current line's place: tried first there
    /// next time.
    fn found_at(&mut self, at: usize) {
        if self.place < MAX_SHAPES {
            if self.at_place.len() <= self.place {
                self.at_place.resize(self.place + 1, at);
            }
            self.at_place[self.place] = at;
        }
    }
}

/// Writes the shape of `line` (each digit run as one `0`) after what `out` holds; false when a
/// line like it must always be read in full (a `%`, a digit run over [`MAX_DIGITS`]).
fn shape_of(line: &[u8], out: &mut Vec<u8>) -> bool {
    let mut run = 0;
    for &b in line {
        if b.is_ascii_digit() {
            run += 1;
            if run == 1 {
                out.push(b'0');
            } else if run > MAX_DIGITS {
                return false;
            }
        } else {
            if b == b'%' {
                return false;
            }
            run = 0;
            out.push(b);
        }
    }
    true
}

/// True when `line` has the shape `shape` (written by [`shape_of`], so it has no `%` and no
/// digit but the `0` of each run). Eight bytes at a time: one word test finds the first byte
/// that differs from the shape or is a digit (or not ASCII), which is then looked at alone.
/// With `runs`, the value of each digit run is pushed there (partly, when the shape differs).
fn same_shape(line: &[u8], shape: &[u8], mut runs: Option<&mut Vec<u64>>) -> bool {
    let (mut i, mut j) = (0, 0);
    loop {
        if let (Some(w), Some(s)) = (word_at(line, i), word_at(shape, j)) {
            let events = nonzero_bytes(w ^ s) | digit_bytes(w);
            if events == 0 {
                i += 8;
                j += 8;
                continue;
            }
            let equal = events.trailing_zeros() as usize / 8;
            i += equal;
            j += equal;
        }
        let Some(&b) = line.get(i) else {
            return j == shape.len();
        };
        if b.is_ascii_digit() {
            if shape.get(j) != Some(&b'0') {
                return false;
            }
            let (start, mut value) = (i, 0u64);
            while let Some(&d) = line.get(i).filter(|d| d.is_ascii_digit()) {
                value = value.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                i += 1;
            }
            if i - start > MAX_DIGITS {
                return false;
            }
            if let Some(runs) = runs.as_deref_mut() {
                runs.push(value);
            }
        } else if shape.get(j) != Some(&b) {
            return false;
        } else {
            i += 1;
        }
        j += 1;
    }
}

/// The eight bytes at `at`, as one little-endian word (the first byte lowest).
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let eight: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(eight))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// The high bit of each byte of `x` that is not zero.
fn nonzero_bytes(x: u64) -> u64 {
    // (b & 0x7f) + 0x7f carries into bit 7 for any nonzero low bits and never past it.
    (((x & !HIGH) + !HIGH) | x) & HIGH
}

/// The high bit of each byte of `w` that is an ASCII digit or not ASCII, right up to and
/// including the first such byte (a byte over 0x7f may carry into the marks after it; only
/// the first mark is read).
fn digit_bytes(w: u64) -> u64 {
    // For an ASCII byte x, x + 0x50 has its high bit set when x >= b'0', x + 0x46 when
    // x > b'9'.
    let at_least_0 = w.wrapping_add(ONES * 0x50) & HIGH;
    let above_9 = w.wrapping_add(ONES * 0x46) & HIGH;
    (at_least_0 & !above_9) | (w & HIGH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(line: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        shape_of(line.as_bytes(), &mut out).then_some(out)
    }

    /// Numbers do not change a shape; their place, the words, signs and units do; the test in
    /// place agrees with the shape written out.
    #[test]
    fn shape_is_the_line_without_its_numbers() {
        let a = "(malloc=319KB tag=Class #4586) (peak=320KB #4587)";
        let lines = [
            "(malloc=1KB tag=Class #4) (peak=999999999KB #1)",
            "(malloc=319KB +1KB tag=Class #4586) (peak=320KB #4587)",
            "(malloc=319MB tag=Class #4586) (peak=320KB #4587)",
            "(malloc=319KB tag=Class #4586) (peak=320KB #4587) ",
            "(malloc=319KB tag=Class #4586) (peak=320KB #",
            "(malloc=1234567890KB tag=Class #4586) (peak=320KB #4587)",
            "(malloc=319KB tag=Class #4586) (peak=320KB #4587%)",
            "(    waste=442KB =5.58%)",
        ];
        let same: Vec<bool> = lines.iter().map(|l| shape(l) == shape(a)).collect();
        assert_eq!(
            same,
            [true, false, false, false, false, false, false, false]
        );
        assert_eq!(shape("(malloc=1234567890KB)"), None);
        assert_eq!(shape("(    waste=442KB =5.58%)"), None);
        let a_shape = shape(a).unwrap();
        for (line, same) in lines.iter().zip(same) {
            assert_eq!(same_shape(line.as_bytes(), &a_shape, None), same, "{line}");
        }
        let mut runs = Vec::new();
        assert!(same_shape(a.as_bytes(), &a_shape, Some(&mut runs)));
        assert_eq!(runs, [319, 4586, 320, 4587]);
    }

    /// The word tests find the first digit, non-ASCII or differing byte at every place.
    #[test]
    fn word_tests_find_the_first_event() {
        for at in 0..8 {
            for b in 0u8..=255 {
                let mut bytes = *b"abc:=( )";
                bytes[at] = b;
                let w = u64::from_le_bytes(bytes);
                let first = |marks: u64| (marks != 0).then(|| marks.trailing_zeros() / 8);
                let event = (b.is_ascii_digit() || b >= 0x80).then_some(at as u32);
                assert_eq!(first(digit_bytes(w)), event, "{b} at {at}");
                let plain = u64::from_le_bytes(*b"abc:=( )");
                let differs = (bytes != *b"abc:=( )").then_some(at as u32);
                assert_eq!(first(nonzero_bytes(w ^ plain)), differs, "{b} at {at}");
            }
        }
    }

    /// Lines are found in order, out of order, and per context.
    #[test]
    fn look_up_finds_what_was_inserted() {
        let none = GroupContext::None as u8;
        let known = |has_delta| Known {
            context: GroupContext::Malloc,
            has_delta,
        };
        let mut shapes = Shapes::default();
        let (a, b) = ("(malloc=1KB #2)", "(arena=1KB +1KB #2)");
        assert_eq!(shapes.look_up(a, none, 0, false), Lookup::New);
        shapes.insert(known(false));
        assert_eq!(shapes.look_up(b, none, 1, false), Lookup::New);
        shapes.insert(known(true));
        assert_eq!(
            shapes.look_up("(malloc=7KB #9)", none, 0, true),
            Lookup::Known(&known(false), &[7, 9][..])
        );
        assert_eq!(
            shapes.look_up("(arena=7KB +3KB #9)", none, 1, false),
            Lookup::Known(&known(true), &[][..])
        );
        // Out of place: found by its shape.
        assert_eq!(
            shapes.look_up(b, none, 0, true),
            Lookup::Known(&known(true), &[1, 1, 2][..])
        );
        assert_eq!(
            shapes.look_up(a, none, 5, false),
            Lookup::Known(&known(false), &[][..])
        );
        let metadata = GroupContext::Metadata as u8;
        assert_eq!(shapes.look_up(a, metadata, 0, false), Lookup::New);
        assert_eq!(shapes.look_up("(x=1%)", none, 0, false), Lookup::Never);
    }
}
