//! `--format html`: a static site that needs neither Jekyll nor a server.
//!
//! Posts go to their permalink paths, `index.html` lists them (paginated under `page/N/`), each tag
//! and category gets `tags/NAME/index.html` or `categories/NAME/index.html`, plus `feed.xml` (Atom)
//! and `style.css`. Links between pages are relative and name files, so the folder can be opened
//! from disk as well as served. Templates are minijinja with HTML auto-escaping: every front-matter
//! value is escaped; only the rendered post bodies are inserted as they are.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use minijinja::{context, AutoEscape, Environment, Value};
use rayon::prelude::*;

use super::dir::{safe_relative, too_long, MARKER};
use super::i18n::{Labels, Language};
use super::{feed, group_by, Export, ExportError, ExportedPost};
use crate::escape;
use crate::post::variants::variant_key;
use crate::site::permalink::{self, slugify_jekyll, unescape_path, SlugMode};

/// The templates `--templates DIR` may override.
pub const TEMPLATE_NAMES: [&str; 4] = ["base.html", "index.html", "post.html", "taxonomy.html"];

const BUILTIN_TEMPLATES: [&str; 4] = [
    include_str!("templates/base.html"),
    include_str!("templates/index.html"),
    include_str!("templates/post.html"),
    include_str!("templates/taxonomy.html"),
];

/// The built-in stylesheet, written as `style.css` (and inlined in standalone pages).
pub const STYLESHEET: &str = include_str!("templates/style.css");

/// The page templates, built-in or overridden.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Loads the built-in templates, replacing those that `dir` holds; `dir` may also hold partials
    /// that the templates include or extend.
    pub fn load(dir: Option<&Path>) -> Result<Templates, ExportError> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_formatter(format_value);
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(ExportError::trouble(format!(
                    "--templates {}: no such folder",
                    dir.display()
                )));
            }
            env.set_loader(minijinja::path_loader(dir));
        }
        for (name, builtin) in TEMPLATE_NAMES.iter().zip(BUILTIN_TEMPLATES) {
            let custom: Option<PathBuf> = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let (source, shown) = match &custom {
                Some(path) => (
                    std::fs::read_to_string(path).map_err(|e| {
                        ExportError::trouble(format!("{}: cannot read: {e}", path.display()))
                    })?,
                    path.display().to_string(),
                ),
                None => (builtin.to_string(), format!("built-in {name}")),
            };
            env.add_template_owned(*name, source)
                .map_err(|e| ExportError::trouble(format!("{shown}: {e}")))?;
        }
        Ok(Templates { env })
    }

    fn render(&self, name: &str, ctx: Value) -> anyhow::Result<String> {
        let template = self.env.get_template(name)?;
        template
            .render(ctx)
            .map_err(|e| anyhow::anyhow!("template {name}: {e}"))
    }
}

/// Prints `none` and undefined values as nothing, and escapes only what HTML needs escaped.
fn format_value(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    if state.auto_escape() == AutoEscape::None || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let escaped = escape::html_attribute(&value.to_string());
    out.write_str(&escaped).map_err(minijinja::Error::from)
}

/// Limits of the HTML site.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Posts per index page (at least 1).
    pub per_page: usize,
    /// Entries in `feed.xml`.
    pub feed_limit: usize,
    /// Give each heading of a post's page a link to itself.
    pub heading_anchors: bool,
}

/// Where a post's page goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    /// The file, relative to the output folder (unescaped).
    file: String,
    /// The same path as a link (escaped), from the output folder's root.
    href: String,
}

/// A tag or category page.
#[derive(Debug, Clone)]
struct Term {
    name: String,
    place: Place,
    posts: Vec<usize>,
}

/// Every file of the site, decided before anything is written.
#[derive(Debug, Clone)]
pub struct Plan {
    posts: Vec<Place>,
    tags: Vec<Term>,
    categories: Vec<Term>,
    pages: usize,
    term_hrefs: HashMap<(bool, String), String>,
}

