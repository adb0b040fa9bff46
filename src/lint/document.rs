//! What Markdown decides, for the rules: code, raw HTML, links and reference definitions with their
//! spans in the file, and the Liquid that Jekyll runs first.

mod definitions;
pub mod liquid_blocks;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use comrak::nodes::{AstNode, NodeValue};
use comrak::options::BrokenLinkReference;
use comrak::{parse_document, Arena, ResolvedReference};

use crate::post::Post;
use crate::source::LineIndex;

pub use definitions::normalize_label;

/// A post's body as comrak parses it, with spans as byte ranges of the post's text.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Code blocks (fences included) and code spans (backticks included), sorted.
    pub code: Vec<Range<usize>>,
    /// Raw HTML blocks and inline HTML (comments included), sorted.
    pub html: Vec<Range<usize>>,
    /// Links, images and autolinks, in order (not those inside `highlight` or `comment` blocks).
    pub links: Vec<Link>,
    /// Link reference definitions, in order, duplicates included.
    pub definitions: Vec<Definition>,
    /// Liquid tags and outputs that Jekyll runs (not those inside `raw` or `comment`), sorted.
    pub liquid: Vec<Range<usize>>,
    /// Bodies of Liquid `highlight` blocks (code) and `comment` blocks (removed), sorted.
    pub liquid_blocks: Vec<Range<usize>>,
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
    /// For a reference link (`[text][label]`, `[label][]`, `[label]`), its normalized label.
    pub label: Option<String>,
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

/// A link reference definition, `[label]: destination "title"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// From the `[` to the end of its last line.
    pub span: Range<usize>,
    /// The label as written, brackets excluded.
    pub label: Range<usize>,
    /// The label normalized as CommonMark matches labels.
    pub key: String,
    /// The destination as written, Liquid tags included, angle brackets removed.
    pub url: String,
}

impl Document {
    /// Parses the post's body (Liquid tags masked so that `[x]({% post_url y %})` stays a link).
    pub fn parse(post: &Post) -> Document {
        let body = post.body();
        let base = post.body_start;
        let tokens = crate::liquid::tokenize(body);
        let masked = LiquidMask::new(body, &tokens);
        let text = masked.text(body);
        let mut options = crate::markdown::lint_options();
        // Unreferenced footnotes stay in the tree, so their links are links and not prose.
        options.parse.leave_footnote_definitions = true;
        let arena = arena_for(text);
        let root = parse_document(&arena, text, &options);
        let mut tree = Tree::collect(root, post);

        let paragraphs: Vec<Range<usize>> = tree
            .paragraphs
            .iter()
            .map(|r| r.start - base..r.end - base)
            .collect();
        let excluded = |offset: usize| {
            in_ranges(&tree.code, base + offset) || in_ranges(&tree.html, base + offset)
        };
        // The body's line starts: those of the post after the front matter, shifted.
        let lines: Vec<usize> = std::iter::once(0)
            .chain(
                post.lines()
                    .starts()
                    .iter()
                    .filter(|&&start| start > base)
                    .map(|&start| start - base),
            )
            .collect();
        let blocks = definitions::Blocks {
            paragraphs: &paragraphs,
            excluded: &excluded,
            lines: &lines,
        };
        let (raw_definitions, shifted) = definitions::find(text, &blocks);
        let definitions: Vec<Definition> = raw_definitions
            .iter()
            .map(|d| Definition {
                span: base + d.span.start..base + d.span.end,
                label: base + d.label.start..base + d.label.end,
                key: normalize_label(&body[d.label.clone()]),
                url: masked.unmask(destination(&text[d.destination.clone()]).to_string()),
            })
            .collect();
        if shifted {
            // comrak positions the text of a paragraph that opens with definitions as if they were not
            // there. Blank them out and hand them back through the broken-link callback instead, so the
            // positions come out right and references still resolve.
            let blanked = blank(text, raw_definitions.iter().map(|d| d.span.clone()));
            let mut resolved: HashMap<String, ResolvedReference> = HashMap::new();
            for (d, raw) in definitions.iter().zip(&raw_definitions) {
                resolved
                    .entry(d.key.clone())
                    .or_insert_with(|| ResolvedReference {
                        url: unescape(destination(&text[raw.destination.clone()])),
                        title: String::new(),
                    });
            }
            options.parse.broken_link_callback =
                Some(Arc::new(move |reference: BrokenLinkReference| {
                    resolved.get(&normalize_label(reference.original)).cloned()
                }));
            let arena = arena_for(&blanked);
            let root = parse_document(&arena, &blanked, &options);
            tree = Tree::collect(root, post);
        }

        let scan = liquid_blocks::scan(&tokens);
        let shift = |r: Range<usize>| base + r.start..base + r.end;
        let liquid_blocks: Vec<Range<usize>> = scan.blocks.into_iter().map(shift).collect();
        let links = tree
            .links
            .into_iter()
            .filter(|l| !in_ranges(&liquid_blocks, l.span.start))
            .map(|mut l| {
                l.url = masked.unmask(std::mem::take(&mut l.url));
                l
            })
            .collect();
        Document {
            code: tree.code,
            html: tree.html,
            links,
            definitions,
            liquid: scan.tags.into_iter().map(shift).collect(),
            liquid_blocks,
        }
    }

