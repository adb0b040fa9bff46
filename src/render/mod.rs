//! Rendering posts for export: the Liquid pass, Markdown to HTML, then one writer per format.
//!
//! [`prepare`] reads and renders the chosen posts once (in parallel, in a deterministic order);
//! [`json`], [`feed`] and [`html`] only arrange what it produced.

pub mod dir;
pub mod feed;
pub mod guard;
pub mod html;
pub mod i18n;
pub mod json;
pub mod liquid;
pub mod markdown;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveTime};
use rayon::prelude::*;
use serde_yaml::Value;

use crate::error::ReadError;
use crate::post::{Post, Status};
use crate::site::date::Zone;
use crate::site::permalink::{self, UrlParts};
use crate::site::split::Split;
use crate::site::{Kind, Site, SiteConfig, SiteFiles, SourceFile};
use markdown::{Excerpt, Markdown, Rendered};

/// Reading speed used for `reading_minutes`, in words per minute.
pub const WORDS_PER_MINUTE: usize = 200;

/// Why an export stopped; the variant decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Problems in the posts (a broken reference, an unreadable date...): exit 1, nothing written.
    #[error("{}", .0.join("\n"))]
    Content(Vec<String>),
    /// An output that carnet will not replace or write into: exit 1.
    #[error("{0}")]
    Refused(String),
    /// Files that cannot be read, bad flags or templates: exit 2.
    #[error("{}", .0.join("\n"))]
    Trouble(Vec<String>),
}

impl ExportError {
    /// A single problem of the `Trouble` kind.
    pub fn trouble(message: impl Into<String>) -> ExportError {
        ExportError::Trouble(vec![message.into()])
    }
}

/// What to export and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Add drafts.
    pub drafts: bool,
    /// Add posts dated after `now`.
    pub future: bool,
    /// Add posts with `published: false`.
    pub unpublished: bool,
    /// Export only these files (whatever their status).
    pub named: Vec<PathBuf>,
    /// `--base-url`: replaces `url` and `baseurl`.
    pub base_url: Option<String>,
    /// Highlight code blocks.
    pub highlight: bool,
    /// Strip unsafe HTML from the posts.
    pub sanitize: bool,
    /// The time that decides which posts are in the future.
    pub now: DateTime<FixedOffset>,
}

/// The site as an export presents it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SiteInfo {
    /// `title`.
    pub title: Option<String>,
    /// `url` (scheme and host), without a trailing slash.
    pub url: Option<String>,
    /// `baseurl`, `""` or a path starting with `/`.
    pub baseurl: String,
    /// `lang`.
    pub lang: Option<String>,
    /// `description`.
    #[serde(skip)]
    pub description: Option<String>,
    /// `author`, or `author.name`.
    #[serde(skip)]
    pub author: Option<String>,
}

impl SiteInfo {
    /// The site's details from `_config.yml`, `--base-url` replacing `url` and `baseurl`.
    pub fn new(config: &SiteConfig, base_url: Option<&str>) -> Result<SiteInfo, ExportError> {
        let text = |key: &str| match config.raw.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Mapping(m)) => m.get("name").and_then(Value::as_str).map(str::to_string),
            _ => None,
        };
        let (url, baseurl) = match base_url {
            Some(given) => split_base_url(given)?,
            None => (config.url.clone(), normalize_baseurl(&config.baseurl)),
        };
        Ok(SiteInfo {
            title: config.title.clone(),
            url,
            baseurl,
            lang: config.lang.clone(),
            description: text("description"),
            author: text("author"),
        })
    }

    /// A site path (`/2017/x.html`) as a link: absolute when the site has a `url`, else from the root.
    pub fn absolute(&self, path: &str) -> String {
        format!(
            "{}{}{path}",
            self.url.as_deref().unwrap_or(""),
            self.baseurl
        )
    }
}