impl Plan {
    /// Lays out the site; fails on paths outside the folder and on two pages at one path.
    pub fn new(export: &Export, per_page: usize) -> Result<Plan, ExportError> {
        if per_page == 0 {
            return Err(ExportError::trouble("--per-page must be at least 1"));
        }
        let mut problems = Vec::new();
        let mut owners: HashMap<String, String> = HashMap::new();
        let mut claim = |file: &str, owner: String, problems: &mut Vec<String>| {
            if let Some(first) = owners.get(file) {
                problems.push(format!(
                    "{owner}: writes {file}, which {first} writes too (two pages at one URL)"
                ));
            } else {
                owners.insert(file.to_string(), owner);
            }
        };
        let pages = export.posts.len().div_ceil(per_page).max(1);
        for fixed in ["style.css", "feed.xml", MARKER] {
            claim(fixed, format!("the site's {fixed}"), &mut problems);
        }
        for page in 1..=pages {
            claim(
                &index_place(page).file,
                format!("index page {page}"),
                &mut problems,
            );
        }
        let mut term_hrefs = HashMap::new();
        let mut terms = |is_tag: bool, problems: &mut Vec<String>| -> Vec<Term> {
            let groups = group_by(
                &export.posts,
                |e| {
                    if is_tag {
                        &e.post.data.tags
                    } else {
                        &e.post.data.categories
                    }
                },
                term_key,
            );
            let slugs = unique_slugs(groups.iter().map(|(key, _, _)| key.as_str()));
            groups
                .into_iter()
                .zip(slugs)
                .map(|((key, name, posts), slug)| {
                    let folder = if is_tag { "tags" } else { "categories" };
                    let place = place_of(&format!("/{folder}/{}/", escape(&slug)));
                    if let Some(why) = too_long(&place.file) {
                        let post = crate::paths::display_path(export.posts[posts[0]].post.path());
                        let kind = if is_tag { "tag" } else { "category" };
                        problems.push(format!(
                            "{post}: the page of its {kind} `{}` would be {why}",
                            shortened(&name)
                        ));
                    } else {
                        claim(
                            &place.file,
                            format!("the page of {folder} `{name}`"),
                            problems,
                        );
                    }
                    term_hrefs.insert((is_tag, key), place.href.clone());
                    Term { name, place, posts }
                })
                .collect()
        };
        let tags = terms(true, &mut problems);
        let categories = terms(false, &mut problems);
        let mut posts = Vec::with_capacity(export.posts.len());
        for entry in &export.posts {
            let place = place_of(&entry.url);
            let shown = crate::paths::display_path(entry.post.path());
            if safe_relative(&place.file).is_err() {
                problems.push(format!(
                    "{shown}: its URL {} leads outside the output folder",
                    entry.url
                ));
            } else if let Some(why) = too_long(&place.file) {
                problems.push(format!(
                    "{shown}: its URL `{}` would be written as {why}; shorten its permalink, \
                     title or categories",
                    shortened(&entry.url)
                ));
            } else {
                claim(&place.file, shown, &mut problems);
            }
            posts.push(place);
        }
        if !problems.is_empty() {
            return Err(ExportError::Content(problems));
        }
        Ok(Plan {
            posts,
            tags,
            categories,
            pages,
            term_hrefs,
        })
    }
}

/// Which names share a tag or category page: spellings that `carnet tags` groups (case, accents,
/// spaces, hyphens, underscores) and that give the same slug. `a/b`, `a\\b` and `a b` share a slug
/// but are distinct tags. Sorting by it sorts by slug.
fn term_key(name: &str) -> String {
    format!("{}\0{}", term_slug(name), variant_key(name))
}

/// The folder of each page, for keys in order: its slug, or, for the second and later keys with
/// that slug, `slug-2`, `slug-3`... skipping any folder another page has, so that each page keeps
/// its folder however the posts are ordered.
fn unique_slugs<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<String> {
    let natural: Vec<&str> = keys
        .map(|key| key.split('\0').next().unwrap_or(key))
        .collect();
    let taken: HashSet<&str> = natural.iter().copied().collect();
    let mut given: HashSet<String> = HashSet::new();
    let mut next: HashMap<&str, usize> = HashMap::new();
    natural
        .iter()
        .map(|&slug| {
            if given.insert(slug.to_string()) {
                return slug.to_string();
            }
            let n = next.entry(slug).or_insert(2);
            loop {
                let candidate = format!("{slug}-{n}");
                *n += 1;
                if !taken.contains(candidate.as_str()) && given.insert(candidate.clone()) {
                    return candidate;
                }
            }
        })
        .collect()
}

