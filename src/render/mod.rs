//! Rendering posts for export: Liquid (the site's [`crate::template::Engine`]), Markdown to HTML,
//! then one writer per format.
//!
//! [`prepare`] reads and renders the chosen posts once (in parallel, in a deterministic order);
//! [`json`], [`feed`] and [`html`] only arrange what it produced.

pub mod dir;

pub mod feed;
pub mod guard;
pub mod highlight;
pub mod html;
pub mod i18n;
pub mod json;
pub mod kramdown;
pub mod markdown;
pub mod objects;
pub mod select;
pub mod site_info;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde_yaml::Value;

use crate::post::{Post, Status};
use crate::site::{Kind, Site, SiteFiles, SourceFile};
use crate::template::Targets;
use markdown::{Excerpt, Markdown, Rendered};
use select::{named_files, Choice, Chosen, Place, Selection};
pub use site_info::SiteInfo;

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
    /// Keep highlighted code blocks in the site's cache folder for the next export.
    pub cache: bool,
    /// The time that decides which posts are in the future.
    pub now: DateTime<FixedOffset>,
}

/// One exported post, rendered.
#[derive(Debug, Clone)]
pub struct ExportedPost {
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

impl ExportedPost {
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
    pub posts: Vec<ExportedPost>,
    /// Liquid left as written, one line per tag name, for stderr.
    pub warnings: Vec<String>,
}

/// The value behind a mutex, also after a panic in another thread: the export's shared sets only
/// ever grow, so what they hold stays true.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
    let (posts, unreadable) = crate::post::read_all(&sources, site);
    if !unreadable.is_empty() {
        return Err(ExportError::Trouble(
            unreadable.iter().map(ToString::to_string).collect(),
        ));
    }
    prepare_posts(site, files, info, posts, &named, options, tick)
}

/// [`prepare`] for posts already read: selects and renders them, `named` exported whatever their
/// status. Reads nothing from disk but `_data` and the modification time of a draft without a
/// date.
pub fn prepare_posts(
    site: &Site,
    files: &SiteFiles,
    info: SiteInfo,
    posts: Vec<Post>,
    named: &[SourceFile],
    options: &Options,
    tick: &(dyn Fn() + Sync),
) -> Result<Export, ExportError> {
    let Selection {
        chosen,
        targets,
        skipped,
    } = select::select(site, posts, named, options)?;
    let (data, data_errors) = crate::template::read_data(&site.root);
    let needs_engine = chosen.iter().any(|c| uses_liquid(&c.post));
    let engine = needs_engine.then(|| {
        let posts = chosen.iter().map(|c| (&c.post, c.url.as_str(), c.date));
        objects::engine(site, files, &info, posts, targets, options.now, data)
    });
    let jobs = chosen.into_iter().map(Job::Render).collect();
    let done = render_jobs(
        site,
        jobs,
        engine.as_ref(),
        options,
        (skipped, data_errors),
        tick,
    );
    if !done.problems.is_empty() {
        return Err(ExportError::Content(done.problems));
    }
    Ok(Export {
        site: info,
        posts: done.entries,
        warnings: done.warnings,
    })
}

/// The rendered posts of the last [`prepare_again`], and the links they were rendered with.
#[derive(Debug, Default)]
pub struct Kept {
    posts: HashMap<PathBuf, ExportedPost>,
    targets: Targets,
}

impl Kept {
    /// Keeps `posts`, the posts of the export [`prepare_again`] returned last, for the next one.
    pub fn keep(&mut self, posts: Vec<ExportedPost>) {
        for entry in posts {
            self.posts.insert(entry.post.file.path.clone(), entry);
        }
    }
}

