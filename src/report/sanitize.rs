//! Text from the input (category names, log lines, command output, paths) made safe to show
//! on a terminal. An input can carry escape sequences (`\x1b]0;owned\x07` retitles a window,
//! `\x1b[2J` clears it); every human-readable output passes what it prints through
//! [`printable`], and the machine formats' escapers (CSV quoting, OpenMetrics label values)
//! use it before their own escaping. JSON needs nothing more: serde_json escapes C0 controls.

use std::borrow::Cow;

/// `text` with every control character but line feed and tab shown as a visible escape
/// (`ESC` → `\x1b`, `BEL` → `\x07`, DEL and the C1 controls likewise): nothing in it can
/// drive the terminal. Borrowed when there is nothing to escape (the usual case).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible_text_and_plain_text_is_untouched() {
        assert_eq!(
            printable("a\x1b]0;owned\x07b\x1b[2J"),
            "a\\x1b]0;owned\\x07b\\x1b[2J"
        );
        assert_eq!(printable("\u{9b}2J\x7f\r"), "\\x9b2J\\x7f\\x0d");
        assert!(matches!(printable("Java Heap\t1 KB\n"), Cow::Borrowed(_)));
        assert_eq!(printable("größe → 1 GiB"), "größe → 1 GiB");
    }
}
