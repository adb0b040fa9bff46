//! Front-matter keys that no other post uses and that look like a misspelling of one that is used.

use rustc_hash::FxHashMap;

use crate::lint::rule::{Rule, Severity};
use crate::lint::site_index::{KeyMention, PostFacts};
use crate::lint::{Diagnostic, Edit, Fix, Settings};

/// A front-matter key that looks like a misspelt known key.
pub static FRONT_MATTER_UNKNOWN_KEY: Rule = Rule {
    name: "front-matter-unknown-key",
    severity: Severity::Warning,
    enabled: true,
    fixable: true,
    summary: "a front-matter key no other post uses is close to one the site or Jekyll knows",
    explanation: "Jekyll accepts any key and silently ignores the ones nothing reads: `tittle:`, \
`categorie:`, `permalnik:` or `excerpt_seperator:` leave the post without its title, categories, URL or \
excerpt, and nothing says so. A key is reported when no other post or document of the site uses it, no \
Jekyll, plugin or theme field has that name, and it differs from a key the site uses or Jekyll knows by \
case, accents, a plural, or one or two letters. Fields the site declares in `[lint.fields]` count as \
known. `--fix` renames the key when there is a single candidate.",
    bad: "---\ntittle: My post\n---\n",
    good: "---\ntitle: My post\n---\n",
    markdownlint: &[],
};

/// More keys of its own than a post is checked for.
const MAX_LONE_KEYS: usize = 64;

/// Fields read by Jekyll, its common plugins and popular themes: never reported, always candidates.
const KNOWN: &[&str] = &[
    // Jekyll
    "layout",
    "permalink",
    "published",
    "date",
    "category",
    "categories",
    "tags",
    "title",
    "excerpt",
    "excerpt_separator",
    "slug",
    "render_with_liquid",
    "last_modified_at",
    // jekyll-redirect-from, jekyll-seo-tag, jekyll-sitemap, jekyll-feed, jekyll-paginate
    "redirect_from",
    "redirect_to",
    "description",
    "image",
    "author",
    "authors",
    "lang",
    "locale",
    "canonical_url",
    "seo",
    "twitter",
    "sitemap",
    "feed",
    "pagination",
    "paginate",
    // Themes (minima, minimal-mistakes, just-the-docs, chirpy, ...)
    "comments",
    "share",
    "related",
    "toc",
    "toc_label",
    "toc_icon",
    "toc_sticky",
    "header",
    "sidebar",
    "classes",
    "read_time",
    "show_date",
    "author_profile",
    "excerpt_image",
    "teaser",
    "overlay_image",
    "math",
    "mathjax",
    "mermaid",
    "pin",
    "hidden",
    "nav_order",
    "nav_exclude",
    "parent",
    "grand_parent",
    "has_children",
    "subtitle",
    "keywords",
    "summary",
    "thumbnail",
    "cover",
    "featured",
    "feature",
    "draft",
    "modified",
    "updated",
    "series",
    "type",
    "weight",
    "menu",
    "order",
    "icon",
    "link",
    "source",
    "language",
    "translations",
];

/// Reports the keys of checked posts that no other post uses and that are close to a key of Jekyll or
/// one used by several posts; the fix renames the key when there is exactly one such key.
pub fn check(
    facts: &[PostFacts],
    checked: &dyn Fn(&PostFacts) -> bool,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    // Only a key with a finding prepared is reported: without one, nothing to count.
    let reported = |f: &PostFacts| checked(f) && f.keys.iter().any(|k| k.diagnostic.is_some());
    if !facts.iter().any(reported) {
        return;
    }
    let mut uses: FxHashMap<&str, usize> = FxHashMap::default();
    for f in facts {
        for key in &f.keys {
            *uses.entry(key.name.as_str()).or_default() += 1;
        }
    }
    let declared = |key: &str| KNOWN.contains(&key) || settings.fields.contains_key(key);
    let mut known: FxHashMap<&str, usize> = KNOWN
        .iter()
        .copied()
        .chain(settings.fields.keys().map(String::as_str))
        .map(|k| (k, 0))
        .collect();
    known.extend(uses.iter().filter(|(_, count)| **count > 1));
    let mut known: Vec<(&str, usize)> = known.into_iter().collect();
    known.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for f in facts.iter().filter(|f| checked(f)) {
        let lone: Vec<&KeyMention> = f
            .keys
            .iter()
            .filter(|k| k.diagnostic.is_some())
            .filter(|k| uses.get(k.name.as_str()).copied().unwrap_or(0) <= 1 && !declared(&k.name))
            .collect();
        // A front matter full of keys of its own holds data, not misspellings (and comparing
        // each of them with every key of the site would take long).
        if lone.len() > MAX_LONE_KEYS {
            continue;
        }
        for key in lone {
            let Some(template) = &key.diagnostic else {
                continue;
            };
            let name = key.name.as_str();
            let candidates: Vec<(&str, usize)> = known
                .iter()
                .filter(|(other, _)| *other != name && close(name, other))
                .copied()
                .collect();
            let Some((first, count)) = candidates.first().copied() else {
                continue;
            };
            let mut d = Diagnostic::clone(template);
            let used = match count {
                0 => "a field Jekyll or the theme reads".to_string(),
                n => format!("used by {n} posts"),
            };
            d.message = if candidates.len() == 1 {
                format!("`{name}` is used by no other post: did you mean `{first}` ({used})? Jekyll ignores unknown keys")
            } else {
                let all: Vec<String> = candidates.iter().map(|(c, _)| format!("`{c}`")).collect();
                format!(
                    "`{name}` is used by no other post: did you mean one of {}? Jekyll ignores unknown keys",
                    all.join(", ")
                )
            };
            let own = f.keys.iter().any(|k| k.name == first);
            if candidates.len() == 1 && !own && key.renamable {
                d.fix = Some(Fix {
                    edits: vec![Edit {
                        range: d.span.clone(),
                        replacement: first.to_string(),
                    }],
                });
            }
            out.push(d);
        }
    }
}

/// Whether `key` looks like a misspelling of `other`: the same once case, accents, hyphens and
/// underscores are set aside, a plural of it, or (for longer keys) one edit away, two for long ones.
fn close(key: &str, other: &str) -> bool {
    let (a, b) = (fold(key), fold(other));
    if a == b || a.strip_suffix('s') == Some(&b) || b.strip_suffix('s') == Some(&a) {
        return true;
    }
    let shorter = a.chars().count().min(b.chars().count());
    let allowed = match shorter {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    };
    allowed > 0 && distance(&a, &b) <= allowed
}

fn fold(key: &str) -> String {
    deunicode::deunicode(key)
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Edit distance counting a swap of two neighbouring letters as one edit (`permalnik`).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_are_close() {
        for (key, known) in [
            ("tittle", "title"),
            ("categorie", "categories"),
            ("tag", "tags"),
            ("permalnik", "permalink"),
            ("excerpt_seperator", "excerpt_separator"),
            ("translate", "translator"),
            ("Title", "title"),
            ("Catégories", "categories"),
            ("last-modified-at", "last_modified_at"),
        ] {
            assert!(close(key, known), "{key} / {known}");
        }
    }

    #[test]
    fn different_keys_are_not_close() {
        for (key, known) in [
            ("date", "data"),
            ("lang", "link"),
            ("image", "video"),
            ("author", "authors_note"),
        ] {
            assert!(!close(key, known), "{key} / {known}");
        }
    }

    #[test]
    fn swaps_count_as_one_edit() {
        assert_eq!(distance("permalnik", "permalink"), 1);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