/// [`prepare_posts`] over the whole site again (nothing named), rendering only the posts whose
/// rendering may differ from the one `kept`: the posts `changed` names, the posts whose date, URL
/// or status moved, and the posts whose Liquid reads other posts (`site`, includes) or, when a
/// post's URL changed, links to them. The other posts are taken from `kept` as they are. Returns
/// the export and the files of the posts rendered anew. Warnings about unknown Liquid name only
/// the posts rendered anew.
pub fn prepare_again(
    site: &Site,
    files: &SiteFiles,
    info: SiteInfo,
    posts: &[&Post],
    options: &Options,
    kept: &mut Kept,
    changed: &dyn Fn(&Path) -> bool,
) -> Result<(Export, Vec<PathBuf>), ExportError> {
    let Choice {
        places,
        targets,
        skipped,
    } = select::choose(site, posts, &[], options)?;
    let links_same = targets == kept.targets;
    let mut previous = std::mem::take(&mut kept.posts);
    let mut reuse = |place: &Place| -> Option<ExportedPost> {
        let path = &posts[place.index].file.path;
        if changed(path) {
            return None;
        }
        let entry = previous.remove(path)?;
        let liquid_same = !uses_liquid(&entry.post) || (links_same && !reads_others(&entry.post));
        let same = entry.url == place.url
            && entry.date == place.date
            && entry.status == place.status
            && liquid_same;
        same.then_some(entry)
    };
    let mut jobs = Vec::with_capacity(places.len());
    for place in &places {
        jobs.push(match reuse(place) {
            Some(entry) => Job::Keep(entry),
            None => Job::Render(Chosen {
                post: posts[place.index].clone(),
                date: place.date,
                url: place.url.clone(),
                status: place.status,
            }),
        });
    }
    let (data, data_errors) = crate::template::read_data(&site.root);
    let needs_engine = jobs
        .iter()
        .any(|job| matches!(job, Job::Render(c) if uses_liquid(&c.post)));
    let engine = needs_engine.then(|| {
        let posts = places
            .iter()
            .map(|p| (posts[p.index], p.url.as_str(), p.date));
        let targets = targets.clone();
        objects::engine(site, files, &info, posts, targets, options.now, data)
    });
    kept.targets = targets;
    let done = render_jobs(
        site,
        jobs,
        engine.as_ref(),
        options,
        (skipped, data_errors),
        &|| {},
    );
    if !done.problems.is_empty() {
        // Those rendered anew are not kept: their pages would not know they changed.
        let fresh: std::collections::HashSet<&PathBuf> = done.fresh.iter().collect();
        let reused = done
            .entries
            .into_iter()
            .filter(|e| !fresh.contains(&e.post.file.path));
        kept.keep(reused.collect());
        return Err(ExportError::Content(done.problems));
    }
    let export = Export {
        site: info,
        posts: done.entries,
        warnings: done.warnings,
    };
    Ok((export, done.fresh))
}

/// Whether a post's body goes through Liquid.
fn uses_liquid(post: &Post) -> bool {
    !crate::lint::document::liquid_blocks::liquid_off(post)
        && crate::liquid::has_markup(post.body())
}

/// Whether a post's Liquid may read other posts than through links: `site` (`site.posts`...) or an
/// include (which may read `site`).
fn reads_others(post: &Post) -> bool {
    let body = post.body();
    body.contains("site") || body.contains("include")
}

/// The selected posts rendered (or handed back by `reuse`), newest first, and what went wrong.
struct Prepared {
    entries: Vec<ExportedPost>,
    fresh: Vec<PathBuf>,
    problems: Vec<String>,
    warnings: Vec<String>,
}

/// A rendered post with the Liquid it left as written or passed through (name, offset in the
/// body), or why it failed.
type Rendering = Result<(ExportedPost, Vec<(String, usize)>), String>;

/// A post of an export: rendered before and kept, or to render.
enum Job {
    Keep(ExportedPost),
    Render(Chosen),
}

/// Renders the posts of `jobs` to render, in parallel, with `engine` (there whenever one of them
/// [`uses_liquid`]); `tick` follows them. `skipped` files and `_data` files that cannot be read
/// come before.
fn render_jobs(
    site: &Site,
    jobs: Vec<Job>,
    engine: Option<&crate::template::Engine>,
    options: &Options,
    (skipped, data_errors): (Vec<String>, Vec<crate::template::DataError>),
    tick: &(dyn Fn() + Sync),
) -> Prepared {
    let cache = options
        .cache
        .then(|| crate::cache::folder(&site.root))
        .flatten();
    let markdown = Markdown::new(options.highlight, options.sanitize, &site.config.markdown)
        .with_cache(cache.as_deref());
    // One post per task: rayon's default leaves can hold dozens of posts, and the last of them
    // would leave the other cores idle at the end of the run.
    let rendered: Vec<(Rendering, bool)> = jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|job| match job {
            Job::Keep(entry) => (Ok((entry, Vec::new())), false),
            Job::Render(chosen) => {
                let result = render_post(chosen, engine, &markdown);
                tick();
                (result, true)
            }
        })
        .collect();
    markdown.save_cache(options.named.is_empty());
    let (rendered, fresh): (Vec<Rendering>, Vec<bool>) = rendered.into_iter().unzip();
    let mut warnings = skipped;
    warnings.extend(unknown_liquid(&rendered));
    let mut done = Prepared {
        entries: Vec::with_capacity(rendered.len()),
        fresh: Vec::new(),
        problems: data_errors.iter().map(ToString::to_string).collect(),
        warnings,
    };
    for (result, fresh) in rendered.into_iter().zip(fresh) {
        match result {
            Ok((entry, _)) => {
                if fresh {
                    done.fresh.push(entry.post.file.path.clone());
                }
                done.entries.push(entry);
            }
            Err(problem) => done.problems.push(problem),
        }
    }
    done.problems.sort();
    done
}

