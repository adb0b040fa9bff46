//! Excerpt rules, where a separator is configured and the post has no `excerpt:` field of its own:
//! present, single, outside code, exact, not empty.

use std::ops::Range;

use memchr::memmem;

use crate::lint::document::liquid_blocks::blocks;
use crate::lint::document::{in_ranges, Document};
use crate::lint::rule::{Rule, Severity};
use crate::lint::{Checker, Edit, Fix};
use crate::site::Kind;

/// No separator in the post.
pub static EXCERPT_MISSING: Rule = Rule {
    name: "excerpt-missing",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "post has no excerpt separator although one is configured",
    explanation:
        "With `excerpt_separator` set, Jekyll takes everything before it as the excerpt shown on \
index pages and in feeds. Without the separator in the post, the excerpt is the whole post. Posts of a \
single paragraph, and posts with their own `excerpt:` field, are not reported.",
    bad: "First paragraph.\n\nSecond paragraph.\n",
    good: "First paragraph.\n\n<!--more-->\n\nSecond paragraph.\n",
    markdownlint: &[],
};

/// More than one separator.
pub static EXCERPT_MULTIPLE: Rule = Rule {
    name: "excerpt-multiple",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "excerpt separator appears more than once",
    explanation:
        "Only the first separator cuts the excerpt; the others stay in the page as HTML comments \
and usually mean a paragraph moved without its marker.",
    bad: "Intro.\n\n<!--more-->\n\nText.\n\n<!--more-->\n",
    good: "Intro.\n\n<!--more-->\n\nText.\n",
    markdownlint: &[],
};

/// The separator cuts a code block in two.
pub static EXCERPT_IN_CODE: Rule = Rule {
    name: "excerpt-in-code",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "the first excerpt separator is inside a code block or code span",
    explanation: "Jekyll cuts the excerpt at the first separator as plain text, even inside code, so the \
excerpt ends in the middle of an open code block and swallows the page layout around it on index pages.",
    bad: "```html\n<!--more-->\n```\n",
    good: "Intro.\n\n<!--more-->\n\n```html\n<p>code</p>\n```\n",
    markdownlint: &[],
};

/// A comment that looks like the separator but is not.
pub static EXCERPT_NEAR_MISS: Rule = Rule {
    name: "excerpt-near-miss",
    severity: Severity::Warning,
    enabled: true,
    fixable: true,
    summary: "comment that looks like the excerpt separator but does not match it",
    explanation: "Jekyll matches the separator exactly: `<!-- more -->` or `<!--More-->` is not \
`<!--more-->`, nor is `<!--more--!>`, `<!-more->` or `<!—more—>` with dashes a word processor \
changed, so the excerpt silently becomes the whole post. `--fix` rewrites the comment to the \
configured separator when that leaves it the first and only separator outside code; with a separator \
further down, rewriting would cut a different excerpt, so the comment is reported and left alone.",
    bad: "Intro.\n\n<!-- more -->\n",
    good: "Intro.\n\n<!--more-->\n",
    markdownlint: &[],
};

/// Nothing before the separator.
pub static EXCERPT_EMPTY: Rule = Rule {
    name: "excerpt-empty",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "nothing but blank lines before the excerpt separator",
    explanation:
        "A separator at the very start of the body gives an empty excerpt: index pages and feeds \
show the title and nothing else.",
    bad: "<!--more-->\n\nFirst paragraph.\n",
    good: "First paragraph.\n\n<!--more-->\n",
    markdownlint: &[],
};

