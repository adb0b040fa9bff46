//! Every rule, sorted by name: the one table that configuration, suppressions and docs use.

use super::rule::Rule;
use super::rules::{dates, excerpt, front_matter, links, liquid, site};

/// All rules, sorted by name.
pub static RULES: &[&Rule] = &[
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
    &links::IMAGE_ALT,
    &links::INSECURE_LINK,
    &dates::INVALID_DATE,
    &links::LINK_SPACING,
    &liquid::LIQUID_REFUSED,
    &liquid::LIQUID_UNCLOSED,
    &links::MALFORMED_URL,
    &front_matter::REQUIRED_FIELD,
    &links::REVERSED_LINK,
    &site::TAG_VARIANT,
    &links::UNDEFINED_REFERENCE,
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
    use super::*;

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
}
