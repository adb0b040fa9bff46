//! `carnet lint`: rules over the post model, run per post in parallel, then across the site.

pub mod diagnostic;
pub mod document;
pub mod fix;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod settings;
pub mod site_index;
pub mod suppress;

use std::ops::Range;

pub use diagnostic::{Diagnostic, Edit, Fix};
pub use rule::{Rule, Severity};
pub use settings::Settings;

use crate::post::Post;
use crate::site::Site;
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
    Some(Diagnostic {
        path: post.file.path.clone(),
        rule,
        severity,
        message,
        start,
        end,
        line_text: post.line_text(start.line).to_string(),
        span,
        fix: None,
    })
}

/// Runs every per-post rule on a post and gathers its facts for the site-wide pass.
pub fn check_post(post: &Post, site: &Site, settings: &Settings) -> PostReport {
    let mut checker = Checker::new(post, site, settings);
    rules::front_matter::check(&mut checker);
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