/// Runs the excerpt rules on a post or draft whose separator is configured.
pub fn check(checker: &mut Checker, document: &Document) {
    let post = checker.post;
    if post.file.kind == Kind::Page {
        return;
    }
    // An empty separator turns excerpts off; a blank one (`"\n\n"`) is Jekyll's own paragraph cut,
    // which every post meets without a marker.
    let Some(separator) = post
        .data
        .excerpt_separator
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    else {
        return;
    };
    // Jekyll keeps an `excerpt:` field as it is and never looks for the separator.
    if post
        .data
        .fields
        .get("excerpt")
        .is_some_and(|v| !v.is_null())
    {
        return;
    }
    // Positions point at the marker itself, past any line breaks the configured separator carries.
    let lead = separator.len() - separator.trim_start().len();
    let marker = separator.trim();
    let body = post.body();
    let base = post.body_start;
    let found: Vec<Range<usize>> = memmem::find_iter(body.as_bytes(), separator.as_bytes())
        .map(|i| base + i + lead..base + i + lead + marker.len())
        .collect();
    // A `{% highlight %}` block is code to Jekyll although Markdown reads it as text.
    let highlights = if memmem::find(body.as_bytes(), b"highlight").is_some() {
        blocks(&post.text, base, |offset| document.in_code(offset)).highlights
    } else {
        Vec::new()
    };
    let in_code = |offset: usize| document.in_code(offset) || in_ranges(&highlights, offset);
    let outside: Vec<&Range<usize>> = found.iter().filter(|r| !in_code(r.start)).collect();
    let near_miss = near_miss(post.text.as_str(), base, marker, in_code)
        .filter(|m| outside.first().is_none_or(|first| m.start < first.start));

    if let Some(miss) = &near_miss {
        let written = &post.text[miss.clone()];
        let fixable = cuts_only_here(&post.text, base, (separator, lead), miss, marker, in_code);
        let mut message = format!(
            "`{written}` is not the excerpt separator `{marker}`: Jekyll matches it exactly"
        );
        if !fixable {
            message.push_str(
                "; not fixed: rewriting it would leave another separator outside code, so the \
excerpt could change",
            );
        }
        if let Some(d) = checker.report(&EXCERPT_NEAR_MISS, miss.clone(), message) {
            d.fix = fixable.then(|| Fix {
                edits: vec![Edit {
                    range: miss.clone(),
                    replacement: marker.to_string(),
                }],
            });
        }
    }

    let first = found.first();
    let cut_in_code = first
        .filter(|r| in_code(r.start))
        .filter(|r| near_miss.as_ref().is_none_or(|m| m.start > r.start));
    if let Some(first) = cut_in_code {
        checker.report(
            &EXCERPT_IN_CODE,
            first.clone(),
            "the first excerpt separator is inside code: Jekyll cuts the excerpt there, in the middle \
of the code; put a separator before it",
        );
    }

    for extra in outside.iter().skip(1) {
        checker.report(
            &EXCERPT_MULTIPLE,
            (*extra).clone(),
            format!(
                "excerpt separator repeated (first on line {}): only the first one cuts the excerpt",
                post.position(outside[0].start).line
            ),
        );
    }

    if let Some(first) = first {
        if body[..first.start - base].trim().is_empty() {
            checker.report(
                &EXCERPT_EMPTY,
                first.clone(),
                "nothing before the excerpt separator: the excerpt is empty",
            );
        }
    }

    if outside.is_empty()
        && near_miss.is_none()
        && cut_in_code.is_none()
        && paragraphs_exceed_one(body, base, in_code)
    {
        let shown = if separator == marker {
            format!("`{marker}`")
        } else {
            format!("{separator:?}")
        };
        checker.report(
            &EXCERPT_MISSING,
            0..post.text.len().min(3),
            format!("no excerpt separator {shown}: the excerpt is the whole post"),
        );
    }
}

/// The first comment-like tag outside code that reads as `marker` once case, spaces, `!` and dashes
/// of any kind are ignored (`<!-- More -->`, `<!--more--!>`, `<!-more->`, `<!—more—>`), but is not
/// written as `marker`.
fn near_miss(
    text: &str,
    base: usize,
    marker: &str,
    in_code: impl Fn(usize) -> bool,
) -> Option<Range<usize>> {
    marker.strip_prefix("<!--")?.strip_suffix("-->")?;
    let wanted = comment_key(marker)?;
    let bytes = text.as_bytes();
    // Longer than any mangled separator gets: a `<!` further from its `>` is something else.
    let reach = 2 * marker.len() + 32;
    let mut from = base;
    while let Some(i) = memmem::find(&bytes[from..], b"<!") {
        let start = from + i;
        from = start + 2;
        let window = &bytes[start..(start + reach).min(bytes.len())];
        let Some(close) = memchr::memchr(b'>', window) else {
            continue;
        };
        let end = start + close + 1;
        let Some(comment) = text.get(start..end) else {
            continue;
        };
        if comment != marker && comment_key(comment) == Some(wanted.clone()) && !in_code(start) {
            return Some(start..end);
        }
    }
    None
}