/// The first 80 bytes or so of a name or URL, cut with `…`: an error names what is too long
/// without printing all of it.
fn shortened(text: &str) -> String {
    if text.len() <= 80 {
        return text.to_string();
    }
    let mut end = 80;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// A tag's or category's folder name: Jekyll's slug, or the hex of its bytes when nothing is left.
fn term_slug(name: &str) -> String {
    let slug = slugify_jekyll(name, SlugMode::Default, false);
    if slug.is_empty() {
        name.bytes().map(|b| format!("{b:02x}")).collect()
    } else {
        slug
    }
}

fn escape(segment: &str) -> String {
    let mut out = String::new();
    permalink::escape_path_into(segment, &mut out);
    out
}

/// The file a URL path is served from, as Jekyll writes it: `x/` is `x/index.html`, `x` is `x.html`.
fn place_of(url: &str) -> Place {
    let mut href = url.trim_start_matches('/').to_string();
    if href.is_empty() || href.ends_with('/') {
        href.push_str("index.html");
    } else if !href.ends_with(".html") {
        href.push_str(".html");
    }
    Place {
        file: unescape_path(&href),
        href,
    }
}

fn index_place(page: usize) -> Place {
    if page <= 1 {
        place_of("/")
    } else {
        place_of(&format!("/page/{page}/"))
    }
}

/// The way back to the output folder's root from a file: `./`, `../`, `../../`...
fn root_of(file: &str) -> String {
    let depth = file.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// What every page's template sees.
struct Common<'a> {
    export: &'a Export,
    plan: &'a Plan,
    lang: Language,
    labels: Labels,
    heading_anchors: bool,
    site: Value,
    /// Each post without its body, built once, when a page that lists it is rendered.
    summaries: Vec<OnceLock<Value>>,
}

impl<'a> Common<'a> {
    fn new(export: &'a Export, plan: &'a Plan, heading_anchors: bool) -> Common<'a> {
        let lang = Language::of(export.site.lang.as_deref());
        let site = &export.site;
        Common {
            export,
            plan,
            lang,
            labels: lang.labels(),
            heading_anchors,
            summaries: (0..export.posts.len()).map(|_| OnceLock::new()).collect(),
            site: context! {
                title => site.title,
                description => site.description,
                author => site.author,
                url => site.url,
                baseurl => site.baseurl,
                lang => site.lang,
            },
        }
    }

    fn summary(&self, index: usize) -> Value {
        self.summaries[index]
            .get_or_init(|| self.post(index, false))
            .clone()
    }

    fn canonical(&self, url: &str) -> Option<String> {
        self.export
            .site
            .url
            .as_ref()
            .map(|_| self.export.site.absolute(url))
    }

    fn page(&self, file: &str, canonical: Option<String>, extra: Value) -> Value {
        let base = context! {
            site => self.site.clone(),
            lang => self.export.site.lang.clone().unwrap_or_else(|| "en".to_string()),
            labels => Value::from_serialize(self.labels),
            generator => super::json::generator(),
            root => root_of(file),
            canonical => canonical,
            standalone => false,
        };
        context! { ..extra, ..base }
    }

    fn post(&self, index: usize, with_content: bool) -> Value {
        let entry = &self.export.posts[index];
        let place = &self.plan.posts[index];
        let terms = |values: &[String], is_tag: bool| -> Vec<Value> {
            values
                .iter()
                .map(|name| {
                    let href = self.plan.term_hrefs.get(&(is_tag, term_key(name))).cloned();
                    context! { name => name, href => href }
                })
                .collect()
        };
        let front_matter = entry
            .post
            .front()
            .map(|f| super::json::yaml_to_json(&serde_yaml::Value::Mapping(f.mapping.clone())));
        context! {
            title => entry.title,
            href => place.href,
            permalink => self.export.site.absolute(&entry.url),
            date => self.language_of(entry).date(&entry.date),
            lang => post_lang(entry).or(self.export.site.lang.as_deref()),
            date_iso => entry.date.to_rfc3339(),
            tags => terms(&entry.post.data.tags, true),
            categories => terms(&entry.post.data.categories, false),
            excerpt => Value::from_safe_string(entry.rendered.excerpt_html.clone()),
            content => with_content.then(|| Value::from_safe_string(self.content(entry))),
            word_count => entry.word_count,
            reading_minutes => entry.reading_minutes(),
            status => entry.status.as_str(),
            layout => entry.post.data.layout,
            path => entry.post.file.rel,
            front_matter => front_matter.map(Value::from_serialize),
        }
    }

    /// The post's `lang`, else the site's.
    /// A post's body, with heading anchors when asked for, labelled in the post's language.
    fn content(&self, entry: &ExportedPost) -> String {
        if self.heading_anchors {
            with_heading_anchors(
                &entry.rendered.content_html,
                self.language_of(entry).labels().heading_link,
            )
        } else {
            entry.rendered.content_html.clone()
        }
    }

    fn language_of(&self, entry: &ExportedPost) -> Language {
        post_lang(entry).map_or(self.lang, |lang| Language::of(Some(lang)))
    }

    /// What a post's own page overrides: its language and the labels in it.
    fn post_page_overrides(&self, entry: &ExportedPost) -> Value {
        match post_lang(entry) {
            Some(lang) => context! {
                lang => lang,
                labels => Value::from_serialize(Language::of(Some(lang)).labels()),
            },
            None => context! {},
        }
    }

    fn neighbour(&self, index: Option<usize>) -> Option<Value> {
        let index = index?;
        let entry = self.export.posts.get(index)?;
        Some(context! { title => entry.title, href => self.plan.posts[index].href })
    }
}

