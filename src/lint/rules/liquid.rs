//! Liquid rules: tags and blocks that are opened and never closed.

use crate::lint::document::Document;
use crate::lint::rule::{Rule, Severity};
use crate::lint::Checker;

/// `{%` or `{{` never closed, or a block without its end tag.
pub static LIQUID_UNCLOSED: Rule = Rule {
    name: "liquid-unclosed",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "Liquid tag or block that is never closed",
    explanation: "Jekyll runs Liquid over every post before Markdown. A `{%` or `{{` without its closing \
`%}` or `}}`, or a `highlight`, `raw`, `comment`, `capture`, `if`, `for`, `unless` or `case` block without \
its end tag, stops the whole build with a Liquid syntax error.",
    bad: "{% highlight ruby %}\nputs 1\n",
    good: "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n",
    markdownlint: &[],
};

/// Runs the Liquid rules.
pub fn check(_checker: &mut Checker, _document: &Document) {}
