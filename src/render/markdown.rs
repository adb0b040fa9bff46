//! Markdown to HTML with comrak: the post, its excerpt, its headings, highlighted code.

use std::path::Path;

use comrak::options::Plugins;
use comrak::{format_html_with_plugins, parse_document, Arena, Options};

use super::highlight::Highlighter;
use super::kramdown::{self, Ids, Pass};
use crate::markdown::{Dialect, Kramdown};

/// A heading of a post, with the id its anchor uses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, without markup.
    pub text: String,
    /// The `id` attribute written on the heading.
    pub id: String,
}

/// A post body as HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The whole body.
    pub content_html: String,
    /// The excerpt, a document of its own (its tags are closed).
    pub excerpt_html: String,
    /// The body's headings, in order.
    pub headings: Vec<Heading>,
}

/// Where a post's excerpt ends in its Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excerpt {
    /// This Markdown (the body up to the separator, through Liquid on its own as in Jekyll).
    Source(String),
    /// The whole body (no separator in it).
    Whole,
    /// No excerpt (an empty separator).
    None,
}

/// The renderer: comrak's options and plugins, built once and shared by every post and thread.
pub struct Markdown {
    options: Options<'static>,
    /// Highlights code blocks, when they are highlighted.
    highlighter: Option<Highlighter>,
    sanitizer: Option<ammonia::Builder<'static>>,
    kramdown: Option<Kramdown>,
    /// CommonMarkGhPages: headings get its ids (plain CommonMark gives none).
    gh_pages: bool,
}

impl Markdown {
    /// A renderer for a dialect; `highlight` adds syntax classes to code blocks (unless kramdown's
    /// `syntax_highlighter` is off), `sanitize` strips unsafe HTML.
    pub fn new(highlight: bool, sanitize: bool, dialect: &Dialect) -> Markdown {
        let mut options = crate::markdown::dialect_options(dialect);
        // Every element carries its place in the source, for kramdown::finish to turn into the
        // attributes decided for it (and to drop).
        options.render.sourcepos = true;
        let (kramdown, gh_pages) = match dialect {
            Dialect::Kramdown(settings) => (Some((**settings).clone()), false),
            Dialect::CommonMark(settings) => (None, settings.gh_pages),
        };
        let highlight = highlight && kramdown.as_ref().is_none_or(|k| k.highlight);
        Markdown {
            options,
            highlighter: highlight.then(Highlighter::default),
            sanitizer: sanitize.then(sanitizer),
            kramdown,
            gh_pages,
        }
    }

    /// The same renderer, keeping highlighted code in `cache` (the site's cache folder) when given.
    pub fn with_cache(mut self, cache: Option<&Path>) -> Markdown {
        if self.highlighter.is_some() && cache.is_some() {
            self.highlighter = Some(Highlighter::new(cache));
        }
        self
    }

    /// Stores what the highlighter's cache should keep for the next run; `whole`: this run
    /// rendered every post of the site.
    pub fn save_cache(&self, whole: bool) {
        if let Some(highlighter) = &self.highlighter {
            highlighter.save(whole);
        }
    }

    /// Renders a body and its excerpt.
    pub fn render(&self, text: &str, excerpt: Excerpt) -> Result<Rendered, std::fmt::Error> {
        let (content_html, headings) = self.html(text, true)?;
        let excerpt_html = match excerpt {
            Excerpt::Whole => content_html.clone(),
            Excerpt::None => String::new(),
            Excerpt::Source(head) => {
                if head.trim().is_empty() {
                    String::new()
                } else {
                    self.html(&excerpt_source(&head, text), false)?.0
                }
            }
        };
        Ok(Rendered {
            content_html,
            excerpt_html,
            headings,
        })
    }

