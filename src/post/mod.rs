//! The post model: one file read once into front matter, body, dates, taxonomy and positions.

pub mod variants;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveTime};
use rayon::prelude::*;
use serde_yaml::{Mapping, Value};

use crate::error::ReadError;
use crate::site::date::{self, FileName, WrittenDate};
use crate::site::front_matter::{self, FrontMatter, FrontMatterError};
use crate::site::permalink;
use crate::site::split::{self, Split};
use crate::site::{Kind, Site, SourceFile};
use crate::source::{LineIndex, Position};

/// A post or draft, parsed once and shared by every subcommand.
#[derive(Debug, Clone)]
pub struct Post {
    /// Where the file is.
    pub file: SourceFile,
    /// The text, without a UTF-8 BOM.
    pub text: String,
    /// Whether the file started with a BOM.
    pub bom: bool,
    /// Line starts of `text`, indexed on first use: listing and exporting never ask.
    lines: OnceLock<LineIndex>,
    /// Where the front matter is.
    pub split: Split,
    /// The parsed front matter, when the block is closed.
    pub front_matter: Option<Result<FrontMatter, FrontMatterError>>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// The file name's date, slug and extension.
    pub name: FileName,
    /// What the post means once defaults and the site's settings apply.
    pub data: Data,
}

/// A post's meaning: fields resolved the way Jekyll resolves them.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Front-matter defaults from `_config.yml`, overridden by the post's own fields.
    pub fields: Mapping,
    /// `title`, when it is a string.
    pub title: Option<String>,
    /// The `date:` field as written, when it parses.
    pub written_date: Option<WrittenDate>,
    /// The post's date in the site's zone: `date:`, else the file name's day, else (drafts) none.
    pub date: Option<DateTime<FixedOffset>>,
    /// Categories: the post's own, then the folders above `_posts/`, without repeats.
    pub categories: Vec<String>,
    /// Tags, from a list or a space-separated string.
    pub tags: Vec<String>,
    /// `published` (default true).
    pub published: bool,
    /// `layout`.
    pub layout: Option<String>,
    /// `slug` from front matter, else the file name's title part.
    pub slug: String,
    /// The excerpt separator in force: the post's own, else the site's.
    pub excerpt_separator: Option<String>,
    /// `permalink` from the post's fields, when it has one.
    pub permalink: Option<String>,
}

/// Where a post stands for publishing.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Jekyll builds it.
    Published,
    /// In `_drafts/`.
    Draft,
    /// Dated after now, skipped unless `future: true`.
    Future,
    /// `published: false`.
    Unpublished,
}

impl Status {
    /// This status for a post dated `date`, as of `now`: a published post dated later is future.
    pub fn as_of(self, date: Option<DateTime<FixedOffset>>, now: DateTime<FixedOffset>) -> Status {
        if self == Status::Published && date.is_some_and(|d| d > now) {
            Status::Future
        } else {
            self
        }
    }

    /// The name used in listings and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Draft => "draft",
            Status::Future => "future",
            Status::Unpublished => "unpublished",
        }
    }
}

impl Post {
    /// Reads and parses a post file.
    pub fn read(file: SourceFile, site: &Site) -> Result<Post, ReadError> {
        let io = |source| ReadError::Io {
            path: file.path.clone(),
            source,
        };
        // Opening a FIFO waits for a writer, and a device may never end: read regular files only.
        let bytes = crate::fs::read_capped(&file.path).map_err(io)?;
        Post::from_bytes(file, bytes, site)
    }

    /// Reads only as much of a post as its front matter needs, for site-wide facts about posts that
    /// are not being checked (the pre-commit case: one file linted, thousands only indexed).
    ///
    /// The body in the returned model is cut short; use it for the front matter and what derives
    /// from it (dates, URL, taxonomy, status), never for the body.
    pub fn read_head(file: SourceFile, site: &Site) -> Result<Post, ReadError> {
        use std::io::Read;
        const CHUNK: usize = 8 * 1024;
        let io_error = |source| ReadError::Io {
            path: file.path.clone(),
            source,
        };
        // Opening a FIFO waits for a writer: look first.
        if !std::fs::metadata(&file.path).map_err(io_error)?.is_file() {
            return Err(io_error(std::io::Error::other("not a regular file")));
        }
        let mut reader = std::fs::File::open(&file.path).map_err(io_error)?;
        let mut bytes = Vec::with_capacity(CHUNK);
        loop {
            let read = (&mut reader)
                .take(CHUNK as u64)
                .read_to_end(&mut bytes)
                .map_err(io_error)?;
            if read == 0 || bytes.len() as u64 > crate::fs::MAX_SOURCE_BYTES {
                break;
            }
            if let Some(end) = front_matter_end(&bytes) {
                bytes.truncate(end);
                break;
            }
        }
        Post::from_bytes(file, bytes, site)
    }

