//! Liquid rules: tags and blocks never closed, Liquid the engine refuses, includes that cannot be read.

use crate::lint::document::liquid_blocks::blocks;
use crate::lint::document::liquid_blocks::liquid_off;
use crate::lint::document::{in_ranges, Document};
use crate::lint::rule::{Rule, Severity};
use crate::lint::Checker;
use crate::liquid;

/// `{%` or `{{` never closed, or a block without its end tag.
pub static LIQUID_UNCLOSED: Rule = Rule {
    name: "liquid-unclosed",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "Liquid tag or block that is never closed",
    explanation: "Jekyll runs Liquid over every post before Markdown. A `{%` or `{{` without its closing \
`%}` or `}}`, or a `highlight`, `raw`, `comment`, `capture`, `if`, `for`, `unless` or `case` block without \
its end tag, stops the whole build with a Liquid syntax error; a `{{` whose `}}` only comes paragraphs \
later swallows the text in between. Tags inside Markdown code blocks and code spans are not checked, nor \
posts with `render_with_liquid: false`.",
    bad: "{% highlight ruby %}\nputs 1\n",
    good: "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n",
    markdownlint: &[],
};

/// Liquid the engine refuses: an unknown tag or filter, wrong arguments, a runaway range.
pub static LIQUID_REFUSED: Rule = Rule {
    name: "liquid-refused",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "Liquid that the engine refuses: unknown tag or filter, wrong arguments",
    explanation: "carnet's export renders Liquid with a real engine, with Jekyll's tags and filters. A tag \
it does not know (a plugin's, or a typo) stops Jekyll's build unless the plugin is installed; an unknown \
filter is ignored by Jekyll unless `liquid: strict_filters` is set; a filter or tag given the wrong \
arguments is an error. The finding is at the first such markup (the engine stops there). Posts with \
unclosed Liquid are left to `liquid-unclosed`.",
    bad: "{{ page.title | upcase: 1 }}\n",
    good: "{{ page.title | upcase }}\n",
    markdownlint: &[],
};

/// `{% include %}` or `{% include_relative %}` naming a file carnet (and Jekyll) will not read.
pub static UNSAFE_INCLUDE: Rule = Rule {
    name: "unsafe-include",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "include of a file outside `_includes/` or the site, or not a regular file",
    explanation: "Jekyll reads `{% include %}` files only inside `_includes/` and `{% include_relative %}` \
files only inside the site, and refuses names holding `..`, `./` or `//`: such a tag stops the build. \
carnet does not read them either, nor a folder, a FIFO, a device or a file larger than 64 MiB (a post \
could otherwise make a pre-commit hook or a CI run hang or run out of memory); it reports the tag instead.",
    bad: "{% include_relative ../../secrets.txt %}\n",
    good: "{% include footer.html %}\n",
    markdownlint: &[],
};

/// `{% include %}` or `{% include_relative %}` naming a file that does not exist.
pub static INCLUDE_MISSING: Rule = Rule {
    name: "include-missing",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "include of a file that does not exist",
    explanation: "Jekyll stops the build at an `{% include %}` whose file is not in `_includes/` (or an \
`{% include_relative %}` whose file is not beside the post), and carnet's export stops there too. A \
name built with Liquid (`{% include {{ page.box }} %}`) is only known when the post is rendered and is \
not checked here.",
    bad: "{% include foter.html %}\n",
    good: "{% include footer.html %}\n",
    markdownlint: &[],
};

/// Reports every include tag naming a file that may not be read ([`crate::site::include::resolve`]).
fn includes(checker: &mut Checker, document: &Document) {
    let post = checker.post;
    for span in &document.liquid {
        if document.in_code(span.start) || in_ranges(&document.liquid_blocks, span.start) {
            continue;
        }
        let Some(tag) = liquid::Tag::parse(&post.text[span.clone()]) else {
            continue;
        };
        let Some(kind) = crate::site::include::IncludeTag::of_tag(tag.name) else {
            continue;
        };
        let Some(name) = tag.args.split_whitespace().next() else {
            continue;
        };
        if name.contains(['{', '}']) {
            continue;
        }
        match crate::site::include::resolve(name, kind, &checker.site.root, post.path()) {
            Ok(Some(_)) => {}
            Ok(None) => {
                let place = match kind {
                    crate::site::include::IncludeTag::Include => "in _includes/",
                    crate::site::include::IncludeTag::Relative => "beside this file",
                };
                checker.report(
                    &INCLUDE_MISSING,
                    span.clone(),
                    format!("`{name}` is not {place}"),
                );
            }
            Err(refused) => {
                checker.report(
                    &UNSAFE_INCLUDE,
                    span.clone(),
                    format!("{refused}; carnet did not read it"),
                );
            }
        }
    }
}