    fn html(
        &self,
        text: &str,
        with_headings: bool,
    ) -> Result<(String, Vec<Heading>), std::fmt::Error> {
        let arena = Arena::new();
        let prepared = self
            .kramdown
            .as_ref()
            .map(|settings| kramdown::prepare(text, settings));
        let source = prepared.as_ref().map_or(text, |p| p.text.as_str());
        let root = parse_document(&arena, source, &self.options);
        let ids = match &self.kramdown {
            Some(settings) if settings.auto_ids => Ids::Kramdown(&settings.auto_id_prefix),
            Some(_) => Ids::None,
            None if self.gh_pages => Ids::GhPages,
            None => Ids::None,
        };
        let pass = Pass::run(&arena, root, prepared.as_ref(), self.kramdown.as_ref(), ids);
        let headings = if with_headings {
            pass.headings
                .iter()
                .map(|h| Heading {
                    level: h.level,
                    text: h.text.clone(),
                    id: h.id.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut plugins = Plugins::default();
        if let Some(highlighter) = &self.highlighter {
            plugins.render.codefence_syntax_highlighter = Some(highlighter);
        }
        let mut raw = String::with_capacity(text.len() * 2);
        format_html_with_plugins(root, &self.options, &mut raw, &plugins)?;
        let mut html = kramdown::finish(&raw, &pass, self.kramdown.as_ref());
        if let Some(sanitizer) = &self.sanitizer {
            html = sanitizer.clean(&html).to_string();
        }
        Ok((html, headings))
    }
}

/// The excerpt's Markdown: the head, then the reference definitions found after the cut, as Jekyll does,
/// so that reference links in the excerpt still resolve.
fn excerpt_source(head: &str, tail: &str) -> String {
    let mut source = head.to_string();
    // A definition still holding Liquid came from a tag carnet leaves as written (a `for` loop):
    // it defines nothing yet, and would only show as text in the excerpt.
    let definitions: Vec<&str> = tail
        .lines()
        .filter(|l| is_reference_definition(l) && !l.contains("{{") && !l.contains("{%"))
        .collect();
    if !definitions.is_empty() {
        source.push_str("\n\n");
        source.push_str(&definitions.join("\n"));
        source.push('\n');
    }
    source
}

/// Jekyll's `^ {0,3}\[[^\]]+\]:.+$`: a line that defines a link reference (or a footnote).
fn is_reference_definition(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let Some(rest) = line[indent..].strip_prefix('[') else {
        return false;
    };
    match rest.find(']') {
        Some(close) if close > 0 => rest[close + 1..]
            .strip_prefix(':')
            .is_some_and(|after| !after.is_empty()),
        _ => false,
    }
}

/// What `--sanitize` keeps: ammonia's safe defaults, plus what carnet's own rendering writes
/// (heading ids, highlighting classes, footnotes, task-list checkboxes).
fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["section", "input"])
        .add_generic_attributes(["class", "id", "aria-label", "aria-hidden", "role"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes(
            "a",
            [
                "data-heading-content",
                "data-footnote-ref",
                "data-footnote-backref",
                "data-footnote-backref-idx",
            ],
        )
        .add_tag_attributes("section", ["data-footnotes"]);
    builder
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::CommonMark;

    /// CommonMarkGhPages with every extension, footnotes and raw HTML on.
    fn gfm() -> Dialect {
        Dialect::CommonMark(Box::new(CommonMark::from_settings(
            true,
            ["table", "strikethrough", "autolink", "tasklist"],
            ["FOOTNOTES", "UNSAFE"],
        )))
    }

    fn render(text: &str, cut: &str) -> Rendered {
        let excerpt = match text.find(cut) {
            Some(at) => Excerpt::Source(text[..at].to_string()),
            None => Excerpt::Whole,
        };
        Markdown::new(false, false, &gfm())
            .render(text, excerpt)
            .unwrap()
    }

    #[test]
    fn headings_get_gh_pages_ids_that_match_the_html() {
        let out = render("# Été *chaud*\n\n## Été chaud\n\ntext\n", "@@");
        assert_eq!(
            out.headings,
            [
                Heading {
                    level: 1,
                    text: "Été chaud".into(),
                    id: "t-chaud".into()
                },
                Heading {
                    level: 2,
                    text: "Été chaud".into(),
                    id: "t-chaud-1".into()
                },
            ]
        );
        assert!(
            out.content_html.contains(r#"<h2 id="t-chaud-1">"#),
            "{}",
            out.content_html
        );
        assert_eq!(out.excerpt_html, out.content_html);
    }

    #[test]
    fn commonmark_follows_its_extensions_and_options() {
        let text = "# Title\n\n| a |\n|---|\n| b |\n\nSee https://example.org \"now\".\n\n<div>raw</div>\n";
        let plain = Markdown::new(false, false, &Dialect::CommonMark(Box::default()))
            .render(text, Excerpt::Whole)
            .unwrap()
            .content_html;
        assert_eq!(
            plain,
            "<h1>Title</h1>\n<p>| a |\n|---|\n| b |</p>\n<p>See https://example.org &quot;now&quot;.</p>\n<!-- raw HTML omitted -->\n"
        );
        let set =
            CommonMark::from_settings(true, ["table", "autolink", "nonsense"], ["smart", "UNSAFE"]);
        let full = Markdown::new(false, false, &Dialect::CommonMark(Box::new(set)))
            .render(text, Excerpt::Whole)
            .unwrap()
            .content_html;
        assert!(
            full.starts_with("<h1 id=\"title\">Title</h1>\n<table>"),
            "{full}"
        );
        assert!(
            full.contains(
                "<a href=\"https://example.org\">https://example.org</a> \u{201c}now\u{201d}"
            ),
            "{full}"
        );
        assert!(full.contains("<div>raw</div>"), "{full}");
    }

    #[test]
    fn an_excerpt_cut_inside_a_list_is_closed() {
        let out = render("- one\n- two <!--more--> three\n- four\n", "<!--more-->");
        assert_eq!(
            out.excerpt_html,
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        );
        let out = render("> quoted\n> <!--more--> more\n", "<!--more-->");
        assert_eq!(
            out.excerpt_html,
            "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        );
    }

    #[test]
    fn references_defined_after_the_cut_resolve_in_the_excerpt() {
        let text = "See [the docs][d] and [^n].\n\n<!--more-->\n\nMore.\n\n[d]: https://example.org/docs\n[^n]: A note.\n";
        let out = render(text, "<!--more-->");
        assert!(
            out.excerpt_html
                .contains(r#"<a href="https://example.org/docs">the docs</a>"#),
            "{}",
            out.excerpt_html
        );
        assert!(!out.excerpt_html.contains("More."));
        assert!(out.excerpt_html.contains("A note."));
    }

    #[test]
    fn reference_definition_lines() {
        assert!(is_reference_definition("[a]: http://x"));
        assert!(is_reference_definition("   [a b]: /x"));
        assert!(!is_reference_definition("    [a]: /x"));
        assert!(!is_reference_definition("[a]:"));
        assert!(!is_reference_definition("[]: /x"));
        assert!(!is_reference_definition("text [a]: /x"));
    }

    #[test]
    fn empty_and_missing_excerpts() {
        let md = Markdown::new(false, false, &gfm());
        assert_eq!(md.render("a\n", Excerpt::None).unwrap().excerpt_html, "");
        assert_eq!(
            md.render("\n\nb\n", Excerpt::Source("\n".to_string()))
                .unwrap()
                .excerpt_html,
            ""
        );
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let md = Markdown::new(true, false, &gfm());
        let out = md
            .render("```rust\nfn main() {}\n```\n", Excerpt::Whole)
            .unwrap();
        assert!(
            out.content_html
                .contains(r#"<pre class="syntax-highlighting">"#),
            "{}",
            out.content_html
        );
        assert!(
            out.content_html.contains("<span class=\""),
            "{}",
            out.content_html
        );
        let plain = Markdown::new(false, false, &gfm())
            .render("```rust\nfn main() {}\n```\n", Excerpt::Whole)
            .unwrap();
        assert!(plain
            .content_html
            .starts_with(r#"<pre><code class="language-rust">"#));
    }

    #[test]
    fn raw_html_is_kept_unless_sanitized() {
        let text = "<script>alert(1)</script>\n\n<a href=\"javascript:x\" onclick=\"y\">l</a> ok\n\n## Title\n\n- [x] done\n";
        let kept = Markdown::new(false, false, &gfm())
            .render(text, Excerpt::Whole)
            .unwrap();
        assert!(kept.content_html.contains("<script>"));
        let clean = Markdown::new(true, true, &gfm())
            .render(text, Excerpt::Whole)
            .unwrap();
        assert!(
            !clean.content_html.contains("<script"),
            "{}",
            clean.content_html
        );
        assert!(!clean.content_html.contains("onclick"));
        assert!(!clean.content_html.contains("javascript:"));
        assert!(
            clean.content_html.contains(r#"id="title""#),
            "{}",
            clean.content_html
        );
        assert!(
            clean.content_html.contains("checked"),
            "{}",
            clean.content_html
        );
    }
}