/// A post's own `lang` field.
fn post_lang(entry: &ExportedPost) -> Option<&str> {
    entry
        .post
        .data
        .fields
        .get("lang")
        .and_then(serde_yaml::Value::as_str)
        .filter(|lang| !lang.trim().is_empty())
}

/// What a file of the site is.
#[derive(Debug, Clone, Copy)]
enum Job {
    Style,
    Feed,
    Index(usize),
    Term(bool, usize),
    Post(usize),
}

/// One file of the HTML site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its path under the output folder (unescaped).
    pub file: String,
    job: Job,
}

impl Plan {
    /// Every file of the site: the stylesheet, the feed, the index pages, the tag and category
    /// pages, the posts.
    pub fn pages(&self) -> Vec<Page> {
        let page = |file: &str, job| Page {
            file: file.to_string(),
            job,
        };
        let mut pages = vec![page("style.css", Job::Style), page("feed.xml", Job::Feed)];
        pages.extend((1..=self.pages).map(|p| page(&index_place(p).file, Job::Index(p))));
        for (is_tag, terms) in [(true, &self.tags), (false, &self.categories)] {
            pages
                .extend((0..terms.len()).map(|i| page(&terms[i].place.file, Job::Term(is_tag, i))));
        }
        pages.extend((0..self.posts.len()).map(|i| page(&self.posts[i].file, Job::Post(i))));
        pages
    }

    /// A digest of everything each of `pages` is rendered from, given `versions`, a number for
    /// each post's rendering that changes when the post is rendered again: a page whose file and
    /// digest are unchanged has the same bytes. The site's settings and templates are taken as
    /// fixed.
    pub fn digests(
        &self,
        export: &Export,
        limits: Limits,
        versions: &[u64],
        pages: &[Page],
    ) -> Vec<u64> {
        let mut links: Vec<Vec<(bool, &str)>> = vec![Vec::new(); export.posts.len()];
        for (is_tag, terms) in [(true, &self.tags), (false, &self.categories)] {
            for term in terms {
                for &p in &term.posts {
                    links[p].push((is_tag, &term.place.href));
                }
            }
        }
        let summaries: Vec<u64> = (0..export.posts.len())
            .into_par_iter()
            .map(|i| {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                (versions[i], &self.posts[i].href, &links[i]).hash(&mut hasher);
                hasher.finish()
            })
            .collect();
        let neighbour =
            |i: Option<usize>, hasher: &mut std::collections::hash_map::DefaultHasher| {
                if let Some(entry) = i.and_then(|i| export.posts.get(i)) {
                    entry.title.hash(hasher);
                    entry.url.hash(hasher);
                }
                i.is_some().hash(hasher);
            };
        pages
            .par_iter()
            .map(|page| {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                page.file.hash(&mut hasher);
                match page.job {
                    Job::Style => {}
                    Job::Feed => {
                        summaries[..limits.feed_limit.min(summaries.len())].hash(&mut hasher);
                    }
                    Job::Index(p) => {
                        (p, self.pages).hash(&mut hasher);
                        let start = (p - 1) * limits.per_page;
                        let end = (start + limits.per_page).min(summaries.len());
                        summaries[start..end].hash(&mut hasher);
                    }
                    Job::Term(is_tag, i) => {
                        let term = if is_tag {
                            &self.tags[i]
                        } else {
                            &self.categories[i]
                        };
                        (is_tag, &term.name).hash(&mut hasher);
                        for &p in &term.posts {
                            summaries[p].hash(&mut hasher);
                        }
                    }
                    Job::Post(i) => {
                        summaries[i].hash(&mut hasher);
                        neighbour(i.checked_sub(1), &mut hasher);
                        neighbour(Some(i + 1), &mut hasher);
                    }
                }
                hasher.finish()
            })
            .collect()
    }
}

