//! The small vocabulary NMT lines are made of, read with byte loops (and nom for the rare
//! percentages).
//!
//! Every value-bearing part of an NMT line — the Total line, a category header's
//! parenthesis, each `(…)` sub-line — is a run of these tokens:
//! `key=AMOUNT [±DELTA]`, `#COUNT [±DELTA]`, `=P%`, bare amounts (`malloc: 123KB`),
//! words (`classes`, `at peak`), `label:` headers and commas. Reading tokens first and
//! giving them meaning afterwards (see `group.rs`) keeps the parser lenient about order,
//! spacing and new keys, which change between JDK updates.

use nom::{
    IResult, Parser,
    character::complete::{char, digit1, one_of, space0},
    combinator::{map_res, opt},
    sequence::{pair, preceded},
};

use crate::model::Scale;

/// A number as printed, with the unit it carried (`None`: the snapshot's scale applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub value: u64,
    pub unit: Option<Scale>,
}

impl Amount {
    /// Bytes, using `scale` when the number had no unit of its own. Saturates on absurd input.
    pub fn bytes(self, scale: Scale) -> u64 {
        self.value
            .saturating_mul(self.unit.unwrap_or(scale).bytes())
    }
}

/// A signed change as printed (`+316KB`, `-12`, `+3664`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delta {
    pub value: i64,
    pub unit: Option<Scale>,
}

impl Delta {
    /// Signed bytes, using `scale` when the delta had no unit (JDK 8/11 arena deltas).
    pub fn bytes(self, scale: Scale) -> i64 {
        let unit = i64::try_from(self.unit.unwrap_or(scale).bytes()).unwrap_or(i64::MAX);
        self.value.saturating_mul(unit)
    }
}

