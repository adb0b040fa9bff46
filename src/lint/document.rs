//! What Markdown decides, for the rules: code, raw HTML and links with their spans in the file.

use std::ops::Range;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{parse_document, Arena};

use crate::post::Post;

/// A post's body as comrak parses it, with spans as byte ranges of the post's text.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Code blocks (fences included) and code spans (backticks included), sorted.
    pub code: Vec<Range<usize>>,
    /// Raw HTML blocks and inline HTML (comments included), sorted.
    pub html: Vec<Range<usize>>,
    /// Links, images and autolinks, in order.
    pub links: Vec<Link>,
}

/// A link or an image as Markdown parsed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Link, image or autolink.
    pub kind: LinkKind,
    /// The whole construct, `[text](url)` or `![alt](src)` or `<url>`.
    pub span: Range<usize>,
    /// The destination as written, Liquid tags included.
    pub url: String,
    /// The text (alt text for images), without markup.
    pub text: String,
}

/// Which inline construct a [`Link`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](url)` or a reference link.
    Link,
    /// `![alt](src)`.
    Image,
    /// `<https://...>`.
    Autolink,
}

impl Document {
    /// Parses the post's body (Liquid tags masked so that `[x]({% post_url y %})` stays a link).
    pub fn parse(post: &Post) -> Document {
        let body = post.body();
        let masked = LiquidMask::new(body);
        let arena = Arena::new();
        let root = parse_document(&arena, masked.text(body), &crate::markdown::lint_options());
        let first_line = post.position(post.body_start).line;
        let mut doc = Document::default();
        let mut locator = Locator {
            post,
            first_line,
            drift: 0,
        };
        for node in root.descendants() {
            let value = &node.data().value;
            if value.block() {
                locator.drift = 0;
            }
            match value {
                NodeValue::CodeBlock(_) | NodeValue::HtmlBlock(_) => {
                    let span = locator.block_span(node);
                    if matches!(value, NodeValue::CodeBlock(_)) {
                        doc.code.push(span);
                    } else {
                        doc.html.push(span);
                    }
                }
                NodeValue::Code(_) => doc.code.push(locator.inline_span(node, b"`")),
                NodeValue::HtmlInline(_) => doc.html.push(locator.inline_span(node, b"<")),
                NodeValue::Link(link) | NodeValue::Image(link) => {
                    let is_image = matches!(value, NodeValue::Image(_));
                    let span = locator.inline_span(node, if is_image { b"!" } else { b"[<" });
                    let kind = if is_image {
                        LinkKind::Image
                    } else if post.text.as_bytes().get(span.start) == Some(&b'<') {
                        LinkKind::Autolink
                    } else {
                        LinkKind::Link
                    };
                    doc.links.push(Link {
                        kind,
                        span,
                        url: masked.unmask(&link.url),
                        text: collect_text(node),
                    });
                }
                _ => {}
            }
        }
        doc.code.sort_by_key(|r| r.start);
        doc.html.sort_by_key(|r| r.start);
        doc
    }

    /// Whether a byte offset of the post's text is inside code.
    pub fn in_code(&self, offset: usize) -> bool {
        in_ranges(&self.code, offset)
    }

    /// Whether a byte offset of the post's text is inside raw HTML.
    pub fn in_html(&self, offset: usize) -> bool {
        in_ranges(&self.html, offset)
    }
}

/// Turns comrak's source positions into byte ranges of the post's text.
///
/// Block positions are exact. Inline positions after a link title or destination that spans
/// lines come out a line or more too early (the column stays right), so an inline node is
/// re-anchored on the nearest following line where its first character is found.
struct Locator<'p> {
    post: &'p Post,
    first_line: usize,
    drift: usize,
}

impl Locator<'_> {
    fn offset(&self, line: usize, column: usize) -> usize {
        if line == 0 {
            return self.post.body_start;
        }
        let offset = self
            .post
            .lines
            .offset_of_byte_column(self.first_line + line - 1, column)
            .clamp(self.post.body_start, self.post.text.len());
        crate::source::floor_char_boundary(&self.post.text, offset)
    }

    fn span(&self, node: &AstNode, drift: usize) -> Range<usize> {
        let pos = node.data().sourcepos;
        let start = self.offset(pos.start.line + drift, pos.start.column);
        let end = self.offset(pos.end.line + drift, pos.end.column);
        start..next_char_end(&self.post.text, end).max(start)
    }

    fn block_span(&self, node: &AstNode) -> Range<usize> {
        self.span(node, 0)
    }

    fn inline_span(&mut self, node: &AstNode, first: &[u8]) -> Range<usize> {
        const MAX_DRIFT: usize = 64;
        let bytes = self.post.text.as_bytes();
        for drift in self.drift..=self.drift + MAX_DRIFT {
            let span = self.span(node, drift);
            if bytes.get(span.start).is_some_and(|b| first.contains(b)) {
                self.drift = drift;
                return span;
            }
        }
        self.span(node, self.drift)
    }
}