/// Renders every page and hands each file to `sink` (pages in parallel); `tick` follows the posts.
pub fn write_site(
    export: &Export,
    templates: &Templates,
    settings: Limits,
    plan: &Plan,
    sink: &(dyn Fn(&str, &[u8]) -> anyhow::Result<()> + Sync),
    tick: &(dyn Fn() + Sync),
) -> anyhow::Result<()> {
    let pages = plan.pages();
    let all: Vec<&Page> = pages.iter().collect();
    write_pages(export, templates, settings, plan, &all, sink, tick)
}

/// Renders `pages` (of [`Plan::pages`]) and hands each file to `sink`, in parallel; `tick` follows
/// the posts.
pub fn write_pages(
    export: &Export,
    templates: &Templates,
    settings: Limits,
    plan: &Plan,
    pages: &[&Page],
    sink: &(dyn Fn(&str, &[u8]) -> anyhow::Result<()> + Sync),
    tick: &(dyn Fn() + Sync),
) -> anyhow::Result<()> {
    let common = Common::new(export, plan, settings.heading_anchors);
    // One page per task, as for the posts: pages differ a lot in cost (the feed, a big tag).
    pages
        .par_iter()
        .with_max_len(1)
        .try_for_each(|page| -> anyhow::Result<()> {
            let html = match page.job {
                Job::Style => STYLESHEET.to_string(),
                Job::Feed => feed::atom(export, settings.feed_limit),
                Job::Index(p) => index_page(&common, templates, settings, p)?,
                Job::Term(is_tag, i) => term_page(&common, templates, is_tag, i)?,
                Job::Post(i) => {
                    let html = post_page(&common, templates, i)?;
                    tick();
                    html
                }
            };
            sink(&page.file, html.as_bytes())
        })
}

fn index_page(
    common: &Common,
    templates: &Templates,
    settings: Limits,
    page: usize,
) -> anyhow::Result<String> {
    let place = index_place(page);
    let start = (page - 1) * settings.per_page;
    let end = (start + settings.per_page).min(common.export.posts.len());
    let posts: Vec<Value> = (start..end).map(|i| common.summary(i)).collect();
    let newer = (page > 1).then(|| index_place(page - 1).href);
    let older = (page < common.plan.pages).then(|| index_place(page + 1).href);
    let url = if page <= 1 {
        "/".to_string()
    } else {
        format!("/page/{page}/")
    };
    let ctx = common.page(
        &place.file,
        common.canonical(&url),
        context! {
            posts => posts,
            pagination => context! {
                page => page,
                pages => common.plan.pages,
                newer => newer,
                older => older,
            },
        },
    );
    templates.render("index.html", ctx)
}

fn term_page(
    common: &Common,
    templates: &Templates,
    is_tag: bool,
    i: usize,
) -> anyhow::Result<String> {
    let term = if is_tag {
        &common.plan.tags[i]
    } else {
        &common.plan.categories[i]
    };
    let posts: Vec<Value> = term.posts.iter().map(|&p| common.summary(p)).collect();
    let url = format!("/{}", term.place.href.trim_end_matches("index.html"));
    let ctx = common.page(
        &term.place.file,
        common.canonical(&url),
        context! {
            kind => if is_tag { "tag" } else { "category" },
            heading => if is_tag { common.labels.tagged } else { common.labels.in_category },
            name => term.name,
            posts => posts,
        },
    );
    templates.render("taxonomy.html", ctx)
}

fn post_page(common: &Common, templates: &Templates, i: usize) -> anyhow::Result<String> {
    let place = &common.plan.posts[i];
    let entry = &common.export.posts[i];
    let ctx = common.page(
        &place.file,
        common.canonical(&entry.url),
        context! {
            post => common.post(i, true),
            newer => common.neighbour(i.checked_sub(1)),
            older => common.neighbour(Some(i + 1)),
            ..common.post_page_overrides(entry)
        },
    );
    templates.render("post.html", ctx)
}

