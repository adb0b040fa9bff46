//! Site-wide rules: URLs that collide, tag spellings that drift, internal links that lead nowhere.

use rustc_hash::{FxHashMap, FxHashSet};

use super::links;
use crate::lint::rule::{Rule, Severity};
use crate::lint::site_index::{LinkTarget, Mention, PostFacts, SiteIndex};
use crate::lint::{Diagnostic, Settings};
use crate::post::variants::variant_groups;
use crate::post::Status;

/// Two posts at one URL.
pub static DUPLICATE_URL: Rule = Rule {
    name: "duplicate-url",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "two posts resolve to the same URL under the site's permalink",
    explanation: "When two posts get the same URL, Jekyll writes one over the other and only the last one \
read survives on the site. This happens with the same slug on the same day in two extensions, or with a \
`permalink` pattern that leaves out the day or the title.",
    bad: "_posts/2020-04-01-same.md\n_posts/2020-04-01-same.markdown\n",
    good: "_posts/2020-04-01-same.md\n_posts/2020-04-01-same-again.markdown\n",
    markdownlint: &[],
};

/// Tags or categories spelled several ways.
pub static TAG_VARIANT: Rule = Rule {
    name: "tag-variant",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "a tag or category differs from another one only by case, accents, spaces, hyphens or underscores",
    explanation: "Jekyll treats `Open Data`, `open-data` and `opendata` as three tags, with three tag pages \
and three feeds, splitting the posts readers look for. The message names the spelling most posts use, so \
the others can be aligned on it. Fields marked `taxonomy = true` in `[lint.fields.NAME]` are checked the \
same way.",
    bad: "tags: [Open Data]   # while other posts use open-data\n",
    good: "tags: [open-data]\n",
    markdownlint: &[],
};

/// An internal link that the server answers with a redirect or another form of the URL.
pub static LINK_REDIRECT: Rule = Rule {
    name: "link-redirect",
    severity: Severity::Info,
    enabled: true,
    fixable: false,
    summary: "internal link that works only through the server's redirect or lookup: the exact URL is given",
    explanation: "A link to `/2011/10/11/some-post` when the page is `/2011/10/11/some-post/` works because the \
server redirects to the folder, and `/about` finds `/about.html` on Jekyll's server and GitHub Pages; other \
hosts and previews may answer 404, and each visit costs a round trip. The message gives the exact URL.",
    bad: "[before](/2017/06/22/intercotour)\n",
    good: "[before](/2017/06/22/intercotour.html)\n",
    markdownlint: &[],
};

/// Runs the site-wide rules; findings are reported only on posts for which `checked` holds.
pub fn check(
    index: &SiteIndex,
    facts: &[PostFacts],
    checked: &dyn Fn(&PostFacts) -> bool,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    duplicate_urls(facts, checked, out);
    tag_variants(facts, checked, out);
    broken_links(index, facts, checked, settings, out);
    super::keys::check(facts, checked, settings, out);
}

fn duplicate_urls(
    facts: &[PostFacts],
    checked: &dyn Fn(&PostFacts) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    // Only the URLs of the posts reported on are gathered: a one-file run compares one URL.
    let reported: FxHashSet<&str> = facts
        .iter()
        .filter(|f| f.url_diagnostic.is_some() && checked(f))
        .filter_map(|f| f.url.as_deref())
        .collect();
    if reported.is_empty() {
        return;
    }
    let mut by_url: FxHashMap<&str, Vec<&PostFacts>> = FxHashMap::default();
    for f in facts {
        if let Some(url) = f.url.as_deref().filter(|url| reported.contains(url)) {
            by_url.entry(url).or_default().push(f);
        }
    }
    for f in facts {
        let (Some(url), Some(template)) = (&f.url, &f.url_diagnostic) else {
            continue;
        };
        if !checked(f) {
            continue;
        }
        let others: Vec<&str> = by_url[url.as_str()]
            .iter()
            .filter(|o| o.rel != f.rel)
            .map(|o| o.rel.as_str())
            .collect();
        if let Some(first) = others.first() {
            let mut d = Diagnostic::clone(template);
            d.message =
                format!("URL {url} is also the URL of {first}; Jekyll keeps only one of them");
            out.push(d);
        }
    }
}

fn tag_variants(
    facts: &[PostFacts],
    checked: &dyn Fn(&PostFacts) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    variants_of("tag", facts, checked, |f| Some(&f.tags), out);
    variants_of("category", facts, checked, |f| Some(&f.categories), out);
    let mut fields: Vec<&str> = facts
        .iter()
        .flat_map(|f| f.taxonomies.iter().map(|(name, _)| name.as_str()))
        .collect();
    fields.sort_unstable();
    fields.dedup();
    for field in fields {
        let what = format!("`{field}` value");
        variants_of(&what, facts, checked, |f| taxonomy(f, field), out);
    }
}

fn taxonomy<'a>(facts: &'a PostFacts, field: &str) -> Option<&'a Vec<Mention>> {
    facts
        .taxonomies
        .iter()
        .find(|(name, _)| name == field)
        .map(|(_, m)| m)
}