    /// Parses a post from its bytes (the index's copy of a staged file, a test input...).
    pub fn from_bytes(file: SourceFile, bytes: Vec<u8>, site: &Site) -> Result<Post, ReadError> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let position = LineIndex::new(&valid).position(&valid, offset);
            ReadError::InvalidUtf8 {
                path: file.path.clone(),
                offset,
                line: position.line,
                column: position.column,
            }
        })?;
        Ok(Post::from_text(file, text, site))
    }

    /// Parses a post from its text.
    pub fn from_text(file: SourceFile, mut text: String, site: &Site) -> Post {
        let bom = text.starts_with('\u{feff}');
        if bom {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let split = split::split(&text);
        let (front_matter, body_start) = match &split {
            Split::Closed {
                yaml, body_start, ..
            } => (
                Some(FrontMatter::parse(&text[yaml.clone()], yaml.start)),
                *body_start,
            ),
            Split::Missing | Split::Toml | Split::Unclosed { .. } => (None, 0),
        };
        let name = FileName::parse(file.rel.rsplit('/').next().unwrap_or(&file.rel));
        let (own, plain_date) = match &front_matter {
            Some(Ok(fm)) => (Some(&fm.mapping), plain_date(fm, &text)),
            _ => (None, false),
        };
        let data = Data::resolve(&file, &name, own, plain_date, site);
        Post {
            file,
            text,
            bom,
            lines: OnceLock::new(),
            split,
            front_matter,
            body_start,
            name,
            data,
        }
    }

    /// The parsed front matter, when it is a valid mapping.
    pub fn front(&self) -> Option<&FrontMatter> {
        self.front_matter.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// Whether the front matter is present and parses: Jekyll treats the file as a post.
    pub fn is_valid(&self) -> bool {
        self.front().is_some()
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Line starts of `text`.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The position of a byte offset of `text`.
    pub fn position(&self, offset: usize) -> Position {
        self.lines().position(&self.text, offset)
    }

    /// The text of a 1-based line.
    pub fn line_text(&self, line: usize) -> &str {
        self.lines().line_text(&self.text, line)
    }

    /// Byte span of a top-level field's value (or its key when the value is on later lines).
    pub fn field_span(&self, key: &str) -> Option<Range<usize>> {
        let field = self.front()?.field(key)?;
        Some(if field.value_span.is_empty() {
            field.key_span.clone()
        } else {
            field.value_span.clone()
        })
    }

    /// Byte offset in `text` where the excerpt ends (the first separator), when the post has one.
    pub fn excerpt_end(&self) -> Option<usize> {
        let separator = self
            .data
            .excerpt_separator
            .as_deref()
            .filter(|s| !s.is_empty())?;
        self.body().find(separator).map(|i| self.body_start + i)
    }

    /// Published, draft, future or unpublished, as of `now`.
    pub fn status(&self, now: DateTime<FixedOffset>) -> Status {
        self.undated_status().as_of(self.data.date, now)
    }

    /// Draft, unpublished or published, whatever the date: [`Status::as_of`] tells the future apart.
    pub fn undated_status(&self) -> Status {
        if self.file.kind == Kind::Draft {
            Status::Draft
        } else if !self.data.published {
            Status::Unpublished
        } else {
            Status::Published
        }
    }

    /// The post's URL path under the site's permalink (without `baseurl`), when it has a date; a
    /// collection document's under its collection's template.
    pub fn url(&self, site: &Site) -> Option<Result<String, permalink::UnknownPlaceholder>> {
        match self.file.kind {
            Kind::Page => None,
            Kind::Document => self.document_url(site),
            Kind::Post | Kind::Draft => Some(self.url_at(site, self.data.date?)),
        }
    }

    /// The URL path the post has under its permalink when dated `date` (the export dates a draft
    /// without `date:` by its file's modification time).
    pub fn url_at(
        &self,
        site: &Site,
        date: DateTime<FixedOffset>,
    ) -> Result<String, permalink::UnknownPlaceholder> {
        let inner = self
            .file
            .rel
            .split_once("_posts/")
            .or_else(|| self.file.rel.split_once("_drafts/"))
            .map_or(self.file.rel.as_str(), |(_, inner)| inner);
        self.with_url_parts(date, "posts", inner, |parts| {
            permalink::url(self.permalink_style(site), parts)
        })
    }

    /// A document's URL: its `permalink:`, else its collection's template; `None` when its
    /// collection is not written out, or when the template needs a date the document does not
    /// have (Jekyll would use the time of the build).
    fn document_url(&self, site: &Site) -> Option<Result<String, permalink::UnknownPlaceholder>> {
        let collection = site.collection_of(&self.file.rel).filter(|c| c.output)?;
        let template = match &self.data.permalink {
            Some(permalink) => permalink.clone(),
            None => collection.url_template(site.config.permalink_style()),
        };
        let date = match self.data.date {
            Some(date) => date,
            None if permalink::uses_date(&template) => return None,
            None => DateTime::UNIX_EPOCH.fixed_offset(),
        };
        let inner = collection.inner(&self.file.rel)?;
        Some(
            self.with_url_parts(date, &collection.label, inner, |parts| {
                permalink::expand(&template, parts)
            }),
        )
    }

    /// Calls `build` with what a URL is made of, for the file `inner` of `collection`'s folder.
    fn with_url_parts<R>(
        &self,
        date: DateTime<FixedOffset>,
        collection: &str,
        inner: &str,
        build: impl FnOnce(&permalink::UrlParts) -> R,
    ) -> R {
        let stem = inner.rsplit_once('.').map_or(inner, |(stem, _)| stem);
        let path = format!("/{}", stem.trim_end_matches('.'));
        build(&permalink::UrlParts {
            date,
            categories: &self.data.categories,
            slug: &self.data.slug,
            output_ext: ".html",
            collection,
            path: &path,
            basename: stem.rsplit('/').next().unwrap_or(stem),
        })
    }

    /// The post's `permalink:`, else the site's.
    pub fn permalink_style<'a>(&'a self, site: &'a Site) -> &'a str {
        self.data
            .permalink
            .as_deref()
            .unwrap_or(&site.config.permalink)
    }

    /// Words in the body: runs between whitespace that hold a letter or a digit; Liquid tags and
    /// Markdown punctuation do not count.
    pub fn word_count(&self) -> usize {
        count_words(self.body())
    }

    /// The file's path as given.
    pub fn path(&self) -> &Path {
        &self.file.path
    }
}

/// [`BYTE_CLASS`] of ASCII whitespace, which separates words.
const SPACE: u8 = 1;
/// [`BYTE_CLASS`] of an ASCII letter or digit.
const ALNUM: u8 = 2;
/// [`BYTE_CLASS`] of a byte of a multi-byte character.
const NON_ASCII: u8 = 4;
/// What each byte tells the word count, looked up rather than tested three ways per byte.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_whitespace() {
            SPACE
        } else if byte.is_ascii_alphanumeric() {
            ALNUM
        } else if byte >= 0x80 {
            NON_ASCII
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Whether the last `date:` of the front matter is written as a plain scalar (no quotes, no tag).
fn plain_date(front_matter: &FrontMatter, text: &str) -> bool {
    front_matter
        .fields
        .iter()
        .rev()
        .find(|f| f.key == "date")
        .and_then(|f| text.get(f.value_span.clone()))
        .is_some_and(|value| {
            value
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit() || c == '-')
        })
}

impl Data {
    /// The post's data: `own` front matter over the site's defaults; `plain_date` when its own
    /// `date:` is an unquoted scalar (read as YAML reads it).
    fn resolve(
        file: &SourceFile,
        name: &FileName,
        own: Option<&Mapping>,
        plain_date: bool,
        site: &Site,
    ) -> Data {
        let mut fields = Mapping::new();
        for defaults in site.defaults_for(&file.rel, file.kind) {
            for (k, v) in defaults {
                fields.insert(k.clone(), v.clone());
            }
        }
        if let Some(own) = own {
            for (k, v) in own {
                fields.insert(k.clone(), v.clone());
            }
        }
        let get = |key: &str| fields.get(key).filter(|v| !v.is_null());
        let zone = site.config.timezone;
        let written_date = get("date").and_then(|v| match v {
            Value::String(s) if plain_date => date::parse_plain_date(s),
            Value::String(s) => date::parse_date(s),
            _ => None,
        });
        let date = match (written_date, name.date, file.kind) {
            (Some(written), _, _) => Some(written.in_zone(zone)),
            (None, Some(day), Kind::Post | Kind::Document) => {
                Some(zone.resolve(day.and_time(NaiveTime::MIN)))
            }
            _ => None,
        };
        let slug = get("slug")
            .and_then(scalar_string)
            .unwrap_or_else(|| name.slug.clone());
        let categories = unique(
            string_items(get("categories"), true)
                .into_iter()
                .chain(folder_categories(&file.rel).map(str::to_string))
                .chain(get("category").and_then(scalar_string)),
        );
        Data {
            title: get("title").and_then(Value::as_str).map(str::to_string),
            written_date,
            date,
            categories,
            tags: string_list(get("tags"), true),
            published: get("published")
                .and_then(front_matter::yaml11_bool)
                .unwrap_or(true),
            layout: get("layout").and_then(scalar_string),
            slug,
            excerpt_separator: get("excerpt_separator")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| site.config.excerpt_separator.clone()),
            permalink: get("permalink").and_then(Value::as_str).map(str::to_string),
            fields,
        }
    }
}

