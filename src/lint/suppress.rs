//! Inline suppression comments: `carnet-disable-next-line`, `carnet-disable` / `carnet-enable`, and markdownlint's.
//!
//! Directives are HTML comments in the body. Their rules are carnet names (`empty-link`),
//! markdownlint codes (`MD042`) or markdownlint aliases (`no-empty-links`), separated by spaces or
//! commas; a directive without rules applies to every rule. Names that match no carnet rule are
//! ignored, so `markdownlint-disable MD013` silences nothing rather than everything.

use std::collections::HashMap;

use memchr::memmem;

use super::document::Document;
use super::registry::{self, RULES};
use super::Diagnostic;
use crate::post::Post;

/// markdownlint's readable aliases for the rules carnet maps, to their codes.
const MARKDOWNLINT_ALIASES: &[(&str, &str)] = &[
    ("no-reversed-links", "MD011"),
    ("no-bare-urls", "MD034"),
    ("no-space-in-links", "MD039"),
    ("no-empty-links", "MD042"),
    ("no-alt-text", "MD045"),
    ("reference-links-images", "MD052"),
    ("link-image-reference-definitions", "MD053"),
];

/// One flag per rule of the registry, in registry order: `true` means silenced.
type RuleSet = Vec<bool>;

/// The suppression comments of one post, resolved to the rules and lines they silence.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    /// Rules silenced in the whole file (`carnet-disable-file`).
    file: Option<RuleSet>,
    /// From each line on, the rules silenced; sorted by line, later entries of a line win.
    regions: Vec<(usize, RuleSet)>,
    /// Rules silenced on single lines (`disable-line`, `disable-next-line`).
    lines: HashMap<usize, RuleSet>,
}

/// What a directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Disable,
    Enable,
    DisableLine,
    DisableNextLine,
    DisableFile,
    Capture,
    Restore,
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    action: Action,
    /// The rules it names, or every rule.
    rules: RuleSet,
    /// The line the comment starts on.
    line: usize,
    /// The line the comment ends on.
    end_line: usize,
}

impl Suppressions {
    /// Reads the suppression comments of a post; comments inside code are text, not directives.
    pub fn parse(post: &Post, document: Option<&Document>) -> Suppressions {
        let directives = directives(post, document);
        if directives.is_empty() {
            return Suppressions::default();
        }
        let none = || vec![false; RULES.len()];
        let mut suppressions = Suppressions::default();
        let mut state = none();
        let mut captured = none();
        for directive in directives {
            match directive.action {
                Action::Disable | Action::Enable => {
                    let silenced = directive.action == Action::Disable;
                    for (flag, named) in state.iter_mut().zip(&directive.rules) {
                        if *named {
                            *flag = silenced;
                        }
                    }
                    suppressions.regions.push((directive.line, state.clone()));
                }
                Action::Capture => captured = state.clone(),
                Action::Restore => {
                    state = captured.clone();
                    suppressions.regions.push((directive.line, state.clone()));
                }
                Action::DisableLine | Action::DisableNextLine => {
                    let line = if directive.action == Action::DisableLine {
                        directive.line
                    } else {
                        directive.end_line + 1
                    };
                    union(
                        suppressions.lines.entry(line).or_insert_with(none),
                        &directive.rules,
                    );
                }
                Action::DisableFile => {
                    union(suppressions.file.get_or_insert_with(none), &directive.rules);
                }
            }
        }
        suppressions
    }

    /// Whether a diagnostic is silenced, by its rule and the line it starts on.
    pub fn silences(&self, diagnostic: &Diagnostic) -> bool {
        let Some(rule) = registry::index(diagnostic.rule.name) else {
            return false;
        };
        let line = diagnostic.start.line;
        if self.file.as_ref().is_some_and(|set| set[rule]) {
            return true;
        }
        if self.lines.get(&line).is_some_and(|set| set[rule]) {
            return true;
        }
        let i = self.regions.partition_point(|(start, _)| *start <= line);
        i > 0 && self.regions[i - 1].1[rule]
    }
}