    /// Whether a byte offset of the post's text is inside code.
    pub fn in_code(&self, offset: usize) -> bool {
        in_ranges(&self.code, offset)
    }

    /// Whether a byte offset of the post's text is inside raw HTML.
    pub fn in_html(&self, offset: usize) -> bool {
        in_ranges(&self.html, offset)
    }

    /// Whether a byte offset of the post's text is inside a live Liquid tag.
    pub fn in_liquid(&self, offset: usize) -> bool {
        in_ranges(&self.liquid, offset)
    }

    /// Whether a byte offset is Markdown prose: not code, raw HTML, a Liquid tag or a Liquid code block.
    pub fn in_prose(&self, offset: usize) -> bool {
        !self.in_code(offset)
            && !self.in_html(offset)
            && !self.in_liquid(offset)
            && !in_ranges(&self.liquid_blocks, offset)
    }
}

/// An arena sized for the nodes comrak makes of `text` (about one per 24 bytes of prose), so that a
/// post's tree takes one allocation rather than a dozen doubling ones.
fn arena_for<'a>(text: &str) -> Arena<'a> {
    Arena::with_capacity(text.len() / 24 + 16)
}

/// What one comrak parse yields, positioned in the post's text.
struct Tree {
    code: Vec<Range<usize>>,
    html: Vec<Range<usize>>,
    links: Vec<Link>,
    paragraphs: Vec<Range<usize>>,
}

impl Tree {
    fn collect<'a>(root: &'a AstNode<'a>, post: &Post) -> Tree {
        let mut locator = Locator {
            post,
            lines: post.lines(),
            first_line: post.position(post.body_start).line,
            drift: 0,
        };
        let mut tree = Tree {
            code: Vec::new(),
            html: Vec::new(),
            links: Vec::new(),
            paragraphs: Vec::new(),
        };
        for node in preorder(root) {
            let (block, what) = {
                let value = &node.data().value;
                (value.block(), Wanted::of(value))
            };
            if block {
                locator.drift = 0;
            }
            match what {
                Wanted::CodeBlock => tree.code.push(locator.block_span(node)),
                Wanted::HtmlBlock => tree.html.push(locator.block_span(node)),
                Wanted::Paragraph => tree.paragraphs.push(locator.block_span(node)),
                Wanted::Code => tree.code.push(locator.inline_span(node, b"`")),
                Wanted::HtmlInline => tree.html.push(locator.inline_span(node, b"<")),
                Wanted::Link { image } => {
                    let span = locator.inline_span(node, if image { b"!" } else { b"[<" });
                    let source = &post.text[span.clone()];
                    let kind = if image {
                        LinkKind::Image
                    } else if source.starts_with('<') {
                        LinkKind::Autolink
                    } else {
                        LinkKind::Link
                    };
                    let text = collect_text(node);
                    // The tree is dropped after this pass: its URL is moved out, not copied.
                    let url = match &mut node.data_mut().value {
                        NodeValue::Link(link) | NodeValue::Image(link) => {
                            std::mem::take(&mut link.url)
                        }
                        _ => String::new(),
                    };
                    tree.links.push(Link {
                        kind,
                        label: reference_label(source, kind),
                        span,
                        url,
                        text,
                    });
                }
                Wanted::Nothing => {}
            }
        }
        tree.code.sort_by_key(|r| r.start);
        tree.html.sort_by_key(|r| r.start);
        tree.paragraphs.sort_by_key(|r| r.start);
        tree.links.sort_by_key(|l| l.span.start);
        tree
    }
}

