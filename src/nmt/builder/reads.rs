//! The full read of a sub-line and of a header's amounts into a [`Usage`]: tokens, then
//! `group::apply`. The builder reads with these and reports what they did not understand;
//! `templates.rs` reads the first line of each shape with them.

use crate::model::{Scale, Usage};

use super::super::group::{self, Context as GroupContext, Outcome};
use super::super::tokens::{Token, tokenize_into};
use super::has_delta;
use super::text::groups;

/// Reads the `(…)` groups of one sub-line into `usage` (tokens, then `group::apply`): whether
/// every group was understood, and whether any carried a delta. `failed` hears of each group
/// not read (`None`) or not understood (what was not).
pub(in crate::nmt) fn read_sub_line<'a>(
    line: &'a str,
    scale: Scale,
    usage: &mut Usage,
    context: &mut GroupContext,
    tokens: &mut Vec<Token<'a>>,
    mut failed: impl FnMut(&'a str, Option<String>),
) -> (bool, bool) {
    let (mut understood, mut line_has_delta) = (true, false);
    for inner in groups(line) {
        if !tokenize_into(inner, tokens) {
            understood = false;
            failed(inner, None);
            continue;
        };
        line_has_delta |= has_delta(tokens);
        if let Outcome::Unknown(what) = group::apply(tokens, scale, usage, context) {
            understood = false;
            failed(inner, Some(what));
        }
    }
    (understood, line_has_delta)
}

/// `reserved=…, committed=…[, readonly=…]` (the tokens of the Total line or of a category
/// header) into `usage`: whether both amounts were there, whether any token carried a delta,
/// and what became of the other values.
pub(in crate::nmt) fn amounts_into(
    tokens: &[Token<'_>],
    scale: Scale,
    usage: &mut Usage,
) -> (bool, bool, Outcome) {
    let mut seen = (false, false);
    let mut rest: Vec<Token<'_>> = Vec::new();
    for token in tokens {
        match *token {
            Token::Key("reserved", amount, delta) => {
                usage.reserved_bytes = amount.bytes(scale);
                usage.reserved_delta_bytes = delta.map(|d| d.bytes(scale));
                seen.0 = true;
            }
            Token::Key("committed", amount, delta) => {
                usage.committed_bytes = amount.bytes(scale);
                usage.committed_delta_bytes = delta.map(|d| d.bytes(scale));
                seen.1 = true;
            }
            Token::Comma => {}
            ref other => rest.push(other.clone()),
        }
    }
    let mut outcome = Outcome::Understood;
    if !rest.is_empty() {
        let mut context = GroupContext::None;
        outcome = group::apply(&rest, scale, usage, &mut context);
    }
    (seen.0 && seen.1, has_delta(tokens), outcome)
}