/// Whether `offset` falls in one of the sorted, non-nested `ranges`.
pub fn in_ranges(ranges: &[Range<usize>], offset: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= offset);
    i > 0
        && ranges[..i]
            .iter()
            .rev()
            .take(4)
            .any(|r| r.contains(&offset))
}

fn next_char_end(text: &str, offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    let start = crate::source::floor_char_boundary(text, offset);
    text[start..]
        .chars()
        .next()
        .map_or(text.len(), |c| start + c.len_utf8())
}

fn collect_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for d in node.descendants().skip(1) {
        match &d.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::HtmlInline(h) => out.push_str(h),
            NodeValue::Image(_) => out.push_str("image"),
            _ => {}
        }
    }
    out
}

/// Liquid tags with their spaces replaced by `~`, same length, so Markdown sees one token.
struct LiquidMask {
    tags: Vec<(String, String)>,
    masked: Option<String>,
}

impl LiquidMask {
    fn new(body: &str) -> LiquidMask {
        let mut mask = LiquidMask {
            tags: Vec::new(),
            masked: None,
        };
        if !body.contains("{%") && !body.contains("{{") {
            return mask;
        }
        let mut out = body.to_string();
        for (start, end) in liquid_tags(body) {
            let original = &body[start..end];
            if !original.contains([' ', '\t']) {
                continue;
            }
            let replaced = original.replace([' ', '\t'], "~");
            out.replace_range(start..end, &replaced);
            mask.tags.push((replaced, original.to_string()));
        }
        mask.masked = Some(out);
        mask
    }

    fn text<'b>(&'b self, body: &'b str) -> &'b str {
        self.masked.as_deref().unwrap_or(body)
    }

    fn unmask(&self, url: &str) -> String {
        let mut url = url.to_string();
        for (masked, original) in &self.tags {
            if url.contains(masked.as_str()) {
                url = url.replace(masked.as_str(), original);
            }
        }
        url
    }
}

/// Byte spans of one-line `{% ... %}` and `{{ ... }}` tags.
pub fn liquid_tags(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'{', &bytes[i..]) {
        let start = i + found;
        let close: &[u8] = match bytes.get(start + 1) {
            Some(b'%') => b"%}",
            Some(b'{') => b"}}",
            _ => {
                i = start + 1;
                continue;
            }
        };
        let line_end =
            memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |n| start + n);
        match memchr::memmem::find(&bytes[start + 2..line_end], close) {
            Some(n) => {
                let end = start + 2 + n + 2;
                spans.push((start, end));
                i = end;
            }
            None => i = start + 2,
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{Site, SiteConfig, SourceFile};

    fn doc(text: &str) -> (Post, Document) {
        let site = Site {
            root: "/".into(),
            config: SiteConfig::default(),
            carnet: Default::default(),
        };
        let file = SourceFile {
            rel: "_posts/2020-01-01-a.md".into(),
            path: "_posts/2020-01-01-a.md".into(),
            kind: crate::site::Kind::Post,
        };
        let post = Post::from_text(file, text.to_string(), &site);
        let document = Document::parse(&post);
        (post, document)
    }

    #[test]
    fn links_are_positioned_in_the_file() {
        let (post, d) = doc("---\ntitle: t\n---\n\nÉté 🙂 [x](https://a.org) and ![alt](/i.png)\n");
        assert_eq!(d.links.len(), 2);
        assert_eq!(&post.text[d.links[0].span.clone()], "[x](https://a.org)");
        assert_eq!(d.links[0].text, "x");
        assert_eq!(d.links[1].kind, LinkKind::Image);
        assert_eq!(&post.text[d.links[1].span.clone()], "![alt](/i.png)");
    }

    #[test]
    fn liquid_in_destinations_stays_a_link() {
        let (_, d) =
            doc("---\n---\n[a]({% post_url 2010-01-01-x %}) [b]({{ site.baseurl }}/about/)\n");
        let urls: Vec<_> = d.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            ["{% post_url 2010-01-01-x %}", "{{ site.baseurl }}/about/"]
        );
    }

    #[test]
    fn code_and_html_spans() {
        let (post, d) = doc("---\n---\ntext `[x]()` more\n\n```\n[y]()\n```\n\n<!-- c -->\n");
        assert!(d.links.is_empty());
        assert_eq!(d.code.len(), 2);
        assert_eq!(&post.text[d.code[0].clone()], "`[x]()`");
        assert!(post.text[d.code[1].clone()].starts_with("```"));
        assert!(d.in_code(post.text.find("[y]").unwrap()));
        assert!(d.in_html(post.text.find("<!--").unwrap()));
    }

    #[test]
    fn crlf_positions() {
        let (post, d) = doc("---\r\ntitle: t\r\n---\r\n\r\na [x](https://a.org)\r\n");
        assert_eq!(&post.text[d.links[0].span.clone()], "[x](https://a.org)");
    }
}