/// The nodes [`Tree::collect`] records.
enum Wanted {
    CodeBlock,
    HtmlBlock,
    Paragraph,
    Code,
    HtmlInline,
    Link { image: bool },
    Nothing,
}

impl Wanted {
    fn of(value: &NodeValue) -> Wanted {
        match value {
            NodeValue::CodeBlock(_) => Wanted::CodeBlock,
            NodeValue::HtmlBlock(_) => Wanted::HtmlBlock,
            NodeValue::Paragraph => Wanted::Paragraph,
            NodeValue::Code(_) => Wanted::Code,
            NodeValue::HtmlInline(_) => Wanted::HtmlInline,
            NodeValue::Link(_) => Wanted::Link { image: false },
            NodeValue::Image(_) => Wanted::Link { image: true },
            _ => Wanted::Nothing,
        }
    }
}

/// The nodes under `root` in document order, `root` excluded: one step per node, where comrak's
/// `descendants` walks every edge twice.
fn preorder<'a>(root: &'a AstNode<'a>) -> impl Iterator<Item = &'a AstNode<'a>> {
    std::iter::successors(root.first_child(), move |&node| {
        if let Some(child) = node.first_child() {
            return Some(child);
        }
        let mut at = node;
        loop {
            if let Some(sibling) = at.next_sibling() {
                return Some(sibling);
            }
            at = at.parent().filter(|&parent| !std::ptr::eq(parent, root))?;
        }
    })
}

/// The normalized label a reference link's source uses; `None` for inline links and autolinks.
fn reference_label(source: &str, kind: LinkKind) -> Option<String> {
    if kind == LinkKind::Autolink || !source.ends_with(']') {
        return None;
    }
    let bytes = source.as_bytes();
    let open = (0..bytes.len() - 1)
        .rev()
        .find(|&i| bytes[i] == b'[' && !escaped(bytes, i))?;
    let text_open = usize::from(kind == LinkKind::Image);
    let inner = &source[open + 1..source.len() - 1];
    if open <= text_open {
        return Some(normalize_label(inner));
    }
    if inner.trim().is_empty() {
        let text = source.get(text_open + 1..open.checked_sub(1)?)?;
        return Some(normalize_label(text));
    }
    Some(normalize_label(inner))
}