/// `html` with a link after the text of each heading that has an id:
/// `<a class="anchor" href="#id" aria-label="LABEL: text">#</a>`.
fn with_heading_anchors(html: &str, label: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(at) = find_heading(rest) {
        let level = &rest[at + 2..at + 3];
        let close = format!("</h{level}>");
        let open_end = rest[at..].find('>').map(|e| at + e + 1);
        let id = rest[at..open_end.unwrap_or(at)]
            .split(" id=\"")
            .nth(1)
            .and_then(|v| v.split('"').next());
        let end = rest[at..].find(&close).map(|e| at + e);
        let (Some(open_end), Some(id), Some(end)) = (open_end, id, end) else {
            out.push_str(&rest[..at + 3]);
            rest = &rest[at + 3..];
            continue;
        };
        let inner = &rest[open_end..end];
        let text = escape::html(&html_text(inner));
        out.push_str(&rest[..end]);
        let _ = write!(
            out,
            "<a class=\"anchor\" href=\"#{id}\" aria-label=\"{}: {text}\">#</a>",
            escape::html(label)
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The next `<h1`..`<h6` tag.
fn find_heading(html: &str) -> Option<usize> {
    html.match_indices("<h").map(|(i, _)| i).find(|&i| {
        let b = html.as_bytes();
        matches!(b.get(i + 2), Some(b'1'..=b'6')) && matches!(b.get(i + 3), Some(b' ' | b'>'))
    })
}

/// The text of an HTML fragment: tags dropped, entities kept as written.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// One post as a page of its own (stylesheet inlined, no links to the rest of the site), or only
/// its rendered body with `fragment`.
pub fn standalone(
    export: &Export,
    templates: &Templates,
    index: usize,
    fragment: bool,
    heading_anchors: bool,
) -> anyhow::Result<String> {
    let entry = &export.posts[index];
    let plan = Plan {
        posts: export.posts.iter().map(|e| place_of(&e.url)).collect(),
        tags: Vec::new(),
        categories: Vec::new(),
        pages: 1,
        term_hrefs: HashMap::new(),
    };
    let common = Common::new(export, &plan, heading_anchors);
    if fragment {
        return Ok(common.content(entry));
    }
    let ctx = common.page(
        "index.html",
        common.canonical(&entry.url),
        context! {
            post => common.post(index, true),
            standalone => true,
            inline_css => Value::from_safe_string(STYLESHEET.to_string()),
            ..common.post_page_overrides(entry)
        },
    );
    templates.render("post.html", ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_for_urls() {
        assert_eq!(
            place_of("/a/2017/06/22/x.html"),
            Place {
                file: "a/2017/06/22/x.html".into(),
                href: "a/2017/06/22/x.html".into()
            }
        );
        assert_eq!(place_of("/x/").file, "x/index.html");
        assert_eq!(place_of("/x").file, "x.html");
        assert_eq!(place_of("/").file, "index.html");
        let accented = place_of("/%C3%A9t%C3%A9/");
        assert_eq!(accented.file, "été/index.html");
        assert_eq!(accented.href, "%C3%A9t%C3%A9/index.html");
        assert!(safe_relative(&place_of("/%2e%2e/%2e%2e/x").file).is_err());
    }

    #[test]
    fn roots_and_slugs() {
        assert_eq!(root_of("index.html"), "./");
        assert_eq!(root_of("page/2/index.html"), "../../");
        assert_eq!(term_slug("Open Data"), "open-data");
        assert_eq!(term_slug("Été"), "été");
        assert_eq!(term_slug("++"), "2b2b");
    }

    #[test]
    fn distinct_tags_with_one_slug_get_distinct_folders() {
        let mut keys: Vec<String> = [
            "a/b",
            "a\\b",
            "a b",
            "A B",
            "a-b-2",
            "Open Data",
            "open-data",
        ]
        .iter()
        .map(|n| term_key(n))
        .collect();
        keys.sort();
        keys.dedup();
        let slugs = unique_slugs(keys.iter().map(String::as_str));
        assert_eq!(slugs, ["a-b", "a-b-3", "a-b-4", "a-b-2", "open-data"]);
    }

    #[test]
    fn templates_escape_values() {
        let templates = Templates::load(None).unwrap();
        let out = templates
            .env
            .render_str(
                "{{ a }}|{{ b }}|{{ c }}|{{ d }}",
                context! { a => "<x y='1'>&", b => Value::from_safe_string("<b>".into()), c => (), d => "a/b" },
            )
            .unwrap();
        assert_eq!(out, "&lt;x y=&#39;1&#39;&gt;&amp;|<b>||a/b");
    }
}
