//! The Liquid that Jekyll runs before Markdown, as the link rules see it: which tags are live, and
//! which blocks hide their text.

use std::ops::Range;

use super::Document;
use crate::liquid::{tokenize, Token, Tokens, Unclosed};
use crate::post::Post;

/// Live Liquid tags and the blocks whose body is not Markdown prose, as offsets of the scanned text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiquidScan {
    /// `{% ... %}` and `{{ ... }}` that Liquid runs (not those inside `raw` or `comment`).
    pub tags: Vec<Range<usize>>,
    /// Bodies of `highlight` blocks (code) and `comment` blocks (removed), tags excluded.
    pub blocks: Vec<Range<usize>>,
}

/// Reads the live tags of a tokenized text, and the bodies of its `highlight` and `comment` blocks.
/// A `highlight` ends at the first `endhighlight`; a `raw` or `comment` left open hides the rest.
pub fn scan(tokens: &Tokens) -> LiquidScan {
    let mut out = LiquidScan::default();
    let end = tokens.text().len();
    let mut highlight: Option<usize> = None;
    for token in tokens.iter() {
        match token {
            Token::Output(output) => out.tags.push(output.span),
            Token::Tag(tag) => {
                match (highlight, tag.name) {
                    (None, "highlight") => highlight = Some(tag.span.end),
                    (Some(body), "endhighlight") => {
                        out.blocks.push(body..tag.span.start);
                        highlight = None;
                    }
                    _ => {}
                }
                out.tags.push(tag.span);
            }
            Token::Hidden(hidden) => {
                // A comment inside a `highlight` block is already inside a block.
                if hidden.open.name == "comment" && highlight.is_none() {
                    out.blocks.push(hidden.body());
                }
                out.tags.push(hidden.open.span);
                out.tags.push(hidden.close.span);
            }
            Token::Unclosed(Unclosed::Block(open)) => {
                if open.name == "comment" && highlight.is_none() {
                    out.blocks.push(open.span.end..end);
                }
                out.tags.push(open.span);
                break;
            }
            Token::Text(_) | Token::Unclosed(_) => {}
        }
    }
    if let Some(body) = highlight {
        out.blocks.push(body..end);
    }
    out
}

/// Block tags whose end tag Liquid requires, as Jekyll uses them.
pub const BLOCKS: &[&str] = &[
    "highlight",
    "raw",
    "comment",
    "capture",
    "if",
    "for",
    "unless",
    "case",
];

/// What a pass over a post's Liquid blocks finds.
pub struct Blocks {
    /// Tags and blocks left open, in order.
    pub unclosed: Vec<UnclosedBlock>,
    /// Closed `highlight` blocks, from the opening tag to the end of the end tag.
    pub highlights: Vec<Range<usize>>,
}

/// An unclosed tag or block, on the byte span of its opening tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnclosedBlock {
    /// The opening tag.
    pub span: Range<usize>,
    /// What is wrong, for the reader.
    pub message: String,
}

/// A block tag waiting for its end tag.
struct Open<'t> {
    name: &'t str,
    span: Range<usize>,
}

/// Reads the Liquid of `text[from..]` and returns what is left open. Tags that start in code
/// (`in_code`) are not Liquid to Markdown readers and are skipped, except that an end tag there may
/// still close the innermost open block, and `raw` and `comment` keep hiding their content.
pub fn blocks(text: &str, from: usize, in_code: impl Fn(usize) -> bool) -> Blocks {
    let tokens = tokenize(&text[from..]);
    let shift = |span: Range<usize>| from + span.start..from + span.end;
    let mut out = Vec::new();
    let mut highlights = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut open_counts = [0usize; BLOCKS.len()];
    for token in tokens.iter() {
        let span = shift(token.span());
        let code = in_code(span.start);
        let tag = match token {
            Token::Tag(tag) => tag,
            Token::Unclosed(Unclosed::Block(open)) => {
                if code {
                    // Not Liquid to a reader of the Markdown: what follows is read as usual.
                    continue;
                }
                let name = open.name;
                out.push(UnclosedBlock {
                    span,
                    message: format!(
                        "`{{% {name} %}}` is never closed with `{{% end{name} %}}`: \
the rest of the post is hidden from Liquid"
                    ),
                });
                break;
            }
            Token::Unclosed(unclosed) if !code => {
                let message = match unclosed {
                    Unclosed::SingleBrace(_) => {
                        "`{{` is closed with a single `}`: Liquid needs `}}`"
                    }
                    Unclosed::Tag(_) => "`{%` is never closed with `%}`",
                    _ => "`{{` is never closed with `}}`",
                };
                out.push(UnclosedBlock {
                    span: span.start..span.start + 2,
                    message: message.to_string(),
                });
                continue;
            }
            _ => continue,
        };
        let name = tag.name;
        if let Some(kind) = BLOCKS.iter().position(|b| *b == name) {
            if !code {
                open_counts[kind] += 1;
                stack.push(Open { name, span });
            }
        } else if let Some(kind) = name
            .strip_prefix("end")
            .and_then(|opened| BLOCKS.iter().position(|b| *b == opened))
        {
            let opened = BLOCKS[kind];
            let depth = if code {
                stack
                    .last()
                    .filter(|o| o.name == opened)
                    .map(|_| stack.len() - 1)
            } else if open_counts[kind] > 0 {
                stack.iter().rposition(|o| o.name == opened)
            } else {
                None
            };
            let Some(depth) = depth else { continue };
            let mut closed = stack.drain(depth..);
            if let Some(block) = closed.next() {
                open_counts[kind] -= 1;
                if block.name == "highlight" {
                    highlights.push(block.span.start..span.end);
                }
            }
            for inner in closed {
                if let Some(k) = BLOCKS.iter().position(|b| *b == inner.name) {
                    open_counts[k] -= 1;
                }
                out.push(block_unclosed(&inner, Some(opened)));
            }
        }
    }
    out.extend(stack.iter().map(|open| block_unclosed(open, None)));
    out.sort_by_key(|u| u.span.start);
    highlights.sort_by_key(|r| r.start);
    Blocks {
        unclosed: out,
        highlights,
    }
}

