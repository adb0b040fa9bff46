//! The part of Jekyll's Liquid that posts rely on, run before Markdown as Jekyll runs it.
//!
//! `{% post_url %}` and `{% link %}` resolve to URLs, `{{ site.* }}` and `{{ page.* }}` scalars are
//! substituted, `{% highlight %}` becomes a fenced code block, `{% raw %}` is honoured and
//! `{% comment %}` dropped. Anything else is left as written and reported, never guessed at.

use std::collections::HashMap;
use std::ops::Range;

use serde_yaml::{Mapping, Value};

use super::escape::html;
use crate::liquid::{tokenize, Iter, Token, Unclosed};
use crate::post::scalar_string;

/// Where a `{% post_url %}` or `{% link %}` target lives, by the names a post may use for it.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// Post file names without extension (`2017-06-22-x`, and `sub/2017-06-22-x` for subfolders).
    pub by_name: HashMap<String, String>,
    /// Source paths relative to the site root (posts, pages, static files) to their URL paths.
    pub by_path: HashMap<String, String>,
}

/// The values Liquid can read: `site.*` and `page.*`.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// `site.url`, as exported.
    pub url: &'a str,
    /// `site.baseurl`, as exported.
    pub baseurl: &'a str,
    /// `site.title`.
    pub title: &'a str,
    /// The rest of `_config.yml`.
    pub config: &'a Mapping,
    /// Every link target of the site.
    pub targets: &'a Targets,
    /// A resolver for `{% link %}` paths that are not posts (pages, static files), by relative path.
    pub page_url: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// The post being expanded, as `page.*` sees it.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// `page.title`.
    pub title: &'a str,
    /// `page.url`, without `baseurl`.
    pub url: &'a str,
    /// `page.date` as Jekyll prints it.
    pub date: &'a str,
    /// The post's fields, defaults included.
    pub fields: &'a Mapping,
}

/// A body after the Liquid pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// The Markdown to render.
    pub text: String,
    /// Where the excerpt cut, given as an offset of the input, falls in `text`.
    pub cut: Option<usize>,
    /// Tags and outputs left as written: a name (`include`, `{{ x }}`) and the input offset of its first use.
    pub unsupported: Vec<(String, usize)>,
}

/// A reference that cannot be resolved or markup that cannot be read; `offset` is in the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LiquidError {
    /// Byte offset of the tag in the input.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Runs the Liquid pass over `body`; `cut` is an input offset to carry over to the output.
pub fn expand(
    body: &str,
    cut: Option<usize>,
    scope: &Scope,
    page: &Page,
) -> Result<Expanded, LiquidError> {
    let tokens = tokenize(body);
    let mut out = Emitter::new(body, cut, body.len());
    let mut pass = Pass {
        scope,
        page,
        unsupported: Vec::new(),
    };
    pass.expand_into(&mut tokens.iter(), false, &mut out)?;
    let (text, cut) = out.finish();
    Ok(Expanded {
        text,
        cut,
        unsupported: pass.unsupported,
    })
}

/// What the pass reads, and the markup it leaves as written.
struct Pass<'a> {
    scope: &'a Scope<'a>,
    page: &'a Page<'a>,
    unsupported: Vec<(String, usize)>,
}

