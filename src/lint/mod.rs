//! `carnet lint`: rules over the post model, run per post in parallel, then across the site.

pub mod cache;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod fix;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod run;
pub mod settings;
pub mod site_index;
pub mod staged;
pub mod suppress;

use std::ops::Range;

pub use diagnostic::{Diagnostic, Edit, Fix};
pub use rule::{Rule, Severity};
pub use settings::Settings;

use crate::post::Post;
use crate::site::Site;
use crate::source::{floor_char_boundary, Position};
use document::Document;
use site_index::{PostFacts, SiteIndex};

/// What one post's checks produce: its own findings and what site-wide rules need from it.
#[derive(Debug, Clone)]
pub struct PostReport {
    /// Findings decided by the post alone, suppressions applied.
    pub diagnostics: Vec<Diagnostic>,
    /// Facts for the site-wide pass (URL, tags, internal links).
    pub facts: PostFacts,
}

/// Collects the findings of the rules run on one post.
pub struct Checker<'a> {
    /// The post being checked.
    pub post: &'a Post,
    /// Its site.
    pub site: &'a Site,
    /// Rule levels and rule options.
    pub settings: &'a Settings,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    /// A checker for one post.
    pub fn new(post: &'a Post, site: &'a Site, settings: &'a Settings) -> Self {
        Checker {
            post,
            site,
            settings,
            diagnostics: Vec::new(),
        }
    }

    /// Whether a rule runs.
    pub fn enabled(&self, rule: &Rule) -> bool {
        self.settings.severity(rule).is_some()
    }

    /// Reports a finding on a byte span of the post's text, unless the rule is off.
    pub fn report(
        &mut self,
        rule: &'static Rule,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        let diagnostic = make_diagnostic(self.post, self.settings, rule, span, message.into())?;
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut()
    }

    /// The findings so far.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

/// Builds a diagnostic for `post`, positioned from its byte span; `None` when the rule is off.
pub fn make_diagnostic(
    post: &Post,
    settings: &Settings,
    rule: &'static Rule,
    span: Range<usize>,
    message: String,
) -> Option<Diagnostic> {
    let severity = settings.severity(rule)?;
    let start = post.position(span.start);
    let end = post.position(span.end.max(span.start));
    let (line_text, line_column) = line_excerpt(post, start, span.start);
    Some(Diagnostic {
        path: post.file.path.clone(),
        rule,
        severity,
        message,
        start,
        end,
        line_text,
        line_column,
        span,
        fix: None,
    })
}

/// Bytes of a line shown with a finding; longer lines are cut around it, so that the findings on
/// a 10 MB line do not each copy the whole line.
const LINE_EXCERPT: usize = 240;

/// The line of `start` as shown with a finding, and the column the shown text starts at; a cut
/// is marked with `…`, which takes the column before the first character kept.
fn line_excerpt(post: &Post, start: Position, offset: usize) -> (String, usize) {
    let line = post.line_text(start.line);
    if line.len() <= LINE_EXCERPT {
        return (line.to_string(), 1);
    }
    let line_start = post.lines().line_start(start.line);
    let at = floor_char_boundary(line, offset.saturating_sub(line_start).min(line.len()));
    let from = floor_char_boundary(line, at.saturating_sub(LINE_EXCERPT / 4));
    let to = floor_char_boundary(line, (from + LINE_EXCERPT).min(line.len()));
    let mut shown = String::with_capacity(to - from + 6);
    let mut column = 1;
    if from > 0 {
        shown.push('…');
        column = start.column - line[from..at].chars().count() - 1;
    }
    shown.push_str(&line[from..to]);
    if to < line.len() {
        shown.push('…');
    }
    (shown, column)
}

/// Runs every per-post rule on a post and gathers its facts for the site-wide pass.
pub fn check_post(post: &Post, site: &Site, settings: &Settings) -> PostReport {
    let mut checker = Checker::new(post, site, settings);
    rules::front_matter::check(&mut checker);
    rules::layout::check(&mut checker);
    rules::dates::check(&mut checker);
    let document = post.is_valid().then(|| Document::parse(post));
    if let Some(document) = &document {
        rules::links::check(&mut checker, document);
        rules::excerpt::check(&mut checker, document);
        rules::liquid::check(&mut checker, document);
    }
    let mut facts = PostFacts::collect(post, site, settings, document.as_ref());
    let suppressions = suppress::Suppressions::parse(post, document.as_ref());
    let mut diagnostics = checker.into_diagnostics();
    diagnostics.retain(|d| !suppressions.silences(d));
    rules::links::group_unused_references(post, &mut diagnostics);
    facts.retain_unsuppressed(&suppressions);
    PostReport { diagnostics, facts }
}

/// Runs the site-wide rules over every post's facts; `checked` says which posts to report on.
pub fn check_site(
    index: &SiteIndex,
    facts: &[PostFacts],
    checked: impl Fn(&PostFacts) -> bool,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rules::site::check(index, facts, &checked, settings, &mut out);
    out
}

/// Sorts diagnostics by path, line, column and rule, so parallel runs print the same output.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_on_a_long_line_show_only_its_part_around_them() {
        let prose = "é ".repeat(5000);
        let text = format!("---\ntitle: t\n---\n{prose}[x]() {prose}\n");
        let post = Post::sample(&text);
        let at = post.text.find("[x]").unwrap();
        let settings =
            Settings::new(&Default::default(), &[], &[], chrono::DateTime::default()).unwrap();
        let rule = &rules::links::EMPTY_LINK;
        let d = make_diagnostic(&post, &settings, rule, at..at + 5, String::new()).unwrap();
        assert_eq!(
            d.start,
            Position {
                line: 4,
                column: 10_001
            }
        );
        assert!(
            d.line_text.len() <= LINE_EXCERPT + 6,
            "{}",
            d.line_text.len()
        );
        assert!(d.line_text.starts_with('…') && d.line_text.ends_with('…'));
        let shown = d.start.column + 1 - d.line_column;
        let from_there: String = d.line_text.chars().skip(shown - 1).take(5).collect();
        assert_eq!(from_there, "[x]()");
        let short = make_diagnostic(&post, &settings, rule, 0..3, String::new()).unwrap();
        assert_eq!((short.line_text.as_str(), short.line_column), ("---", 1));
    }
}
