//! The Liquid objects of an export: `page` for each post, `site` with `site.posts`, the pages,
//! static files and collections of the site model, `site.data`, and the engine that renders them.

use chrono::{DateTime, FixedOffset};
use liquid_core::model::{KString, Object, Value};

use super::SiteInfo;
use crate::post::Post;
use crate::site::{Kind, Site, SiteFiles, SourceFile};
use crate::template::{
    self, string, CollectionObjects, Documents, Engine, Others, Settings, SiteObject, SiteScope,
    Targets,
};

/// `page`: the post's fields (defaults included), then what Jekyll computes.
pub fn page(post: &Post, title: &str, url: &str, date: DateTime<FixedOffset>) -> Object {
    document(post, title, url, date, "posts")
}

/// A post or a collection document as Jekyll shows it: its fields, then `url`, `date`, `id`,
/// `path`, `slug`, `categories`, `tags`, `collection`, `content` and `excerpt` as written (Jekyll
/// shows another document's rendered HTML only once that one is rendered, which depends on its
/// order of rendering).
fn document(
    post: &Post,
    title: &str,
    url: &str,
    date: DateTime<FixedOffset>,
    collection: &str,
) -> Object {
    let mut page = fields(post);
    let list = |items: &[String]| Value::Array(items.iter().map(|s| string(s.as_str())).collect());
    let id = url
        .strip_suffix(".html")
        .unwrap_or(url)
        .trim_end_matches('/')
        .to_string();
    page.insert("title".into(), string(title));
    page.insert("url".into(), string(url));
    page.insert("date".into(), template::date_value(date));
    page.insert("id".into(), string(id));
    page.insert("path".into(), string(post.file.rel.as_str()));
    page.insert("relative_path".into(), string(post.file.rel.as_str()));
    page.insert("slug".into(), string(post.data.slug.as_str()));
    page.insert("categories".into(), list(&post.data.categories));
    page.insert("tags".into(), list(&post.data.tags));
    page.insert("collection".into(), string(collection));
    page.insert("draft".into(), Value::scalar(post.file.kind == Kind::Draft));
    if let Some(ext) = post.file.rel.rsplit_once('.').map(|(_, e)| format!(".{e}")) {
        page.insert(KString::from_static("ext"), string(ext));
    }
    page.insert("content".into(), string(post.body()));
    if !page.contains_key("excerpt") {
        let excerpt = match post.excerpt_end() {
            Some(end) => &post.text[post.body_start..end],
            None if post.data.excerpt_separator.as_deref() == Some("") => "",
            None => post.body(),
        };
        page.insert("excerpt".into(), string(excerpt));
    }
    page
}

fn fields(post: &Post) -> Object {
    match template::yaml_to_value(&serde_yaml::Value::Mapping(post.data.fields.clone())) {
        Value::Object(object) => object,
        _ => Object::new(),
    }
}

/// A page as Jekyll shows it: its fields, then `url`, `path`, `name`, `dir` and `content`.
fn page_object(post: &Post, url: &str) -> Object {
    let mut page = fields(post);
    let rel = post.file.rel.as_str();
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    page.insert("url".into(), string(url));
    page.insert("path".into(), string(rel));
    page.insert("name".into(), string(name));
    page.insert(
        "dir".into(),
        string(format!("/{dir}{}", if dir.is_empty() { "" } else { "/" })),
    );
    page.insert("content".into(), string(post.body()));
    page
}

/// A static file as Jekyll shows it: `name`, `basename`, `extname`, `path` (from the root, with a
/// leading `/`), `modified_time`, and `collection` for a collection's file.
fn static_file(site: &Site, rel: &str, collection: Option<&str>) -> Object {
    let name = rel.rsplit_once('/').map_or(rel, |(_, n)| n);
    let (basename, extname) = match name.rsplit_once('.') {
        Some((base, ext)) if !base.is_empty() => (base, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut file = Object::new();
    file.insert("name".into(), string(name));
    file.insert("basename".into(), string(basename));
    file.insert("extname".into(), string(extname));
    file.insert("path".into(), string(format!("/{rel}")));
    let modified = std::fs::metadata(site.root.join(rel))
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).fixed_offset());
    if let Some(modified) = modified {
        file.insert("modified_time".into(), template::date_value(modified));
    }
    if let Some(label) = collection {
        file.insert("collection".into(), string(label));
    }
    file
}