/// One token of an NMT value run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `reserved=1024KB +12KB`, `malloc=5KB`, `tracking overhead=3455088`.
    Key(&'a str, Amount, Option<Delta>),
    /// `tag=Native Memory Tracking` (JDK 25 call-site lines): the tag may contain spaces.
    Tag(&'a str),
    /// A bare amount: `malloc: 61343309` on the Total's sub-line.
    Bare(Amount, Option<Delta>),
    /// `#53780 +3664`.
    Count(u64, Option<i64>),
    /// `=6,66%`, stored as hundredths of a percent.
    Percent(i64),
    /// Words without a value: `classes`, `instance classes`, `at peak`.
    Word(&'a str),
    /// `mmap:`, `stack:`, `Metadata:`.
    Header(&'a str),
    Comma,
}

fn unsigned(input: &str) -> IResult<&str, u64> {
    map_res(digit1, str::parse::<u64>).parse(input)
}

// The amounts, units, deltas and counts below are read with byte loops rather than nom: they
// are most of every NMT line, and the combinators cost ~2× the instructions (issue 19,
// docs/benchmarks.md "NMT tokenizer"). They read exactly what `digit1` + `str::parse::<u64>`,
// `alt((tag("KB"), …))` and `space0` read: no digits or an overflow is no match.

/// The leading digits of `input` as a `u64`: `None` without digits or on overflow.
fn digits(input: &str) -> Option<(&str, u64)> {
    let bytes = input.as_bytes();
    let mut value: u64 = 0;
    let mut len = 0;
    while let Some(&b) = bytes.get(len) {
        if !b.is_ascii_digit() {
            break;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
        len += 1;
    }
    // The digits are ASCII, so `len` is a char boundary.
    (len > 0).then(|| (input.get(len..).unwrap_or(""), value))
}

/// `KB`/`MB`/`GB`/`B` at the start of `input`, if there is one.
fn unit(input: &str) -> (&str, Option<Scale>) {
    let (len, scale) = match input.as_bytes() {
        [b'K', b'B', ..] => (2, Scale::Kb),
        [b'M', b'B', ..] => (2, Scale::Mb),
        [b'G', b'B', ..] => (2, Scale::Gb),
        [b'B', ..] => (1, Scale::Bytes),
        _ => return (input, None),
    };
    (input.get(len..).unwrap_or(""), Some(scale))
}

/// `1024KB`, `1732481964`.
fn amount(input: &str) -> Option<(&str, Amount)> {
    let (rest, value) = digits(input)?;
    let (rest, unit) = unit(rest);
    Some((rest, Amount { value, unit }))
}

/// ` +316KB` / ` -12` after an amount (spaces and tabs before the sign).
fn delta(input: &str) -> Option<(&str, Delta)> {
    let unsigned_start = input.trim_start_matches([' ', '\t']);
    let (negative, magnitude) = match unsigned_start.as_bytes().first() {
        Some(b'+') => (false, &unsigned_start[1..]),
        Some(b'-') => (true, &unsigned_start[1..]),
        _ => return None,
    };
    let (rest, magnitude) = digits(magnitude)?;
    let (rest, unit) = unit(rest);
    let magnitude = i64::try_from(magnitude).unwrap_or(i64::MAX);
    let value = if negative { -magnitude } else { magnitude };
    Some((rest, Delta { value, unit }))
}

/// An amount and the delta after it, if one follows.
fn amount_and_delta(input: &str) -> Option<(&str, Amount, Option<Delta>)> {
    let (rest, a) = amount(input)?;
    Some(match delta(rest) {
        Some((rest, d)) => (rest, a, Some(d)),
        None => (rest, a, None),
    })
}

/// `#53780 +3664`.
fn count(input: &str) -> Option<(&str, Token<'_>)> {
    let (rest, n) = digits(input.strip_prefix('#')?)?;
    Some(match delta(rest) {
        Some((rest, d)) => (rest, Token::Count(n, Some(d.value))),
        None => (rest, Token::Count(n, None)),
    })
}

/// `=6,66%` / `=7.71%` / `=15%`.
fn percent(input: &str) -> IResult<&str, Token<'_>> {
    let (rest, (whole, frac)) = (
        preceded(pair(char('='), space0), unsigned),
        opt(preceded(one_of(".,"), digit1)),
    )
        .parse(input)?;
    let (rest, _) = char('%').parse(rest)?;
    let hundredths = frac.map_or(0, |f: &str| {
        let digits: String = f.chars().chain("00".chars()).take(2).collect();
        digits.parse::<i64>().unwrap_or(0)
    });
    // Saturating throughout: `=92233720368547758%` must not overflow (the value is flagged
    // as impossible later, in `plausible.rs`).
    let whole = i64::try_from(whole).unwrap_or(i64::MAX);
    Ok((
        rest,
        Token::Percent(whole.saturating_mul(100).saturating_add(hundredths)),
    ))
}

/// Gives a delta that stands after a `=P%` to the key before the percentage.
fn attach_trailing_delta(tokens: &mut [Token<'_>], d: Delta) -> Option<()> {
    let n = tokens.len();
    match tokens {
        [.., Token::Key(_, _, slot @ None), Token::Percent(_)] if n >= 2 => {
            *slot = Some(d);
            Some(())
        }
        _ => None,
    }
}

/// A word up to the next `=`, `#`, `,`, `:`, `(` or `)` (all ASCII, so a byte search finds the
/// same end as a search by chars); `None` when it would be empty.
fn label(input: &str) -> Option<(&str, &str)> {
    let end = input
        .bytes()
        .position(|b| matches!(b, b'=' | b'#' | b',' | b':' | b'(' | b')'))
        .unwrap_or(input.len());
    (end > 0).then(|| (&input[end..], &input[..end]))
}

/// Splits one value run (the inside of a parenthesis, or the text after `Total:`) into tokens.
/// Returns `None` when some part could not be read; the caller keeps the line as unknown.
#[cfg(test)]
pub fn tokenize(input: &str) -> Option<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    tokenize_into(input, &mut tokens).then_some(tokens)
}

/// Splits one value run into `tokens`, a buffer the caller reuses (the parser's hot path
/// allocates nothing). Returns false when some part could not be read; the caller keeps the
/// line as unknown.
pub fn tokenize_into<'a>(input: &'a str, tokens: &mut Vec<Token<'a>>) -> bool {
    tokens.clear();
    read_tokens(input, tokens).is_some()
}

fn read_tokens<'a>(mut input: &'a str, tokens: &mut Vec<Token<'a>>) -> Option<()> {
    loop {
        input = input.trim_ascii_start();
        let Some(&first) = input.as_bytes().first() else {
            return Some(());
        };
        let first = first as char;
        let (rest, token) = match first {
            ',' => (&input[1..], Token::Comma),
            ':' => (&input[1..], Token::Header("")),
            '#' => count(input)?,
            '=' => percent(input).ok()?,
            // Diffs print the waste delta after the percentage: `waste=365KB =4.88% +168KB`.
            '+' | '-' => {
                let (rest, d) = delta(input)?;
                attach_trailing_delta(tokens, d)?;
                input = rest;
                continue;
            }
            c if c.is_ascii_digit() => {
                let (rest, a, d) = amount_and_delta(input)?;
                (rest, Token::Bare(a, d))
            }
            _ => {
                let (rest, word) = label(input)?;
                let word = word.trim_ascii_end();
                if let Some(value) = rest.strip_prefix('=') {
                    if word == "tag" {
                        // The tag runs to the count (`tag=Native Memory Tracking #12`).
                        let end = value.find('#').unwrap_or(value.len());
                        (&value[end..], Token::Tag(value[..end].trim_ascii()))
                    } else {
                        let (rest, a, d) = amount_and_delta(value.trim_ascii_start())?;
                        (rest, Token::Key(word, a, d))
                    }
                } else if let Some(rest) = rest.strip_prefix(':') {
                    (rest, Token::Header(word))
                } else {
                    (rest, Token::Word(word))
                }
            }
        };
        tokens.push(token);
        input = rest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(value: u64) -> Amount {
        Amount {
            value,
            unit: Some(Scale::Kb),
        }
    }

    #[test]
    fn reads_keys_with_deltas_and_counts() {
        let t = tokenize("malloc=461KB +316KB #5226 +3664").unwrap();
        assert_eq!(
            t,
            vec![
                Token::Key(
                    "malloc",
                    kb(461),
                    Some(Delta {
                        value: 316,
                        unit: Some(Scale::Kb)
                    })
                ),
                Token::Count(5226, Some(3664)),
            ]
        );
    }

    #[test]
    fn reads_unitless_arena_delta_and_negative_numbers() {
        let t = tokenize("arena=43KB -18 #74 -30").unwrap();
        assert_eq!(
            t[0],
            Token::Key(
                "arena",
                kb(43),
                Some(Delta {
                    value: -18,
                    unit: None
                })
            )
        );
        assert_eq!(t[1], Token::Count(74, Some(-30)));
    }

    #[test]
    fn reads_headers_words_and_percentages() {
        let t = tokenize("mmap: reserved=10KB, committed=5KB, at peak").unwrap();
        assert_eq!(t[0], Token::Header("mmap"));
        assert_eq!(t[2], Token::Comma);
        assert_eq!(t[5], Token::Word("at peak"));
        assert_eq!(
            tokenize("waste=2578008 =6,66%").unwrap()[1],
            Token::Percent(666)
        );
        assert_eq!(tokenize("waste=1KB =7.7%").unwrap()[1], Token::Percent(770));
        assert_eq!(
            tokenize("  instance classes #9955, array classes #623").unwrap(),
            vec![
                Token::Word("instance classes"),
                Token::Count(9955, None),
                Token::Comma,
                Token::Word("array classes"),
                Token::Count(623, None)
            ]
        );
    }

    #[test]
    fn reads_the_waste_delta_after_the_percentage() {
        let t = tokenize("    waste=365KB =4.88% +168KB").unwrap();
        assert_eq!(
            t,
            vec![
                Token::Key(
                    "waste",
                    kb(365),
                    Some(Delta {
                        value: 168,
                        unit: Some(Scale::Kb)
                    })
                ),
                Token::Percent(488)
            ]
        );
        assert_eq!(tokenize("+5KB"), None);
    }

    #[test]
    fn reads_tags_with_spaces_and_bare_amounts() {
        let t = tokenize("malloc=3KB tag=Native Memory Tracking #12").unwrap();
        assert_eq!(t[1], Token::Tag("Native Memory Tracking"));
        assert_eq!(t[2], Token::Count(12, None));
        let t = tokenize("malloc: 61343309 #216143, peak=1KB #3").unwrap();
        assert_eq!(t[0], Token::Header("malloc"));
        assert_eq!(
            t[1],
            Token::Bare(
                Amount {
                    value: 61343309,
                    unit: None
                },
                None
            )
        );
    }

    /// The byte loops read what the nom combinators read: a tab before a delta, a unit-less
    /// delta, a `KX` that is no unit, an overflowing delta that is then no delta (and so fails
    /// the run), leading zeros, and a `(` that ends a word.
    #[test]
    fn edge_cases_read_as_the_combinators_read_them() {
        let t = tokenize("reserved=10KB\t+2KB #007 -1").unwrap();
        assert_eq!(
            t,
            vec![
                Token::Key(
                    "reserved",
                    kb(10),
                    Some(Delta {
                        value: 2,
                        unit: Some(Scale::Kb)
                    })
                ),
                Token::Count(7, Some(-1)),
            ]
        );
        assert_eq!(
            tokenize("malloc=5KX").unwrap(),
            vec![
                Token::Key(
                    "malloc",
                    Amount {
                        value: 5,
                        unit: None
                    },
                    None
                ),
                Token::Word("KX")
            ]
        );
        assert_eq!(tokenize("malloc=5 +99999999999999999999KB"), None);
        assert_eq!(tokenize("malloc(=5"), None);
        assert_eq!(
            tokenize("peak=18446744073709551615B").unwrap()[0],
            Token::Key(
                "peak",
                Amount {
                    value: u64::MAX,
                    unit: Some(Scale::Bytes)
                },
                None
            )
        );
        assert_eq!(tokenize("peak=18446744073709551616B"), None);
    }

    #[test]
    fn rejects_what_it_cannot_read_without_panicking() {
        assert_eq!(tokenize("reserved=lots"), None);
        assert_eq!(tokenize("#"), None);
        assert_eq!(tokenize("reserved=99999999999999999999999KB"), None);
        // whole * 100 + hundredths overflowed i64 (a panic with overflow checks).
        assert_eq!(
            tokenize("waste=1KB =92233720368547758.99%").unwrap()[1],
            Token::Percent(i64::MAX)
        );
        assert_eq!(tokenize(""), Some(vec![]));
        let a = Amount {
            value: u64::MAX,
            unit: Some(Scale::Gb),
        };
        assert_eq!(a.bytes(Scale::Kb), u64::MAX);
    }
}