fn union(into: &mut RuleSet, rules: &RuleSet) {
    for (flag, named) in into.iter_mut().zip(rules) {
        *flag |= *named;
    }
}

/// The directives of a post's body, in order.
fn directives(post: &Post, document: Option<&Document>) -> Vec<Directive> {
    let text = &post.text;
    let mut out = Vec::new();
    let (open, close) = (memmem::Finder::new("<!--"), memmem::Finder::new("-->"));
    let mut from = post.body_start;
    while let Some(found) = open.find(&text.as_bytes()[from..]) {
        let start = from + found;
        let inner_start = start + "<!--".len();
        let Some(length) = close.find(&text.as_bytes()[inner_start..]) else {
            break;
        };
        let inner_end = inner_start + length;
        from = inner_end + "-->".len();
        if document.is_some_and(|d| d.in_code(start)) {
            continue;
        }
        if let Some((action, rules)) = parse_comment(&text[inner_start..inner_end]) {
            out.push(Directive {
                action,
                rules,
                line: post.position(start).line,
                end_line: post.position(inner_end).line,
            });
        }
    }
    out
}

/// The action and rules of a comment's text, when it is a carnet or markdownlint directive.
fn parse_comment(inner: &str) -> Option<(Action, RuleSet)> {
    let inner = inner.trim();
    let (keyword, rest) = inner
        .split_once(|c: char| c.is_whitespace())
        .unwrap_or((inner, ""));
    let action = keyword
        .strip_prefix("carnet-")
        .or_else(|| keyword.strip_prefix("markdownlint-"))?;
    let action = match action {
        "disable" => Action::Disable,
        "enable" => Action::Enable,
        "disable-line" => Action::DisableLine,
        "disable-next-line" => Action::DisableNextLine,
        "disable-file" => Action::DisableFile,
        "capture" => Action::Capture,
        "restore" => Action::Restore,
        _ => return None,
    };
    let names: Vec<&str> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        return Some((action, vec![true; RULES.len()]));
    }
    let mut rules = vec![false; RULES.len()];
    for name in names {
        for index in resolve(name) {
            rules[index] = true;
        }
    }
    Some((action, rules))
}