/// Reads the pages, static files and collection documents of the site, for `site.*`.
fn others(site: &Site, files: &SiteFiles, now: DateTime<FixedOffset>) -> Others {
    let mut others = Others::default();
    for rel in &files.others {
        let path = site.root.join(rel);
        if crate::site::walk::has_front_matter(&path).unwrap_or(false) {
            let file = SourceFile {
                rel: rel.clone(),
                path,
                kind: Kind::Page,
            };
            let Ok(post) = Post::read(file, site) else {
                continue;
            };
            if let Some(url) = site.page_url(rel) {
                others.pages.push(page_object(&post, &url));
            }
        } else if site.page_url(rel).is_some() {
            others.static_files.push(static_file(site, rel, None));
        }
    }
    for collection in site.config.collections.iter().skip(1) {
        let mut objects = CollectionObjects {
            label: collection.label.clone(),
            output: collection.output,
            permalink: collection.permalink.clone(),
            directory: collection.dir.clone(),
            ..CollectionObjects::default()
        };
        let mine = |rel: &str| site.collection_of(rel).map(|c| &c.label) == Some(&collection.label);
        for file in files.documents.iter().filter(|f| mine(&f.rel)) {
            let Ok(post) = Post::read(file.clone(), site) else {
                continue;
            };
            let url = post.url(site).and_then(Result::ok).unwrap_or_default();
            let title = post
                .data
                .title
                .clone()
                .unwrap_or_else(|| super::titleize_slug(&post.name.slug));
            let date = post.data.date.unwrap_or(now);
            objects
                .docs
                .push(document(&post, &title, &url, date, &collection.label));
        }
        for rel in files.collection_files.iter().filter(|rel| mine(rel)) {
            let path = site.root.join(rel);
            if !crate::site::walk::has_front_matter(&path).unwrap_or(true) {
                objects
                    .files
                    .push(static_file(site, rel, Some(&collection.label)));
            }
        }
        others.collections.push(objects);
    }
    others
}

/// The site's engine for the chosen posts (each with its URL and date), with `data` (read by [`template::read_data`]) as
/// `site.data`.
pub fn engine<'a>(
    site: &Site,
    files: &SiteFiles,
    info: &SiteInfo,
    chosen: impl Iterator<Item = (&'a Post, &'a str, DateTime<FixedOffset>)>,
    targets: Targets,
    now: DateTime<FixedOffset>,
    data: Object,
) -> Engine {
    let posts = chosen
        .filter(|(post, _, _)| post.file.kind != Kind::Page)
        .map(|(post, url, date)| {
            let title = post
                .data
                .title
                .clone()
                .unwrap_or_else(|| super::titleize_slug(&post.name.slug));
            page(post, &title, url, date)
        })
        .collect();
    let (owned, owned_files) = (site.clone(), files.clone());
    let object = SiteObject::new(
        &site.config.raw,
        info.url.as_deref().unwrap_or(""),
        &info.baseurl,
        data,
        now,
        Documents {
            posts,
            labels: site
                .config
                .collections
                .iter()
                .skip(1)
                .map(|c| c.label.clone())
                .collect(),
            others: Some(Box::new(move || others(&owned, &owned_files, now))),
        },
    );
    let owned = site.clone();
    let scope = SiteScope {
        root: site.root.clone(),
        targets,
        page_url: Box::new(move |rel| {
            crate::post::document_url(&owned, rel).or_else(|| owned.page_url(rel))
        }),
        site: object,
    };
    Engine::new(scope, Settings::from_config(&site.config.raw))
}