/// Whether rewriting the near miss at `miss` to `marker` leaves a body whose first separator is
/// that one and whose only separator outside code is that one: otherwise the fix would cut a
/// different excerpt or repeat the separator.
fn cuts_only_here(
    text: &str,
    base: usize,
    (separator, lead): (&str, usize),
    miss: &Range<usize>,
    marker: &str,
    in_code: impl Fn(usize) -> bool,
) -> bool {
    let fixed = [&text[base..miss.start], marker, &text[miss.end..]].concat();
    let mut cuts =
        memmem::find_iter(fixed.as_bytes(), separator.as_bytes()).map(|i| base + i + lead);
    // Offsets after the rewrite, moved back to the original text for `in_code`.
    let original = |offset: usize| offset + miss.len() - marker.len();
    cuts.next() == Some(miss.start) && cuts.all(|cut| in_code(original(cut)))
}

/// What a comment-like tag (`<!` to `>`) says once whitespace, `!`, dashes of any kind and case are
/// set aside; `None` for other text.
fn comment_key(comment: &str) -> Option<String> {
    let inner = comment.strip_prefix("<!")?.strip_suffix('>')?;
    let dash = |c: char| {
        matches!(
            c,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}'
        )
    };
    Some(
        inner
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '!' && !dash(*c))
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

/// Whether the body holds more than one paragraph (blank-line separated text outside code).
fn paragraphs_exceed_one(body: &str, base: usize, in_code: impl Fn(usize) -> bool) -> bool {
    let mut offset = base;
    let mut blocks = 0;
    let mut in_block = false;
    for line in body.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank && !in_code(offset) {
            in_block = false;
        } else if !blank && !in_block {
            in_block = true;
            blocks += 1;
            if blocks > 1 {
                return true;
            }
        }
        offset += line.len();
    }
    false
}

#[cfg(test)]
pub(crate) mod tests {

    use chrono::DateTime;

    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::{check_post, Diagnostic, Settings};
    use crate::post::Post;
    use crate::site::Site;

    /// Lints one post of a site configured by `config` and keeps the findings of rules named `prefix...`.
    pub(crate) fn findings(config: &str, rel: &str, text: &str, prefix: &str) -> Vec<Diagnostic> {
        let site = Site::sample(config);
        let post = Post::sample_in(rel, text, &site);
        let now = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap();
        let settings = Settings::new(&LintConfig::default(), &[], &[], now).unwrap();
        let mut found = check_post(&post, &site, &settings).diagnostics;
        found.retain(|d| d.rule.name.starts_with(prefix));
        crate::lint::sort(&mut found);
        found
    }

    const MORE: &str = "excerpt_separator: <!--more-->\n";
    const POST: &str = "_posts/2020-01-01-a.md";

    fn lint_with(config: &str, text: &str) -> Vec<(&'static str, usize, usize)> {
        findings(config, POST, text, "excerpt-")
            .iter()
            .map(|d| (d.rule.name, d.start.line, d.start.column))
            .collect()
    }

    fn lint(body: &str) -> Vec<(&'static str, usize, usize)> {
        lint_with(MORE, &format!("---\ntitle: t\n---\n{body}"))
    }

    #[test]
    fn one_separator_after_the_intro_is_clean() {
        assert_eq!(lint("Intro.\n\n<!--more-->\n\nRest.\n"), []);
    }

    #[test]
    fn missing_separator() {
        assert_eq!(
            lint("One.\n\nTwo.\n\nThree.\n"),
            [("excerpt-missing", 1, 1)]
        );
    }

    #[test]
    fn missing_is_not_reported_for_a_single_paragraph() {
        assert_eq!(lint("Just one paragraph,\nover two lines.\n"), []);
        assert_eq!(lint(""), []);
        assert_eq!(lint("```\na\n\nb\n```\n"), []);
    }

    #[test]
    fn an_own_excerpt_field_turns_the_rules_off() {
        let own = "---\ntitle: t\nexcerpt: Mine.\n---\n`<!--more-->`\n\n<!--more-->\n";
        assert_eq!(lint_with(MORE, own), []);
        let null = "---\ntitle: t\nexcerpt:\n---\nOne.\n\nTwo.\n";
        assert_eq!(lint_with(MORE, null), [("excerpt-missing", 1, 1)]);
    }