/// Reports the spellings of one field's values that differ from the most used one of their group.
fn variants_of<'a>(
    what: &str,
    facts: &'a [PostFacts],
    checked: &dyn Fn(&PostFacts) -> bool,
    pick: impl Fn(&'a PostFacts) -> Option<&'a Vec<Mention>>,
    out: &mut Vec<Diagnostic>,
) {
    // Only a spelling with a finding prepared is reported: without one, nothing to count.
    let reported = |f: &&'a PostFacts| {
        checked(f)
            && pick(f)
                .into_iter()
                .flatten()
                .any(|m| m.diagnostic.is_some())
    };
    if !facts.iter().any(|f| reported(&f)) {
        return;
    }
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for f in facts {
        for m in pick(f).into_iter().flatten() {
            *counts.entry(m.value.as_str()).or_default() += 1;
        }
    }
    let mut preferred: FxHashMap<&str, (&str, usize)> = FxHashMap::default();
    for group in variant_groups(counts.iter().map(|(k, v)| (*k, *v))) {
        let top = group[0];
        for (spelling, _) in &group[1..] {
            preferred.insert(spelling, top);
        }
    }
    for f in facts.iter().filter(|f| checked(f)) {
        for m in pick(f).into_iter().flatten() {
            let (Some((top, uses)), Some(template)) =
                (preferred.get(m.value.as_str()), &m.diagnostic)
            else {
                continue;
            };
            let mut d = Diagnostic::clone(template);
            let posts = if *uses == 1 { "post" } else { "posts" };
            d.message = format!(
                "{what} `{}` is a variant of `{top}` (used by {uses} {posts}); Jekyll treats them as different {what}s",
                m.value
            );
            out.push(d);
        }
    }
}

fn broken_links(
    index: &SiteIndex,
    facts: &[PostFacts],
    checked: &dyn Fn(&PostFacts) -> bool,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    for f in facts.iter().filter(|f| checked(f)) {
        for link in &f.links {
            let found = match &link.target {
                LinkTarget::PostName(name) => index
                    .post_names
                    .get(name.as_str())
                    .map(|s| (*s, name.as_str())),
                LinkTarget::SourcePath(path) => {
                    if index.sources.contains(path.as_str()) {
                        Some((None, path.as_str()))
                    } else {
                        None
                    }
                }
                LinkTarget::Url(url) => {
                    if let Some(status) = index.post_urls.get(url.as_str()) {
                        Some((*status, url.as_str()))
                    } else if index.page_urls.contains(url.as_str())
                        || known(&settings.known_urls, url)
                    {
                        Some((None, url.as_str()))
                    } else {
                        None
                    }
                }
            };
            let mut d = link.diagnostic.clone();
            let broken_on = settings.severity(&links::BROKEN_POST_LINK);
            if found.is_none() {
                if let LinkTarget::Url(url) = &link.target {
                    if let Some(exact) = served_as(index, url) {
                        if let Some(severity) = settings.severity(&LINK_REDIRECT) {
                            d.rule = &LINK_REDIRECT;
                            d.severity = severity;
                            d.message =
                                format!("`{url}` is served at `{exact}`: link to it directly");
                            out.push(d);
                        }
                        continue;
                    }
                }
            }
            if broken_on.is_none() {
                continue;
            }
            match found {
                None => {
                    d.message = match &link.target {
                        LinkTarget::PostName(name) => format!("`{{% post_url {name} %}}` names no post of the site"),
                        LinkTarget::SourcePath(path) => format!("`{path}` is not a file of the site"),
                        LinkTarget::Url(url) if !index.serves_pages => format!(
                            "`{url}` is not a post's URL, and the site has no page or file besides its posts: is it the whole site? (list plugin-generated URLs in [lint] known_urls)"
                        ),
                        LinkTarget::Url(url) => format!(
                            "`{url}` is neither a post's URL nor a page or file of the site (list plugin-generated URLs in [lint] known_urls)"
                        ),
                    };
                    out.push(d);
                }
                Some((
                    Some(status @ (Status::Draft | Status::Future | Status::Unpublished)),
                    what,
                )) if f.status == Some(Status::Published) => {
                    d.severity = d.severity.min(crate::lint::Severity::Warning);
                    d.message = format!(
                        "links to `{what}`, which is {} and not on the published site",
                        match status {
                            Status::Draft => "a draft",
                            Status::Future => "dated in the future",
                            _ => "unpublished",
                        }
                    );
                    out.push(d);
                }
                Some(_) => {}
            }
        }
    }
}

/// The URL a link without its trailing slash or its `.html` reaches through the server: `x/` or
/// `x.html` for `x`, when the site has it.
fn served_as(index: &SiteIndex, url: &str) -> Option<String> {
    if url.ends_with('/') {
        return None;
    }
    [format!("{url}/"), format!("{url}.html")]
        .into_iter()
        .find(|form| index.post_urls.contains_key(form) || index.page_urls.contains(form))
}

fn known(patterns: &[String], url: &str) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => url.starts_with(prefix),
        None => p == url,
    })
}
