//! The Liquid that Jekyll runs before Markdown: which tags are live, and which blocks hide their text.

use std::ops::Range;

/// Live Liquid tags and the blocks whose body is not Markdown prose, as offsets of the scanned text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiquidScan {
    /// One-line `{% ... %}` and `{{ ... }}` that Liquid runs (not those inside `raw` or `comment`).
    pub tags: Vec<Range<usize>>,
    /// Bodies of `highlight` blocks (code) and `comment` blocks (removed), tags excluded.
    pub blocks: Vec<Range<usize>>,
}

enum State {
    Normal,
    Raw,
    Comment(usize),
    Highlight(usize),
}

/// Scans `text` for Liquid tags, following `raw`, `comment` and `highlight` blocks.
pub fn scan(text: &str) -> LiquidScan {
    let mut out = LiquidScan::default();
    if !crate::source::has_liquid(text) {
        return out;
    }
    let mut state = State::Normal;
    for (start, end) in super::liquid_tags(text) {
        let name = tag_name(&text[start..end]);
        state = match state {
            State::Raw if name != "endraw" => State::Raw,
            State::Comment(body) if name != "endcomment" => State::Comment(body),
            State::Comment(body) => {
                out.blocks.push(body..start);
                out.tags.push(start..end);
                State::Normal
            }
            State::Highlight(body) if name == "endhighlight" => {
                out.blocks.push(body..start);
                out.tags.push(start..end);
                State::Normal
            }
            other => {
                out.tags.push(start..end);
                match (other, name) {
                    (State::Highlight(body), _) => State::Highlight(body),
                    (_, "raw") => State::Raw,
                    (_, "comment") => State::Comment(end),
                    (_, "highlight") => State::Highlight(end),
                    _ => State::Normal,
                }
            }
        };
    }
    if let State::Comment(body) | State::Highlight(body) = state {
        out.blocks.push(body..text.len());
    }
    out
}

/// The name of a `{% name ... %}` tag (whitespace control dashes aside); empty for `{{ }}`.
pub fn tag_name(tag: &str) -> &str {
    let Some(inner) = tag.strip_prefix("{%") else {
        return "";
    };
    let inner = inner.trim_start_matches('-').trim_start();
    let end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    &inner[..end]
}

/// The text of a tag between its delimiters, whitespace control dashes and spaces trimmed.
pub fn tag_inner(tag: &str) -> &str {
    let inner = tag.get(2..tag.len().saturating_sub(2)).unwrap_or("");
    inner.trim_matches('-').trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'t>(text: &'t str, ranges: &[Range<usize>]) -> Vec<&'t str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn raw_hides_tags_but_not_text() {
        let text = "{% raw %}{{ x }} {% post_url a %}{% endraw %} {{ y }}";
        let scan = scan(text);
        assert_eq!(
            texts(text, &scan.tags),
            ["{% raw %}", "{% endraw %}", "{{ y }}"]
        );
        assert!(scan.blocks.is_empty());
    }

    #[test]
    fn highlight_and_comment_bodies_are_blocks() {
        let text = "{% highlight ruby %}\na[1][2]\n{% endhighlight %}\n{%- comment -%}x{% link a.md %}{% endcomment %}";
        let scan = scan(text);
        assert_eq!(
            texts(text, &scan.blocks),
            ["\na[1][2]\n", "x{% link a.md %}"]
        );
        assert_eq!(scan.tags.len(), 4);
    }

    #[test]
    fn unclosed_block_runs_to_the_end() {
        let text = "{% highlight ruby %}\nputs 1\n";
        assert_eq!(texts(text, &scan(text).blocks), ["\nputs 1\n"]);
    }

    #[test]
    fn names_and_inner_text() {
        assert_eq!(tag_name("{%- post_url x -%}"), "post_url");
        assert_eq!(tag_name("{{ site.url }}"), "");
        assert_eq!(tag_inner("{%- link a.md -%}"), "link a.md");
        assert_eq!(tag_inner("{{ site.baseurl }}"), "site.baseurl");
    }
}
