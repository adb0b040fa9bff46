//! What `list` and `tags` share: every post read once into an [`Entry`], the filters, the table and
//! the CSV writer.
//!
//! Listing reads front matter and counts words; it never parses Markdown, so it runs as fast as the
//! files can be read.

pub mod csv;
pub mod filter;
pub mod table;
pub mod taxonomy;

use chrono::{DateTime, FixedOffset, NaiveTime};
use rayon::prelude::*;
use serde_yaml::Mapping;

use crate::error::ReadError;
use crate::paths::display_path;
use crate::post::{Post, Status};
use crate::site::date::FileName;
use crate::site::front_matter::FrontMatterError;
use crate::site::split::Split;
use crate::site::{Kind, Site, SourceFile};
use crate::source::Position;

/// Where a listed post stands: a [`Status`], or `invalid` when its front matter cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListStatus {
    /// Jekyll builds it.
    Published,
    /// In `_drafts/`.
    Draft,
    /// Dated after now.
    Future,
    /// `published: false`.
    Unpublished,
    /// The file or its front matter cannot be read; `carnet lint` says why.
    Invalid,
}

impl ListStatus {
    /// The name shown in tables, JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            ListStatus::Published => "published",
            ListStatus::Draft => "draft",
            ListStatus::Future => "future",
            ListStatus::Unpublished => "unpublished",
            ListStatus::Invalid => "invalid",
        }
    }
}

impl From<Status> for ListStatus {
    fn from(status: Status) -> ListStatus {
        match status {
            Status::Published => ListStatus::Published,
            Status::Draft => ListStatus::Draft,
            Status::Future => ListStatus::Future,
            Status::Unpublished => ListStatus::Unpublished,
        }
    }
}

/// One post as listings show it: the post model's facts, without its text.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file.
    pub file: SourceFile,
    /// Published, draft, future, unpublished or invalid.
    pub status: ListStatus,
    /// `title`, when it is a string.
    pub title: Option<String>,
    /// The post's date in the site's zone (for invalid posts, the file name's day).
    pub date: Option<DateTime<FixedOffset>>,
    /// Categories, folders above `_posts/` included.
    pub categories: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Words in the body; none for invalid posts.
    pub words: Option<usize>,
    /// The post's URL: absolute when the site sets `url`, else from the site's root; none without a date.
    pub url: Option<String>,
    /// The slug.
    pub slug: String,
    /// The post's own front matter, for `--search`.
    pub front: Mapping,
    /// Front-matter fields with the site's defaults applied, for `--field`.
    pub fields: Mapping,
    /// Why the post is invalid.
    pub problem: Option<Problem>,
}

/// Why a post is listed as invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the file, when one place is at fault.
    pub at: Option<Position>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    fn new(message: impl Into<String>) -> Problem {
        Problem {
            at: None,
            message: message.into(),
        }
    }
}

impl Entry {
    /// Reads a post, counting its words when `words` asks; a file that cannot be read becomes an
    /// invalid entry, never an error.
    pub fn read(file: &SourceFile, site: &Site, now: DateTime<FixedOffset>, words: bool) -> Entry {
        match Post::read(file.clone(), site) {
            Ok(post) => Entry::from_post(post, site, now, words),
            Err(error) => {
                let problem = match &error {
                    ReadError::Io { source, .. } => Problem::new(format!("cannot read: {source}")),
                    ReadError::InvalidUtf8 {
                        offset,
                        line,
                        column,
                        ..
                    } => Problem {
                        at: Some(Position {
                            line: *line,
                            column: *column,
                        }),
                        message: format!("not valid UTF-8 (byte offset {offset})"),
                    },
                };
                Entry::invalid(file.clone(), site, problem)
            }
        }
    }

    /// The entry for a parsed post, with its words counted when `words` asks (counting is most
    /// of the work of listing, and a list of paths shows none).
    pub fn from_post(
        mut post: Post,
        site: &Site,
        now: DateTime<FixedOffset>,
        words: bool,
    ) -> Entry {
        if let Some(problem) = front_matter_problem(&post).or_else(|| date_problem(&post)) {
            return Entry::invalid(post.file, site, problem);
        }
        let words = words.then(|| post.word_count());
        let url = post
            .url(site)
            .and_then(Result::ok)
            .map(|path| site_url(site, &path));
        let status = post.status(now).into();
        let front = post
            .front_matter
            .take()
            .and_then(Result::ok)
            .map(|fm| fm.mapping)
            .unwrap_or_default();
        let data = post.data;
        Entry {
            file: post.file,
            status,
            title: data.title,
            date: data.date,
            categories: data.categories,
            tags: data.tags,
            words,
            url,
            slug: data.slug,
            front,
            fields: data.fields,
            problem: None,
        }
    }

    /// An entry that says only what the path tells: the file name's day and slug.
    fn invalid(file: SourceFile, site: &Site, problem: Problem) -> Entry {
        let name = FileName::parse(file.rel.rsplit('/').next().unwrap_or(&file.rel));
        let date = name
            .date
            .filter(|_| file.kind == Kind::Post)
            .map(|day| site.config.timezone.resolve(day.and_time(NaiveTime::MIN)));
        Entry {
            file,
            status: ListStatus::Invalid,
            title: None,
            date,
            categories: Vec::new(),
            tags: Vec::new(),
            words: None,
            url: None,
            slug: name.slug,
            front: Mapping::new(),
            fields: Mapping::new(),
            problem: Some(problem),
        }
    }

    /// The path as shown to the user: relative to the current folder.
    pub fn display_path(&self) -> String {
        display_path(&self.file.path)
    }
}

