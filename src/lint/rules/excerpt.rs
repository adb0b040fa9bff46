//! Excerpt rules, where a separator is configured: present, single, outside code, exact, not empty.

use crate::lint::document::Document;
use crate::lint::rule::{Rule, Severity};
use crate::lint::Checker;

/// No separator in the post.
pub static EXCERPT_MISSING: Rule = Rule {
    name: "excerpt-missing",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "post has no excerpt separator although one is configured",
    explanation:
        "With `excerpt_separator` set, Jekyll takes everything before it as the excerpt shown on \
index pages and in feeds. Without the separator in the post, the excerpt is the whole post.",
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
`<!--more-->`, so the excerpt silently becomes the whole post. `--fix` rewrites the comment to the \
configured separator.",
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

/// Runs the excerpt rules.
pub fn check(_checker: &mut Checker, _document: &Document) {}