/// Registry indexes of the rules a name stands for: a carnet rule, a markdownlint code or alias.
fn resolve(name: &str) -> Vec<usize> {
    if let Some(index) = registry::index(name) {
        return vec![index];
    }
    let code = MARKDOWNLINT_ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
        .map_or(name, |(_, code)| code);
    registry::by_markdownlint(code)
        .filter_map(|rule| registry::index(rule.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::links::{BARE_URL, EMPTY_LINK, IMAGE_ALT};
    use crate::lint::{make_diagnostic, Rule, Settings};

    fn post(text: &str) -> Post {
        Post::sample(text)
    }

    fn settings() -> Settings {
        let now = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap();
        Settings::new(&Default::default(), &[], &[], now).unwrap()
    }

    /// Whether a finding of `rule` on `line` is silenced.
    fn silenced(text: &str, rule: &'static Rule, line: usize) -> bool {
        let post = post(text);
        let document = Document::parse(&post);
        let suppressions = Suppressions::parse(&post, Some(&document));
        let offset = post.lines().line_start(line);
        let diagnostic = make_diagnostic(&post, &settings(), rule, offset..offset, String::new())
            .expect("rule on by default");
        assert_eq!(diagnostic.start.line, line);
        suppressions.silences(&diagnostic)
    }

    const HEAD: &str = "---\ntitle: t\n---\n";

    #[test]
    fn next_line_names_rules_or_all() {
        let text = format!("{HEAD}<!-- carnet-disable-next-line empty-link -->\nx\ny\n");
        assert!(silenced(&text, &EMPTY_LINK, 5));
        assert!(!silenced(&text, &BARE_URL, 5));
        assert!(!silenced(&text, &EMPTY_LINK, 6));
        let text = format!("{HEAD}<!-- carnet-disable-next-line -->\nx\n");
        assert!(silenced(&text, &BARE_URL, 5));
        let text = format!("{HEAD}<!-- carnet-disable-next-line empty-link, bare-url -->\nx\n");
        assert!(silenced(&text, &BARE_URL, 5) && silenced(&text, &EMPTY_LINK, 5));
    }

    #[test]
    fn next_line_counts_from_the_end_of_a_long_comment() {
        let text = format!("{HEAD}<!--\ncarnet-disable-next-line empty-link\n-->\nx\n");
        assert!(!silenced(&text, &EMPTY_LINK, 6));
        assert!(silenced(&text, &EMPTY_LINK, 7));
    }

    #[test]
    fn disable_until_enable() {
        let text = format!(
            "{HEAD}a\n<!-- carnet-disable empty-link -->\nb\n\n<!-- carnet-enable empty-link -->\nc\n"
        );
        assert!(!silenced(&text, &EMPTY_LINK, 4));
        assert!(silenced(&text, &EMPTY_LINK, 6));
        assert!(!silenced(&text, &BARE_URL, 6));
        assert!(!silenced(&text, &EMPTY_LINK, 9));
    }

    #[test]
    fn enable_one_rule_after_disabling_all() {
        let text =
            format!("{HEAD}<!-- carnet-disable -->\na\n\n<!-- carnet-enable bare-url -->\nb\n");
        assert!(silenced(&text, &BARE_URL, 5));
        assert!(!silenced(&text, &BARE_URL, 8));
        assert!(silenced(&text, &EMPTY_LINK, 8));
    }

    #[test]
    fn markdownlint_codes_and_aliases() {
        let text = format!(
            "{HEAD}<!-- markdownlint-disable MD042 -->\na\n<!-- markdownlint-enable MD042 -->\nb\n"
        );
        assert!(silenced(&text, &EMPTY_LINK, 5));
        assert!(!silenced(&text, &EMPTY_LINK, 7));
        let text = format!("{HEAD}<!-- markdownlint-disable-next-line no-alt-text -->\na\n");
        assert!(silenced(&text, &IMAGE_ALT, 5));
        let text = format!("{HEAD}a <!-- markdownlint-disable-line md034 -->\nb\n");
        assert!(silenced(&text, &BARE_URL, 4));
        assert!(!silenced(&text, &BARE_URL, 5));
    }

    #[test]
    fn unmapped_markdownlint_rules_silence_nothing() {
        let text = format!("{HEAD}<!-- markdownlint-disable MD013 -->\na\n");
        assert!(!silenced(&text, &EMPTY_LINK, 5));
    }

    #[test]
    fn capture_and_restore() {
        let text = format!(
            "{HEAD}<!-- markdownlint-disable MD042 -->\n<!-- markdownlint-capture -->\n\
             <!-- markdownlint-disable -->\na\n<!-- markdownlint-restore -->\nb\n"
        );
        assert!(silenced(&text, &BARE_URL, 7));
        assert!(!silenced(&text, &BARE_URL, 9));
        assert!(silenced(&text, &EMPTY_LINK, 9));
    }

    #[test]
    fn disable_file_covers_lines_before_it() {
        let text = format!("{HEAD}a\n\n<!-- carnet-disable-file empty-link -->\n");
        assert!(silenced(&text, &EMPTY_LINK, 1));
        assert!(!silenced(&text, &BARE_URL, 1));
    }

    #[test]
    fn comments_in_code_are_not_directives() {
        let text = format!("{HEAD}```\n<!-- carnet-disable-next-line -->\n```\nx\n");
        assert!(!silenced(&text, &EMPTY_LINK, 7));
        let text = format!("{HEAD}`<!-- carnet-disable -->` x\n");
        assert!(!silenced(&text, &EMPTY_LINK, 4));
    }

    #[test]
    fn front_matter_and_other_comments_are_ignored() {
        let text = "---\ntitle: \"<!-- carnet-disable -->\"\n---\n<!-- a note -->\nx\n";
        assert!(!silenced(text, &EMPTY_LINK, 5));
        assert!(parse_comment(" carnet-disabled ").is_none());
        assert!(parse_comment("carnet-nonsense x").is_none());
    }
}
