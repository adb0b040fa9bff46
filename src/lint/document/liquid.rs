//! The Liquid that Jekyll runs before Markdown, as the link rules see it: which tags are live, and
//! which blocks hide their text.

use std::ops::Range;

use crate::liquid::{Token, Tokens, Unclosed};

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
}
