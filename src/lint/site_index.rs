//! What the site-wide rules need from every post, and the index of the site's URLs and files.

use std::ops::Range;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::document::Document;
use super::rules::{keys, links, site};
use super::suppress::Suppressions;
use super::{make_diagnostic, Diagnostic, Settings};
use crate::post::{Post, Status};
use crate::site::urls::Served;
use crate::site::{Site, SiteFiles, SourceFile};

/// One post's contribution to the site-wide rules; small, so every post's facts fit in memory.
#[derive(Debug, Clone)]
pub struct PostFacts {
    /// Path relative to the site root.
    pub rel: String,
    /// Status, when the front matter is valid.
    pub status: Option<Status>,
    /// URL path (escaped, without baseurl), when the post has one.
    pub url: Option<String>,
    /// `redirect_from:` paths, which the site also answers at.
    pub redirects: Vec<String>,
    /// Where `duplicate-url` reports, when it runs.
    pub url_diagnostic: Option<Box<Diagnostic>>,
    /// Each tag as written, with where `tag-variant` would report it.
    pub tags: Vec<Mention>,
    /// Each category as written, likewise.
    pub categories: Vec<Mention>,
    /// Each value of the fields `carnet.toml` marks as taxonomies, by field, likewise.
    pub taxonomies: Vec<(String, Vec<Mention>)>,
    /// Internal links to resolve once every URL is known.
    pub links: Vec<PendingLink>,
    /// The front matter's keys, with where `front-matter-unknown-key` would report each.
    pub keys: Vec<KeyMention>,
}

/// A front-matter key as one post writes it.
#[derive(Debug, Clone)]
pub struct KeyMention {
    /// The key, unquoted.
    pub name: String,
    /// The finding to report if the key looks misspelt (message filled in later); boxed: only
    /// the checked posts' keys and mentions have one, and a site has tens of thousands of them.
    pub diagnostic: Option<Box<Diagnostic>>,
    /// Whether the key is written bare, so that replacing its span renames it.
    pub renamable: bool,
}

/// What a post that is not being checked tells the site-wide rules: only its front matter counts,
/// and nothing here depends on the run's settings, so the facts cache keeps it between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Path relative to the site root.
    pub rel: String,
    /// Status before the date is compared with now, when the front matter is valid.
    status: Option<Status>,
    /// The post's date, when it has one.
    #[serde(with = "stored_date")]
    date: Option<DateTime<FixedOffset>>,
    /// URL path (escaped, without baseurl), when the post has one.
    url: Option<String>,
    /// `redirect_from:` paths.
    redirects: Vec<String>,
    /// Tags as written.
    tags: Vec<String>,
    /// Categories as written.
    categories: Vec<String>,
    /// The front matter's keys.
    keys: Vec<String>,
    /// Values of the taxonomy fields, by field.
    taxonomies: Vec<(String, Vec<String>)>,
}

impl Summary {
    /// Reads a post's front matter and summarizes it; `None` when the file cannot be read.
    pub fn read(file: &SourceFile, site: &Site, taxonomies: &[String]) -> Option<Summary> {
        let post = Post::read_head(file.clone(), site).ok()?;
        Some(Summary::of(&post, site, taxonomies))
    }