fn block_unclosed(open: &Open, closed_by: Option<&str>) -> UnclosedBlock {
    let name = open.name;
    let message = match closed_by {
        Some(outer) => format!(
            "`{{% {name} %}}` is never closed: `{{% end{outer} %}}` comes before its `{{% end{name} %}}`"
        ),
        None => format!("`{{% {name} %}}` is never closed with `{{% end{name} %}}`"),
    };
    UnclosedBlock {
        span: open.span.clone(),
        message,
    }
}

/// The first tag or block `liquid-unclosed` reports in the post, as its offset and message: the
/// export stops on the same markup the linter reports.
pub fn first_unclosed(post: &Post) -> Option<(usize, String)> {
    if liquid_off(post) {
        return None;
    }
    // Markup in code is skipped, so a scan that takes nothing for code finds at least as much: the
    // Markdown is parsed only for the posts that may have something to report.
    if blocks(&post.text, post.body_start, |_| false)
        .unclosed
        .is_empty()
    {
        return None;
    }
    let document = Document::parse(post);
    let scanned = blocks(&post.text, post.body_start, |offset| {
        document.in_code(offset)
    });
    let first = scanned.unclosed.into_iter().next()?;
    Some((first.span.start, first.message))
}

/// Whether the post turns Liquid off (`render_with_liquid: false`).
pub fn liquid_off(post: &Post) -> bool {
    post.data
        .fields
        .get("render_with_liquid")
        .and_then(crate::site::front_matter::yaml11_bool)
        == Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::liquid::tokenize;

    fn texts<'t>(text: &'t str, ranges: &[Range<usize>]) -> Vec<&'t str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn raw_hides_tags_but_not_text() {
        let text = "{% raw %}{{ x }} {% post_url a %}{% endraw %} {{ y }}";
        let scan = scan(&tokenize(text));
        assert_eq!(
            texts(text, &scan.tags),
            ["{% raw %}", "{% endraw %}", "{{ y }}"]
        );
        assert!(scan.blocks.is_empty());
    }

    #[test]
    fn highlight_and_comment_bodies_are_blocks() {
        let text = "{% highlight ruby %}\na[1][2]\n{% endhighlight %}\n{%- comment -%}x{% link a.md %}{% endcomment %}";
        let scan = scan(&tokenize(text));
        assert_eq!(
            texts(text, &scan.blocks),
            ["\na[1][2]\n", "x{% link a.md %}"]
        );
        assert_eq!(scan.tags.len(), 4);
    }

    #[test]
    fn blocks_inside_highlight_stay_inside_it() {
        let text = "{% highlight liquid %}\n{% raw %}{{ a }}{% endhighlight %}{% endraw %}\n\
{% comment %}x{% endcomment %}\n{% endhighlight %}\n{{ b }}";
        let scan = scan(&tokenize(text));
        assert_eq!(scan.blocks.len(), 1);
        assert!(texts(text, &scan.blocks)[0].ends_with("{% endcomment %}\n"));
        assert_eq!(texts(text, &scan.tags).last(), Some(&"{{ b }}"));
    }

    #[test]
    fn unclosed_blocks_run_to_the_end() {
        let text = "{% highlight ruby %}\nputs 1\n";
        assert_eq!(texts(text, &scan(&tokenize(text)).blocks), ["\nputs 1\n"]);
        let text = "{{ a }}{% comment %}x {{ b }}";
        let scan = scan(&tokenize(text));
        assert_eq!(texts(text, &scan.blocks), ["x {{ b }}"]);
        assert_eq!(texts(text, &scan.tags), ["{{ a }}", "{% comment %}"]);
        let text = "{% raw %}x {{ b }}";
        assert_eq!(
            texts(text, &super::scan(&tokenize(text)).tags),
            ["{% raw %}"]
        );
    }

    #[test]
    fn highlight_blocks_span_their_tags() {
        let text =
            "---\n---\n```\n{% highlight a %}\n```\n{% highlight js %}\nx\n{% endhighlight %}\n";
        let scanned = blocks(text, 8, |o| (8..33).contains(&o));
        assert_eq!(scanned.highlights.len(), 1);
        let block = &text[scanned.highlights[0].clone()];
        assert!(block.starts_with("{% highlight js %}") && block.ends_with("{% endhighlight %}"));
    }
}
