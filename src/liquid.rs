//! Liquid as Jekyll reads a post before Markdown: the one tokenizer behind the linter and the export.
//!
//! Jekyll 4 runs Liquid 4, whose lexer ends a `{%` tag at the first `%}` and a `{{` output at its
//! first `}`, which must be followed by a second one. Quotes protect nothing: `{{ "}}" }}` is the
//! output `{{ "}}` followed by the text `" }}`. `raw` and `comment` hide their body from Liquid; a
//! `raw` ends at the first `endraw`, comments nest.
//!
//! Where that lexer would run far past what the author meant, carnet reads the opener as left
//! unclosed and goes on reading right after it: a `{{` that meets another opener or a blank line
//! before its first `}`, and a `{%` that meets another `{%` before its `%}`. A `{%` tag may run over
//! several lines and paragraphs; an output may run over lines, not paragraphs.
//!
//! One pass over the text reads every tag and pairs each `raw` and `comment` tag with its end tag,
//! in time linear in the length of the text.

use std::ops::Range;

use memchr::{memchr, memchr2, memchr3};

/// The tags whose body Liquid does not run.
const HIDING: [&str; 2] = ["raw", "comment"];

/// A text read as Liquid: see [`tokenize`] and [`Tokens::iter`].
#[derive(Debug, Clone)]
pub struct Tokens<'t> {
    text: &'t str,
    markup: Vec<Lexeme>,
}

/// An output, a tag or an unclosed opener, kept small: a post may hold a great many. For a `raw`
/// or `comment` tag, `end` is the index of the tag that ends its body.
#[derive(Debug, Clone)]
struct Lexeme {
    span: Range<usize>,
    kind: LexemeKind,
    end: Option<usize>,
}

/// What a [`Lexeme`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LexemeKind {
    Output,
    Tag,
    UnclosedOutput,
    SingleBrace,
    UnclosedTag,
}

/// A piece of the text, as Liquid reads it. Offsets are byte offsets of the tokenized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'t> {
    /// Text that Liquid copies as it is.
    Text(Range<usize>),
    /// `{{ expression }}`.
    Output(Output<'t>),
    /// `{% name args %}`: any tag but `raw` and `comment`, which come as [`Token::Hidden`].
    Tag(Tag<'t>),
    /// A `raw` or `comment` tag, the body that Liquid does not run, and the end tag.
    Hidden(Hidden<'t>),
    /// An opener or a block that nothing closes.
    Unclosed(Unclosed<'t>),
}

/// `{{ expression }}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output<'t> {
    /// From `{{` to `}}`.
    pub span: Range<usize>,
    /// What the delimiters hold, without whitespace control and surrounding whitespace.
    pub expression: &'t str,
    /// `{{-`: Liquid removes the whitespace before the output.
    pub trim_left: bool,
    /// `-}}`: Liquid removes the whitespace after the output.
    pub trim_right: bool,
}

/// `{% name args %}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'t> {
    /// From `{%` to `%}`.
    pub span: Range<usize>,
    /// The first word: ASCII letters, digits and `_`; empty when the tag starts otherwise.
    pub name: &'t str,
    /// What follows the name, without whitespace control and surrounding whitespace.
    pub args: &'t str,
    /// `{%-`: Liquid removes the whitespace before the tag.
    pub trim_left: bool,
    /// `-%}`: Liquid removes the whitespace after the tag.
    pub trim_right: bool,
}

/// A `raw` or `comment` block: Liquid copies a `raw` body as it is and drops a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden<'t> {
    /// `{% raw %}` or `{% comment %}`.
    pub open: Tag<'t>,
    /// `{% endraw %}` or `{% endcomment %}`.
    pub close: Tag<'t>,
}

/// What is left open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unclosed<'t> {
    /// A `{{`, at this offset, with no `}` before the next opener or blank line.
    Output(usize),
    /// `{{ ... }`: an output ended by a single brace, which Liquid rejects.
    SingleBrace(Range<usize>),
    /// A `{%`, at this offset, with no `%}` before the next `{%`.
    Tag(usize),
    /// A `raw` or `comment` tag that no end tag follows; Liquid would hide the rest of the text.
    Block(Tag<'t>),
}

