//! Every rule, sorted by name: the one table that configuration, suppressions and docs use.

use super::rule::Rule;
use super::rules::{dates, excerpt, front_matter, keys, layout, links, liquid, site};

/// All rules, sorted by name.
pub static RULES: &[&Rule] = &[
    &links::BARE_EMAIL,
    &links::BARE_URL,
    &links::BROKEN_POST_LINK,
    &dates::DATE_MISMATCH,
    &links::DUPLICATE_REFERENCE,
    &site::DUPLICATE_URL,
    &links::EMPTY_LINK,
    &links::EMPTY_LINK_TEXT,
    &excerpt::EXCERPT_EMPTY,
    &excerpt::EXCERPT_IN_CODE,
    &excerpt::EXCERPT_MISSING,
    &excerpt::EXCERPT_MULTIPLE,
    &excerpt::EXCERPT_NEAR_MISS,
    &front_matter::FIELD_TYPE,
    &front_matter::FIELD_VALUE,
    &dates::FILENAME,
    &front_matter::FRONT_MATTER_DUPLICATE_KEY,
    &front_matter::FRONT_MATTER_INVALID,
    &front_matter::FRONT_MATTER_MISSING,
    &front_matter::FRONT_MATTER_NOT_MAPPING,
    &front_matter::FRONT_MATTER_UNCLOSED,
    &keys::FRONT_MATTER_UNKNOWN_KEY,
    &links::IMAGE_ALT,
    &liquid::INCLUDE_MISSING,
    &links::INSECURE_LINK,
    &dates::INVALID_DATE,
    &site::LINK_REDIRECT,
    &links::LINK_SPACING,
    &liquid::LIQUID_REFUSED,
    &liquid::LIQUID_UNCLOSED,
    &links::MALFORMED_URL,
    &front_matter::REQUIRED_FIELD,
    &links::REVERSED_LINK,
    &site::TAG_VARIANT,
    &front_matter::TAGS_AS_STRING,
    &links::UNDEFINED_REFERENCE,
    &layout::UNKNOWN_LAYOUT,
    &liquid::UNSAFE_INCLUDE,
    &links::UNUSED_REFERENCE,
];

/// The position of a rule in [`RULES`].
pub fn index(name: &str) -> Option<usize> {
    RULES.binary_search_by(|rule| rule.name.cmp(name)).ok()
}

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static Rule> {
    index(name).map(|i| RULES[i])
}

