//! Internal links, gathered for `broken-post-link`: the site-wide pass resolves them once every post,
//! page and file is known.

use std::ops::Range;

use super::scan::{scheme, starts_with_ignore_case};
use super::BROKEN_POST_LINK;
use crate::lint::document::{in_ranges, Document, LinkKind};
use crate::lint::make_diagnostic;
use crate::lint::rules::site::LINK_REDIRECT;
use crate::lint::site_index::{LinkTarget, PendingLink};
use crate::lint::Settings;
use crate::liquid::Tag;
use crate::post::Post;
use crate::site::permalink::unescape_path;
use crate::site::{Site, MARKDOWN_EXTENSIONS};

/// Every internal link of the post: `post_url` and `link` tags, relative Markdown links, site URLs.
pub fn pending(post: &Post, site: &Site, settings: &Settings, doc: &Document) -> Vec<PendingLink> {
    let mut out = Vec::new();
    let mut push = |target: LinkTarget, span: Range<usize>| {
        // Prepared for `link-redirect` when `broken-post-link` is off; the site-wide pass
        // reports each under the rule that applies.
        let diagnostic = make_diagnostic(
            post,
            settings,
            &BROKEN_POST_LINK,
            span.clone(),
            String::new(),
        )
        .or_else(|| make_diagnostic(post, settings, &LINK_REDIRECT, span, String::new()));
        if let Some(diagnostic) = diagnostic {
            out.push(PendingLink { target, diagnostic });
        }
    };
    for tag in &doc.liquid {
        if doc.in_code(tag.start) || in_ranges(&doc.liquid_blocks, tag.start) {
            continue;
        }
        if let Some(target) = tag_target(&post.text[tag.clone()]) {
            push(target, tag.clone());
        }
    }
    let own = own_host(site);
    for link in &doc.links {
        if link.kind == LinkKind::Autolink {
            continue;
        }
        if let Some(target) = url_target(&link.url, &post.file.rel, site, own) {
            push(target, link.span.clone());
        }
    }
    out
}

/// The target of `{% post_url NAME %}` or `{% link PATH %}`.
fn tag_target(source: &str) -> Option<LinkTarget> {
    let tag = Tag::parse(source)?;
    let name = tag.name;
    if name != "post_url" && name != "link" {
        return None;
    }
    let argument = tag.args.split_whitespace().next()?;
    let argument = argument.trim_matches(['"', '\'']);
    if argument.is_empty() || argument.contains(['{', '}']) {
        return None;
    }
    Some(if name == "post_url" {
        LinkTarget::PostName(argument.trim_start_matches('/').to_string())
    } else {
        LinkTarget::SourcePath(normalize_path(argument.trim_start_matches('/'))?)
    })
}

/// The target of a link's destination, when it points inside the site; `own` is the site's
/// [`own_host`].
fn url_target(url: &str, post_rel: &str, site: &Site, own: Option<&str>) -> Option<LinkTarget> {
    let url = url.trim();
    if has_pair(url, b'%') {
        // `{% post_url %}` and `{% link %}` are read as tags; other tags are beyond a linter.
        return None;
    }
    let mut rest = url;
    let mut liquid = false;
    let mut base_written = false;
    while let Some(after_open) = rest.strip_prefix("{{") {
        let close = after_open.find("}}")?;
        let inner = after_open[..close].trim();
        let after = &after_open[close + 2..];
        match inner {
            "site.url" => rest = after,
            "site.baseurl" => {
                base_written = true;
                rest = after;
            }
            _ => {
                // `{{ '/about/' | relative_url }}`: the path inside, the filter adds baseurl.
                let (literal, filter) = inner.split_once('|')?;
                if !matches!(filter.trim(), "relative_url" | "absolute_url") || !after.is_empty() {
                    return None;
                }
                let literal = literal.trim();
                let path = literal
                    .strip_prefix('\'')
                    .and_then(|l| l.strip_suffix('\''))
                    .or_else(|| literal.strip_prefix('"').and_then(|l| l.strip_suffix('"')))?;
                return site_path(path, true, site);
            }
        }
        liquid = true;
    }
    if has_pair(rest, b'{') {
        return None;
    }
    if liquid {
        return site_path(rest, base_written, site);
    }
    if rest.starts_with("//") {
        return None;
    }
    if let Some(name) = scheme(rest) {
        let path = own.and_then(|own| strip_origin(rest, name, own))?;
        return site_path(path, false, site);
    }
    if rest.starts_with('/') {
        return site_path(rest, false, site);
    }
    relative_markdown(rest, post_rel)
}