    #[test]
    fn nothing_runs_without_a_separator_or_on_pages() {
        let text = "---\ntitle: t\n---\n<!--more-->\n\n<!-- more -->\n\n<!--more-->\n";
        assert_eq!(lint_with("title: x\n", text), []);
        assert_eq!(lint_with("excerpt_separator: \"\"\n", text), []);
        assert_eq!(lint_with("excerpt_separator: \"\\n\\n\"\n", text), []);
        assert!(findings(MORE, "about.md", text, "excerpt-").is_empty());
        assert!(!findings(MORE, "_drafts/a.md", text, "excerpt-").is_empty());
    }

    #[test]
    fn multiple_separators_report_each_extra_one() {
        assert_eq!(
            lint("A.\n\n<!--more-->\n\nB. <!--more-->\n\n<!--more-->\n"),
            [("excerpt-multiple", 8, 4), ("excerpt-multiple", 10, 1)]
        );
    }

    #[test]
    fn first_separator_in_a_fenced_block() {
        assert_eq!(
            lint("Intro:\n\n```html\n<!--more-->\n```\n\n<!--more-->\n\nRest.\n"),
            [("excerpt-in-code", 7, 1)]
        );
    }

    #[test]
    fn first_separator_in_a_code_span_alone_is_in_code_not_missing() {
        assert_eq!(
            lint("Write `<!--more-->` to cut.\n\nMore text.\n"),
            [("excerpt-in-code", 4, 8)]
        );
    }

    #[test]
    fn separators_in_code_after_the_first_do_not_count() {
        assert_eq!(
            lint("Intro.\n\n<!--more-->\n\nWrite `<!--more-->`.\n\n    <!--more-->\n"),
            []
        );
    }

    #[test]
    fn a_highlight_block_is_code() {
        let body =
            "Intro:\n\n{% highlight html %}\n<!--more-->\n{% endhighlight %}\n\n<!--more-->\n";
        assert_eq!(lint(body), [("excerpt-in-code", 7, 1)]);
    }

    #[test]
    fn near_misses() {
        for comment in [
            "<!-- more -->",
            "<!--More-->",
            "<!-- MORE-->",
            "<!--more -->",
            "<!-- more-->",
            "<!--\tmore\n-->",
            "<!--more--!>",
            "<!--more->",
            "<!-more->",
            "<! --more-->",
            "<!--more---->",
            "<!\u{2014}more\u{2014}>",
            "<!-- more --!>",
        ] {
            let found = lint(&format!("Intro.\n\n{comment}\n\nRest.\n"));
            assert_eq!(found, [("excerpt-near-miss", 6, 1)], "{comment}");
        }
        assert_eq!(
            lint("Intro.\n\n<!-- other -->\n\nRest.\n"),
            [("excerpt-missing", 1, 1)]
        );
    }

    #[test]
    fn near_misses_in_code_or_after_the_separator_are_not_reported() {
        assert_eq!(
            lint("Intro `<!-- more -->`.\n\n<!--more-->\n\nRest <!-- More -->.\n"),
            []
        );
    }

    #[test]
    fn only_the_first_near_miss_is_reported() {
        assert_eq!(
            lint("A.\n\n<!-- more -->\n\nB.\n\n<!--MORE-->\n"),
            [("excerpt-near-miss", 6, 1)]
        );
    }

    #[test]
    fn near_miss_before_a_separator_in_code_is_the_one_report() {
        assert_eq!(
            lint("Intro.\n\n<!-- more -->\n\nThe `<!--more-->` marker.\n"),
            [("excerpt-near-miss", 6, 1)]
        );
    }

    #[test]
    fn near_miss_is_fixed_only_when_it_becomes_the_one_cut() {
        let fixable = |body: &str| {
            let text = format!("---\ntitle: t\n---\n{body}");
            let found = findings(MORE, POST, &text, "excerpt-near-miss");
            assert_eq!(found.len(), 1, "{body}");
            found[0].fix.is_some()
        };
        assert!(fixable(
            "A.\n\n<!-- more -->\n\nThe `<!--more-->` marker.\n"
        ));
        assert!(fixable("A.\n\n<!-- more -->\n\nB.\n\n<!--MORE-->\n"));
        assert!(!fixable("A.\n\n<!-- more -->\n\nB.\n\n<!--more-->\n"));
        assert!(!fixable("A.\n\n<!-- more -->\n\nB <!--more--> C.\n"));
    }

