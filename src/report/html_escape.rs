//! Text from the input (category names, file names, GC causes, jcmd messages) made safe for
//! HTML: markup characters become entities and control characters become their visible
//! Unicode "control picture" (␛ for ESC), so a hostile input can neither inject markup into the
//! report nor hide text in it.

/// `text` escaped for HTML element content and attribute values (double- or single-quoted).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'))
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if ('\u{80}'..='\u{9f}').contains(&c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_controls_are_neutralised() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("\x1b]0;owned\x07"), "\u{241b}]0;owned\u{2407}");
        assert_eq!(escape("Java Heap"), "Java Heap");
        assert_eq!(escape("a\u{9b}b"), "a\u{FFFD}b");
    }
}