/// Whether the byte at `at` is escaped by an odd run of backslashes.
pub fn escaped(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

/// A definition's destination without its angle brackets.
fn destination(written: &str) -> &str {
    written
        .strip_prefix('<')
        .and_then(|d| d.strip_suffix('>'))
        .unwrap_or(written)
}

/// Backslash escapes of ASCII punctuation removed, as in a link destination.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `text` with every byte of `spans` but line endings turned into spaces: same length, same lines.
fn blank(text: &str, spans: impl Iterator<Item = Range<usize>>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans {
        for b in &mut bytes[span] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// Turns comrak's source positions into byte ranges of the post's text.
///
/// Block positions are exact. Inline positions after a link title or destination that spans
/// lines come out a line or more too early (the column stays right), so an inline node is
/// re-anchored on the nearest following line where its first character is found.
struct Locator<'p> {
    post: &'p Post,
    lines: &'p LineIndex,
    first_line: usize,
    drift: usize,
}

impl Locator<'_> {
    fn offset(&self, line: usize, column: usize) -> usize {
        if line == 0 {
            return self.post.body_start;
        }
        let offset = self
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
    for d in preorder(node) {
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
    fn new(body: &str, tokens: &crate::liquid::Tokens) -> LiquidMask {
        let mut mask = LiquidMask {
            tags: Vec::new(),
            masked: None,
        };
        for span in tokens.spans() {
            let original = &body[span.clone()];
            if !original.contains([' ', '\t']) {
                continue;
            }
            let replaced = original.replace([' ', '\t'], "~");
            mask.masked
                .get_or_insert_with(|| body.to_string())
                .replace_range(span, &replaced);
            mask.tags.push((replaced, original.to_string()));
        }
        mask
    }

    fn text<'b>(&'b self, body: &'b str) -> &'b str {
        self.masked.as_deref().unwrap_or(body)
    }

    fn unmask(&self, mut url: String) -> String {
        for (masked, original) in &self.tags {
            if url.contains(masked.as_str()) {
                url = url.replace(masked.as_str(), original);
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (Post, Document) {
        let post = Post::sample(text);
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

    #[test]
    fn definitions_are_found_and_labels_recorded() {
        let (post, d) = doc("---\n---\nSee [a][Foo] and [foo][] and [FOO] and [x](/y).\n\n[foo]: <https://a.org> \"T\"\n");
        assert_eq!(d.definitions.len(), 1);
        let def = &d.definitions[0];
        assert_eq!(&post.text[def.span.clone()], "[foo]: <https://a.org> \"T\"");
        assert_eq!(def.key, "foo");
        assert_eq!(def.url, "https://a.org");
        let labels: Vec<_> = d.links.iter().map(|l| l.label.as_deref()).collect();
        assert_eq!(labels, [Some("foo"), Some("foo"), Some("foo"), None]);
    }

    #[test]
    fn a_paragraph_opening_with_definitions_keeps_its_positions() {
        let (post, d) = doc(
            "---\n---\n[a]: /x\n[b]: /y\nText [one][a] and [two](/z).\n\n> [q]: /q\n> see [q]\n",
        );
        let spans: Vec<_> = d.links.iter().map(|l| &post.text[l.span.clone()]).collect();
        assert_eq!(spans, ["[one][a]", "[two](/z)", "[q]"]);
        assert_eq!(d.links[0].url, "/x");
        assert_eq!(d.links[2].url, "/q");
        assert_eq!(d.definitions.len(), 3);
    }

    #[test]
    fn footnote_links_stay_in_source_order() {
        let (post, d) = doc(
            "---\n---\nA[^b] B[^a].\n\n[^a]: [one](/1)\n\n[^b]: [two](/2)\n\n[^c]: [three](/3)\n",
        );
        let spans: Vec<_> = d.links.iter().map(|l| &post.text[l.span.clone()]).collect();
        assert_eq!(spans, ["[one](/1)", "[two](/2)", "[three](/3)"]);
    }

    #[test]
    fn liquid_tags_and_blocks() {
        let (post, d) = doc("---\n---\n{{ a\n}} {% raw %}{{ b }}{% endraw %}\n\n{% highlight c %}\n[x](/y)\n{% endhighlight %}\n\n{{ c\n\nd }}\n");
        let tags: Vec<_> = d.liquid.iter().map(|r| &post.text[r.clone()]).collect();
        assert_eq!(
            tags,
            [
                "{{ a\n}}",
                "{% raw %}",
                "{% endraw %}",
                "{% highlight c %}",
                "{% endhighlight %}"
            ]
        );
        assert!(d.links.is_empty());
        assert!(!d.in_prose(post.text.find("[x]").unwrap()));
        assert!(d.in_prose(post.text.find("d }}").unwrap()));
    }
}