/// Words of a Markdown text: runs between whitespace that hold a letter or a digit; Liquid tags
/// and Markdown punctuation do not count.
pub fn count_words(body: &str) -> usize {
    let bytes = body.as_bytes();
    let tokens = crate::liquid::tokenize(body);
    let mut count = 0;
    let mut from = 0;
    for tag in tokens.spans() {
        // A tag is left out where a word would start (after whitespace, at the start, right
        // after another tag left out); one glued to a word is a part of that word.
        let word_start =
            tag.start == from || (tag.start > from && bytes[tag.start - 1].is_ascii_whitespace());
        if word_start {
            count += count_plain_words(&body[from..tag.start]);
            from = tag.end;
        }
    }
    count + count_plain_words(&body[from..])
}

/// [`count_words`] of a text without Liquid. Branch-free but for words with no ASCII letter
/// or digit: word ends are too irregular for the processor to predict.
fn count_plain_words(text: &str) -> usize {
    let mut count = 0;
    let mut seen = 0u8;
    let mut start = 0;
    for (i, &byte) in text.as_bytes().iter().enumerate() {
        let class = BYTE_CLASS[usize::from(byte)];
        let ends = class == SPACE;
        count += usize::from(ends && seen & ALNUM != 0);
        if ends && seen & (ALNUM | NON_ASCII) == NON_ASCII {
            count += usize::from(text[start..i].chars().any(char::is_alphanumeric));
        }
        let keep = u8::from(ends).wrapping_sub(1);
        seen = (seen | class) & keep;
        start = if ends { i + 1 } else { start };
    }
    count
        + usize::from(
            seen & ALNUM != 0
                || (seen & NON_ASCII != 0 && text[start..].chars().any(char::is_alphanumeric)),
        )
}

