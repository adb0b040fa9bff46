//! Link rules: empty, reversed, spaced, undefined or malformed links, references, images, bare URLs.

mod internal;
mod references;
mod scan;
mod syntax;
mod urls;

use crate::lint::document::Document;
use crate::lint::rule::{Rule, Severity};
use crate::lint::site_index::PendingLink;
use crate::lint::{Checker, Diagnostic, Settings};
use crate::post::Post;
use crate::site::Site;

/// `[text]()`, `[text](<>)`, `[text](#)`.
pub static EMPTY_LINK: Rule = Rule {
    name: "empty-link",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "link with an empty destination",
    explanation:
        "A link whose destination is empty, `<>` or a lone `#` goes nowhere: readers click and \
land on the same page. It is usually a placeholder left while writing.",
    bad: "See [the docs]().\n",
    good: "See [the docs](https://jekyllrb.com/docs/).\n",
    markdownlint: &["MD042"],
};

/// `[](url)`.
pub static EMPTY_LINK_TEXT: Rule = Rule {
    name: "empty-link-text",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "link with no text",
    explanation:
        "A link without text renders as nothing visible: sighted readers cannot click it and \
screen readers announce a bare URL or nothing at all.",
    bad: "Read [](https://example.org).\n",
    good: "Read [the announcement](https://example.org).\n",
    markdownlint: &[],
};

/// `(text)[url]`.
pub static REVERSED_LINK: Rule = Rule {
    name: "reversed-link",
    severity: Severity::Error,
    enabled: true,
    fixable: true,
    summary: "link written (text)[url] instead of [text](url)",
    explanation:
        "Brackets and parentheses swapped make Markdown print the characters as they are, so the \
post shows `(text)[url]` instead of a link. `--fix` swaps them back when the result reads as that \
link: not when the text holds a bracket, the URL ends in `\\` or an unmatched `)`, or the construct sits \
in a bare URL or a reference title; those are reported, marked `not fixed`.",
    bad: "(the docs)[https://jekyllrb.com/docs/]\n",
    good: "[the docs](https://jekyllrb.com/docs/)\n",
    markdownlint: &["MD011"],
};

/// `[text] (url)`.
pub static LINK_SPACING: Rule = Rule {
    name: "link-spacing",
    severity: Severity::Error,
    enabled: true,
    fixable: true,
    summary: "space between a link's text and its destination",
    explanation:
        "CommonMark does not allow space between `]` and `(`: `[text] (url)` is not a link but \
text followed by a URL in parentheses. `--fix` removes the space.",
    bad: "[the docs] (https://jekyllrb.com/docs/)\n",
    good: "[the docs](https://jekyllrb.com/docs/)\n",
    markdownlint: &[],
};

/// A reference with no definition.
pub static UNDEFINED_REFERENCE: Rule = Rule {
    name: "undefined-reference",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "reference link with no matching definition",
    explanation: "`[text][ref]` and `[ref][]` need a `[ref]: url` definition somewhere in the post; labels \
match case-insensitively with spaces collapsed, as CommonMark says. Without one, the brackets are printed \
as text and the link is lost.",
    bad: "Read [the guide][guide].\n",
    good: "Read [the guide][guide].\n\n[guide]: https://jekyllrb.com/docs/\n",
    markdownlint: &["MD052"],
};

/// A definition never used.
pub static UNUSED_REFERENCE: Rule = Rule {
    name: "unused-reference",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "reference definition that no link uses",
    explanation:
        "A `[ref]: url` definition that no link refers to is dead weight, and often the sign of \
a link whose label was mistyped. A post gets one finding, at its first unused definition, naming every \
unused label with its line.",
    bad: "Text.\n\n[unused]: https://example.org\n",
    good: "Text with [a link][used].\n\n[used]: https://example.org\n",
    markdownlint: &["MD053"],
};

/// A label defined twice.
pub static DUPLICATE_REFERENCE: Rule = Rule {
    name: "duplicate-reference",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "reference label defined more than once",
    explanation:
        "When a label is defined twice, only one definition counts: kramdown (Jekyll's default) uses the \
last one, CommonMark the first; editing the other changes nothing on the site.",
    bad: "[ref]: https://old.example.org\n[ref]: https://new.example.org\n",
    good: "[ref]: https://new.example.org\n",
    markdownlint: &["MD053"],
};

/// A URL that cannot be right.
pub static MALFORMED_URL: Rule = Rule {
    name: "malformed-url",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "link destination that is not a well-formed URL",
    explanation: "Typos such as `htp:`, `http//`, `https:/x`, a missing host, an unencoded space or \
unbalanced parentheses give links that browsers cannot follow, or that Markdown does not even parse as \
links.",
    bad: "[site](htp://example.org) [other](https://exa mple.org)\n",
    good: "[site](http://example.org) [other](https://example.org)\n",
    markdownlint: &[],
};

