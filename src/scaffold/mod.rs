//! Scaffolding posts: what `carnet new`, `init`, `publish` and `unpublish` share.
//!
//! A new post's front matter is written field by field in a fixed order (layout, title, date,
//! category or categories, tags, then `--field`s), each value as a YAML scalar that reads back as
//! exactly what was given ([`yaml`]); the result is then read back with the post model before it is
//! written anywhere.

pub mod draft;
pub mod edit;
pub mod slug;
pub mod template;
pub mod yaml;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{DateTime, FixedOffset, NaiveDate};

use rayon::prelude::*;

use crate::post::Post;
use crate::site::{classify, Kind, Site, SourceFile, MARKDOWN_EXTENSIONS};

pub use yaml::FieldValue;

/// The `[new]` table of `carnet.toml`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConfig {
    /// Template name under `_templates/` used when `--template` is not given.
    pub template: Option<String>,
    /// File extension for new posts (`md` or `markdown`).
    pub ext: Option<String>,
}

/// Fields set by their own flag rather than by `--field`.
const FLAG_FIELDS: &[(&str, &str)] = &[
    ("title", "the TITLE argument"),
    ("date", "--date"),
    ("layout", "--layout"),
    ("tags", "--tags"),
    ("categories", "--category"),
    ("category", "--category"),
];

/// Input that cannot go into a post.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// An empty or blank title.
    #[error("the title is empty")]
    EmptyTitle,
    /// A control character (a line break, a tab...) in a one-line value.
    #[error(
        "{what} {value:?} holds a control character (a line break or a tab); write it on one line"
    )]
    ControlCharacter {
        /// What the value is (`the title`, `tag`...).
        what: &'static str,
        /// The value.
        value: String,
    },
    /// `--field` without `=`.
    #[error("--field {0:?}: write it as KEY=VALUE")]
    FieldSyntax(String),
    /// A `--field` key that is not a plain YAML key.
    #[error("--field key {0:?}: use letters, digits, `_` and `-`, starting with a letter or `_`")]
    FieldKey(String),
    /// A `--field` for a field that has its own flag.
    #[error("--field {key}=...: set `{key}` with {flag}")]
    FlagField {
        /// The key.
        key: String,
        /// The flag to use instead.
        flag: &'static str,
    },
    /// The same `--field` key twice.
    #[error("--field {0} is given twice")]
    FieldTwice(String),
}

/// Checks a title: not blank, on one line. Every other character is allowed and kept as is.
pub fn validate_title(title: &str) -> Result<(), InputError> {
    if title.trim().is_empty() {
        return Err(InputError::EmptyTitle);
    }
    one_line("the title", title)
}