#[cfg(test)]
impl Post {
    /// `text` read as `_posts/2020-01-01-a.md` of a site with Jekyll's defaults, for unit tests.
    pub(crate) fn sample(text: &str) -> Post {
        let site = Site {
            root: "/".into(),
            config: crate::site::SiteConfig::default(),
        };
        let file = SourceFile {
            rel: "_posts/2020-01-01-a.md".into(),
            path: "_posts/2020-01-01-a.md".into(),
            kind: Kind::Post,
        };
        Post::from_text(file, text.to_string(), &site)
    }

    /// `text` read as the file `rel` of `site`, for unit tests.
    pub(crate) fn sample_in(rel: &str, text: &str, site: &Site) -> Post {
        let file = SourceFile {
            rel: rel.to_string(),
            path: rel.into(),
            kind: crate::site::classify(rel).unwrap_or(Kind::Page),
        };
        Post::from_text(file, text.to_string(), site)
    }
}

/// Where the front matter of `bytes` ends (just past its closing line), once that line has been read;
/// `Some(0)` when the file does not open with `---` and so has no front matter to wait for.
fn front_matter_end(bytes: &[u8]) -> Option<usize> {
    let bom = if bytes.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    if !bytes[bom..].starts_with(b"---") {
        return (bytes.len() >= bom + 3).then_some(0);
    }
    let mut start = bom;
    let mut first = true;
    while let Some(n) = memchr::memchr(b'\n', &bytes[start..]) {
        let line = &bytes[start..start + n];
        let trimmed = line.trim_ascii_end();
        if !first && (trimmed == b"---" || trimmed == b"...") {
            return Some(start + n + 1);
        }
        first = false;
        start += n + 1;
    }
    None
}