impl Pass<'_> {
    /// Expands `tokens` into `out` to the end of the text or, `in_highlight`, up to and including
    /// the `endhighlight` tag.
    fn expand_into(
        &mut self,
        tokens: &mut Iter,
        in_highlight: bool,
        out: &mut Emitter,
    ) -> Result<(), LiquidError> {
        let text = out.input;
        let mut trim_next = false;
        while let Some(token) = tokens.next() {
            let trim_here = std::mem::take(&mut trim_next);
            let tag = match token {
                Token::Text(span) => {
                    let skipped = if trim_here {
                        text[span.clone()].len() - text[span.clone()].trim_start().len()
                    } else {
                        0
                    };
                    out.replace(span.start..span.start + skipped, "");
                    out.copy(span.start + skipped..span.end);
                    continue;
                }
                Token::Unclosed(unclosed) => return Err(unclosed_error(&unclosed)),
                Token::Output(output) => {
                    if output.trim_left {
                        out.trim_end();
                    }
                    match output_value(output.expression, self.scope, self.page) {
                        Some(value) => out.replace(output.span, &html(&value)),
                        None => {
                            let name = format!("{{{{ {} }}}}", output.expression);
                            self.note(name, output.span.start);
                            out.copy(output.span);
                        }
                    }
                    trim_next = output.trim_right;
                    continue;
                }
                Token::Hidden(hidden) => {
                    if hidden.open.trim_left {
                        out.trim_end();
                    }
                    if hidden.open.name == "raw" {
                        out.replace(hidden.open.span.clone(), "");
                        out.copy(hidden.body());
                        out.replace(hidden.close.span.clone(), "");
                    } else {
                        out.replace(hidden.span(), "");
                    }
                    trim_next = hidden.close.trim_right;
                    continue;
                }
                Token::Tag(tag) => tag,
            };
            if in_highlight && tag.name == "endhighlight" {
                return Ok(());
            }
            if tag.trim_left {
                out.trim_end();
            }
            let start = tag.span.start;
            trim_next = tag.trim_right;
            match tag.name {
                "highlight" => {
                    // The first `endhighlight` ends the block: one inside it is left open.
                    let end = if in_highlight {
                        None
                    } else {
                        tokens.clone().find_map(|token| match token {
                            Token::Tag(end) if end.name == "endhighlight" => Some(end),
                            _ => None,
                        })
                    };
                    let end = end.ok_or_else(|| unclosed(start, "highlight"))?;
                    let mut inner = Emitter::new(text, None, end.span.start);
                    self.expand_into(tokens, true, &mut inner)?;
                    let (code, _) = inner.finish();
                    let mut block = String::new();
                    if !out.at_line_start() {
                        block.push('\n');
                    }
                    block.push_str(&fence(language(tag.args), &code));
                    out.replace(start..end.span.end, &block);
                    trim_next = end.trim_right;
                }
                "post_url" => {
                    let url = post_url(tag.args, self.scope).map_err(|message| LiquidError {
                        offset: start,
                        message,
                    })?;
                    out.replace(tag.span, &url);
                }
                "link" if !tag.args.contains("{{") => {
                    let url = link(tag.args, self.scope).map_err(|message| LiquidError {
                        offset: start,
                        message,
                    })?;
                    out.replace(tag.span, &url);
                }
                name => {
                    if !is_block_continuation(name) {
                        self.note(format!("{{% {name} %}}"), start);
                    }
                    out.copy(tag.span);
                }
            }
        }
        Ok(())
    }

    /// Records markup left as written, once per name.
    fn note(&mut self, name: String, offset: usize) {
        if !self.unsupported.iter().any(|(n, _)| *n == name) {
            self.unsupported.push((name, offset));
        }
    }
}

/// Builds the output and tracks where the input's cut lands in it.
struct Emitter<'t> {
    input: &'t str,
    text: String,
    cut: Option<usize>,
    cut_out: Option<usize>,
    end: usize,
}

impl<'t> Emitter<'t> {
    fn new(input: &'t str, cut: Option<usize>, end: usize) -> Self {
        Emitter {
            input,
            text: String::with_capacity(end + 64),
            cut,
            cut_out: None,
            end,
        }
    }

    fn pending_cut_in(&self, range: &Range<usize>) -> Option<usize> {
        match (self.cut, self.cut_out) {
            (Some(cut), None) if range.contains(&cut) => Some(cut),
            _ => None,
        }
    }

    /// Copies input as it is; a cut inside it lands at the same place in the output.
    fn copy(&mut self, range: Range<usize>) {
        if let Some(cut) = self.pending_cut_in(&range) {
            self.cut_out = Some(self.text.len() + cut - range.start);
        }
        self.text.push_str(&self.input[range]);
    }

    /// Replaces input with other text; a cut inside a replaced tag lands after the replacement.
    fn replace(&mut self, range: Range<usize>, with: &str) {
        self.text.push_str(with);
        if self.pending_cut_in(&range).is_some() {
            self.cut_out = Some(self.text.len());
        }
    }

    fn trim_end(&mut self) {
        let trimmed = self.text.trim_end().len();
        self.text.truncate(trimmed);
        if let Some(cut) = self.cut_out.as_mut() {
            *cut = (*cut).min(trimmed);
        }
    }

    fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n') || self.text.ends_with('\r')
    }

    fn finish(self) -> (String, Option<usize>) {
        let cut = match (self.cut, self.cut_out) {
            (_, Some(out)) => Some(out),
            (Some(cut), None) if cut >= self.end => Some(self.text.len()),
            _ => None,
        };
        (self.text, cut)
    }
}

/// Branches and end tags of blocks already reported by their opening tag.
fn is_block_continuation(name: &str) -> bool {
    name.starts_with("end") || matches!(name, "else" | "elsif" | "when")
}

fn unclosed(offset: usize, name: &str) -> LiquidError {
    LiquidError {
        offset,
        message: format!("`{{% {name} %}}` is never closed by `{{% end{name} %}}`"),
    }
}