/// Checks a one-line value (a tag, a category, a layout).
pub fn one_line(what: &'static str, value: &str) -> Result<(), InputError> {
    if value.chars().any(char::is_control) {
        return Err(InputError::ControlCharacter {
            what,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// Reads `--field KEY=VALUE` arguments, refusing odd keys, repeats and fields that have a flag.
pub fn parse_fields(args: &[String]) -> Result<Vec<(String, FieldValue)>, InputError> {
    let mut fields: Vec<(String, FieldValue)> = Vec::new();
    for arg in args {
        let (key, value) = arg
            .split_once('=')
            .ok_or_else(|| InputError::FieldSyntax(arg.clone()))?;
        let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !key_ok {
            return Err(InputError::FieldKey(key.to_string()));
        }
        if let Some((_, flag)) = FLAG_FIELDS.iter().find(|(k, _)| *k == key) {
            return Err(InputError::FlagField {
                key: key.to_string(),
                flag,
            });
        }
        if fields.iter().any(|(k, _)| k == key) {
            return Err(InputError::FieldTwice(key.to_string()));
        }
        one_line("--field value", value)?;
        fields.push((key.to_string(), FieldValue::parse(value)));
    }
    Ok(fields)
}

/// Trims, drops empty items and repeats; each item must be one line.
pub fn clean_list(what: &'static str, items: &[String]) -> Result<Vec<String>, InputError> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        one_line(what, item)?;
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    Ok(out)
}

/// A date as new posts write it: `2024-05-01 12:00:00 +0200`.
pub fn format_date(date: DateTime<FixedOffset>) -> String {
    date.format("%Y-%m-%d %H:%M:%S %z").to_string()
}

/// `YYYY-MM-DD-SLUG.EXT` for a post, `SLUG.EXT` for a draft.
pub fn file_name(day: Option<NaiveDate>, slug: &str, ext: &str) -> String {
    match day {
        Some(day) => format!("{}-{slug}.{ext}", day.format("%Y-%m-%d")),
        None => format!("{slug}.{ext}"),
    }
}

/// Everything that goes into a new post's front matter.
#[derive(Debug, Clone, Default)]
pub struct NewPost {
    /// `title`.
    pub title: String,
    /// `date`; `None` for a draft.
    pub date: Option<DateTime<FixedOffset>>,
    /// `layout`; `None` when the site's front-matter defaults give it.
    pub layout: Option<String>,
    /// One category is written `category: C`, several `categories: [a, b]`.
    pub categories: Vec<String>,
    /// `tags`, always written (`[]` when there are none).
    pub tags: Vec<String>,
    /// Other fields, in the order given.
    pub fields: Vec<(String, FieldValue)>,
}

impl NewPost {
    /// The front-matter fields as `(key, YAML value)` lines, in their fixed order.
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        if let Some(layout) = &self.layout {
            lines.push(("layout".to_string(), yaml::string(layout)));
        }
        lines.push(("title".to_string(), yaml::string(&self.title)));
        if let Some(date) = self.date {
            lines.push(("date".to_string(), format_date(date)));
        }
        match self.categories.as_slice() {
            [] => {}
            [one] => lines.push(("category".to_string(), yaml::string(one))),
            many => lines.push(("categories".to_string(), yaml::flow_list(many))),
        }
        lines.push(("tags".to_string(), yaml::flow_list(&self.tags)));
        for (key, value) in &self.fields {
            lines.push((key.clone(), value.to_yaml()));
        }
        lines
    }

    /// The front-matter block, `---` lines included.
    pub fn front_matter(&self) -> String {
        let mut out = String::from("---\n");
        for (key, value) in self.lines() {
            out.push_str(&key);
            out.push(':');
            if !value.is_empty() {
                out.push(' ');
                out.push_str(&value);
            }
            out.push('\n');
        }
        out.push_str("---\n");
        out
    }

    /// The post from the built-in template: front matter, then a body holding the excerpt separator.
    pub fn render(&self, excerpt_separator: Option<&str>) -> String {
        let mut out = self.front_matter();
        out.push('\n');
        // A blank separator (Jekyll's default is two line breaks) needs nothing written.
        if let Some(separator) = excerpt_separator.filter(|s| !s.trim().is_empty()) {
            out.push_str(separator);
            out.push('\n');
        }
        out
    }
}

/// Writes `text` to the new file `to` (never replacing one) with `from`'s permissions, then removes `from`.
///
/// The new file is complete before the old one goes: an interruption leaves both, never neither.
pub fn relocate(from: &Path, to: &Path, text: &[u8]) -> anyhow::Result<()> {
    let permissions = std::fs::metadata(from)
        .with_context(|| format!("{}: cannot read", from.display()))?
        .permissions();
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    }
    crate::fs::create_new(to, text).with_context(|| format!("{}: cannot create", to.display()))?;
    std::fs::set_permissions(to, permissions)
        .with_context(|| format!("{}: cannot keep the permissions", to.display()))?;
    std::fs::remove_file(from).with_context(|| {
        format!(
            "{} was written, but {} could not be removed",
            to.display(),
            from.display()
        )
    })
}

/// A file in `dir` named `STEM.EXT` for any Markdown extension: Jekyll would give it the same URL.
pub fn taken(dir: &Path, stem: &str) -> Option<PathBuf> {
    MARKDOWN_EXTENSIONS
        .iter()
        .map(|ext| dir.join(format!("{stem}.{ext}")))
        .find(|path| path.symlink_metadata().is_ok())
}

/// The URL `post` would have and the existing post that already has it, if any.
pub fn url_taken(site: &Site, post: &Post) -> Option<(String, SourceFile)> {
    let url = post.url(site)?.ok()?;
    let slug = post.data.slug.as_str();
    // A URL holding the slug can only be shared by a post whose name or front matter holds it:
    // the other posts are not parsed, which keeps this quick on large sites.
    let needle = (!slug.is_empty() && url.contains(slug)).then_some(slug.as_bytes());
    let files = site.scan();
    let other = files
        .posts
        .par_iter()
        .filter(|f| f.kind == Kind::Post && f.path != post.file.path)
        .find_any(|f| {
            let Ok(bytes) = std::fs::read(&f.path) else {
                return false;
            };
            if needle
                .is_some_and(|n| memchr::memmem::find(&bytes, n).is_none() && !f.rel.contains(slug))
            {
                return false;
            }
            Post::from_bytes((*f).clone(), bytes, site)
                .ok()
                .and_then(|p| p.url(site))
                .and_then(Result::ok)
                .is_some_and(|u| u == url)
        })?
        .clone();
    Some((url, other))
}

/// The post or draft a command names: a path, or (not found as a path) a bare name in `_drafts/` or
/// `_posts/`. It must be a regular file of that kind inside the site.
pub fn locate(site: &Site, given: &Path, kind: Kind) -> anyhow::Result<SourceFile> {
    let folder = match kind {
        Kind::Draft => "_drafts",
        _ => "_posts",
    };
    let what = match kind {
        Kind::Draft => "a draft (a Markdown file in _drafts/)",
        _ => "a post (a Markdown file in _posts/)",
    };
    let path = if given.symlink_metadata().is_ok() {
        given.to_path_buf()
    } else {
        let bare = given.components().count() == 1;
        let name = given.to_string_lossy();
        let dir = site.root.join(folder);
        let found = bare
            .then(|| {
                std::iter::once(dir.join(given))
                    .chain(
                        MARKDOWN_EXTENSIONS
                            .iter()
                            .map(|ext| dir.join(format!("{name}.{ext}"))),
                    )
                    .find(|p| p.is_file())
            })
            .flatten();
        found.ok_or_else(|| anyhow::anyhow!("{}: no such file", given.display()))?
    };
    let meta = path.symlink_metadata()?;
    if !meta.is_file() {
        anyhow::bail!(
            "{}: not {what}: carnet moves only regular files, not folders or symbolic links",
            given.display()
        );
    }
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        anyhow::bail!("{}: not {what}", given.display());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    // The folder is resolved (symbolic links included) so that `..` or a link cannot lead outside the site.
    let parent = std::fs::canonicalize(parent)
        .with_context(|| format!("{}: cannot read", parent.display()))?;
    let root = std::fs::canonicalize(&site.root)
        .with_context(|| format!("{}: cannot read", site.root.display()))?;
    let path = parent.join(name);
    let rel = path
        .strip_prefix(&root)
        .ok()
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{}: not inside the site {}",
                given.display(),
                site.root.display()
            )
        })?;
    if classify(&rel) != Some(kind) {
        anyhow::bail!("{}: not {what}", given.display());
    }
    Ok(SourceFile { rel, path, kind })
}