/// Reads `text` as Liquid, in one pass.
pub fn tokenize(text: &str) -> Tokens<'_> {
    let bytes = text.as_bytes();
    let mut markup: Vec<Lexeme> = Vec::new();
    let mut raws: Vec<usize> = Vec::new();
    let mut comments: Vec<usize> = Vec::new();
    let mut from = 0;
    while let Some(start) = next_opener(bytes, from) {
        let (kind, next) = if bytes[start + 1] == b'{' {
            output(bytes, start)
        } else {
            tag(bytes, start)
        };
        let span = match kind {
            LexemeKind::UnclosedOutput | LexemeKind::UnclosedTag => start..start + 2,
            _ => start..next,
        };
        from = next;
        if kind == LexemeKind::Tag {
            let index = markup.len();
            match Tag::new(text, span.clone()).name {
                "raw" => raws.push(index),
                "comment" => comments.push(index),
                "endraw" => {
                    for open in raws.drain(..) {
                        markup[open].end = Some(index);
                    }
                }
                "endcomment" => {
                    if let Some(open) = comments.pop() {
                        markup[open].end = Some(index);
                    }
                }
                _ => {}
            }
        }
        markup.push(Lexeme {
            span,
            kind,
            end: None,
        });
    }
    Tokens { text, markup }
}

impl<'t> Tokens<'t> {
    /// The text that was read.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The tokens in order, covering the whole text. A `raw` or `comment` block comes as one
    /// [`Token::Hidden`]; one left open comes as [`Unclosed::Block`], and the tokens after its tag
    /// follow, for readers that do not take the rest of the text as hidden.
    pub fn iter(&self) -> Iter<'_, 't> {
        Iter {
            tokens: self,
            next: 0,
            at: 0,
        }
    }

    /// The span of every output and tag, those inside `raw` and `comment` bodies included.
    pub fn spans(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.markup
            .iter()
            .filter(|lexeme| matches!(lexeme.kind, LexemeKind::Output | LexemeKind::Tag))
            .map(|lexeme| lexeme.span.clone())
    }
}

/// The tokens of a text in order: see [`Tokens::iter`].
#[derive(Debug, Clone)]
pub struct Iter<'a, 't> {
    tokens: &'a Tokens<'t>,
    /// The next lexeme.
    next: usize,
    /// Where the text not yet returned starts.
    at: usize,
}

impl<'t> Iterator for Iter<'_, 't> {
    type Item = Token<'t>;

    fn next(&mut self) -> Option<Token<'t>> {
        let Some(lexeme) = self.tokens.markup.get(self.next) else {
            let end = self.tokens.text.len();
            let text = self.at..end;
            self.at = end;
            return (!text.is_empty()).then_some(Token::Text(text));
        };
        let span = lexeme.span.clone();
        if self.at < span.start {
            let text = self.at..span.start;
            self.at = span.start;
            return Some(Token::Text(text));
        }
        self.next += 1;
        let text = self.tokens.text;
        let token = match lexeme.kind {
            LexemeKind::Output => Token::Output(Output::new(text, span)),
            LexemeKind::UnclosedOutput => Token::Unclosed(Unclosed::Output(span.start)),
            LexemeKind::SingleBrace => Token::Unclosed(Unclosed::SingleBrace(span)),
            LexemeKind::UnclosedTag => Token::Unclosed(Unclosed::Tag(span.start)),
            LexemeKind::Tag => {
                let open = Tag::new(text, span);
                match lexeme.end {
                    Some(end) => {
                        self.next = end + 1;
                        let close = Tag::new(text, self.tokens.markup[end].span.clone());
                        Token::Hidden(Hidden { open, close })
                    }
                    None if HIDING.contains(&open.name) => Token::Unclosed(Unclosed::Block(open)),
                    None => Token::Tag(open),
                }
            }
        };
        self.at = token.span().end;
        Some(token)
    }
}

impl Token<'_> {
    /// Where the token lies in the text.
    pub fn span(&self) -> Range<usize> {
        match self {
            Token::Text(span) => span.clone(),
            Token::Output(output) => output.span.clone(),
            Token::Tag(tag) => tag.span.clone(),
            Token::Hidden(hidden) => hidden.span(),
            Token::Unclosed(unclosed) => unclosed.span(),
        }
    }
}

