//! Hover and completion: what a front-matter key or a `{% post_url %}` target resolves to, and the
//! site's posts and taxonomy offered as they are typed.

use std::ops::Range;

use chrono::{DateTime, FixedOffset};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Hover, HoverContents, MarkupContent,
    MarkupKind, TextEdit,
};

use super::diagnostics::range;
use super::index::SiteIndex;
use super::text::LineMap;
use crate::liquid::Tag;
use crate::post::Post;
use crate::site::split::Split;
use crate::site::Site;

/// Front-matter keys whose values complete from the site's taxonomy; `true` for categories.
const TAXONOMY_KEYS: &[(&str, bool)] = &[("tags", false), ("categories", true), ("category", true)];

/// What the text at `offset` means: a front-matter key, or the target of a `post_url` tag.
pub fn hover(
    post: &Post,
    site: &Site,
    index: &SiteIndex,
    now: DateTime<FixedOffset>,
    offset: usize,
) -> Option<Hover> {
    let map = LineMap::new(&post.text);
    if let Some((tag_span, name)) = post_url_at(&post.text, offset) {
        let text = match index.by_post_url(name) {
            Some(entry) => {
                let mut lines = vec![format!("`{{% post_url {name} %}}` → `{}`", entry.rel)];
                if let Some(title) = &entry.title {
                    lines.push(format!("**{title}**"));
                }
                if let Some(url) = &entry.url {
                    lines.push(format!("URL: `{}`", with_baseurl(site, url)));
                }
                lines.join("\n\n")
            }
            None => format!("`{{% post_url {name} %}}` names no post of the site"),
        };
        return Some(markdown(text, range(&map, &tag_span)));
    }
    let field = post
        .front()?
        .fields
        .iter()
        .find(|f| f.key_span.start <= offset && offset <= f.key_span.end)?;
    let mut lines = vec![format!("**`{}`**", field.key)];
    match field.key.as_str() {
        "date" => lines.push(match post.data.date {
            Some(date) => format!("Date: `{}`", date.to_rfc3339()),
            None => "Not a date Jekyll reads: the file name's date is used".to_string(),
        }),
        "title" => lines.extend(post.data.title.as_ref().map(|t| format!("Title: {t}"))),
        "layout" => lines.extend(post.data.layout.as_ref().map(|l| format!("Layout: `{l}`"))),
        "published" => lines.push(format!("Published: {}", post.data.published)),
        key => {
            if let Some((_, categories)) = TAXONOMY_KEYS.iter().find(|(k, _)| *k == key) {
                let values = if *categories {
                    &post.data.categories
                } else {
                    &post.data.tags
                };
                let counts = index.taxonomy(*categories, "");
                for value in values {
                    let used = counts.get(value.as_str()).copied().unwrap_or(0);
                    lines.push(format!("- `{value}`: {used} post(s) of the site"));
                }
            }
        }
    }
    match post.url(site) {
        Some(Ok(url)) => lines.push(format!("URL: `{}`", with_baseurl(site, &url))),
        Some(Err(error)) => lines.push(format!("No URL: unknown placeholder `:{}`", error.0)),
        None => {}
    }
    lines.push(format!("Status: {}", post.status(now).as_str()));
    Some(markdown(lines.join("\n\n"), range(&map, &field.key_span)))
}

/// Completions at `offset`: post names after `{% post_url `, tags or categories in their field.
pub fn complete(post: &Post, index: &SiteIndex, offset: usize) -> Vec<CompletionItem> {
    let map = LineMap::new(&post.text);
    let line_start = post.text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &post.text[line_start..offset];
    if let Some(partial) = post_url_prefix(before) {
        let edit = range(&map, &(offset - partial.len()..offset));
        return index
            .posts()
            .into_iter()
            .filter(|entry| entry.rel != post.file.rel)
            .filter_map(|entry| {
                let name = entry.names.first()?;
                Some(item(
                    name,
                    entry.title.clone(),
                    CompletionItemKind::FILE,
                    edit,
                ))
            })
            .collect();
    }
    let Split::Closed { yaml, .. } = &post.split else {
        return Vec::new();
    };
    if !(yaml.start..=yaml.end).contains(&line_start) {
        return Vec::new();
    }
    let Some((categories, partial)) = taxonomy_prefix(&post.text[yaml.start..line_start], before)
    else {
        return Vec::new();
    };
    let edit = range(&map, &(offset - partial.len()..offset));
    index
        .taxonomy(categories, &post.file.rel)
        .into_iter()
        .map(|(value, count)| {
            item(
                value,
                Some(format!("{count} post(s)")),
                CompletionItemKind::VALUE,
                edit,
            )
        })
        .collect()
}