/// `rel` with its last `from` folder replaced by `to` (`voyages/_drafts/x.md` to `voyages/_posts/`),
/// and the file name replaced by `name`.
pub fn moved_rel(rel: &str, from: &str, to: &str, name: &str) -> String {
    let mut parts: Vec<&str> = rel.split('/').collect();
    if let Some(i) = parts.iter().rposition(|p| *p == from) {
        parts[i] = to;
    }
    if let Some(last) = parts.last_mut() {
        *last = name;
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn site() -> Site {
        Site::sample("timezone: Europe/Paris\nexcerpt_separator: <!--more-->\n")
    }

    fn read(text: String) -> Post {
        let file = SourceFile {
            rel: "_posts/2024-05-01-x.md".to_string(),
            path: "/blog/_posts/2024-05-01-x.md".into(),
            kind: crate::site::Kind::Post,
        };
        Post::from_text(file, text, &site())
    }

    fn date() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2024-05-01T12:00:00+02:00").unwrap()
    }

    #[test]
    fn built_in_template() {
        let post = NewPost {
            title: "IntercoTOUR, un baromètre des usages du numérique en collectivités".into(),
            date: Some(date()),
            layout: Some("post".into()),
            categories: vec!["good_job".into()],
            tags: vec!["evenement".into(), "collectivites".into()],
            fields: vec![
                ("published".into(), FieldValue::Bool(false)),
                ("image".into(), FieldValue::Empty),
            ],
        };
        assert_eq!(
            post.render(Some("<!--more-->")),
            "---\nlayout: post\ntitle: IntercoTOUR, un baromètre des usages du numérique en collectivités\n\
             date: 2024-05-01 12:00:00 +0200\ncategory: good_job\ntags: [evenement, collectivites]\n\
             published: false\nimage:\n---\n\n<!--more-->\n"
        );
        let parsed = read(post.render(None));
        assert_eq!(parsed.data.title.as_deref(), Some(post.title.as_str()));
        assert_eq!(parsed.data.date, Some(date()));
        assert!(!parsed.data.published);
        let two = NewPost {
            title: "t".into(),
            categories: vec!["a".into(), "b c".into()],
            ..NewPost::default()
        };
        assert_eq!(
            two.front_matter(),
            "---\ntitle: t\ncategories: [a, b c]\ntags: []\n---\n"
        );
        assert_eq!(
            two.render(Some("\n\n")),
            "---\ntitle: t\ncategories: [a, b c]\ntags: []\n---\n\n"
        );
    }

    #[test]
    fn fields_are_checked() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_fields(&args(&["author=Camille", "draft=false", "n=3", "image="])).unwrap(),
            vec![
                ("author".into(), FieldValue::String("Camille".into())),
                ("draft".into(), FieldValue::Bool(false)),
                ("n".into(), FieldValue::Number("3".into())),
                ("image".into(), FieldValue::Empty),
            ]
        );
        for bad in ["noequals", "a b=1", "../x=1", "=1", "1a=x", "x\n=1"] {
            assert!(parse_fields(&args(&[bad])).is_err(), "{bad}");
        }
        assert!(matches!(
            parse_fields(&args(&["title=x"])),
            Err(InputError::FlagField { .. })
        ));
        assert!(matches!(
            parse_fields(&args(&["a=1", "a=2"])),
            Err(InputError::FieldTwice(_))
        ));
        assert!(parse_fields(&args(&["a=x\ny"])).is_err());
    }

    #[test]
    fn moves_keep_the_folder_above() {
        assert_eq!(
            moved_rel(
                "voyages/_drafts/x.md",
                "_drafts",
                "_posts",
                "2024-05-01-x.md"
            ),
            "voyages/_posts/2024-05-01-x.md"
        );
        assert_eq!(
            moved_rel("_posts/2024/2024-05-01-x.md", "_posts", "_drafts", "x.md"),
            "_drafts/2024/x.md"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("2024-05-01-x.markdown"), "").unwrap();
        assert_eq!(
            taken(dir.path(), "2024-05-01-x"),
            Some(dir.path().join("2024-05-01-x.markdown"))
        );
        assert_eq!(taken(dir.path(), "2024-05-01-y"), None);
    }

    #[test]
    fn titles_and_lists() {
        assert_eq!(validate_title("  "), Err(InputError::EmptyTitle));
        assert!(validate_title("a\nb").is_err());
        assert!(validate_title("a\tb").is_err());
        validate_title(" leading and trailing ").unwrap();
        assert_eq!(
            clean_list("tag", &[" a ".into(), "".into(), "a".into(), "b".into()]).unwrap(),
            ["a", "b"]
        );
    }

    /// Titles that stress YAML: indicators, YAML 1.1 words, numbers, dates, quotes, odd Unicode.
    fn hostile_title() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "yes",
            "No",
            "on",
            "OFF",
            "null",
            "~",
            "true",
            "0x1F",
            "1:20",
            "2017-06-22",
            "1e5",
            "-",
            "? ",
            ": ",
            " #",
            "#",
            "[",
            "]",
            "{",
            "}",
            ",",
            "*",
            "&",
            "!",
            "%",
            "@",
            "`",
            "|",
            ">",
            "'",
            "\"",
            "\\",
            "---",
            "...",
            "<<",
            "=",
            " ",
            "é",
            "ß",
            "中文",
            "😀",
            "שלום",
            "مرحبا",
            "\u{200f}",
            "\u{202e}",
            "\u{a0}",
            "\u{85}",
            "\u{2028}",
            "\u{2029}",
            "\u{feff}",
            "\u{fffe}",
            "{{ title }}",
            "{% raw %}",
            "<!--more-->",
            "a",
            "Z",
            "0",
            "9",
        ]);
        prop::collection::vec(pieces, 1..8).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn every_accepted_title_reads_back_exactly(title in prop_oneof![any::<String>(), hostile_title()]) {
            prop_assume!(validate_title(&title).is_ok());
            let post = NewPost { title: title.clone(), date: Some(date()), layout: Some(title.clone()), tags: vec![title.clone()], ..NewPost::default() };
            let parsed = read(post.render(Some("<!--more-->")));
            prop_assert!(parsed.is_valid(), "{}", parsed.text);
            prop_assert_eq!(parsed.data.title.as_deref(), Some(title.as_str()));
            prop_assert_eq!(parsed.data.layout.as_deref(), Some(title.as_str()));
            prop_assert_eq!(parsed.front().unwrap().get("tags"), Some(&serde_yaml::Value::Sequence(vec![serde_yaml::Value::String(title.clone())])));
            prop_assert_eq!(parsed.data.date, Some(date()));
        }
    }
}
