//! What the text-scanning link rules share: where prose is, bracket matching, and what a URL looks like.

use std::ops::Range;

use crate::lint::document::{escaped, in_ranges, Document};
use crate::post::Post;

/// A post's text with the facts needed to tell prose from links, code, HTML and Liquid.
pub struct Text<'a> {
    /// The whole post's text.
    pub text: &'a str,
    /// The same, as bytes.
    pub bytes: &'a [u8],
    /// Where the body starts.
    pub body_start: usize,
    /// The parsed body.
    pub doc: &'a Document,
    /// Spans of the links comrak parsed, in order.
    pub links: Vec<Range<usize>>,
}

impl<'a> Text<'a> {
    /// The scanning view of a post.
    pub fn new(post: &'a Post, doc: &'a Document) -> Text<'a> {
        Text {
            text: &post.text,
            bytes: post.text.as_bytes(),
            body_start: post.body_start,
            doc,
            links: doc.links.iter().map(|l| l.span.clone()).collect(),
        }
    }

    /// Whether `offset` is Markdown prose outside any parsed link.
    pub fn prose(&self, offset: usize) -> bool {
        offset >= self.body_start && self.doc.in_prose(offset) && !in_ranges(&self.links, offset)
    }

    /// Offsets in the body where `needle` starts, in order.
    pub fn find_all(&self, needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        let start = self.body_start;
        memchr::memmem::find_iter(&self.bytes[start..], needle).map(move |i| start + i)
    }

    /// The unescaped `[` opening the bracket that closes at `close`, within the same paragraph.
    pub fn open_bracket(&self, close: usize) -> Option<usize> {
        let floor = close.saturating_sub(1000).max(self.body_start);
        let mut depth = 0usize;
        let mut i = close;
        while i > floor {
            i -= 1;
            match self.bytes[i] {
                b'\n' if self.blank_line_before(i) => return None,
                b']' if !escaped(self.bytes, i) && !self.doc.in_code(i) => depth += 1,
                b'[' if !escaped(self.bytes, i) && !self.doc.in_code(i) => {
                    if depth == 0 {
                        return self.prose(i).then_some(i);
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        None
    }

    /// Whether the line ending at the `\n` at `newline` is blank.
    fn blank_line_before(&self, newline: usize) -> bool {
        let start = self.line_start(newline);
        self.bytes[start..newline]
            .iter()
            .all(|b| b.is_ascii_whitespace())
    }

    /// Where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        memchr::memrchr(b'\n', &self.bytes[..offset]).map_or(0, |i| i + 1)
    }

    /// Where the line holding `offset` ends (before its line ending).
    pub fn line_end(&self, offset: usize) -> usize {
        memchr::memchr2(b'\n', b'\r', &self.bytes[offset..])
            .map_or(self.bytes.len(), |i| offset + i)
    }

    /// The start of a construct opened by the `[` at `open`: the `!` of an image, or the bracket.
    pub fn construct_start(&self, open: usize) -> usize {
        if open > 0 && self.bytes[open - 1] == b'!' && !escaped(self.bytes, open - 1) {
            open - 1
        } else {
            open
        }
    }
}

/// The scheme of a URL (`https` in `https://x`), when it opens with one.
pub fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let name = &url[..colon];
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(name)
}

/// Whether `s` starts with `prefix`, ignoring ASCII case.
pub fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

const FILE_EXTENSIONS: &[&str] = &[
    "md", "markdown", "html", "htm", "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "xml",
    "json", "txt", "zip",
];

/// Whether `s` reads as a link destination (a URL, a path, an anchor, a Liquid URL) rather than prose.
pub fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    if s.starts_with("{{") || s.starts_with("{%") {
        return true;
    }
    if s.is_empty() || s.contains(char::is_whitespace) {
        return false;
    }
    if let Some(name) = scheme(s) {
        let rest = &s[name.len() + 1..];
        return rest.starts_with('/')
            || ["mailto", "tel"]
                .iter()
                .any(|k| name.eq_ignore_ascii_case(k));
    }
    if starts_with_ignore_case(s, "http/") || starts_with_ignore_case(s, "https/") {
        return true;
    }
    if s.starts_with(['/', '#']) && s.len() > 1
        || s.starts_with("./")
        || s.starts_with("../")
        || starts_with_ignore_case(s, "www.")
    {
        return true;
    }
    let path = s.split(['?', '#']).next().unwrap_or(s);
    path.contains('/') && !path.starts_with('/')
        || path.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty() && FILE_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("htp://x"), Some("htp"));
        assert_eq!(scheme("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme("/a:b"), None);
        assert_eq!(scheme("1x:y"), None);
        assert_eq!(scheme("no colon"), None);
    }

    #[test]
    fn urls_and_prose() {
        for url in [
            "https://example.org",
            "htp://x.org",
            "http//x.org",
            "/about/",
            "#top",
            "../a.md",
            "./b",
            "www.example.org",
            "{{ site.baseurl }}/x",
            "mailto:me@example.org",
            "images/x.png",
            "notes.md",
        ] {
            assert!(looks_like_url(url), "{url}");
        }
        for prose in ["1", "see below", "optional", "#", "/", "e.g.", "a.b", ""] {
            assert!(!looks_like_url(prose), "{prose}");
        }
    }
}