/// Whether `text` holds `{` followed by `second` (`{%` or `{{`).
fn has_pair(text: &str, second: u8) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|i| bytes.get(i + 1) == Some(&second))
}

/// A site URL path as the index knows it: baseurl, query and fragment removed, unescaped.
fn site_path(path: &str, base_removed: bool, site: &Site) -> Option<LinkTarget> {
    let mut path = path.split(['?', '#']).next().unwrap_or("");
    let base = site.config.baseurl.as_str();
    if !base_removed && !base.is_empty() {
        if let Some(after) = path.strip_prefix(base) {
            if after.is_empty() || after.starts_with('/') {
                path = after;
            }
        }
    }
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    // The home page is always there, whatever builds it.
    (path != "/").then(|| LinkTarget::Url(unescape_path(&path)))
}

/// The site's own host (`example.org` of `url: https://example.org/`), when its `url` is http or
/// https: found once per post rather than once per link.
fn own_host(site: &Site) -> Option<&str> {
    let own = site.config.url.as_deref()?;
    let name = scheme(own)?;
    Some(own.get(http_prefix(name)?..)?.trim_end_matches('/'))
}

/// How many bytes `scheme://` takes when the scheme is http or https.
fn http_prefix(scheme: &str) -> Option<usize> {
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        .then_some(scheme.len() + 3)
}

/// The rest of `url` (whose scheme is `name`) after the site's own host, either scheme accepted.
fn strip_origin<'u>(url: &'u str, name: &str, own_host: &str) -> Option<&'u str> {
    let after = url.get(http_prefix(name)?..)?;
    if !starts_with_ignore_case(after, own_host) {
        return None;
    }
    let rest = &after[own_host.len()..];
    (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some(rest)
}

/// A relative link to a Markdown file, resolved against the post's folder.
fn relative_markdown(url: &str, post_rel: &str) -> Option<LinkTarget> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let (_, ext) = path.rsplit_once('.')?;
    if !MARKDOWN_EXTENSIONS
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
    {
        return None;
    }
    let folder = post_rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let joined = if folder.is_empty() {
        unescape_path(path)
    } else {
        format!("{folder}/{}", unescape_path(path))
    };
    normalize_path(&joined).map(LinkTarget::SourcePath)
}