    /// Summarizes a post, which may have been read only up to the end of its front matter.
    pub fn of(post: &Post, site: &Site, taxonomies: &[String]) -> Summary {
        let valid = post.is_valid();
        Summary {
            rel: post.file.rel.clone(),
            status: valid.then(|| post.undated_status()),
            date: post.data.date,
            url: valid.then(|| post.url(site).and_then(Result::ok)).flatten(),
            redirects: if valid {
                crate::site::urls::redirect_from(&post.data.fields)
            } else {
                Vec::new()
            },
            tags: if valid {
                post.data.tags.clone()
            } else {
                Vec::new()
            },
            categories: if valid {
                post.data.categories.clone()
            } else {
                Vec::new()
            },
            keys: post
                .front()
                .map(|f| f.fields.iter().map(|field| field.key.clone()).collect())
                .unwrap_or_default(),
            taxonomies: if valid {
                taxonomies
                    .iter()
                    .map(|name| (name.clone(), field_values(post, name)))
                    .filter(|(_, values)| !values.is_empty())
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// The facts of a post that is not checked: it is never reported on, so nothing is positioned.
    pub fn into_facts(self, settings: &Settings) -> PostFacts {
        let variants = settings.severity(&site::TAG_VARIANT).is_some();
        let mentions = |values: Vec<String>| -> Vec<Mention> {
            if !variants {
                return Vec::new();
            }
            values
                .into_iter()
                .map(|value| Mention {
                    value,
                    diagnostic: None,
                })
                .collect()
        };
        PostFacts {
            rel: self.rel,
            status: self.status.map(|s| s.as_of(self.date, settings.now)),
            url: self.url,
            redirects: self.redirects,
            url_diagnostic: None,
            tags: mentions(self.tags),
            categories: mentions(self.categories),
            taxonomies: self
                .taxonomies
                .into_iter()
                .map(|(name, values)| (name, mentions(values)))
                .collect(),
            links: Vec::new(),
            keys: self
                .keys
                .into_iter()
                .map(|name| KeyMention {
                    name,
                    diagnostic: None,
                    renamable: false,
                })
                .collect(),
        }
    }
}

/// A date as the facts cache stores it: seconds, nanoseconds and offset, which read back faster
/// than the RFC 3339 text chrono writes.
mod stored_date {
    use chrono::{DateTime, FixedOffset};
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        date: &Option<DateTime<FixedOffset>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        date.map(|d| {
            (
                d.timestamp(),
                d.timestamp_subsec_nanos(),
                d.offset().local_minus_utc(),
            )
        })
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        let Some((secs, nanos, offset)) = Option::<(i64, u32, i32)>::deserialize(deserializer)?
        else {
            return Ok(None);
        };
        let offset = FixedOffset::east_opt(offset).ok_or_else(|| D::Error::custom("offset"))?;
        DateTime::from_timestamp(secs, nanos)
            .map(|utc| Some(utc.with_timezone(&offset)))
            .ok_or_else(|| D::Error::custom("date"))
    }
}

/// A tag or category as one post spells it.
#[derive(Debug, Clone)]
pub struct Mention {
    /// The spelling.
    pub value: String,
    /// The finding to report if this spelling is a variant (message filled in later), boxed.
    pub diagnostic: Option<Box<Diagnostic>>,
}

/// An internal link whose target is only known once the whole site is read.
#[derive(Debug, Clone)]
pub struct PendingLink {
    /// What the link points at.
    pub target: LinkTarget,
    /// The finding to report if the target is missing (message filled in later).
    pub diagnostic: Diagnostic,
}

/// The target of an internal link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `{% post_url NAME %}`: a post's file name without extension (subfolders allowed).
    PostName(String),
    /// `{% link PATH %}` or a relative link to a Markdown file: a source path relative to the root.
    SourcePath(String),
    /// A site-internal URL path (`/2017/06/22/x.html`), `baseurl` removed, unescaped.
    Url(String),
}

impl PostFacts {
    /// Gathers a post's facts; diagnostics are only prepared for rules that are on.
    pub fn collect(
        post: &Post,
        site: &Site,
        settings: &Settings,
        document: Option<&Document>,
    ) -> PostFacts {
        let summary = Summary::of(post, site, &settings.taxonomies());
        let opening = 0..post.text.len().min(3);
        let url_diagnostic = summary.url.as_ref().and_then(|_| {
            make_diagnostic(post, settings, &site::DUPLICATE_URL, opening, String::new())
                .map(Box::new)
        });
        let valid = summary.status.is_some();
        let (tags, categories, taxonomies) = if valid
            && settings.severity(&site::TAG_VARIANT).is_some()
        {
            (
                mentions(post, settings, "tags", &post.data.tags),
                mentions(post, settings, "categories", &post.data.categories),
                summary
                    .taxonomies
                    .iter()
                    .map(|(name, values)| (name.clone(), mentions(post, settings, name, values)))
                    .collect(),
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let links =
            document.map_or_else(Vec::new, |d| links::pending_links(post, site, settings, d));
        let keys = post
            .front()
            .map(|front| {
                front
                    .fields
                    .iter()
                    .map(|field| KeyMention {
                        name: field.key.clone(),
                        diagnostic: make_diagnostic(
                            post,
                            settings,
                            &keys::FRONT_MATTER_UNKNOWN_KEY,
                            field.key_span.clone(),
                            String::new(),
                        )
                        .map(Box::new),
                        renamable: post.text.get(field.key_span.clone()) == Some(&field.key),
                    })
                    .collect()
            })
            .unwrap_or_default();
        PostFacts {
            status: summary.status.map(|s| s.as_of(summary.date, settings.now)),
            rel: summary.rel,
            url: summary.url,
            redirects: summary.redirects,
            url_diagnostic,
            tags,
            categories,
            taxonomies,
            links,
            keys,
        }
    }

    /// Drops prepared findings that the post's suppression comments silence.
    pub fn retain_unsuppressed(&mut self, suppressions: &Suppressions) {
        if let Some(d) = &self.url_diagnostic {
            if suppressions.silences(d) {
                self.url_diagnostic = None;
            }
        }
        let custom = self.taxonomies.iter_mut().flat_map(|(_, m)| m.iter_mut());
        for mention in self
            .tags
            .iter_mut()
            .chain(self.categories.iter_mut())
            .chain(custom)
        {
            if mention
                .diagnostic
                .as_ref()
                .is_some_and(|d| suppressions.silences(d))
            {
                mention.diagnostic = None;
            }
        }
        self.links.retain(|l| !suppressions.silences(&l.diagnostic));
        for key in &mut self.keys {
            if key
                .diagnostic
                .as_ref()
                .is_some_and(|d| suppressions.silences(d))
            {
                key.diagnostic = None;
            }
        }
    }
}

/// A taxonomy field's values: its string, or the strings and numbers of its list.
fn field_values(post: &Post, name: &str) -> Vec<String> {
    use serde_yaml::Value;
    let scalar = |value: &Value| match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match post.front().and_then(|f| f.mapping.get(name)) {
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
        Some(value) => scalar(value).into_iter().collect(),
        None => Vec::new(),
    }
}

fn mentions(post: &Post, settings: &Settings, key: &str, values: &[String]) -> Vec<Mention> {
    let field = post.front().and_then(|f| {
        f.field(key).or_else(|| {
            if key == "categories" {
                f.field("category")
            } else {
                None
            }
        })
    });
    let mut locator = field.map(|f| Locator::new(post, f.key_span.clone()));
    values
        .iter()
        .map(|value| {
            let span = locator.as_mut().map_or(0..0, |l| l.locate(value));
            Mention {
                value: value.clone(),
                diagnostic: field.and_then(|_| {
                    make_diagnostic(post, settings, &site::TAG_VARIANT, span, String::new())
                        .map(Box::new)
                }),
            }
        })
        .collect()
}

/// Finds the values of one field written in the front matter, in the order they are listed.
struct Locator<'a> {
    text: &'a str,
    /// Where the field's key starts: a value not found is reported there.
    key: usize,
    /// Where the field's key ends: values are searched after it.
    from: usize,
    /// Where the front matter ends.
    end: usize,
    /// Where the next value is looked for: after the one found last.
    cursor: usize,
    /// Bytes that may still be searched. A value not written in the field (an alias, a split
    /// string) searches to the end of the front matter; tens of thousands of them would search it
    /// as many times, so past a few times its length the values are placed at the key.
    budget: usize,
}

impl<'a> Locator<'a> {
    fn new(post: &'a Post, key: Range<usize>) -> Locator<'a> {
        let from = key.end;
        let end = match &post.split {
            crate::site::split::Split::Closed { yaml, .. } => yaml.end,
            _ => post.text.len(),
        };
        Locator {
            text: &post.text,
            key: key.start,
            from,
            end,
            cursor: from,
            budget: 8 * end.saturating_sub(from) + 4096,
        }
    }

    /// The span of `value` written after the previous value found (or anywhere after the key), or
    /// the key's start.
    fn locate(&mut self, value: &str) -> Range<usize> {
        for start in [self.cursor, self.from] {
            let Some(region) = self.text.get(start..self.end) else {
                continue;
            };
            if self.budget == 0 {
                break;
            }
            let found = region.find(value);
            let searched = found.map_or(region.len(), |i| i + value.len());
            self.budget = self.budget.saturating_sub(searched);
            if let Some(i) = found {
                self.cursor = start + i + value.len();
                return start + i..self.cursor;
            }
            if start == self.from {
                break;
            }
        }
        self.key..self.key
    }
}

/// The site's URLs and source files that the checked posts' internal links look up: a one-file run
/// indexes what its links name, not the whole site.
#[derive(Debug, Clone, Default)]
pub struct SiteIndex {
    /// Post URL path to the post's status.
    pub post_urls: FxHashMap<String, Option<Status>>,
    /// Post file name without extension (and with its folders under `_posts/`) to its status.
    pub post_names: FxHashMap<String, Option<Status>>,
    /// Source paths relative to the root: posts, drafts, pages, assets.
    pub sources: FxHashSet<String>,
    /// URL paths that pages and static files are served at.
    pub page_urls: FxHashSet<String>,
    /// Whether anything besides posts is served (a page, a static file or a redirect), looked
    /// up or not.
    pub serves_pages: bool,
}

/// What the checked posts' links look up.
#[derive(Default)]
struct Wanted<'a> {
    /// URL paths, with the forms a server also answers a link at (`x/` and `x.html` for `x`).
    urls: FxHashSet<String>,
    names: FxHashSet<&'a str>,
    sources: FxHashSet<&'a str>,
}

impl<'a> Wanted<'a> {
    fn of(facts: &'a [PostFacts], checked: &dyn Fn(&PostFacts) -> bool) -> Wanted<'a> {
        let mut wanted = Wanted::default();
        for link in facts.iter().filter(|f| checked(f)).flat_map(|f| &f.links) {
            match &link.target {
                LinkTarget::PostName(name) => {
                    wanted.names.insert(name);
                }
                LinkTarget::SourcePath(path) => {
                    wanted.sources.insert(path);
                }
                LinkTarget::Url(url) => {
                    if !url.ends_with('/') {
                        wanted.urls.insert(format!("{url}/"));
                        wanted.urls.insert(format!("{url}.html"));
                    }
                    wanted.urls.insert(url.clone());
                }
            }
        }
        wanted
    }
}

impl SiteIndex {
    /// Builds the index from the posts' facts and the site's other files, for the links of the
    /// posts for which `checked` holds.
    pub fn build(
        site: &Site,
        files: &SiteFiles,
        facts: &[PostFacts],
        checked: &dyn Fn(&PostFacts) -> bool,
    ) -> SiteIndex {
        let wanted = Wanted::of(facts, checked);
        let mut index = SiteIndex::default();
        let urls = !wanted.urls.is_empty();
        let (names, sources) = (!wanted.names.is_empty(), !wanted.sources.is_empty());
        if !(urls || names || sources) {
            return index;
        }
        let serve = |index: &mut SiteIndex, url: &str| {
            index.serves_pages = true;
            if urls {
                let forms = served_forms(url).into_iter();
                index
                    .page_urls
                    .extend(forms.filter(|form| wanted.urls.contains(form)));
            }
        };
        for f in facts {
            if let Some(url) = f.url.as_deref().filter(|_| urls) {
                let url = unescape(url);
                if wanted.urls.contains(url.as_ref()) {
                    index.post_urls.insert(url.into_owned(), f.status);
                }
            }
            if names {
                for name in crate::post::post_url_names(&f.rel) {
                    if wanted.names.contains(name.as_str()) {
                        index.post_names.insert(name, f.status);
                    }
                }
            }
            if wanted.sources.contains(f.rel.as_str())
                && site
                    .collection_of(&f.rel)
                    .is_none_or(|collection| collection.output)
            {
                index.sources.insert(f.rel.clone());
            }
            for redirect in &f.redirects {
                serve(&mut index, redirect);
            }
        }
        // Where a page is served takes reading its front matter: the pages are read in parallel.
        let served: Vec<(&String, Served)> = files
            .others
            .par_iter()
            .chain(files.collection_files.par_iter())
            .filter_map(|rel| Some((rel, site.served(rel)?)))
            .collect();
        for (rel, served) in served {
            // Jekyll's `{% link %}` finds only what it writes: not a file of a collection without output.
            if wanted.sources.contains(rel.as_str()) {
                index.sources.insert(rel.clone());
            }
            for url in std::iter::once(&served.url).chain(&served.redirect_from) {
                serve(&mut index, url);
            }
        }
        index
    }
}

/// A URL path with its escapes decoded, copied only when it has some.
fn unescape(url: &str) -> std::borrow::Cow<'_, str> {
    if url.contains('%') {
        crate::site::permalink::unescape_path(url).into()
    } else {
        url.into()
    }
}

/// The forms a served URL answers at: the one Jekyll gives it, and the forms servers also accept
/// (`/about` for `/about.html`, `/dir/index.html` for `/dir/`).
fn served_forms(url: &str) -> Vec<String> {
    let url = crate::site::permalink::unescape_path(url);
    let mut urls = Vec::with_capacity(3);
    if let Some(dir) = url.strip_suffix("/index.html") {
        urls.push(format!("{dir}/"));
    } else if let Some(stem) = url.strip_suffix(".html") {
        urls.push(stem.to_string());
        urls.push(format!("{stem}/"));
    } else if url.ends_with('/') {
        urls.push(format!("{url}index.html"));
    }
    urls.push(url);
    urls
}