    #[test]
    fn mangled_separators_are_fixed() {
        for comment in [
            "<!--more--!>",
            "<!-more->",
            "<!\u{2014}more\u{2014}>",
            "<! --more---->",
        ] {
            let text = format!("---\ntitle: t\n---\nIntro.\n\n{comment}\n\nRest.\n");
            let found = findings(MORE, POST, &text, "excerpt-");
            assert_eq!(found.len(), 1, "{comment}");
            let fix = found[0].fix.as_ref().expect("a fix");
            assert_eq!(&text[fix.edits[0].range.clone()], comment);
        }
    }

    #[test]
    fn near_miss_needs_a_comment_separator() {
        let config = "excerpt_separator: \"[[more]]\"\n";
        let text = "---\ntitle: t\n---\nA.\n\n<!-- more -->\n\n[[ more ]]\n";
        assert_eq!(lint_with(config, text), [("excerpt-missing", 1, 1)]);
    }

    #[test]
    fn near_miss_fix_writes_the_separator() {
        let text = "---\ntitle: t\n---\nIntro.\n\n<!-- More -->\n\nRest.\n";
        let found = findings(MORE, POST, text, "excerpt-");
        let fix = found[0].fix.as_ref().unwrap();
        let mut fixed = text.to_string();
        for edit in &fix.edits {
            fixed.replace_range(edit.range.clone(), &edit.replacement);
        }
        assert_eq!(
            fixed,
            "---\ntitle: t\n---\nIntro.\n\n<!--more-->\n\nRest.\n"
        );
        assert_eq!(lint_with(MORE, &fixed), []);
    }

    #[test]
    fn empty_excerpt() {
        assert_eq!(lint("<!--more-->\n\nText.\n"), [("excerpt-empty", 4, 1)]);
        assert_eq!(
            lint("\n  \n<!--more-->\n\nText.\n"),
            [("excerpt-empty", 6, 1)]
        );
        assert_eq!(lint("A <!--more-->\n"), []);
    }

    #[test]
    fn a_post_separator_overrides_the_site() {
        let own = "---\ntitle: t\nexcerpt_separator: <!--cut-->\n---\nA.\n\n<!--cut-->\n\nB <!--more-->.\n\n<!--cut-->\n";
        assert_eq!(lint_with(MORE, own), [("excerpt-multiple", 11, 1)]);
        let only_post = "---\ntitle: t\nexcerpt_separator: <!--cut-->\n---\nA.\n\nB.\n";
        assert_eq!(
            lint_with("title: x\n", only_post),
            [("excerpt-missing", 1, 1)]
        );
    }

    #[test]
    fn a_separator_with_line_breaks_is_reported_at_its_marker() {
        let config = "excerpt_separator: \"\\n<!--more-->\\n\"\n";
        let text = "---\ntitle: t\n---\nA.\n<!--more-->\nB.\n<!--more-->\n";
        assert_eq!(lint_with(config, text), [("excerpt-multiple", 7, 1)]);
        let glued = "---\ntitle: t\n---\nA.\n\nB. <!--more-->";
        let found = findings(config, POST, glued, "excerpt-");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains(r#""\n<!--more-->\n""#),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn crlf_and_bom_positions() {
        let text = "\u{feff}---\r\ntitle: t\r\n---\r\nÉté.\r\n\r\n<!--more-->\r\n\r\n```\r\n<!--more-->\r\n```\r\n\r\nB. <!--more-->\r\n";
        assert_eq!(lint_with(MORE, text), [("excerpt-multiple", 12, 4)]);
        let near = "---\r\ntitle: t\r\n---\r\nA.\r\n\r\n<!-- more -->\r\n";
        assert_eq!(lint_with(MORE, near), [("excerpt-near-miss", 6, 1)]);
    }

    #[test]
    fn rule_examples() {
        for rule in [
            &EXCERPT_MISSING,
            &EXCERPT_MULTIPLE,
            &EXCERPT_IN_CODE,
            &EXCERPT_NEAR_MISS,
            &EXCERPT_EMPTY,
        ] {
            let names = |body: &str| -> Vec<&str> { lint(body).iter().map(|f| f.0).collect() };
            assert_eq!(names(rule.bad), [rule.name], "{}", rule.name);
            assert!(names(rule.good).is_empty(), "{}", rule.name);
        }
    }
}