/// `a/./b/../c` as `a/c`; a path climbing above the root stays as written, so it is reported.
fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(path.to_string());
                }
            }
            _ => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::SiteConfig;

    fn site(url: Option<&str>, baseurl: &str) -> Site {
        Site {
            root: "/".into(),
            config: SiteConfig {
                url: url.map(str::to_string),
                baseurl: baseurl.to_string(),
                ..SiteConfig::default()
            },
        }
    }

    fn target(url: &str, s: &Site) -> Option<LinkTarget> {
        url_target(url, "_posts/2020-01-01-a.md", s, own_host(s))
    }

    fn url(path: &str) -> Option<LinkTarget> {
        Some(LinkTarget::Url(path.to_string()))
    }

    #[test]
    fn tags() {
        assert_eq!(
            tag_target("{% post_url 2010-01-01-x %}"),
            Some(LinkTarget::PostName("2010-01-01-x".into()))
        );
        assert_eq!(
            tag_target("{%- link /_posts/2010-01-01-x.md -%}"),
            Some(LinkTarget::SourcePath("_posts/2010-01-01-x.md".into()))
        );
        assert_eq!(tag_target("{% link {{ page.x }} %}"), None);
        assert_eq!(tag_target("{% include x.html %}"), None);
        assert_eq!(tag_target("{{ site.url }}"), None);
    }

    #[test]
    fn site_urls() {
        let s = site(Some("https://example.org"), "/blog");
        assert_eq!(
            target("/blog/2017/06/22/x.html#top", &s),
            url("/2017/06/22/x.html")
        );
        assert_eq!(target("/assets/a%20b.png?v=1", &s), url("/assets/a b.png"));
        assert_eq!(target("{{ site.baseurl }}/about/", &s), url("/about/"));
        assert_eq!(target("{{ site.baseurl }}/blog/x/", &s), url("/blog/x/"));
        assert_eq!(
            target("{{ site.url }}{{ site.baseurl }}/x/", &s),
            url("/x/")
        );
        assert_eq!(
            target("{{ '/feed.xml' | relative_url }}", &s),
            url("/feed.xml")
        );
        assert_eq!(
            target("https://example.org/blog/x.html", &s),
            url("/x.html")
        );
        assert_eq!(target("http://EXAMPLE.org/blog/x.html", &s), url("/x.html"));
        assert_eq!(target("https://example.org.evil/x", &s), None);
        assert_eq!(target("https://other.org/x", &s), None);
        assert_eq!(target("//example.org/x", &s), None);
        assert_eq!(target("{{ page.url }}", &s), None);
        assert_eq!(
            target("{{ site.baseurl }}{% post_url 2010-01-01-x %}", &s),
            None
        );
        assert_eq!(target("{{ site.baseurl }}/", &s), None);
        assert_eq!(target("#top", &s), None);
        assert_eq!(target("mailto:a@b.org", &s), None);
    }

    fn pending_targets(body: &str) -> Vec<(LinkTarget, usize, usize)> {
        let s = site(Some("https://example.org"), "");
        let file = crate::site::SourceFile {
            rel: "_posts/2020-01-01-a.md".into(),
            path: "_posts/2020-01-01-a.md".into(),
            kind: crate::site::Kind::Post,
        };
        let post = Post::from_text(file, format!("---\ntitle: t\n---\n{body}"), &s);
        let doc = Document::parse(&post);
        let now = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00+00:00").unwrap();
        let settings =
            Settings::new(&crate::lint::config::LintConfig::default(), &[], &[], now).unwrap();
        pending(&post, &s, &settings, &doc)
            .into_iter()
            .map(|p| {
                (
                    p.target,
                    p.diagnostic.start.line - 3,
                    p.diagnostic.start.column,
                )
            })
            .collect()
    }

    #[test]
    fn tags_and_links_of_a_post() {
        let body = "Before [it]({% post_url 2010-01-01-x %}) and {% link about.md %}.\n\n\
                    [Été](/2010/01/01/x.html) [ext](https://other.org/x) ![i](../assets/i.png)\n\n\
                    `{% post_url 2010-01-01-code %}` {% raw %}{% post_url 2010-01-01-raw %}{% endraw %}\n\n\
                    ```\n[in code](/code/)\n```\n";
        assert_eq!(
            pending_targets(body),
            [
                (LinkTarget::PostName("2010-01-01-x".into()), 1, 13),
                (LinkTarget::SourcePath("about.md".into()), 1, 46),
                (LinkTarget::Url("/2010/01/01/x.html".into()), 3, 1),
            ]
        );
    }

    #[test]
    fn relative_markdown_files() {
        let s = site(None, "");
        assert_eq!(
            target("../about.md", &s),
            Some(LinkTarget::SourcePath("about.md".into()))
        );
        assert_eq!(
            target("2020-01-02-b.md#part", &s),
            Some(LinkTarget::SourcePath("_posts/2020-01-02-b.md".into()))
        );
        assert_eq!(
            target("../../x.md", &s),
            Some(LinkTarget::SourcePath("_posts/../../x.md".into()))
        );
        assert_eq!(target("image.png", &s), None);
    }
}
