//! The Liquid objects of an export: `page` for each post, `site` with `site.posts` and
//! `site.data`, and the engine that renders them.

use chrono::{DateTime, FixedOffset};
use liquid_core::model::{KString, Object, Value};

use super::select::Chosen;
use super::SiteInfo;
use crate::post::Post;
use crate::site::Site;
use crate::template::{self, string, DataError, Documents, Engine, Settings, SiteScope, Targets};

/// `page`: the post's fields (defaults included), then what Jekyll computes.
pub fn page(post: &Post, title: &str, url: &str, date: DateTime<FixedOffset>) -> Object {
    let mut page =
        match template::yaml_to_value(&serde_yaml::Value::Mapping(post.data.fields.clone())) {
            Value::Object(object) => object,
            _ => Object::new(),
        };
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
    page.insert("collection".into(), string("posts"));
    page.insert(
        "draft".into(),
        Value::scalar(post.file.kind == crate::site::Kind::Draft),
    );
    if let Some(ext) = post.file.rel.rsplit_once('.').map(|(_, e)| format!(".{e}")) {
        page.insert(KString::from_static("ext"), string(ext));
    }
    page
}

/// The site's engine for the chosen posts, and the `_data` files that could not be read.
pub fn engine(
    site: &Site,
    info: &SiteInfo,
    chosen: &[Chosen],
    targets: Targets,
    now: DateTime<FixedOffset>,
) -> (Engine, Vec<DataError>) {
    let (data, errors) = template::read_data(&site.root);
    let posts = chosen
        .iter()
        .filter(|c| c.post.file.kind != crate::site::Kind::Page)
        .map(|c| {
            let title = c
                .post
                .data
                .title
                .clone()
                .unwrap_or_else(|| super::titleize_slug(&c.post.name.slug));
            page(&c.post, &title, &c.url, c.date)
        })
        .collect();
    let object = template::site_object(
        &site.config.raw,
        info.url.as_deref().unwrap_or(""),
        &info.baseurl,
        data,
        now,
        Documents {
            posts,
            ..Documents::default()
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
    (
        Engine::new(scope, Settings::from_config(&site.config.raw)),
        errors,
    )
}