impl Hidden<'_> {
    /// From the opening tag to the end of the end tag.
    pub fn span(&self) -> Range<usize> {
        self.open.span.start..self.close.span.end
    }

    /// Between the two tags.
    pub fn body(&self) -> Range<usize> {
        self.open.span.end..self.close.span.start
    }
}

impl Unclosed<'_> {
    /// The opener (`{{`, `{%`), the output ended by a single brace, or the block's opening tag.
    pub fn span(&self) -> Range<usize> {
        match self {
            Unclosed::Output(start) | Unclosed::Tag(start) => *start..start + 2,
            Unclosed::SingleBrace(span) => span.clone(),
            Unclosed::Block(open) => open.span.clone(),
        }
    }
}

impl<'t> Tag<'t> {
    /// Reads `source`, the whole text of one `{% ... %}` tag, as the tokenizer reads tags.
    pub fn parse(source: &'t str) -> Option<Tag<'t>> {
        let whole = source.len() >= 4 && source.starts_with("{%") && source.ends_with("%}");
        whole.then(|| Tag::new(source, 0..source.len()))
    }

    fn new(text: &'t str, span: Range<usize>) -> Tag<'t> {
        let (inner, trim_left, trim_right) = markup(&text[span.start + 2..span.end - 2]);
        let name_end = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        Tag {
            span,
            name: &inner[..name_end],
            args: inner[name_end..].trim(),
            trim_left,
            trim_right,
        }
    }
}

impl<'t> Output<'t> {
    fn new(text: &'t str, span: Range<usize>) -> Output<'t> {
        let (expression, trim_left, trim_right) = markup(&text[span.start + 2..span.end - 2]);
        Output {
            span,
            expression,
            trim_left,
            trim_right,
        }
    }
}

/// What delimiters hold, trimmed, and whether it starts and ends with a whitespace control `-`.
fn markup(between: &str) -> (&str, bool, bool) {
    let trim_left = between.starts_with('-');
    let trim_right = between.len() > usize::from(trim_left) && between.ends_with('-');
    let inner = &between[usize::from(trim_left)..between.len() - usize::from(trim_right)];
    (inner.trim(), trim_left, trim_right)
}

/// The next `{{` or `{%` at or after `from`.
fn next_opener(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(n) = memchr(b'{', bytes.get(from..)?) {
        let at = from + n;
        if matches!(bytes.get(at + 1), Some(b'{' | b'%')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The output opened by the `{{` at `start`, and where reading goes on: it ends at the first `}`,
/// unless another opener or a blank line comes first.
fn output(bytes: &[u8], start: usize) -> (LexemeKind, usize) {
    let mut from = start + 2;
    while let Some(n) = memchr3(b'}', b'{', b'\n', &bytes[from..]) {
        let at = from + n;
        match bytes[at] {
            b'}' if bytes.get(at + 1) == Some(&b'}') => return (LexemeKind::Output, at + 2),
            b'}' => return (LexemeKind::SingleBrace, at + 1),
            b'{' if matches!(bytes.get(at + 1), Some(b'{' | b'%')) => break,
            b'\n' if blank_line_after(bytes, at) => break,
            _ => from = at + 1,
        }
    }
    // What follows an opener left open is read again: it may hold the tags the author meant.
    (LexemeKind::UnclosedOutput, start + 2)
}

/// The tag opened by the `{%` at `start`, and where reading goes on: it ends at the first `%}`,
/// unless another `{%` comes first.
fn tag(bytes: &[u8], start: usize) -> (LexemeKind, usize) {
    let mut from = start + 2;
    while let Some(n) = memchr2(b'%', b'{', &bytes[from..]) {
        let at = from + n;
        match (bytes[at], bytes.get(at + 1)) {
            (b'%', Some(b'}')) => return (LexemeKind::Tag, at + 2),
            (b'{', Some(b'%')) => break,
            _ => from = at + 1,
        }
    }
    (LexemeKind::UnclosedTag, start + 2)
}

/// Whether the line after the line break at `newline` is blank: only ASCII whitespace, then a line
/// break.
fn blank_line_after(bytes: &[u8], newline: usize) -> bool {
    bytes[newline + 1..]
        .iter()
        .find(|&&b| b == b'\n' || !b.is_ascii_whitespace())
        == Some(&b'\n')
}

/// Whether `text` holds Liquid markup, `{{` or `{%`: a cheap test before reading it as Liquid.
pub fn has_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| matches!(bytes.get(i + 1), Some(b'{' | b'%')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_an_opening_brace_pair() {
        assert!(has_markup("a {{ x }}"));
        assert!(has_markup("{% raw %}"));
        assert!(!has_markup("{ a } {"));
        assert!(!has_markup(""));
        assert!(has_markup("{ {{"));
    }

    /// The tokens, each as a letter and its text: `t` text, `o` output, `g` tag, `h` hidden block,
    /// `u` unclosed.
    fn read(text: &str) -> Vec<(char, &str)> {
        tokenize(text)
            .iter()
            .map(|token| {
                let kind = match token {
                    Token::Text(_) => 't',
                    Token::Output(_) => 'o',
                    Token::Tag(_) => 'g',
                    Token::Hidden(_) => 'h',
                    Token::Unclosed(_) => 'u',
                };
                (kind, &text[token.span()])
            })
            .collect()
    }

    fn first_tag(text: &str) -> Tag<'_> {
        tokenize(text)
            .iter()
            .find_map(|token| match token {
                Token::Tag(tag) => Some(tag),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn empty_and_plain_text() {
        assert_eq!(read(""), []);
        assert_eq!(tokenize("").spans().count(), 0);
        assert_eq!(read("fn a() { b } 100%"), [('t', "fn a() { b } 100%")]);
    }

    #[test]
    fn outputs_and_tags() {
        assert_eq!(
            read("A {{ page.title }} and {% link a.md %}."),
            [
                ('t', "A "),
                ('o', "{{ page.title }}"),
                ('t', " and "),
                ('g', "{% link a.md %}"),
                ('t', "."),
            ]
        );
        let tag = first_tag("{%- include  fig.html src=\"a\" -%}");
        assert_eq!((tag.name, tag.args), ("include", "fig.html src=\"a\""));
        assert!(tag.trim_left && tag.trim_right);
        let tag = first_tag("{%link a.md%}");
        assert_eq!((tag.name, tag.args), ("link", "a.md"));
        assert!(!tag.trim_left && !tag.trim_right);
        assert_eq!(first_tag("{%-%}").name, "");
        assert_eq!(first_tag("{% 'x' %}").args, "'x'");
    }

    #[test]
    fn whitespace_control() {
        let Some(Token::Output(output)) = tokenize("{{- site.url -}}").iter().next() else {
            panic!("no output");
        };
        assert_eq!(output.expression, "site.url");
        assert!(output.trim_left && output.trim_right);
        let tag = first_tag("{% endif -%}");
        assert_eq!(tag.name, "endif");
        assert!(!tag.trim_left && tag.trim_right);
        let tag = first_tag("{%- endif%}");
        assert!(tag.trim_left && !tag.trim_right);
    }

    #[test]
    fn quotes_do_not_protect_closers() {
        // As Liquid 4 lexes them: Jekyll prints `" }}` here, and fails on the assignment.
        assert_eq!(read("{{ \"}}\" }}"), [('o', "{{ \"}}"), ('t', "\" }}")]);
        assert_eq!(
            read("{% assign a = \"%}\" %}"),
            [('g', "{% assign a = \"%}"), ('t', "\" %}")]
        );
    }

    #[test]
    fn unclosed_outputs() {
        assert_eq!(read("a {{ b"), [('t', "a "), ('u', "{{"), ('t', " b")]);
        assert_eq!(
            read("a {{ b } c"),
            [('t', "a "), ('u', "{{ b }"), ('t', " c")]
        );
        // Another opener or a blank line before the first `}`: read again after the `{{`.
        assert_eq!(
            read("{{ x {{ y }}"),
            [('u', "{{"), ('t', " x "), ('o', "{{ y }}")]
        );
        assert_eq!(
            read("{{ x {% if a %}"),
            [('u', "{{"), ('t', " x "), ('g', "{% if a %}")]
        );
        assert_eq!(read("{{ a\n\nb }}"), [('u', "{{"), ('t', " a\n\nb }}")]);
        assert_eq!(read("{{ a\n | upcase }}"), [('o', "{{ a\n | upcase }}")]);
        assert_eq!(read("{{ a\n  \t\n}}")[0], ('u', "{{"));
        assert_eq!(read("{{{{"), [('u', "{{"), ('u', "{{")]);
    }

    #[test]
    fn unclosed_tags() {
        assert_eq!(read("a {% b"), [('t', "a "), ('u', "{%"), ('t', " b")]);
        assert_eq!(
            read("{% include x {% link a.md %}"),
            [('u', "{%"), ('t', " include x "), ('g', "{% link a.md %}")]
        );
        assert_eq!(read("{%}"), [('u', "{%"), ('t', "}")]);
        // A tag may hold an output, and run over paragraphs.
        assert_eq!(
            read("{% include {{ page.inc }} %}"),
            [('g', "{% include {{ page.inc }} %}")]
        );
        assert_eq!(
            read("{% include a\n\n b=1 %}"),
            [('g', "{% include a\n\n b=1 %}")]
        );
    }

    #[test]
    fn raw_hides_its_body_even_tags_and_openers() {
        let text = "{% raw %}{{ x {% if {%- endif %}{% endraw -%} {{ y }}";
        assert_eq!(
            read(text),
            [
                ('h', "{% raw %}{{ x {% if {%- endif %}{% endraw -%}"),
                ('t', " "),
                ('o', "{{ y }}"),
            ]
        );
        let tokens = tokenize(text);
        let Some(Token::Hidden(raw)) = tokens.iter().next() else {
            panic!("no raw block");
        };
        assert_eq!(&text[raw.body()], "{{ x {% if {%- endif %}");
        assert!(raw.close.trim_right);
        // A raw body ends at the first `endraw`, wherever the `{%` before it was left.
        assert_eq!(
            read("{% raw %}{% if {% endraw %}")[0],
            ('h', "{% raw %}{% if {% endraw %}")
        );
        // Every tag is still a span, for readers that only mask or cut the markup.
        let spans: Vec<_> = tokens.spans().map(|s| &text[s]).collect();
        assert_eq!(
            spans,
            ["{% raw %}", "{%- endif %}", "{% endraw -%}", "{{ y }}"]
        );
    }

    #[test]
    fn comments_nest() {
        let text = "a{% comment %}{% comment %}{% endcomment %}{{ x{% endcomment %}b";
        assert_eq!(
            read(text),
            [('t', "a"), ('h', &text[1..text.len() - 1]), ('t', "b")]
        );
        assert_eq!(
            read("{% endcomment %}{% comment %}x{% endcomment %}{% endcomment %}"),
            [
                ('g', "{% endcomment %}"),
                ('h', "{% comment %}x{% endcomment %}"),
                ('g', "{% endcomment %}"),
            ]
        );
    }

    #[test]
    fn blocks_left_open_are_followed_by_the_tokens_after_their_tag() {
        assert_eq!(
            read("{% comment %}{% comment %}x{% endcomment %}"),
            [
                ('u', "{% comment %}"),
                ('h', "{% comment %}x{% endcomment %}"),
            ]
        );
        let tokens = tokenize("{%- raw %} {{ x }}");
        let found: Vec<_> = tokens.iter().collect();
        let Token::Unclosed(Unclosed::Block(open)) = &found[0] else {
            panic!("{found:?}");
        };
        assert_eq!((open.name, open.span.clone()), ("raw", 0..10));
        assert!(matches!(found[2], Token::Output(_)));
    }

    #[test]
    fn highlight_is_an_ordinary_tag() {
        assert_eq!(
            read("{% highlight ruby %}\n{{ a }}\n{% endhighlight %}"),
            [
                ('g', "{% highlight ruby %}"),
                ('t', "\n"),
                ('o', "{{ a }}"),
                ('t', "\n"),
                ('g', "{% endhighlight %}"),
            ]
        );
    }

    #[test]
    fn crlf() {
        assert_eq!(read("{{ a\r\n\r\nb }}")[0], ('u', "{{"));
        assert_eq!(read("{{ a\r\n}}"), [('o', "{{ a\r\n}}")]);
        assert_eq!(
            read("{%- if a -%}\r\nx\r\n{% endif %}\r\n"),
            [
                ('g', "{%- if a -%}"),
                ('t', "\r\nx\r\n"),
                ('g', "{% endif %}"),
                ('t', "\r\n")
            ]
        );
    }

    #[test]
    fn multibyte_text_around_tags() {
        let text = "Été {{ page.título }}🙂{% raw %}é{% endraw %}日本{{ x";
        assert_eq!(
            read(text),
            [
                ('t', "Été "),
                ('o', "{{ page.título }}"),
                ('t', "🙂"),
                ('h', "{% raw %}é{% endraw %}"),
                ('t', "日本"),
                ('u', "{{"),
                ('t', " x"),
            ]
        );
    }

    #[test]
    fn parse_reads_one_whole_tag() {
        let tag = Tag::parse("{%- link /a.md -%}").unwrap();
        assert_eq!((tag.name, tag.args, tag.span), ("link", "/a.md", 0..18));
        assert_eq!(Tag::parse("{{ site.url }}"), None);
        assert_eq!(Tag::parse("{%}"), None);
    }

    #[test]
    fn long_runs_of_openers_stay_linear() {
        // Each of these would take minutes if every opener searched to the end of the text.
        for piece in [
            "{{ ",
            "{% ",
            "{{ {% ",
            "{% raw %}",
            "{% comment %}",
            "{{ a } ",
        ] {
            let text = piece.repeat(50_000);
            let tokens = tokenize(&text);
            let covered: usize = tokens.iter().map(|t| t.span().len()).sum();
            assert_eq!(covered, text.len(), "{piece}");
        }
    }

    /// The same rules, read with plain searches from each opener: quadratic, and obviously right.
    fn by_plain_search(text: &str) -> Vec<(char, Range<usize>)> {
        let blank = |from: usize, to: usize| {
            text[from..to].match_indices('\n').any(|(at, _)| {
                let rest = &text[from + at + 1..];
                rest.find('\n')
                    .is_some_and(|end| rest[..end].bytes().all(|b| b.is_ascii_whitespace()))
            })
        };
        let opener = |from: usize| {
            let b = text.as_bytes();
            (from..b.len().saturating_sub(1))
                .find(|&i| b[i] == b'{' && (b[i + 1] == b'{' || b[i + 1] == b'%'))
        };
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(s) = opener(i) {
            if &text[s..s + 2] == "{{" {
                let close = text[s + 2..].find('}').map(|n| s + 2 + n);
                let runaway = close.is_some_and(|c| opener(s + 2).is_some_and(|o| o < c))
                    || close.is_some_and(|c| blank(s + 2, c));
                match close {
                    Some(c) if !runaway && text[c + 1..].starts_with('}') => {
                        out.push(('o', s..c + 2));
                        i = c + 2;
                    }
                    Some(c) if !runaway => {
                        out.push(('s', s..c + 1));
                        i = c + 1;
                    }
                    _ => {
                        out.push(('u', s..s + 2));
                        i = s + 2;
                    }
                }
            } else {
                let close = text[s + 2..].find("%}").map(|n| s + 2 + n);
                let next = text[s + 2..].find("{%").map(|n| s + 2 + n);
                match close {
                    Some(c) if next.is_none_or(|o| o > c) => {
                        out.push(('g', s..c + 2));
                        i = c + 2;
                    }
                    _ => {
                        out.push(('u', s..s + 2));
                        i = s + 2;
                    }
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_single_pass_reads_what_plain_searches_read(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", "%", "{{", "}}", "{%", "%}", " ", "a", "é", "\n", "\n\n", "\r\n",
                    "{% raw %}", "{% endraw %}", "{% comment %}", "{%- endcomment -%}", "-",
                ]),
                0..60,
            )
        ) {
            let text = parts.concat();
            let tokens = tokenize(&text);
            let lexed: Vec<(char, Range<usize>)> = tokens
                .markup
                .iter()
                .map(|lexeme| {
                    let kind = match lexeme.kind {
                        LexemeKind::Output => 'o',
                        LexemeKind::Tag => 'g',
                        LexemeKind::SingleBrace => 's',
                        LexemeKind::UnclosedOutput | LexemeKind::UnclosedTag => 'u',
                    };
                    (kind, lexeme.span.clone())
                })
                .collect();
            proptest::prop_assert_eq!(lexed, by_plain_search(&text));
            let mut at = 0;
            for token in tokens.iter() {
                let span = token.span();
                proptest::prop_assert_eq!(span.start, at);
                proptest::prop_assert!(span.end > span.start);
                proptest::prop_assert!(text.is_char_boundary(span.end));
                at = span.end;
            }
            proptest::prop_assert_eq!(at, text.len());
        }
    }
}