/// Why Jekyll would not read a post's front matter, or `None` when it can.
fn front_matter_problem(post: &Post) -> Option<Problem> {
    if post.is_valid() {
        return None;
    }
    Some(match (&post.split, &post.front_matter) {
        (Split::Missing, _) => Problem::new("no front matter (Jekyll copies the file as it is)"),
        (Split::Toml, _) => Problem::new("TOML front matter, which Jekyll does not read"),
        (Split::Unclosed { .. }, _) => {
            Problem::new("front matter opened with `---` is never closed")
        }
        (Split::Closed { .. }, Some(Err(error))) => {
            let (FrontMatterError::Invalid { offset, .. }
            | FrontMatterError::NotMapping { offset, .. }) = error;
            Problem {
                at: Some(post.position(*offset)),
                message: error.to_string(),
            }
        }
        (Split::Closed { .. }, _) => Problem::new("front matter cannot be read"),
    })
}

/// Why a post in `_posts/` has no date Jekyll can build it with, or `None` when it has one.
fn date_problem(post: &Post) -> Option<Problem> {
    if post.file.kind != Kind::Post || post.data.date.is_some() {
        return None;
    }
    Some(Problem::new(match &post.name.date_text {
        Some(text) => format!("`{text}` in the file name is not a real day"),
        None => "the file name does not start with YYYY-MM-DD-: Jekyll skips it".to_string(),
    }))
}

/// A URL path of the site made absolute with `url` and `baseurl`, or kept from the root without `url`.
pub fn site_url(site: &Site, path: &str) -> String {
    let base = site.config.baseurl.trim_matches('/');
    let mut out = site.config.url.clone().unwrap_or_default();
    if !base.is_empty() {
        out.push('/');
        out.push_str(base);
    }
    out.push_str(path);
    out
}

/// Reads every file in parallel, keeping the given order (the scan's, sorted by path); `words`
/// says whether to count each post's words.
pub fn read_all(
    site: &Site,
    files: &[SourceFile],
    now: DateTime<FixedOffset>,
    words: bool,
) -> Vec<Entry> {
    files
        .par_iter()
        .map(|file| Entry::read(file, site, now, words))
        .collect()
}

/// One message per invalid post, naming it, what is wrong and the command that explains it.
pub fn invalid_messages(entries: &[Entry]) -> Vec<String> {
    entries
        .iter()
        .filter_map(|entry| {
            let problem = entry.problem.as_ref()?;
            let path = entry.display_path();
            let at = problem
                .at
                .map(|p| format!(":{}:{}", p.line, p.column))
                .unwrap_or_default();
            Some(format!(
                "{path}{at}: {}; run `carnet lint {}` for details",
                problem.message,
                shell_quote(&path)
            ))
        })
        .collect()
}

/// Quotes a path for a shell command line when it holds anything but plain path characters.
fn shell_quote(path: &str) -> String {
    if !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ','))
    {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn site(config: &str) -> Site {
        Site::sample(config)
    }

    fn entry(rel: &str, text: &str, site: &Site) -> Entry {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+01:00").unwrap();
        Entry::from_post(Post::sample_in(rel, text, site), site, now, true)
    }

    #[test]
    fn a_post_becomes_an_entry() {
        let site = site("timezone: Europe/Paris\nurl: https://x.org/\nbaseurl: /blog/\n");
        let e = entry(
            "_posts/2017-06-22-a.md",
            "---\ntitle: Été\ntags: [b, a]\ncategory: notes\n---\nUn deux, trois !\n",
            &site,
        );
        assert_eq!(e.status, ListStatus::Published);
        assert_eq!(e.title.as_deref(), Some("Été"));
        assert_eq!(e.words, Some(3));
        assert_eq!(e.tags, ["b", "a"]);
        assert_eq!(
            e.url.as_deref(),
            Some("https://x.org/blog/notes/2017/06/22/a.html")
        );
        assert_eq!(e.date.unwrap().to_rfc3339(), "2017-06-22T00:00:00+02:00");
        assert!(e.problem.is_none());
    }

    #[test]
    fn urls_without_a_site_url_start_at_the_root() {
        let site = site("baseurl: blog\n");
        assert_eq!(site_url(&site, "/a.html"), "/blog/a.html");
        let site = self::site("");
        assert_eq!(site_url(&site, "/a.html"), "/a.html");
    }

    #[test]
    fn broken_front_matter_is_invalid_with_a_position() {
        let site = site("timezone: Europe/Paris\n");
        let e = entry(
            "_posts/2020-01-04-x.md",
            "---\ntitle: a: b\n---\nbody\n",
            &site,
        );
        assert_eq!(e.status, ListStatus::Invalid);
        assert_eq!(e.words, None);
        assert_eq!(e.slug, "x");
        assert_eq!(e.date.unwrap().to_rfc3339(), "2020-01-04T00:00:00+01:00");
        let problem = e.problem.unwrap();
        assert_eq!(problem.at.map(|p| p.line), Some(2), "{problem:?}");
        for (text, expected) in [
            ("", "no front matter"),
            ("+++\ntitle = 1\n+++\n", "TOML"),
            ("---\ntitle: a\n", "never closed"),
            ("---\n- a\n---\n", "a list"),
        ] {
            let e = entry("_drafts/x.md", text, &site);
            assert_eq!(e.status, ListStatus::Invalid);
            assert_eq!(e.date, None);
            assert!(e.problem.unwrap().message.contains(expected), "{text:?}");
        }
    }

    #[test]
    fn paths_are_quoted_for_the_shell_when_needed() {
        assert_eq!(
            shell_quote("_posts/2020-01-01-a.md"),
            "_posts/2020-01-01-a.md"
        );
        assert_eq!(shell_quote("_posts/l'été.md"), r"'_posts/l'\''été.md'");
        assert_eq!(shell_quote("a b.md"), "'a b.md'");
    }
}
