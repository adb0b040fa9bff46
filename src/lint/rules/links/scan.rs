//! What the text-scanning link rules share: where prose is, bracket matching, and what a URL looks like.

use std::cell::OnceCell;
use std::ops::Range;

use crate::lint::document::{escaped, in_ranges, Document};
use crate::post::Post;
use crate::source::LineIndex;

/// Spans that the near-link rules reported, which the rules after them leave alone. A post may hold
/// thousands on one line, so they are found by binary search rather than one by one.
#[derive(Debug, Default)]
pub struct Claimed {
    /// One list per rule, each sorted by start, with the largest end up to each span beside it.
    rules: Vec<Vec<(Range<usize>, usize)>>,
}

impl Claimed {
    /// Starts the spans of the next rule: a rule finds its spans in text order, so each list stays
    /// sorted by appending.
    pub fn next_rule(&mut self) {
        self.rules.push(Vec::new());
    }

    /// Adds a span of the current rule.
    pub fn push(&mut self, span: Range<usize>) {
        if self.rules.is_empty() {
            self.next_rule();
        }
        let last = self.rules.len() - 1;
        let list = &mut self.rules[last];
        let at = list.partition_point(|(s, _)| s.start <= span.start);
        list.insert(at, (span, 0));
        let mut end = at.checked_sub(1).map_or(0, |i| list[i].1);
        for (span, max_end) in &mut list[at..] {
            end = end.max(span.end);
            *max_end = end;
        }
    }

    /// Whether `offset` is inside a claimed span.
    pub fn contains(&self, offset: usize) -> bool {
        self.rules.iter().any(|list| {
            let before = list.partition_point(|(s, _)| s.start <= offset);
            before > 0 && list[before - 1].1 > offset
        })
    }
}

/// How far a link destination that is not closed is followed, in bytes. Real destinations that
/// comrak did not parse as links are far shorter; the limit keeps the scan of a line holding
/// thousands of unclosed `[a](` linear.
pub const MAX_DESTINATION: usize = 2048;

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
    /// Offsets of every `\n`, and of every `\n` or `\r`: a line's ends are looked up, not searched
    /// for, so that the findings on one very long line do not each scan it again. Built on first
    /// use, from the post's line index.
    lines: &'a LineIndex,
    newlines: OnceCell<Vec<usize>>,
    breaks: OnceCell<Vec<usize>>,
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
            lines: post.lines(),
            newlines: OnceCell::new(),
            breaks: OnceCell::new(),
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
        let newlines = self.newlines.get_or_init(|| {
            // Every `\n` ends a line, so it sits just before a line start.
            self.lines.starts()[1..]
                .iter()
                .map(|&start| start - 1)
                .filter(|&end| self.bytes[end] == b'\n')
                .collect()
        });
        let before = newlines.partition_point(|&n| n < offset);
        before.checked_sub(1).map_or(0, |i| newlines[i] + 1)
    }

    /// Where the line holding `offset` ends (before its line ending).
    pub fn line_end(&self, offset: usize) -> usize {
        let breaks = self.breaks.get_or_init(|| {
            // Every `\n` and lone `\r` sits just before a line start, and the `\r` of `\r\n` before that.
            let bytes = self.bytes;
            let mut breaks = Vec::with_capacity(self.lines.line_count());
            for &start in &self.lines.starts()[1..] {
                if bytes[start - 1] == b'\n' && start >= 2 && bytes[start - 2] == b'\r' {
                    breaks.push(start - 2);
                }
                breaks.push(start - 1);
            }
            breaks
        });
        let next = breaks.partition_point(|&n| n < offset);
        breaks.get(next).copied().unwrap_or(self.bytes.len())
    }

    /// Where the link destination starting at `from` stops: at a space or tab, at the `)` that
    /// closes it (`closed`), or at the end of its line. `None` when it runs on for more than
    /// [`MAX_DESTINATION`] bytes or 32 nested parentheses without stopping: the rules leave such
    /// text alone, so that a line of many unclosed links is not scanned to its end once for each.
    pub fn destination_end(&self, from: usize) -> Option<(usize, bool)> {
        let bytes = self.bytes;
        let line_end = self.line_end(from);
        let limit = line_end.min(from + MAX_DESTINATION);
        let mut depth = 0u32;
        let mut i = from;
        while i < limit {
            match bytes[i] {
                b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 1,
                // Past 32 nested parentheses comrak, like cmark, refuses the destination.
                b'(' if depth == 32 => return None,
                b'(' => depth += 1,
                b')' if depth == 0 => return Some((i, true)),
                b')' => depth -= 1,
                b' ' | b'\t' => return Some((i, false)),
                _ => {}
            }
            i += 1;
        }
        (limit == line_end).then_some((line_end, false))
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
    let bytes = url.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    // A scheme is at most 32 characters: look no further for its colon.
    for (i, &b) in bytes.iter().enumerate().take(33) {
        if b == b':' {
            return Some(&url[..i]);
        }
        if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) {
            return None;
        }
    }
    None
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
    fn claimed_spans_are_found_in_any_order_and_nesting() {
        let mut claimed = Claimed::default();
        claimed.next_rule();
        for span in [10..20, 30..40, 5..8, 32..100, 200..201] {
            claimed.push(span);
        }
        claimed.next_rule();
        claimed.push(150..160);
        let inside: Vec<usize> = (0..210).filter(|&o| claimed.contains(o)).collect();
        let expected: Vec<usize> = (5..8)
            .chain(10..20)
            .chain(30..100)
            .chain(150..160)
            .chain(200..201)
            .collect();
        assert_eq!(inside, expected);
        assert!(!Claimed::default().contains(0));
    }

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