/// The URL (escaped) of the collection document at `rel`, when it is one that Jekyll writes out.
pub fn document_url(site: &Site, rel: &str) -> Option<String> {
    site.collection_of(rel)?;
    let path = site.root.join(rel);
    if !crate::site::walk::has_front_matter(&path).ok()? {
        return None;
    }
    let file = SourceFile {
        rel: rel.to_string(),
        path,
        kind: Kind::Document,
    };
    Post::read_head(file, site).ok()?.url(site)?.ok()
}

/// Reads `files` in parallel: the posts that could be read, in the order given, and why the
/// others could not.
pub fn read_all(files: &[SourceFile], site: &Site) -> (Vec<Post>, Vec<ReadError>) {
    let read: Vec<Result<Post, ReadError>> = files
        .par_iter()
        .map(|file| Post::read(file.clone(), site))
        .collect();
    let mut posts = Vec::with_capacity(read.len());
    let mut unreadable = Vec::new();
    for result in read {
        match result {
            Ok(post) => posts.push(post),
            Err(error) => unreadable.push(error),
        }
    }
    (posts, unreadable)
}

/// The names `{% post_url %}` accepts for a post: its stem, and its stem with folders under `_posts/`.
pub fn post_url_names(rel: &str) -> Vec<String> {
    let Some(after) = rel.split_once("_posts/").map(|(_, a)| a) else {
        return Vec::new();
    };
    let stem = after.rsplit_once('.').map_or(after, |(s, _)| s);
    let mut names = vec![stem.to_string()];
    if let Some((_, last)) = stem.rsplit_once('/') {
        names.push(last.to_string());
    }
    names
}

/// The folders above `_posts/` (or `_drafts/`), which Jekyll adds as categories.
pub fn folder_categories(rel: &str) -> impl Iterator<Item = &str> {
    let end = rel
        .find("_posts/")
        .or_else(|| rel.find("_drafts/"))
        .unwrap_or(0);
    rel[..end].split('/').filter(|s| !s.is_empty())
}

/// A scalar as a string (`2017`, `true` and `x` alike), as Jekyll's `to_s` does.
pub fn scalar_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of strings from a YAML list, or a string split on whitespace when `split` is set; empty
/// and repeated items dropped.
pub fn string_list(value: Option<&Value>, split: bool) -> Vec<String> {
    unique(string_items(value, split))
}