/// An internal link to nothing.
pub static BROKEN_POST_LINK: Rule = Rule {
    name: "broken-post-link",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "internal link to a post, file or URL the site does not have",
    explanation: "`{% post_url NAME %}` naming no post stops the Jekyll build; `{% link PATH %}`, relative \
links to Markdown files and site-internal URLs such as `/2017/06/22/slug.html` that match no post, page or \
file give readers a 404. URLs generated by plugins (`/feed.xml`) can be listed in `[lint] known_urls`. A \
published post linking to a draft or a future post is a warning: the link breaks until that post is out.",
    bad: "[before]({% post_url 2001-01-01-no-such-post %})\n",
    good: "[before]({% post_url 2017-06-22-intercotour %})\n",
    markdownlint: &[],
};

/// An image with no alt text.
pub static IMAGE_ALT: Rule = Rule {
    name: "image-alt",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "image without alt text",
    explanation:
        "Alt text is what screen readers say and what shows when the image does not load; an \
image without it is invisible to part of the audience.",
    bad: "![](/assets/map.png)\n",
    good: "![Map of the route through the Vosges](/assets/map.png)\n",
    markdownlint: &["MD045"],
};

/// A URL written as plain text.
pub static BARE_URL: Rule = Rule {
    name: "bare-url",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "URL written as plain text, which kramdown does not link (off where CommonMark autolinks)",
    explanation:
        "kramdown, Jekyll's default Markdown, prints a bare URL as text, not as a link: readers \
have to copy it. Wrapping it in `<...>` or giving it link text makes it clickable everywhere. Sites \
rendered with CommonMark (`markdown: CommonMark` or `CommonMarkGhPages`) with `autolink` in \
`commonmark: extensions:` link bare URLs themselves, so there the rule is off unless `[lint.rules]` sets \
its level or `--select` names it.",
    bad: "See https://example.org for details.\n",
    good: "See <https://example.org> for details.\n",
    markdownlint: &["MD034"],
};

/// An e-mail address written as plain text.
pub static BARE_EMAIL: Rule = Rule {
    name: "bare-email",
    severity: Severity::Info,
    enabled: true,
    fixable: false,
    summary: "e-mail address written as plain text, which kramdown does not link (off where CommonMark autolinks)",
    explanation:
        "kramdown, Jekyll's default Markdown, prints `me@example.org` as text: readers cannot click \
it to write. `<me@example.org>` makes it a `mailto:` link in kramdown and CommonMark alike, as does \
`[me@example.org](mailto:me@example.org)`. Addresses in code, links, autolinks and HTML are left alone. \
Sites rendered with CommonMark with `autolink` in `commonmark: extensions:` link bare addresses \
themselves, so there the rule is off unless `[lint.rules]` sets its level or `--select` names it.",
    bad: "Write to me@example.org for a copy.\n",
    good: "Write to <me@example.org> for a copy.\n",
    markdownlint: &["MD034"],
};

/// An `http://` link.
pub static INSECURE_LINK: Rule = Rule {
    name: "insecure-link",
    severity: Severity::Warning,
    enabled: false,
    fixable: false,
    summary: "link over plain http:// (off by default)",
    explanation: "Links over `http://` can be tampered with on the way and trigger mixed-content warnings on \
an https site. Most sites serve https today. Off by default because old posts are full of them; turn it on \
with `[lint.rules] insecure-link = \"warning\"`.",
    bad: "[site](http://example.org)\n",
    good: "[site](https://example.org)\n",
    markdownlint: &[],
};

/// Runs the per-post link rules.
pub fn check(checker: &mut Checker, document: &Document) {
    let text = scan::Text::new(checker.post, document);
    syntax::parsed(checker, &text);
    urls::parsed(checker, &text);
    // Near-links printed as text: each claims its span so that `bare-url` stays quiet inside it.
    let mut claimed = scan::Claimed::default();
    for rule in [syntax::reversed, syntax::spacing, urls::unparsed] {
        claimed.next_rule();
        rule(checker, &text, &mut claimed);
    }
    references::check(checker, &text);
    urls::bare(checker, &text, &claimed);
    urls::bare_emails(checker, &text, &claimed);
}

/// Folds the post's `unused-reference` findings into one naming every unused label.
pub fn group_unused_references(post: &Post, diagnostics: &mut Vec<Diagnostic>) {
    references::group_unused(post, diagnostics);
}

/// Internal links of the post (`post_url`, `link`, relative Markdown files, site URLs) to resolve site-wide.
pub fn pending_links(
    post: &Post,
    site: &Site,
    settings: &Settings,
    document: &Document,
) -> Vec<PendingLink> {
    if settings.severity(&BROKEN_POST_LINK).is_none()
        && settings.severity(&super::site::LINK_REDIRECT).is_none()
    {
        return Vec::new();
    }
    internal::pending(post, site, settings, document)
}