/// Splits `--base-url https://host/path` into `url` and `baseurl`; `/path` alone sets only `baseurl`.
fn split_base_url(given: &str) -> Result<(Option<String>, String), ExportError> {
    let given = given.trim();
    if given.starts_with('/') || given.is_empty() {
        return Ok((None, normalize_baseurl(given)));
    }
    let Some((scheme, rest)) = given.split_once("://") else {
        return Err(ExportError::trouble(format!(
            "--base-url {given}: expected an absolute URL such as https://example.org/blog, or a path such as /blog"
        )));
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        || rest.is_empty()
        || rest.starts_with('/')
    {
        return Err(ExportError::trouble(format!(
            "--base-url {given}: not an absolute URL (expected scheme://host[/path])"
        )));
    }
    let (host, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, ""),
    };
    // What no URL may hold raw (RFC 3986), and a query or fragment, which a base URL cannot carry.
    let not_in_url = |c: char| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`?#".contains(c);
    if let Some(bad) = host.chars().chain(path.chars()).find(|&c| not_in_url(c)) {
        return Err(ExportError::trouble(format!(
            "--base-url {given}: not a valid URL: {bad:?} cannot appear in it (write a space in a path as %20)"
        )));
    }
    Ok((Some(format!("{scheme}://{host}")), normalize_baseurl(path)))
}

fn normalize_baseurl(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

/// One exported post, rendered.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The post as read.
    pub post: Post,
    /// `title`, or the title Jekyll derives from the file name.
    pub title: String,
    /// URL path under the site (without `baseurl`), escaped.
    pub url: String,
    /// The date in the site's zone (a draft without `date:` takes its file's modification time, as in Jekyll).
    pub date: DateTime<FixedOffset>,
    /// Published, draft, future or unpublished.
    pub status: Status,
    /// Body, excerpt and headings as HTML.
    pub rendered: Rendered,
    /// Words in the body, counted once.
    pub word_count: usize,
}

impl Entry {
    /// Minutes to read the post, at [`WORDS_PER_MINUTE`]; at least 1 for a post with words.
    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(WORDS_PER_MINUTE)
    }
}

/// Everything an export writes from: the site and its rendered posts, newest first.
#[derive(Debug, Clone)]
pub struct Export {
    /// The site's details.
    pub site: SiteInfo,
    /// The posts, newest first.
    pub posts: Vec<Entry>,
    /// Liquid left as written, one line per tag name, for stderr.
    pub warnings: Vec<String>,
}

/// Reads, selects and renders the posts; `tick` is called once per rendered post (progress).
pub fn prepare(
    site: &Site,
    files: &SiteFiles,
    options: &Options,
    tick: &(dyn Fn() + Sync),
) -> Result<Export, ExportError> {
    let info = SiteInfo::new(&site.config, options.base_url.as_deref())?;
    let named = named_files(site, &options.named)?;
    let mut sources: Vec<_> = files
        .posts
        .iter()
        .filter(|f| f.kind != Kind::Page)
        .cloned()
        .collect();
    for file in &named {
        if !sources.contains(file) {
            sources.push(file.clone());
        }
    }
    let read: Vec<Result<Post, ReadError>> = sources
        .par_iter()
        .map(|file| Post::read(file.clone(), site))
        .collect();
    let mut unreadable = Vec::new();
    let mut posts = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(post) => posts.push(post),
            Err(error) => unreadable.push(error.to_string()),
        }
    }
    if !unreadable.is_empty() {
        return Err(ExportError::Trouble(unreadable));
    }
    prepare_posts(site, info, posts, &named, options, tick)
}

/// [`prepare`] for posts already read: selects and renders them, `named` exported whatever their
/// status. Reads nothing from disk but the modification time of a draft without a date.
pub fn prepare_posts(
    site: &Site,
    info: SiteInfo,
    posts: Vec<Post>,
    named: &[SourceFile],
    options: &Options,
    tick: &(dyn Fn() + Sync),
) -> Result<Export, ExportError> {
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    let mut chosen: Vec<(Post, DateTime<FixedOffset>, String, Status)> = Vec::new();
    let mut targets = liquid::Targets::default();
    for post in posts {
        let is_named = named.contains(&post.file);
        let considered =
            is_named || (named.is_empty() && (post.file.kind == Kind::Post || options.drafts));
        let date = match jekyll_post_date(&post, site.config.timezone) {
            Ok(date) => date,
            Err(Rejected::NotAPost(why)) => {
                let message = format!("not exported: Jekyll does not treat it as a post ({why})");
                if is_named {
                    problems.push(at(&post, 0, &message));
                } else if considered {
                    skipped.push(at(&post, 0, &message));
                }
                continue;
            }
            Err(Rejected::Problem(offset, message)) => {
                if considered {
                    problems.push(at(&post, offset, &message));
                }
                continue;
            }
        };
        let url = match url_of(&post, site, date) {
            Ok(url) => url,
            Err(message) => {
                if considered {
                    problems.push(at(&post, field_offset(&post, "permalink"), &message));
                }
                continue;
            }
        };
        if post.file.kind == Kind::Post {
            for name in crate::post::post_url_names(&post.file.rel) {
                targets.by_name.insert(name, url.clone());
            }
            targets.by_path.insert(post.file.rel.clone(), url.clone());
        }
        let status = status_at(&post, date, options.now);
        let wanted = is_named
            || (named.is_empty()
                && match status {
                    Status::Published => true,
                    Status::Draft => options.drafts,
                    Status::Future => options.future || site.config.future,
                    Status::Unpublished => options.unpublished,
                });
        if wanted {
            chosen.push((post, date, url, status));
        }
    }
    if !problems.is_empty() {
        return Err(ExportError::Content(problems));
    }

    chosen.sort_by(|a, b| (b.1, &b.0.file.rel).cmp(&(a.1, &a.0.file.rel)));
    let markdown = Markdown::new(options.highlight, options.sanitize);
    let page_url = |rel: &str| site.page_url(rel);
    let scope = liquid::Scope {
        url: info.url.as_deref().unwrap_or(""),
        baseurl: &info.baseurl,
        title: info.title.as_deref().unwrap_or(""),
        config: &site.config.raw,
        targets: &targets,
        page_url: &page_url,
    };
    type Rendering = Result<(Entry, Vec<(String, usize)>), String>;
    let rendered: Vec<Rendering> = chosen
        .into_par_iter()
        .map(|(post, date, url, status)| {
            let result = render_post(post, date, url, status, &scope, &markdown);
            tick();
            result
        })
        .collect();

    let mut entries = Vec::with_capacity(rendered.len());
    let mut first_use: BTreeMap<String, (&str, usize, String)> = BTreeMap::new();
    for (entry, unsupported) in rendered.iter().flatten() {
        for (name, offset) in unsupported {
            let here = (entry.post.file.rel.as_str(), *offset);
            let earlier = first_use
                .get(name)
                .is_some_and(|(rel, at, _)| (*rel, *at) <= here);
            if !earlier {
                let place = location(&entry.post, entry.post.body_start + offset);
                first_use.insert(name.clone(), (here.0, here.1, place));
            }
        }
    }
    let warnings_of_liquid: Vec<String> = first_use
        .into_iter()
        .map(|(name, (_, _, place))| {
            format!("{place}: Liquid `{name}` is not supported by carnet; left as written (reported once)")
        })
        .collect();
    for result in rendered {
        match result {
            Ok((entry, _)) => entries.push(entry),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(ExportError::Content(problems));
    }
    let mut warnings = skipped;
    warnings.extend(warnings_of_liquid);
    Ok(Export {
        site: info,
        posts: entries,
        warnings,
    })
}

fn render_post(
    post: Post,
    date: DateTime<FixedOffset>,
    url: String,
    status: Status,
    scope: &liquid::Scope,
    markdown: &Markdown,
) -> Result<(Entry, Vec<(String, usize)>), String> {
    let title = post
        .data
        .title
        .clone()
        .unwrap_or_else(|| titleize_slug(&post.name.slug));
    let body = post.body();
    let separator = post
        .data
        .excerpt_separator
        .clone()
        .unwrap_or_else(|| "\n\n".to_string());
    let cut = if separator.is_empty() {
        None
    } else {
        body.find(&separator)
    };
    let page_date = date.format("%Y-%m-%d %H:%M:%S %z").to_string();
    let page = liquid::Page {
        title: &title,
        url: &url,
        date: &page_date,
        fields: &post.data.fields,
    };
    if let Some((offset, message)) = crate::lint::document::liquid::first_unclosed(&post) {
        return Err(at(&post, offset, &message));
    }
    let expanded = liquid::expand(body, cut, scope, &page)
        .map_err(|e| at(&post, post.body_start + e.offset, &e.message))?;
    let excerpt = match expanded.cut {
        _ if separator.is_empty() => Excerpt::None,
        Some(cut) => Excerpt::Until(cut),
        None => Excerpt::Whole,
    };
    let mut rendered = markdown
        .render(&expanded.text, excerpt)
        .map_err(|_| at(&post, post.body_start, "the Markdown could not be rendered"))?;
    if let Some(Value::String(own)) = post.data.fields.get("excerpt") {
        rendered.excerpt_html = excerpt_from_field(own);
    }
    Ok((
        Entry {
            title,
            url,
            date,
            status,
            rendered,
            word_count: post.word_count(),
            post,
        },
        expanded.unsupported,
    ))
}

/// An `excerpt:` field replaces the excerpt, as in Jekyll; like every front-matter value it is
/// text, escaped, never markup.
fn excerpt_from_field(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let mut html = String::with_capacity(text.len() + 8);
    html.push_str("<p>");
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
    html.push_str("</p>\n");
    html
}

/// The files named on the command line, which must be posts or drafts of the site.
fn named_files(site: &Site, paths: &[PathBuf]) -> Result<Vec<SourceFile>, ExportError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.is_file() {
            problems.push(format!("{}: no such file", path.display()));
            continue;
        }
        let file = site.source_file(path);
        if file.kind == Kind::Page {
            problems.push(format!(
                "{}: not a post of the site at {} (posts live under _posts/ or _drafts/)",
                path.display(),
                site.root.display()
            ));
            continue;
        }
        if !files.contains(&file) {
            files.push(file);
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(ExportError::Trouble(problems))
    }
}

/// Why a file of `_posts/` or `_drafts/` gets no date.
enum Rejected {
    /// Jekyll does not treat the file as a post (it copies it as a static file).
    NotAPost(&'static str),
    /// Jekyll would stop with an error, at this byte offset.
    Problem(usize, String),
}

/// The date Jekyll gives a post; a draft without `date:` takes its file's modification time.
fn jekyll_post_date(post: &Post, zone: Zone) -> Result<DateTime<FixedOffset>, Rejected> {
    match &post.split {
        Split::Missing | Split::Toml => {
            return Err(Rejected::NotAPost("it has no YAML front matter"));
        }
        Split::Unclosed { .. } => {
            return Err(Rejected::NotAPost(
                "its front matter is never closed by a `---` line",
            ));
        }
        Split::Closed { .. } => {}
    }
    if let Some(Err(error)) = &post.front_matter {
        let offset = match error {
            crate::site::front_matter::FrontMatterError::Invalid { offset, .. }
            | crate::site::front_matter::FrontMatterError::NotMapping { offset, .. } => *offset,
        };
        return Err(Rejected::Problem(offset, error.to_string()));
    }
    let date_field = post.data.fields.get("date").filter(|v| !v.is_null());
    let has_date_field = date_field.is_some();
    if has_date_field && post.data.written_date.is_none() {
        return Err(Rejected::Problem(
            field_offset(post, "date"),
            format!(
                "`date:` is not a date Jekyll reads ({})",
                crate::site::date::DATE_FORMS
            ),
        ));
    }
    if post.file.kind == Kind::Post {
        if post.name.date_text.is_none() {
            return Err(Rejected::NotAPost(
                "its file name has no YYYY-MM-DD- prefix",
            ));
        }
        if post.name.date.is_none() && !has_date_field {
            return Err(Rejected::Problem(
                0,
                "the date in the file name is not a real day".to_string(),
            ));
        }
    }
    if let Some(date) = post
        .data
        .date
        .filter(|d| !crate::site::date::fits_rfc3339(d))
    {
        return Err(Rejected::Problem(
            field_offset(post, "date"),
            crate::site::date::beyond_rfc3339(&date),
        ));
    }
    post.data
        .date
        .or_else(|| {
            let modified = std::fs::metadata(&post.file.path)
                .and_then(|m| m.modified())
                .ok()?;
            let utc: DateTime<chrono::Utc> = modified.into();
            Some(zone.convert(utc.fixed_offset()))
        })
        .or_else(|| {
            let day = post.name.date?;
            Some(zone.resolve(day.and_time(NaiveTime::MIN)))
        })
        .ok_or(Rejected::NotAPost("it has no date"))
}

/// Published, draft, future or unpublished, from the date the export uses.
fn status_at(post: &Post, date: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> Status {
    match post.status(now) {
        Status::Published | Status::Future if date > now => Status::Future,
        Status::Future => Status::Published,
        other => other,
    }
}

/// The URL path of a post under its permalink, refusing patterns that climb out of the site.
fn url_of(post: &Post, site: &Site, date: DateTime<FixedOffset>) -> Result<String, String> {
    let style = post
        .data
        .permalink
        .as_deref()
        .unwrap_or(&site.config.permalink);
    if permalink::pattern_for(style)
        .split(['/', '\\'])
        .any(|segment| segment == "..")
    {
        return Err(format!(
            "permalink `{style}` climbs out of the site with `..`: refusing to write outside the output folder"
        ));
    }
    permalink::url(
        style,
        &UrlParts {
            date,
            categories: &post.data.categories,
            slug: &post.data.slug,
            output_ext: ".html",
        },
    )
    .map_err(|e| e.to_string())
}

/// Jekyll's title for a post without one: the file name's words, capitalized.
pub fn titleize_slug(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

fn field_offset(post: &Post, key: &str) -> usize {
    post.field_span(key).map_or(0, |span| span.start)
}

fn location(post: &Post, offset: usize) -> String {
    let position = post.position(offset);
    format!(
        "{}:{}:{}",
        crate::paths::display_path(post.path()),
        position.line,
        position.column
    )
}

fn at(post: &Post, offset: usize, message: &str) -> String {
    format!("{}: {message}", location(post, offset))
}

/// Groups posts by a key (tag or category): each group's key, the first spelling met, and the
/// indexes of its posts in order; groups sorted by key.
pub fn group_by<'a>(
    posts: &'a [Entry],
    values: impl Fn(&'a Entry) -> &'a [String],
    key: impl Fn(&str) -> String,
) -> Vec<(String, String, Vec<usize>)> {
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (position, entry) in posts.iter().enumerate() {
        for value in values(entry) {
            let k = key(value);
            let i = *index.entry(k.clone()).or_insert_with(|| {
                groups.push((k, value.clone(), Vec::new()));
                groups.len() - 1
            });
            let members = &mut groups[i].2;
            if members.last() != Some(&position) {
                members.push(position);
            }
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            split_base_url("https://x.org/blog/").unwrap(),
            (Some("https://x.org".to_string()), "/blog".to_string())
        );
        assert_eq!(
            split_base_url("https://x.org").unwrap(),
            (Some("https://x.org".to_string()), String::new())
        );
        assert_eq!(
            split_base_url("/blog").unwrap(),
            (None, "/blog".to_string())
        );
        assert!(split_base_url("x.org/blog").is_err());
        assert!(split_base_url("https:///x").is_err());
        for bad in [
            "https://a b/",
            "https://x.org/my blog",
            "https://x.org/?a",
            "https://x<y>.org",
        ] {
            assert!(split_base_url(bad).is_err(), "{bad}");
        }
        assert!(split_base_url("https://x.org:8080/a%20b").is_ok());
    }

    #[test]
    fn titles_from_slugs() {
        assert_eq!(titleize_slug("hello-WORLD-été"), "Hello World Été");
    }
}