/// Runs the Liquid rules over the post's body, unless the post turns Liquid off.
pub fn check(checker: &mut Checker, document: &Document) {
    let post = checker.post;
    if liquid_off(post) {
        return;
    }
    let scanned = blocks(&post.text, post.body_start, |offset| {
        document.in_code(offset)
    });
    let unclosed = !scanned.unclosed.is_empty();
    for finding in scanned.unclosed {
        checker.report(&LIQUID_UNCLOSED, finding.span, finding.message);
    }
    let body = &post.text[post.body_start..];
    if !unclosed && liquid::has_markup(body) {
        if let Some(refused) = crate::template::check(body) {
            let start = post.body_start + refused.offset;
            let end = (start + 2).min(post.text.len());
            checker.report(&LIQUID_REFUSED, start..end, refused.message);
        }
    }
    includes(checker, document);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::document::liquid_blocks::BLOCKS;
    use crate::lint::rules::excerpt::tests::findings;

    fn lint_text(text: &str) -> Vec<(usize, usize, String)> {
        findings(
            "title: x\n",
            "_posts/2020-01-01-a.md",
            text,
            "liquid-unclosed",
        )
        .into_iter()
        .map(|d| (d.start.line, d.start.column, d.message))
        .collect()
    }

    /// Positions of the findings in a post whose body starts on line 4.
    fn lint(body: &str) -> Vec<(usize, usize)> {
        lint_text(&format!("---\ntitle: t\n---\n{body}"))
            .into_iter()
            .map(|(line, column, _)| (line, column))
            .collect()
    }

    #[test]
    fn closed_tags_are_clean() {
        let body = "{{ page.title }} {{page.x}} {%- if a -%}x{%- endif -%}\n\
{% include fig.html\n   src=\"a.png\" %}\n{% include {{ page.inc }} %}\n\
[a]({% post_url 2010-01-01-x %}) {% link about.md %}\n";
        assert_eq!(lint(body), []);
    }

    #[test]
    fn unclosed_output() {
        assert_eq!(lint("The title is {{ page.title and on.\n"), [(4, 14)]);
        let found = lint_text("---\n---\nA {{ x } b\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].2.contains("single `}`"), "{}", found[0].2);
    }

    #[test]
    fn an_output_running_into_the_next_paragraph_is_unclosed() {
        assert_eq!(lint("A {{ page.title\n\nMore text {{ b }}.\n"), [(4, 3)]);
        assert_eq!(lint("A {{ x {{ y }}\n"), [(4, 3)]);
        assert_eq!(lint("A {{ page.title\n | upcase }}\n"), []);
    }

    #[test]
    fn unclosed_tag() {
        assert_eq!(lint("A {% include x.html\n\nB {% link a.md %}\n"), [(4, 3)]);
        assert_eq!(lint("A {% include x.html\n"), [(4, 3)]);
    }

    #[test]
    fn every_block_needs_its_end_tag() {
        for name in BLOCKS {
            let found = lint_text(&format!("---\n---\nA.\n\n{{% {name} x %}}\nbody\n"));
            assert_eq!(found.len(), 1, "{name}");
            assert_eq!((found[0].0, found[0].1), (5, 1), "{name}");
            assert!(found[0].2.contains(&format!("end{name}")), "{}", found[0].2);
            assert_eq!(
                lint(&format!("{{% {name} x %}}\nbody\n{{%- end{name} -%}}\n")),
                [],
                "{name}"
            );
        }
    }

    #[test]
    fn nesting() {
        let body = "{% for p in ps %}\n{% if p.a %}\n{% unless b %}x{% endunless %}\n{% endif %}\n{% endfor %}\n";
        assert_eq!(lint(body), []);
        let crossed = lint_text("---\n---\n{% for p in ps %}\n{% if p.a %}\nx\n{% endfor %}\n");
        assert_eq!(crossed.len(), 1);
        assert_eq!((crossed[0].0, crossed[0].1), (4, 1));
        assert!(
            crossed[0].2.contains("`{% endfor %}` comes before"),
            "{}",
            crossed[0].2
        );
        assert_eq!(lint("{% if a %}\n{% if b %}\n{% endif %}\n"), [(4, 1)]);
        assert_eq!(lint("{% endif %} stray\n"), []);
    }

    #[test]
    fn raw_hides_its_content() {
        let body = "{% raw %}\n{{ not closed\n{% if x %}\n{% endraw %}\n{{ page.title }}\n";
        assert_eq!(lint(body), []);
        assert_eq!(lint("A.\n\n{%- raw -%}\n{{ x\n"), [(6, 1)]);
    }

    #[test]
    fn comments_hide_their_content_and_nest() {
        let body =
            "{% comment %}\n{% comment %}{% endcomment %}\n{{ x\n{% if %}\n{% endcomment %}\n";
        assert_eq!(lint(body), []);
        assert_eq!(
            lint("{% comment %}\n{% comment %}\n{% endcomment %}\n"),
            [(4, 1)]
        );
    }

    #[test]
    fn liquid_in_code_is_not_liquid() {
        let body = "Write `{{` or `{% if x %}`.\n\n```liquid\n{% for p in ps %}\n{{ p.title\n```\n\n    {% highlight %}\n";
        assert_eq!(lint(body), []);
    }

    #[test]
    fn raw_in_code_still_hides_until_its_end() {
        let body = "```\n{% raw %}\n```\n\nA {{ b\n\n```\n{% endraw %}\n```\n";
        assert_eq!(lint(body), []);
        assert_eq!(lint("`{% raw %}` then {{ b\n"), [(4, 18)]);
    }

    #[test]
    fn an_end_tag_in_code_closes_the_open_block() {
        let body = "<ul>\n{% for p in ps %}\n<li>x</li>\n\n    {% endfor %}\n";
        assert_eq!(lint(body), []);
        let wrong = "{% for p in ps %}\n{% if a %}\n\n    {% endfor %}\n";
        assert_eq!(lint(wrong), [(4, 1), (5, 1)]);
    }

    #[test]
    fn highlight_content_is_liquid() {
        assert_eq!(
            lint("{% highlight js %}\nvar a = {{ b;\n{% endhighlight %}\n"),
            [(5, 9)]
        );
        assert_eq!(
            lint("{% highlight html %}\n<p>{{ page.title }}</p>\n{% endhighlight %}\n"),
            []
        );
    }

    #[test]
    fn render_with_liquid_false_turns_the_rule_off() {
        let text = "---\ntitle: t\nrender_with_liquid: false\n---\n{{ x\n";
        assert_eq!(lint_text(text), []);
    }

    #[test]
    fn crlf_and_bom_positions() {
        let text = "\u{feff}---\r\ntitle: t\r\n---\r\nÉté {{ x }}\r\n\r\nÉté {% if a %}\r\n";
        let found: Vec<_> = lint_text(text).iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(found, [(6, 5)]);
    }

    fn refused(text: &str) -> Vec<(usize, usize, String)> {
        findings(
            "title: x\n",
            "_posts/2020-01-01-a.md",
            text,
            "liquid-refused",
        )
        .into_iter()
        .map(|d| (d.start.line, d.start.column, d.message))
        .collect()
    }

    #[test]
    fn refused_markup_is_reported_at_its_line() {
        let found = refused("---\ntitle: t\n---\nA.\n\n{% gist 123 %}\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (6, 1));
        assert!(found[0].2.contains("gist"), "{}", found[0].2);
        let found = refused("---\n---\nA {{ x | no_such_filter }}\n");
        assert_eq!(found[0].0, 3);
        assert!(refused("---\n---\n{{ x | where: \"a\" }}\n")[0]
            .2
            .contains("argument"));
        assert_eq!(
            refused(&format!("---\n---\n{}", LIQUID_REFUSED.bad)).len(),
            1
        );
        assert_eq!(refused(&format!("---\n---\n{}", LIQUID_REFUSED.good)), []);
        assert_eq!(
            refused("---\n---\n{% include a/b.html x=\"1\" %} {% post_url 2010-01-01-x %}\n"),
            []
        );
    }

    #[test]
    fn rule_example() {
        assert_eq!(lint(LIQUID_UNCLOSED.bad), [(4, 1)]);
        assert_eq!(lint(LIQUID_UNCLOSED.good), []);
    }
}