fn unclosed_error(what: &Unclosed) -> LiquidError {
    let offset = what.span().start;
    let message = match what {
        Unclosed::Output(_) => "`{{` is never closed by `}}`",
        Unclosed::SingleBrace(_) => "`{{` is closed with a single `}`: Liquid needs `}}`",
        Unclosed::Tag(_) => "`{%` is never closed by `%}`",
        Unclosed::Block(open) => return unclosed(offset, open.name),
    };
    LiquidError {
        offset,
        message: message.to_string(),
    }
}

/// The value of `{{ site.x }}` or `{{ page.x }}`, when it is a plain variable Jekyll would print.
fn output_value(expression: &str, scope: &Scope, page: &Page) -> Option<String> {
    if expression.contains(['|', ' ', '[', '"', '\'']) {
        return None;
    }
    let (object, key) = expression.split_once('.')?;
    match (object, key) {
        ("site", "url") => Some(scope.url.to_string()),
        ("site", "baseurl") => Some(scope.baseurl.to_string()),
        ("site", "title") => Some(scope.title.to_string()),
        ("site", key) => scalar_field(scope.config, key),
        ("page", "title") => Some(page.title.to_string()),
        ("page", "url") => Some(page.url.to_string()),
        ("page", "date") => Some(page.date.to_string()),
        ("page", key) => scalar_field(page.fields, key),
        _ => None,
    }
}

/// A scalar field as Liquid prints it; a missing one prints nothing, a list or mapping is not guessed.
fn scalar_field(fields: &Mapping, key: &str) -> Option<String> {
    if key.contains('.') {
        return None;
    }
    match fields.get(key) {
        None | Some(Value::Null) => Some(String::new()),
        Some(value) => scalar_string(value),
    }
}

fn post_url(args: &str, scope: &Scope) -> Result<String, String> {
    let name = args.trim();
    if name.is_empty() {
        return Err("`{% post_url %}` needs a post name".to_string());
    }
    let key = name.trim_start_matches('/');
    scope
        .targets
        .by_name
        .get(key)
        .map(|url| format!("{}{url}", scope.baseurl))
        .ok_or_else(|| format!("`{{% post_url {name} %}}`: no post named `{name}` in _posts/"))
}

fn link(args: &str, scope: &Scope) -> Result<String, String> {
    let path = args.trim();
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.split('/').any(|s| s == ".." || s == ".") {
        return Err(format!("`{{% link {path} %}}`: not a path inside the site"));
    }
    scope
        .targets
        .by_path
        .get(rel)
        .cloned()
        .or_else(|| (scope.page_url)(rel))
        .map(|url| format!("{}{url}", scope.baseurl))
        .ok_or_else(|| format!("`{{% link {path} %}}`: no file `{rel}` in the site"))
}

/// The language token of `{% highlight LANG linenos %}`, limited to characters an info string can hold.
fn language(args: &str) -> &str {
    let token = args.split_whitespace().next().unwrap_or("");
    if token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+#.-".contains(c))
    {
        token
    } else {
        ""
    }
}