/// The rules a markdownlint rule code (`MD042`) corresponds to.
pub fn by_markdownlint(code: &str) -> impl Iterator<Item = &'static Rule> + '_ {
    RULES.iter().copied().filter(move |rule| {
        rule.markdownlint
            .iter()
            .any(|c| c.eq_ignore_ascii_case(code))
    })
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::lint::config::LintConfig;
    use crate::lint::run::Linter;
    use crate::lint::{Rule, Settings};
    use crate::site::{Site, SourceFile};

    #[test]
    fn names_are_sorted_unique_and_kebab_case() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} before {}",
                pair[0].name,
                pair[1].name
            );
        }
        for rule in RULES {
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                rule.name
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in RULES {
            assert!(
                !rule.summary.is_empty() && !rule.summary.ends_with('.'),
                "{}",
                rule.name
            );
            assert!(rule.explanation.len() > 80, "{}", rule.name);
            assert!(
                !rule.bad.is_empty() && !rule.good.is_empty(),
                "{}",
                rule.name
            );
            assert_ne!(rule.bad, rule.good, "{}", rule.name);
        }
    }

    #[test]
    fn readme_rule_table_is_in_sync() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("### Rules")
            .expect("README has a ### Rules section");
        let section = &readme[start..];
        let readme = &section[..section[4..].find("\n#").map_or(section.len(), |i| i + 4)];
        for rule in RULES {
            let default = if rule.enabled {
                rule.severity.as_str()
            } else {
                "off"
            };
            let fix = if rule.fixable { "yes" } else { "" };
            let row = format!("| `{}` | {default} | {fix} | {} |", rule.name, rule.summary);
            assert!(readme.contains(&row), "README lacks or misstates: {row}");
        }
        let rows = readme
            .lines()
            .filter(|l| l.starts_with("| `") && !l.starts_with("| `-"))
            .count();
        assert_eq!(
            rows,
            RULES.len(),
            "README's rule table has rows for rules that do not exist"
        );
    }

    #[test]
    fn lookups() {
        assert_eq!(find("empty-link").map(|r| r.name), Some("empty-link"));
        assert!(find("nope").is_none());
        assert!(by_markdownlint("md042").any(|r| r.name == "empty-link"));
    }

    /// The files a rule's documented example stands for: file names alone, a file name followed by
    /// its text, a whole post (`---` first, or any text for the rules about the front matter block
    /// itself), front-matter lines, or else a post's body.
    fn example_files(rule: &Rule, example: &str) -> Vec<(String, String)> {
        const POST: &str = "_posts/2020-01-01-example.md";
        let wrap = |front: &str, body: &str| format!("---\ntitle: Example\n{front}---\n\n{body}");
        let is_path = |line: &str| {
            (line.starts_with("_posts/") || line.starts_with("_layouts/")) && !line.contains(' ')
        };
        if example.lines().next().is_some_and(is_path) {
            let mut files: Vec<(String, String)> = Vec::new();
            let mut lines = example.lines();
            for line in lines.by_ref() {
                if line == "---" {
                    break;
                }
                files.push((line.to_string(), wrap("", "Text.\n")));
            }
            let rest: Vec<&str> = lines.collect();
            if !rest.is_empty() {
                let last = files.last_mut().expect("a file name comes first");
                last.1 = format!("---\n{}\n", rest.join("\n"));
            }
            return files;
        }
        if example.starts_with("---") || rule.name.starts_with("front-matter-") {
            return vec![(POST.to_string(), example.to_string())];
        }
        let front_matter_lines = example
            .lines()
            .all(|l| l.split_once(": ").is_some_and(|(k, _)| is_key(k)));
        if front_matter_lines {
            return vec![(POST.to_string(), wrap(example, "Text.\n"))];
        }
        vec![(POST.to_string(), wrap("", example))]
    }

    fn is_key(text: &str) -> bool {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }

    /// Lints `example` as files of a small site (other posts that use the tag `open-data`, the
    /// post `{% post_url %}` examples name, `_includes/footer.html`) with only `rule` on; says whether it fired on them.
    fn fires(rule: &Rule, example: &str) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "_config.yml",
            "timezone: UTC\nexcerpt_separator: <!--more-->\n",
        );
        let context = "---\ntitle: Context\ntags: [open-data]\n---\n\nText.\n";
        write("_posts/2017-06-22-intercotour.md", context);
        write("_posts/2017-06-23-other.md", context);
        write("_includes/footer.html", "<footer></footer>\n");
        let files = example_files(rule, example);
        for (rel, text) in &files {
            write(rel, text);
        }
        let site = Site::load(root).unwrap();
        let now = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap();
        let settings =
            Settings::new(&LintConfig::default(), &[rule.name.to_string()], &[], now).unwrap();
        let linter = Linter::new(&site, &settings, false);
        let targets: Vec<SourceFile> = files
            .iter()
            .filter(|(rel, _)| !rel.starts_with("_layouts/"))
            .map(|(rel, _)| site.source_file(&root.join(rel)))
            .collect();
        let result = linter.lint(&targets);
        assert!(result.unreadable.is_empty(), "{:?}", result.unreadable);
        result.diagnostics.iter().any(|d| d.rule.name == rule.name)
    }

    #[test]
    fn every_rule_fires_on_its_bad_example_and_not_on_its_good_one() {
        for rule in RULES {
            assert!(
                fires(rule, rule.bad),
                "{} misses its bad example",
                rule.name
            );
            assert!(
                !fires(rule, rule.good),
                "{} fires on its good example",
                rule.name
            );
        }
    }
}