fn item(
    label: &str,
    detail: Option<String>,
    kind: CompletionItemKind,
    edit: lsp_types::Range,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            edit,
            label.to_string(),
        ))),
        ..Default::default()
    }
}

/// The part of a post name typed so far, when the line so far ends inside `{% post_url `.
fn post_url_prefix(before: &str) -> Option<&str> {
    let tag = &before[before.rfind("{%")? + 2..];
    let rest = tag.trim_start_matches('-').trim_start();
    let partial = rest.strip_prefix("post_url")?;
    if !partial.starts_with([' ', '\t']) {
        return None;
    }
    let partial = partial.trim_start();
    (!partial.contains(|c: char| c.is_whitespace() || c == '%')).then_some(partial)
}

/// Whether the cursor is in the value of a taxonomy field (`tags: [a, b`, or a `- item` below
/// `tags:`), and the value typed so far. `above` is the front matter before the cursor's line.
fn taxonomy_prefix<'b>(above: &str, before: &'b str) -> Option<(bool, &'b str)> {
    let key_of = |line: &str| -> Option<bool> {
        let (key, _) = line.split_once(':')?;
        TAXONOMY_KEYS
            .iter()
            .find(|(k, _)| *k == key.trim())
            .map(|(_, categories)| *categories)
    };
    let trimmed = before.trim_start();
    let (categories, value) = if let Some(item) = trimmed.strip_prefix('-') {
        // A list item: its field is the nearest line above that starts a key.
        let owner = above
            .lines()
            .rev()
            .find(|line| !line.starts_with([' ', '\t', '-']) && !line.trim().is_empty())?;
        (key_of(owner)?, item)
    } else if !before.starts_with([' ', '\t']) {
        let (_, value) = before.split_once(':')?;
        (key_of(before)?, value)
    } else {
        return None;
    };
    let partial = value
        .rsplit(['[', ','])
        .next()
        .unwrap_or(value)
        .trim_start();
    Some((categories, partial))
}

/// The `{% post_url NAME %}` tag around `offset`, and its name.
fn post_url_at(text: &str, offset: usize) -> Option<(Range<usize>, &str)> {
    let start = text[..offset.min(text.len())].rfind("{%")?;
    let end = start + text[start..].find("%}")? + 2;
    if offset > end {
        return None;
    }
    let tag = Tag::parse(&text[start..end])?;
    (tag.name == "post_url" && !tag.args.is_empty()).then_some((start..end, tag.args))
}

fn with_baseurl(site: &Site, url: &str) -> String {
    format!("{}{url}", site.config.baseurl.trim_end_matches('/'))
}

fn markdown(value: String, at: lsp_types::Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_url_tag_is_completed_from_its_name_so_far() {
        assert_eq!(
            post_url_prefix("see [a]({% post_url 2024-0"),
            Some("2024-0")
        );
        assert_eq!(post_url_prefix("{%- post_url "), Some(""));
        assert_eq!(post_url_prefix("{% post_url a %} b"), None);
        assert_eq!(post_url_prefix("{% post_urlx"), None);
    }

    #[test]
    fn taxonomy_values_complete_inline_and_in_lists() {
        assert_eq!(taxonomy_prefix("", "tags: [rust, we"), Some((false, "we")));
        assert_eq!(taxonomy_prefix("", "categories: "), Some((true, "")));
        assert_eq!(
            taxonomy_prefix("title: x\ntags:\n  - a\n", "  - op"),
            Some((false, "op"))
        );
        assert_eq!(taxonomy_prefix("", "title: x"), None);
    }
}
