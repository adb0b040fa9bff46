//! What of the rest of the site doctor read: collections, `_data` files, `_includes`, and the
//! Liquid tags of plugins, which carnet cannot evaluate.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Checkup, Verdict};
use crate::post::Post;
use crate::site::{Site, SiteFiles};
use crate::text::plural;

/// Tags of Liquid and of Jekyll itself; any other tag comes from a plugin.
const BUILT_IN_TAGS: &[&str] = &[
    "assign",
    "capture",
    "endcapture",
    "case",
    "when",
    "endcase",
    "comment",
    "endcomment",
    "cycle",
    "for",
    "else",
    "endfor",
    "break",
    "continue",
    "if",
    "elsif",
    "endif",
    "unless",
    "endunless",
    "include",
    "increment",
    "decrement",
    "raw",
    "endraw",
    "tablerow",
    "endtablerow",
    "liquid",
    "echo",
    "render",
    "ifchanged",
    "endifchanged",
    "highlight",
    "endhighlight",
    "link",
    "post_url",
    "include_relative",
];

/// Plugins' tags carnet knows, and the gem each comes from.
const PLUGIN_TAGS: &[(&str, &str)] = &[
    ("avatar", "jekyll-avatar"),
    ("seo", "jekyll-seo-tag"),
    ("feed_meta", "jekyll-feed"),
    ("gist", "jekyll-gist"),
    ("include_cached", "jekyll-include-cache"),
    ("github_edit_link", "jekyll-github-metadata"),
    ("octicon", "jekyll-octicons"),
    ("twitter", "jekyll-twitter-plugin"),
    ("tweet", "jekyll-twitter-plugin"),
    ("youtube", "jekyll-youtube"),
    ("asset", "jekyll-assets"),
    ("picture", "jekyll_picture_tag"),
    ("bibliography", "jekyll-scholar"),
    ("cite", "jekyll-scholar"),
    ("jekyll_version", "jekyll-version-tag"),
];

/// Reports the collections, data files and includes read, and the plugin tags found in `read`
/// (posts and documents); says nothing about what the site does not have.
pub fn check(site: &Site, files: &SiteFiles, read: &[Post], checkup: &mut Checkup) {
    let collections: Vec<String> = site
        .config
        .collections
        .iter()
        .filter(|c| c.label != "posts")
        .map(|c| {
            let count = files
                .documents
                .iter()
                .filter(|f| c.inner(&f.rel).is_some())
                .count();
            let output = if c.output {
                format!(
                    "written at {}",
                    c.url_template(site.config.permalink_style())
                )
            } else {
                "not written out (output: false)".to_string()
            };
            format!("{} ({}, {output})", c.label, plural(count, "document"))
        })
        .collect();
    if !collections.is_empty() {
        checkup.push(
            Verdict::Ok,
            format!("collections read: {}", collections.join("; ")),
        );
    }
    let data_dir = folder_setting(site, "data_dir", "_data");
    let data = files_under(
        &site.root.join(&data_dir),
        &["yml", "yaml", "json", "csv", "tsv"],
    );
    if !data.is_empty() {
        checkup.push(
            Verdict::Ok,
            format!(
                "{} in {data_dir}/: {}",
                plural(data.len(), "data file"),
                first_few(&data, 8)
            ),
        );
    }
    let includes_dir = folder_setting(site, "includes_dir", "_includes");
    let includes = files_under(&site.root.join(&includes_dir), &[]);
    if !includes.is_empty() {
        checkup.push(
            Verdict::Ok,
            format!("{} in {includes_dir}/", plural(includes.len(), "include")),
        );
    }
    for (tag, paths) in plugin_tags(read) {
        let source = match PLUGIN_TAGS.iter().find(|(name, _)| *name == tag) {
            Some((_, gem)) if site.config.plugins.iter().any(|p| p == gem) => {
                format!("from the plugin {gem}")
            }
            Some((_, gem)) => format!("from the plugin {gem}, which _config.yml does not list"),
            None => "from a plugin carnet does not know".to_string(),
        };
        let shown: Vec<String> = paths
            .iter()
            .map(|p| crate::paths::display_path(Path::new(p)))
            .collect();
        checkup.push(
            Verdict::Note,
            format!(
                "`{{% {tag} %}}` ({source}) in {}: carnet cannot evaluate it and leaves it out of its checks and exports",
                first_few(&shown, 3)
            ),
        );
    }
}

/// The first `n` names, then how many more.
fn first_few(names: &[String], n: usize) -> String {
    let mut out = names[..names.len().min(n)].join(", ");
    if names.len() > n {
        out.push_str(&format!(" and {} more", names.len() - n));
    }
    out
}

/// A folder named in `_config.yml` (`data_dir`, `includes_dir`), else Jekyll's default.
fn folder_setting(site: &Site, key: &str, default: &str) -> String {
    site.config
        .raw
        .get(key)
        .and_then(serde_yaml::Value::as_str)
        .map(|dir| dir.trim_matches('/').to_string())
        .filter(|dir| !dir.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// Files under `dir` (at any depth, relative to it, sorted), with one of `extensions` when any are given.
fn files_under(dir: &Path, extensions: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| {
            extensions.is_empty()
                || e.path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| extensions.contains(&x.to_ascii_lowercase().as_str()))
        })
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    out.sort();
    out
}

/// Tags that are neither Liquid's nor Jekyll's, each with the files using it, by name.
fn plugin_tags(read: &[Post]) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for post in read {
        for token in crate::liquid::tokenize(post.body()).iter() {
            let crate::liquid::Token::Tag(tag) = token else {
                continue;
            };
            if tag.name.is_empty() || BUILT_IN_TAGS.contains(&tag.name) {
                continue;
            }
            let users = found.entry(tag.name.to_string()).or_default();
            let path = post.file.path.to_string_lossy().into_owned();
            if !users.contains(&path) {
                users.push(path);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_tags_are_named_with_their_files() {
        let site = Site::sample("plugins: [jekyll-avatar]\n");
        let post = Post::sample_in(
            "_posts/2020-01-01-a.md",
            "---\n---\n{% avatar jekyll %} {% if x %}{% endif %} {% raw %}{% seo %}{% endraw %}\n",
            &site,
        );
        let tags = plugin_tags(std::slice::from_ref(&post));
        assert_eq!(tags.keys().collect::<Vec<_>>(), ["avatar"]);
        let mut checkup = Checkup::default();
        check(&site, &SiteFiles::default(), &[post], &mut checkup);
        assert_eq!(checkup.findings.len(), 1);
        assert!(
            checkup.findings[0]
                .message
                .contains("from the plugin jekyll-avatar)"),
            "{}",
            checkup.findings[0].message
        );
    }
}
