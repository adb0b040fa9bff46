//! Escaping text for the markup the export writes: one function per language.

/// Escapes `&`, `<`, `>` and `"`: text that stays text in HTML content and double-quoted attributes.
pub fn html(text: &str) -> String {
    escape_html(text, false)
}

/// [`html`], and `'` as `&#39;`: values a template may put in a single-quoted attribute.
pub fn html_attribute(text: &str) -> String {
    escape_html(text, true)
}

fn escape_html(text: &str, apostrophe: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if apostrophe => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_escapes_what_it_must() {
        assert_eq!(
            html("a<b> & \"c\" l'été"),
            "a&lt;b&gt; &amp; &quot;c&quot; l'été"
        );
        assert_eq!(html_attribute("l'été"), "l&#39;été");
        assert_eq!(xml("l'été\u{1}"), "l&apos;été");
    }
}