/// One warning per plugin tag or unknown filter, at its first use in the site.
fn unknown_liquid(rendered: &[Rendering]) -> Vec<String> {
    let mut first_use: BTreeMap<String, (&str, usize, String)> = BTreeMap::new();
    for (entry, unknown) in rendered.iter().flatten() {
        for (name, offset) in unknown {
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
    first_use
        .into_iter()
        .map(|(name, (_, _, place))| {
            format!(
                "{place}: Liquid `{name}` is unknown to carnet (a plugin's?); left as written (reported once)"
            )
        })
        .collect()
}

/// Jekyll's excerpt source: the body up to the separator, with an end tag added for each Liquid
/// block left open there (`Jekyll::Excerpt#extract_excerpt`).
fn excerpt_head(head: &str) -> String {
    let mut head = head.to_string();
    if !head.contains("{%") {
        return head;
    }
    let tokens = crate::liquid::tokenize(&head);
    let mut names: Vec<String> = tokens
        .iter()
        .filter_map(|t| match t {
            crate::liquid::Token::Tag(tag) => Some(tag.name.to_string()),
            crate::liquid::Token::Unclosed(crate::liquid::Unclosed::Block(tag)) => {
                Some(tag.name.to_string())
            }
            _ => None,
        })
        .collect();
    names.reverse();
    let mut closing = String::new();
    for name in names {
        let is_block = crate::lint::document::liquid_blocks::BLOCKS.contains(&name.as_str());
        let end = format!("end{name}");
        if is_block
            && !tokens
                .iter()
                .any(|t| matches!(t, crate::liquid::Token::Tag(tag) if tag.name == end))
        {
            closing.push_str(&format!("\n{{% {end} %}}"));
        }
    }
    head.push_str(&closing);
    head
}

/// Renders one post; `engine` is there whenever the post [`uses_liquid`].
fn render_post(
    chosen: Chosen,
    engine: Option<&crate::template::Engine>,
    markdown: &Markdown,
) -> Rendering {
    let Chosen {
        post,
        date,
        url,
        status,
    } = chosen;
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
    if let Some((offset, message)) = crate::lint::document::liquid_blocks::first_unclosed(&post) {
        return Err(at(&post, offset, &message));
    }
    let engine = engine.filter(|_| uses_liquid(&post));
    let page = objects::page(&post, &title, &url, date);
    let run = |text: &str| -> Result<crate::template::Rendered, String> {
        let Some(engine) = engine else {
            return Ok(crate::template::Rendered {
                text: text.to_string(),
                unknown: Vec::new(),
            });
        };
        engine
            .render(text, &page)
            .map_err(|e| at(&post, post.body_start + e.offset, &e.message))
    };
    let expanded = run(body)?;
    let excerpt = match cut {
        _ if separator.is_empty() => Excerpt::None,
        Some(cut) => Excerpt::Source(run(&excerpt_head(&body[..cut]))?.text),
        None => Excerpt::Whole,
    };
    let mut rendered = markdown
        .render(&expanded.text, excerpt)
        .map_err(|_| at(&post, post.body_start, "the Markdown could not be rendered"))?;
    if let Some(Value::String(own)) = post.data.fields.get("excerpt") {
        rendered.excerpt_html = excerpt_from_field(own);
    }
    Ok((
        ExportedPost {
            title,
            url,
            date,
            status,
            rendered,
            word_count: crate::post::count_words(&expanded.text),
            post,
        },
        expanded.unknown,
    ))
}

/// An `excerpt:` field replaces the excerpt, as in Jekyll; like every front-matter value it is
/// text, escaped, never markup.
fn excerpt_from_field(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    format!("<p>{}</p>\n", crate::escape::html(text))
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
    posts: &'a [ExportedPost],
    values: impl Fn(&'a ExportedPost) -> &'a [String],
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
    fn titles_from_slugs() {
        assert_eq!(titleize_slug("hello-WORLD-été"), "Hello World Été");
    }
}