/// The strings of a YAML list, or of a string split on whitespace when `split` is set, as written.
fn string_items(value: Option<&Value>, split: bool) -> Vec<String> {
    match value {
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar_string).collect(),
        Some(Value::String(s)) if split => s.split_whitespace().map(str::to_string).collect(),
        Some(v) => scalar_string(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The non-empty items, each once, in the order of their first appearance. A set remembers what
/// was kept: a front matter may list tens of thousands of tags, too many to compare each with
/// every one before it.
fn unique(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|item| !item.is_empty() && seen.insert(item.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(config: &str) -> Site {
        Site::sample(config)
    }

    fn post(rel: &str, text: &str, site: &Site) -> Post {
        Post::sample_in(rel, text, site)
    }

    const SEED: &str = "---\nlayout: post\ntitle: IntercoTOUR, un baromètre des usages du numérique en collectivités\ncategory: good_job\ntags: [evenement, collectivites]\n\n---\n\nQu'est-ce qu'il se fait ?\n\n\n<!--more-->\n\nLe 22 juin\n";

    #[test]
    fn repeated_tags_and_categories_keep_their_first_place() {
        let site = site("");
        let many: String = (0..20_000)
            .map(|i| format!("  - t{}\n", i % 15_000))
            .collect();
        let text = format!("---\ntags:\n{many}categories: b a b\ncategory: a\n---\n");
        let p = post("x/_posts/2020-01-01-a.md", &text, &site);
        assert_eq!(p.data.tags.len(), 15_000);
        assert_eq!(p.data.tags[14_999], "t14999");
        assert_eq!(p.data.categories, ["b", "a", "x"]);
    }

    #[test]
    fn an_unquoted_date_to_the_second_without_offset_is_utc_as_yaml_reads_it() {
        let site = site("timezone: Europe/Paris\n");
        let date = |value: &str| {
            let text = format!("---\ndate: {value}\n---\n");
            post("_posts/2008-02-02-a.md", &text, &site)
                .data
                .date
                .unwrap()
                .to_rfc3339()
        };
        assert_eq!(date("2008-02-02 15:09:08"), "2008-02-02T16:09:08+01:00");
        assert_eq!(date("2008-02-02T15:09:08"), "2008-02-02T16:09:08+01:00");
        assert_eq!(date("\"2008-02-02 15:09:08\""), "2008-02-02T15:09:08+01:00");
        assert_eq!(date("'2008-02-02 15:09:08'"), "2008-02-02T15:09:08+01:00");
        assert_eq!(date("2008-02-02 15:09"), "2008-02-02T15:09:00+01:00");
        assert_eq!(date("2008-02-02"), "2008-02-02T00:00:00+01:00");
        assert_eq!(
            date("2008-02-02 15:09:08 +0000"),
            "2008-02-02T16:09:08+01:00"
        );
        assert_eq!(
            date("2008-02-02 15:09:08 -0500"),
            "2008-02-02T21:09:08+01:00"
        );
    }

    #[test]
    fn the_seed_post() {
        let site = site("timezone: Europe/Paris\nexcerpt_separator: <!--more-->\n");
        let p = post("_posts/2017-06-22-intercotour.md", SEED, &site);
        assert_eq!(
            p.data.title.as_deref(),
            Some("IntercoTOUR, un baromètre des usages du numérique en collectivités")
        );
        assert_eq!(p.data.categories, ["good_job"]);
        assert_eq!(p.data.tags, ["evenement", "collectivites"]);
        assert_eq!(
            p.data.date.unwrap().to_rfc3339(),
            "2017-06-22T00:00:00+02:00"
        );
        assert_eq!(
            p.url(&site).unwrap().unwrap(),
            "/good_job/2017/06/22/intercotour.html"
        );
        let end = p.excerpt_end().unwrap();
        assert!(p.text[..end].ends_with("\n\n\n"));
        assert_eq!(p.status(p.data.date.unwrap()), Status::Published);
    }

    #[test]
    fn bom_and_crlf_positions() {
        let site = site("");
        let text = "\u{feff}---\r\ntitle: é\r\n---\r\nbody [x]()\r\n";
        let p = post("_posts/2017-06-22-a.md", text, &site);
        assert!(p.bom);
        assert_eq!(p.data.title.as_deref(), Some("é"));
        let at = p.text.find("[x]").unwrap();
        assert_eq!(p.position(at), Position { line: 4, column: 6 });
        assert_eq!(p.field_span("title").map(|s| &p.text[s]), Some("é"));
    }

    #[test]
    fn categories_from_fields_and_folders_and_space_separated_tags() {
        let site = site("");
        let p = post(
            "voyages/_posts/2018-08-12-a.md",
            "---\ncategories: carnet route\ncategory: Été\ntags: a b a\n---\n",
            &site,
        );
        assert_eq!(p.data.categories, ["carnet", "route", "voyages", "Été"]);
        assert_eq!(p.data.tags, ["a", "b"]);
    }

    #[test]
    fn defaults_apply_and_own_fields_win() {
        let site = site(
            "defaults:\n  - scope: {path: \"\"}\n    values: {layout: post, title: Default}\n",
        );
        let p = post("_posts/2018-08-12-a.md", "---\ntitle: Mine\n---\n", &site);
        assert_eq!(p.data.layout.as_deref(), Some("post"));
        assert_eq!(p.data.title.as_deref(), Some("Mine"));
    }

    #[test]
    fn statuses() {
        let site = site("");
        let now = DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z").unwrap();
        let future = post("_posts/2031-01-01-a.md", "---\ntitle: a\n---\n", &site);
        assert_eq!(future.status(now), Status::Future);
        let hidden = post("_posts/2011-01-01-a.md", "---\npublished: no\n---\n", &site);
        assert_eq!(hidden.status(now), Status::Unpublished);
        let draft = post("_drafts/a.md", "---\ntitle: a\n---\n", &site);
        assert_eq!(draft.status(now), Status::Draft);
        assert!(draft.url(&site).is_none());
    }

    #[test]
    fn front_matter_end_waits_for_the_closing_line() {
        assert_eq!(front_matter_end(b"---\ntitle: a\n---\nbody"), Some(17));
        assert_eq!(
            front_matter_end(b"\xef\xbb\xbf---\r\ntitle: a\r\n---\r\nbody"),
            Some(23)
        );
        assert_eq!(front_matter_end(b"---\ntitle: a\n"), None);
        assert_eq!(front_matter_end(b"# no front matter"), Some(0));
        assert_eq!(front_matter_end(b"--"), None);
    }

    #[test]
    fn word_count_skips_liquid_and_punctuation() {
        let site = site("");
        let p = post(
            "_posts/2011-01-01-a.md",
            "---\ntitle: a\n---\nÉté — un {% post_url x %} mot, *deux* 3\n",
            &site,
        );
        assert_eq!(p.word_count(), 5);
        let p = post(
            "_posts/2011-01-01-a.md",
            "---\ntitle: a\n---\nété\t«\u{a0}» 東京 -- `x` ** 🙂\r\nfin",
            &site,
        );
        assert_eq!(p.word_count(), 4);
    }

    /// The word count as first written: one token at a time, tags skipped where a token starts.
    fn token_by_token_count(body: &str) -> usize {
        let bytes = body.as_bytes();
        let tokens = crate::liquid::tokenize(body);
        let mut tags = tokens.spans().peekable();
        let (mut count, mut i) = (0, 0);
        while i < bytes.len() {
            if bytes[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            while tags.next_if(|tag| tag.start < i).is_some() {}
            if let Some(tag) = tags.next_if(|tag| tag.start == i) {
                i = tag.end;
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let token = &body[start..i];
            count += usize::from(token.chars().any(char::is_alphanumeric));
        }
        count
    }

    proptest::proptest! {
        #[test]
        fn word_count_agrees_with_counting_token_by_token(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Été", "東京", "—", " ", "\n", "\t", "-", "*", "7", "{{ x }}", "{% y %}",
                    "{{", "}}", "{%", "%}", "«\u{a0}»", "{% raw %}", "{% endraw %}", "🙂", "x",
                ]),
                0..40,
            )
        ) {
            let body = pieces.concat();
            proptest::prop_assert_eq!(count_words(&body), token_by_token_count(&body));
        }
    }

    #[test]
    fn names_for_post_url() {
        assert_eq!(post_url_names("_posts/2010-01-01-x.md"), ["2010-01-01-x"]);
        assert_eq!(
            post_url_names("a/_posts/2010/2010-01-01-x.md"),
            ["2010/2010-01-01-x", "2010-01-01-x"]
        );
    }

    #[test]
    fn only_regular_files_are_read() {
        let site = site("");
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("2020-01-01-a.md");
        std::fs::create_dir(&folder).unwrap();
        let file = SourceFile {
            rel: "_posts/2020-01-01-a.md".into(),
            path: folder,
            kind: Kind::Post,
        };
        let err = Post::read(file, &site).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("cannot read: a folder, not a file"),
            "{err}"
        );
    }

    #[test]
    fn broken_front_matter_is_still_a_post_model() {
        let site = site("");
        let p = post("_posts/2011-01-01-a.md", "---\ntitle: [x\n---\nbody", &site);
        assert!(matches!(
            p.front_matter,
            Some(Err(FrontMatterError::Invalid { .. }))
        ));
        assert_eq!(p.body(), "body");
        assert!(p.data.date.is_some());
        let p = post("_posts/2011-01-01-a.md", "", &site);
        assert_eq!(p.split, Split::Missing);
    }
}
