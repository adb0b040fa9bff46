//! The editor's view of the site: every post's `post_url` names, title, URL and taxonomy, kept up
//! to date file by file as the client reports changes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::post::{post_url_names, Post};
use crate::site::{Site, SourceFile};

/// What hover and completion need to know about one post.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Path relative to the site root.
    pub rel: String,
    /// The names `{% post_url %}` accepts for it.
    pub names: Vec<String>,
    /// Its title, when it has one.
    pub title: Option<String>,
    /// Its URL path (without `baseurl`), when it has one.
    pub url: Option<String>,
    /// Its date, as written in RFC 3339.
    pub date: Option<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Categories as written (folders above `_posts/` included).
    pub categories: Vec<String>,
}

impl Entry {
    /// The entry of a post read (at least) up to the end of its front matter.
    pub fn of(post: &Post, site: &Site) -> Entry {
        Entry {
            rel: post.file.rel.clone(),
            names: post_url_names(&post.file.rel),
            title: post.data.title.clone(),
            url: post.url(site).and_then(Result::ok),
            date: post.data.date.map(|d| d.to_rfc3339()),
            tags: post.data.tags.clone(),
            categories: post.data.categories.clone(),
        }
    }
}

/// Every post of the site, by path.
#[derive(Debug, Default)]
pub struct SiteIndex {
    entries: HashMap<PathBuf, Entry>,
}

impl SiteIndex {
    /// Reads the front matter of every post of the site, in parallel.
    pub fn build(site: &Site) -> SiteIndex {
        let entries = site
            .scan()
            .posts
            .par_iter()
            .filter_map(|file| read(file, site).map(|entry| (file.path.clone(), entry)))
            .collect();
        SiteIndex { entries }
    }

    /// Reads one file again after the client says it changed; a file gone or no longer a post leaves.
    pub fn refresh(&mut self, site: &Site, path: &Path) {
        let file = site.source_file(path);
        let entry = (file.kind != crate::site::Kind::Page && path.is_file())
            .then(|| read(&file, site))
            .flatten();
        match entry {
            Some(entry) => self.entries.insert(file.path, entry),
            None => self.entries.remove(&file.path),
        };
    }

    /// The post `{% post_url NAME %}` names, if any.
    pub fn by_post_url(&self, name: &str) -> Option<&Entry> {
        self.entries
            .values()
            .filter(|e| e.names.iter().any(|n| n == name))
            .min_by(|a, b| a.rel.cmp(&b.rel))
    }

    /// Every post, sorted by path.
    pub fn posts(&self) -> Vec<&Entry> {
        let mut posts: Vec<&Entry> = self.entries.values().collect();
        posts.sort_by(|a, b| a.rel.cmp(&b.rel));
        posts
    }

    /// Each tag (or category) of the site, as spelled, with the number of posts using it; the post
    /// at `except` does not count (its copy on disk holds what is being typed).
    pub fn taxonomy(&self, categories: bool, except: &str) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for entry in self.entries.values().filter(|e| e.rel != except) {
            let values = if categories {
                &entry.categories
            } else {
                &entry.tags
            };
            for value in values {
                *counts.entry(value.as_str()).or_default() += 1;
            }
        }
        counts
    }
}

fn read(file: &SourceFile, site: &Site) -> Option<Entry> {
    let post = Post::read_head(file.clone(), site).ok()?;
    Some(Entry::of(&post, site))
}