/// A fenced code block holding `code` whatever backticks it contains.
fn fence(lang: &str, code: &str) -> String {
    let code = code.trim_matches(['\n', '\r']);
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat((longest + 1).max(3));
    format!("{ticks}{lang}\n{code}\n{ticks}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        let mut t = Targets::default();
        t.by_name
            .insert("2017-06-22-a".into(), "/good/2017/06/22/a.html".into());
        t.by_path.insert(
            "_posts/2017-06-22-a.md".into(),
            "/good/2017/06/22/a.html".into(),
        );
        t
    }

    fn run(body: &str, cut: Option<usize>) -> Result<Expanded, LiquidError> {
        let targets = targets();
        let config: Mapping =
            serde_yaml::from_str("title: Blog\nauthor: Camille\nsocial: [a]\n").unwrap();
        let fields: Mapping = serde_yaml::from_str("title: \"<b>T</b>\"\nlang: fr\n").unwrap();
        let page_url = |rel: &str| (rel == "about.md").then(|| "/about/".to_string());
        let scope = Scope {
            url: "https://x.org",
            baseurl: "/blog",
            title: "Blog",
            config: &config,
            targets: &targets,
            page_url: &page_url,
        };
        let page = Page {
            title: "<b>T</b>",
            url: "/t.html",
            date: "2017-06-22 00:00:00 +0200",
            fields: &fields,
        };
        expand(body, cut, &scope, &page)
    }

    fn text(body: &str) -> String {
        run(body, None).unwrap().text
    }

    #[test]
    fn links_resolve_with_baseurl() {
        assert_eq!(
            text("[a]({% post_url 2017-06-22-a %}) [b]({% link about.md %}) [c]({%link _posts/2017-06-22-a.md%})"),
            "[a](/blog/good/2017/06/22/a.html) [b](/blog/about/) [c](/blog/good/2017/06/22/a.html)"
        );
    }

    #[test]
    fn broken_references_are_errors_at_the_tag() {
        let err = run("x\n{% post_url 2001-01-01-nope %}", None).unwrap_err();
        assert_eq!(err.offset, 2);
        assert!(err.message.contains("2001-01-01-nope"), "{err}");
        let err = run("{% link missing.md %}", None).unwrap_err();
        assert!(err.message.contains("missing.md"), "{err}");
        assert!(run("{% link ../etc/passwd %}", None).is_err());
    }

    #[test]
    fn variables_are_substituted_and_escaped() {
        assert_eq!(
            text("{{ site.title }} {{site.url}}{{ site.baseurl }} {{ page.title }} {{ site.author }} {{ page.lang }} [{{ site.nothing }}]"),
            "Blog https://x.org/blog &lt;b&gt;T&lt;/b&gt; Camille fr []"
        );
    }

    #[test]
    fn unknown_markup_is_kept_and_reported_once() {
        let out = run(
            "{% include a.html %} {{ x }} {% include b.html %} {% if a %}y{% endif %} {{ site.social }} {{ page.title | upcase }}",
            None,
        )
        .unwrap();
        assert_eq!(
            out.text,
            "{% include a.html %} {{ x }} {% include b.html %} {% if a %}y{% endif %} {{ site.social }} {{ page.title | upcase }}"
        );
        let names: Vec<_> = out.unsupported.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "{% include %}",
                "{{ x }}",
                "{% if %}",
                "{{ site.social }}",
                "{{ page.title | upcase }}"
            ]
        );
    }

    #[test]
    fn raw_comment_and_highlight() {
        assert_eq!(
            text("a {% raw %}{{ x }} {% if %}{% endraw %} b"),
            "a {{ x }} {% if %} b"
        );
        assert_eq!(text("a{% comment %} hidden {% endcomment %}b"), "ab");
        assert_eq!(
            text("Text:\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\nafter"),
            "Text:\n```ruby\nputs 1\n```\n\nafter"
        );
        assert_eq!(
            text("x {% highlight md %}\n```\n{{ site.title }}\n{% endhighlight %}"),
            "x \n````md\n```\nBlog\n````\n"
        );
    }

    #[test]
    fn comments_nest_and_raw_hides_end_tags_from_highlight() {
        assert_eq!(
            text("a{% comment %}{% comment %}{% endcomment %}x{% endcomment %}b"),
            "ab"
        );
        assert_eq!(
            text("{% highlight liquid %}\n{% raw %}{% highlight x %}{% endhighlight %}{% endraw %}\n{% endhighlight %}"),
            "```liquid\n{% highlight x %}{% endhighlight %}\n```\n"
        );
        let err = run(
            "{% highlight a %}\n{% highlight b %}\n{% endhighlight %}",
            None,
        )
        .unwrap_err();
        assert_eq!(err.offset, 18);
    }

    #[test]
    fn markup_that_lint_reports_unclosed_is_an_error() {
        assert_eq!(run("a {{ b {{ site.title }}", None).unwrap_err().offset, 2);
        assert_eq!(run("a {{ b\n\nc }}", None).unwrap_err().offset, 2);
        assert!(run("a {{ b } c }}", None)
            .unwrap_err()
            .message
            .contains("single `}`"));
        assert_eq!(
            run("{% include a {% link about.md %}", None)
                .unwrap_err()
                .offset,
            0
        );
    }

    #[test]
    fn unclosed_markup_is_an_error() {
        assert!(run("{% raw %} x", None)
            .unwrap_err()
            .message
            .contains("endraw"));
        assert!(run("{% highlight c %}", None).is_err());
        assert_eq!(run("a {{ b", None).unwrap_err().offset, 2);
        assert!(run("a {% b", None).is_err());
    }

    #[test]
    fn whitespace_control() {
        assert_eq!(text("a  {%- comment -%} x {%- endcomment -%}  b"), "ab");
        assert_eq!(text("a\n{{- site.title -}}\nb"), "aBlogb");
    }

    #[test]
    fn the_cut_follows_the_text() {
        let body = "{{ site.title }} one\n<!--more-->\ntwo";
        let cut = body.find("<!--more-->").unwrap();
        let out = run(body, Some(cut)).unwrap();
        assert_eq!(&out.text[out.cut.unwrap()..], "<!--more-->\ntwo");
        let body = "{% raw %}a <!--more--> b{% endraw %}";
        let cut = body.find("<!--more-->").unwrap();
        let out = run(body, Some(cut)).unwrap();
        assert_eq!(&out.text[..out.cut.unwrap()], "a ");
        let out = run("abc", Some(3)).unwrap();
        assert_eq!(out.cut, Some(3));
    }

    #[test]
    fn plain_braces_are_text() {
        assert_eq!(text("fn a() { b }"), "fn a() { b }");
    }
}