/// Runs the link rules on a post body, for the tests of each rule family.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    use crate::lint::config::LintConfig;
    use crate::lint::{Checker, Diagnostic, Settings};
    use crate::markdown::Dialect;
    use crate::post::Post;
    use crate::site::{Kind, Site, SiteConfig, SourceFile};

    const FRONT: &str = "---\ntitle: t\n---\n";

    fn diagnostics(body: &str) -> (Post, Vec<Diagnostic>) {
        diagnostics_at(Path::new("/"), body, Dialect::default())
    }

    fn diagnostics_at(root: &Path, body: &str, markdown: Dialect) -> (Post, Vec<Diagnostic>) {
        let site = Site {
            root: root.to_path_buf(),
            config: SiteConfig {
                markdown,
                ..SiteConfig::default()
            },
        };
        let file = SourceFile {
            rel: "_posts/2020-01-01-a.md".into(),
            path: root.join("_posts/2020-01-01-a.md"),
            kind: Kind::Post,
        };
        let post = Post::from_text(file, format!("{FRONT}{body}"), &site);
        let rules: Vec<String> = [
            &super::EMPTY_LINK,
            &super::EMPTY_LINK_TEXT,
            &super::REVERSED_LINK,
            &super::LINK_SPACING,
            &super::UNDEFINED_REFERENCE,
            &super::UNUSED_REFERENCE,
            &super::DUPLICATE_REFERENCE,
            &super::MALFORMED_URL,
            &super::IMAGE_ALT,
            &super::BARE_URL,
            &super::BARE_EMAIL,
            &super::INSECURE_LINK,
        ]
        .iter()
        .map(|r| r.name.to_string())
        .collect();
        let now = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00+00:00").unwrap();
        let settings = Settings::new(&LintConfig::default(), &rules, &[], now).unwrap();
        let document = crate::lint::document::Document::parse(&post);
        let mut checker = Checker::new(&post, &site, &settings);
        super::check(&mut checker, &document);
        let diagnostics = checker.into_diagnostics();
        (post, diagnostics)
    }

    /// The post and the findings of the link rules on `body`.
    pub fn diagnostics_of(body: &str) -> (Post, Vec<Diagnostic>) {
        diagnostics(body)
    }

    /// `rule line:column` for each finding, lines counted from the first line of the body.
    pub fn lint(body: &str) -> Vec<String> {
        lint_at(Path::new("/"), body)
    }

    /// [`lint`] for a post of the site at `root`.
    pub fn lint_at(root: &Path, body: &str) -> Vec<String> {
        lint_in(root, body, Dialect::default())
    }

    /// [`lint`] for a site written in CommonMark (`markdown: CommonMark`).
    pub fn lint_commonmark(body: &str) -> Vec<String> {
        lint_in(Path::new("/"), body, Dialect::CommonMark(Box::default()))
    }

    fn lint_in(root: &Path, body: &str, markdown: Dialect) -> Vec<String> {
        let (_, mut found) = diagnostics_at(root, body, markdown);
        crate::lint::sort(&mut found);
        found
            .iter()
            .map(|d| format!("{} {}:{}", d.rule.name, d.start.line - 3, d.start.column))
            .collect()
    }

    /// The findings of one rule, as `line:column`.
    pub fn lint_rule(body: &str, rule: &str) -> Vec<String> {
        lint(body)
            .into_iter()
            .filter_map(|f| {
                let (name, at) = f.split_once(' ')?;
                (name == rule).then(|| at.to_string())
            })
            .collect()
    }

    /// The body with every fix applied.
    pub fn fixed(body: &str) -> String {
        let (post, found) = diagnostics(body);
        let mut edits: Vec<_> = found
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut text = post.text.clone();
        for edit in edits {
            text.replace_range(edit.range, &edit.replacement);
        }
        text[FRONT.len()..].to_string()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_is_checked_without_panicking(
            body in proptest::collection::vec(
                prop_oneof![
                    Just("["), Just("]"), Just("("), Just(")"), Just("!"), Just("\\"), Just(":"),
                    Just(" "), Just("\n"), Just("\r\n"), Just("<"), Just(">"), Just("`"), Just("#"),
                    Just("http://"), Just("https://a.org"), Just("{{ x }}"), Just("{%"), Just("%}"),
                    Just("é"), Just("🙂"), Just("> "), Just("- "), Just("[^1]"), Just("x"),
                    Just("\t"), Just("    "), Just("1. "), Just("]: "), Just("\"t\""), Just("&amp;"),
                ],
                0..60,
            )
        ) {
            let body: String = body.concat();
            let _ = super::testing::lint(&body);
            let _ = super::testing::fixed(&body);
        }
    }
}
