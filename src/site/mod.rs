//! The site as Jekyll sees it: its root, `_config.yml`, and the files that hold posts.

pub mod date;
pub mod front_matter;
pub mod include;
pub mod permalink;
pub mod split;
pub mod yaml_hint;

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::error::ConfigError;
use date::Zone;
use front_matter::{type_name, FrontMatter, FrontMatterError};

/// carnet's settings file; like `_config.yml`, it marks the root of a site.
pub const CARNET_TOML: &str = "carnet.toml";

/// Jekyll's Markdown extensions: files with these under `_posts/` are posts.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mkdown", "mkdn", "mkd"];

/// Folders never searched for posts.
pub const SKIPPED_DIRS: &[&str] = &[
    "_site",
    "vendor",
    "node_modules",
    ".git",
    ".jekyll-cache",
    ".sass-cache",
];

/// A Jekyll site: where it is and how it is configured.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder holding `_config.yml` or `carnet.toml`.
    pub root: PathBuf,
    /// What `_config.yml` says that changes a post's meaning.
    pub config: SiteConfig,
}

/// The parts of `_config.yml` carnet reads.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// `title`.
    pub title: Option<String>,
    /// `url`, without a trailing slash.
    pub url: Option<String>,
    /// `baseurl`, without a trailing slash (`""` for none).
    pub baseurl: String,
    /// `lang`.
    pub lang: Option<String>,
    /// `excerpt_separator`, when configured.
    pub excerpt_separator: Option<String>,
    /// `timezone`, or the machine's zone.
    pub timezone: Zone,
    /// `permalink`: a named style or a pattern (default `date`).
    pub permalink: String,
    /// `defaults`: front-matter values by scope.
    pub defaults: Vec<ScopedDefault>,
    /// `future`: publish posts dated after now.
    pub future: bool,
    /// `exclude`: paths (relative to the root, `*` wildcards allowed) Jekyll leaves out of the site.
    pub exclude: Vec<String>,
    /// The whole mapping, for `{{ site.* }}`.
    pub raw: Mapping,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: None,
            url: None,
            baseurl: String::new(),
            lang: None,
            excerpt_separator: None,
            timezone: Zone::Local,
            permalink: "date".to_string(),
            defaults: Vec::new(),
            future: false,
            exclude: Vec::new(),
            raw: Mapping::new(),
        }
    }
}

/// One entry of `defaults:`: values applied to documents under `path` of `type`.
#[derive(Debug, Clone)]
pub struct ScopedDefault {
    /// The path prefix (relative to the root, `""` for all); `*` globs are honoured.
    pub path: String,
    /// `posts`, `drafts`, `pages`..., or any type.
    pub kind: Option<String>,
    /// The front-matter values given.
    pub values: Mapping,
}

/// Whether a file is a post or a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Under `_posts/`.
    Post,
    /// Under `_drafts/`.
    Draft,
    /// Another Markdown file linted by name (a page, or a post of a site not laid out like Jekyll's).
    Page,
}

/// A post or draft file found in the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators.
    pub rel: String,
    /// The path on disk.
    pub path: PathBuf,
    /// Post or draft.
    pub kind: Kind,
}

/// Everything found under the site root.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    /// Posts and drafts, sorted by path.
    pub posts: Vec<SourceFile>,
    /// Other files (pages, assets), relative to the root, sorted; folders starting with `_` or `.` are left out.
    pub others: Vec<String>,
}

impl Site {
    /// Finds the site holding `start`: the nearest ancestor with `_config.yml` or `carnet.toml`.
    pub fn discover(start: &Path) -> Result<Site, ConfigError> {
        Site::discover_advising(
            start,
            "run carnet from the blog's folder, pass --site DIR, or create one with `carnet init`",
        )
    }

    /// [`Site::discover`] from the folder `--site` names: the advice cannot be to pass `--site`.
    pub fn discover_given(start: &Path) -> Result<Site, ConfigError> {
        Site::discover_advising(
            start,
            "--site takes the blog's folder, the one holding _config.yml; \
             to start a blog there, run `carnet init`",
        )
    }

    fn discover_advising(start: &Path, advice: &str) -> Result<Site, ConfigError> {
        let start =
            std::path::absolute(start).map_err(|e| ConfigError::io(start.to_path_buf(), e))?;
        let root = start
            .ancestors()
            .find(|dir| dir.join("_config.yml").is_file() || dir.join(CARNET_TOML).is_file())
            .ok_or_else(|| ConfigError {
                path: start.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "not inside a Jekyll site: no _config.yml or carnet.toml here or in any parent \
                     folder ({advice})"
                ),
            })?;
        Site::load(root)
    }

    /// Loads the site rooted at `root`.
    pub fn load(root: &Path) -> Result<Site, ConfigError> {
        let config = SiteConfig::load(&root.join("_config.yml"))?;
        Ok(Site {
            root: root.to_path_buf(),
            config,
        })
    }

    /// Walks the site for posts, drafts and other files, honouring `.gitignore`.
    pub fn scan(&self) -> SiteFiles {
        self.scan_under(&self.root)
    }

    /// Walks `dir` (inside the site) for posts, drafts and other files.
    pub fn scan_under(&self, dir: &Path) -> SiteFiles {
        let mut files = SiteFiles::default();
        let root = self.root.clone();
        let exclude = self.config.exclude.clone();
        let walker = ignore::WalkBuilder::new(dir)
            .hidden(true)
            .require_git(false)
            .git_ignore(true)
            .git_exclude(true)
            .parents(true)
            .filter_entry(move |entry| {
                if entry.depth() == 0 {
                    return true;
                }
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if is_dir && SKIPPED_DIRS.contains(&entry.file_name().to_string_lossy().as_ref()) {
                    return false;
                }
                let Ok(rel) = entry.path().strip_prefix(&root) else {
                    return true;
                };
                let rel = rel.to_string_lossy();
                !exclude.iter().any(|pattern| excluded(pattern, &rel))
            })
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let Some(rel) = self.relative(entry.path()) else {
                continue;
            };
            match classify(&rel) {
                Some(kind) => files.posts.push(SourceFile {
                    rel,
                    path: entry.into_path(),
                    kind,
                }),
                None if !rel
                    .split('/')
                    .any(|s| s.starts_with('_') || s.starts_with('.')) =>
                {
                    files.others.push(rel)
                }
                None => {}
            }
        }
        files.posts.sort();
        files.others.sort();
        files
    }

    /// The path relative to the root with `/` separators, if it is inside the site.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        Some(parts.join("/"))
    }

    /// A source file for a file named on the command line: a post, a draft, or else a page.
    pub fn source_file(&self, path: &Path) -> SourceFile {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = self
            .relative(&absolute)
            .unwrap_or_else(|| path.to_string_lossy().replace('\\', "/"));
        let kind = classify(&rel).unwrap_or(Kind::Page);
        SourceFile {
            rel,
            path: absolute,
            kind,
        }
    }

    /// Markdown files under `dir` outside `_`-folders, as pages (for folders that hold no `_posts/`).
    pub fn pages_under(&self, dir: &Path, files: &SiteFiles) -> Vec<SourceFile> {
        let prefix = self.relative(dir).unwrap_or_default();
        files
            .others
            .iter()
            .filter(|rel| prefix.is_empty() || rel.starts_with(&format!("{prefix}/")))
            .filter(|rel| {
                rel.rsplit_once('.').is_some_and(|(_, ext)| {
                    MARKDOWN_EXTENSIONS
                        .iter()
                        .any(|e| e.eq_ignore_ascii_case(ext))
                })
            })
            .map(|rel| SourceFile {
                rel: rel.clone(),
                path: self.root.join(rel),
                kind: Kind::Page,
            })
            .collect()
    }

    /// The front-matter defaults that apply to a file, in increasing priority.
    pub fn defaults_for<'a>(
        &'a self,
        rel: &'a str,
        kind: Kind,
    ) -> impl Iterator<Item = &'a Mapping> + 'a {
        let type_name = match kind {
            Kind::Post => "posts",
            Kind::Draft => "drafts",
            Kind::Page => "pages",
        };
        self.config
            .defaults
            .iter()
            .filter(move |d| {
                d.kind
                    .as_deref()
                    .is_none_or(|k| k == type_name || (kind == Kind::Draft && k == "posts"))
                    && scope_matches(&d.path, rel)
            })
            .map(|d| &d.values)
    }
    /// The URL (escaped) a page, static file or collection document is served at, as Jekyll serves it.
    pub fn page_url(&self, rel: &str) -> Option<String> {
        page_url(self, rel)
    }
}

fn page_url(site: &Site, rel: &str) -> Option<String> {
    let path = site.root.join(rel);
    if !path.is_file() {
        return None;
    }
    if let Some(collection) = rel.split('/').next().and_then(|s| s.strip_prefix('_')) {
        return collection_url(site, collection, rel, &path);
    }
    if rel.split('/').any(|s| s.starts_with('_')) {
        return None;
    }
    let mut escaped = String::new();
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, ""));
    let is_page = ext == "html" || crate::site::MARKDOWN_EXTENSIONS.contains(&ext);
    let front = is_page.then(|| page_front_matter(&path)).flatten();
    let Some(front) = front else {
        crate::site::permalink::escape_path_into(&format!("/{rel}"), &mut escaped);
        return Some(escaped);
    };
    if let Some(Value::String(permalink)) = front.get("permalink") {
        let permalink = if permalink.starts_with('/') {
            permalink.clone()
        } else {
            format!("/{permalink}")
        };
        crate::site::permalink::escape_path_into(&permalink, &mut escaped);
        return Some(escaped);
    }
    let (dir, name) = match stem.rsplit_once('/') {
        Some((dir, name)) => (format!("/{dir}/"), name),
        None => ("/".to_string(), stem),
    };
    let url = if name == "index" {
        dir
    } else if site.config.permalink == "pretty" {
        format!("{dir}{name}/")
    } else {
        format!("{dir}{name}.html")
    };
    crate::site::permalink::escape_path_into(&url, &mut escaped);
    Some(escaped)
}

/// The URL of a document of a collection (`_docs/x.md`) declared in `_config.yml`'s `collections`.
fn collection_url(site: &Site, name: &str, rel: &str, path: &Path) -> Option<String> {
    let declared = match site.config.raw.get("collections")? {
        Value::Mapping(collections) => collections.get(name).cloned().map(Some),
        Value::Sequence(names) => names
            .iter()
            .any(|n| n.as_str() == Some(name))
            .then_some(None),
        _ => None,
    }?;
    let mut escaped = String::new();
    if let Some(Value::String(permalink)) = page_front_matter(path)
        .as_ref()
        .and_then(|f| f.get("permalink"))
    {
        crate::site::permalink::escape_path_into(
            &format!("/{}", permalink.trim_start_matches('/')),
            &mut escaped,
        );
        return Some(escaped);
    }
    let inner = rel.split_once('/').map_or("", |(_, inner)| inner);
    let (stem, ext) = inner.rsplit_once('.').unwrap_or((inner, ""));
    let basename = stem.rsplit('/').next().unwrap_or(stem);
    let output_ext = if ext == "html" || crate::site::MARKDOWN_EXTENSIONS.contains(&ext) {
        ".html".to_string()
    } else {
        format!(".{ext}")
    };
    let default = if site.config.permalink == "pretty" {
        "/:collection/:path/"
    } else {
        "/:collection/:path:output_ext"
    };
    let pattern = declared
        .as_ref()
        .and_then(|meta| meta.get("permalink"))
        .and_then(Value::as_str)
        .unwrap_or(default);
    let url = pattern
        .replace(":collection", name)
        .replace(":output_ext", &output_ext)
        .replace(":path", stem)
        .replace(":name", basename)
        .replace(":title", basename);
    let url: Vec<&str> = url
        .split('/')
        .filter(|s| !s.is_empty() && *s != "..")
        .collect();
    let trailing = pattern.ends_with('/');
    crate::site::permalink::escape_path_into(
        &format!("/{}{}", url.join("/"), if trailing { "/" } else { "" }),
        &mut escaped,
    );
    Some(escaped)
}

fn page_front_matter(path: &Path) -> Option<Mapping> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let crate::site::split::Split::Closed { yaml, .. } = crate::site::split::split(text) else {
        return None;
    };
    crate::site::front_matter::FrontMatter::parse(&text[yaml], 0)
        .ok()
        .map(|f| f.mapping)
}

/// `Post` for a Markdown file under a `_posts/` folder, `Draft` under `_drafts/`.
pub fn classify(rel: &str) -> Option<Kind> {
    let (dirs, name) = rel.rsplit_once('/')?;
    let ext = name.rsplit_once('.')?.1;
    if !MARKDOWN_EXTENSIONS
        .iter()
        .any(|e| e.eq_ignore_ascii_case(ext))
    {
        return None;
    }
    let mut kind = None;
    for dir in dirs.split('/') {
        match dir {
            "_posts" => kind = Some(Kind::Post),
            "_drafts" => kind = Some(Kind::Draft),
            d if d.starts_with('_') || d.starts_with('.') => return None,
            _ => {}
        }
    }
    kind
}

/// Jekyll's `exclude` matching: the path itself, anything below it, or a `*` wildcard match.
fn excluded(pattern: &str, rel: &str) -> bool {
    if !pattern.contains('*') {
        return rel == pattern
            || rel
                .strip_prefix(pattern)
                .is_some_and(|r| r.starts_with('/'));
    }
    wildcard(pattern.as_bytes(), rel.as_bytes())
}

/// `*` matches any run of characters, `/` included, as Ruby's `File.fnmatch` does without flags.
fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

fn scope_matches(scope: &str, rel: &str) -> bool {
    let scope = scope.trim_matches('/');
    if scope.is_empty() {
        return true;
    }
    if scope.contains('*') {
        let pattern: Vec<&str> = scope.split('/').collect();
        let parts: Vec<&str> = rel.split('/').collect();
        return parts.len() >= pattern.len()
            && pattern.iter().zip(&parts).all(|(p, s)| *p == "*" || p == s);
    }
    rel == scope || rel.starts_with(&format!("{scope}/"))
}

impl SiteConfig {
    /// Reads `_config.yml`; a missing file means Jekyll's defaults.
    pub fn load(path: &Path) -> Result<SiteConfig, ConfigError> {
        let Some(text) = read_config_file(path)? else {
            return Ok(SiteConfig::default());
        };
        SiteConfig::parse(path, text.strip_prefix('\u{feff}').unwrap_or(&text))
    }

    /// Parses the text of `_config.yml`.
    pub fn parse(path: &Path, text: &str) -> Result<SiteConfig, ConfigError> {
        let yaml = FrontMatter::parse(text, 0).map_err(|e| {
            let (offset, message) = match &e {
                FrontMatterError::Invalid { offset, .. } => (*offset, e.to_string()),
                FrontMatterError::NotMapping { found, offset } => (
                    *offset,
                    format!("the file is {found}, not a mapping of settings"),
                ),
            };
            ConfigError::at(path.to_path_buf(), text, offset, message)
        })?;
        let wrong = |key: &str, expected: &str, value: &Value| {
            let offset = yaml.field(key).map_or(0, |f| f.value_span.start);
            ConfigError::at(
                path.to_path_buf(),
                text,
                offset,
                format!("`{key}` must be {expected}, found {}", type_name(value)),
            )
        };
        let string = |key: &str| -> Result<Option<String>, ConfigError> {
            match yaml.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(v) => Err(wrong(key, "a string", v)),
            }
        };
        let mut config = SiteConfig {
            title: string("title")?,
            url: string("url")?
                .map(|u| u.trim_end_matches('/').to_string())
                .filter(|u| !u.is_empty()),
            baseurl: string("baseurl")?
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string(),
            lang: string("lang")?,
            excerpt_separator: string("excerpt_separator")?,
            ..SiteConfig::default()
        };
        if let Some(tz) = string("timezone")? {
            let zone = tz.parse::<chrono_tz::Tz>().map_err(|_| {
                let offset = yaml.field("timezone").map_or(0, |f| f.value_span.start);
                ConfigError::at(
                    path.to_path_buf(),
                    text,
                    offset,
                    format!("unknown timezone `{tz}` (expected an IANA name such as Europe/Paris)"),
                )
            })?;
            config.timezone = Zone::Named(zone);
        }
        if let Some(permalink) = string("permalink")? {
            config.permalink = permalink;
        }
        // Jekyll gives posts the permalink of `collections: posts:` over the site-wide one.
        if let Some(Value::String(permalink)) = yaml
            .get("collections")
            .and_then(|c| c.get("posts"))
            .and_then(|p| p.get("permalink"))
        {
            config.permalink = permalink.clone();
        }
        match yaml.get("future") {
            None | Some(Value::Null) => {}
            Some(v) => {
                config.future = crate::site::front_matter::yaml11_bool(v)
                    .ok_or_else(|| wrong("future", "true or false", v))?
            }
        }
        match yaml.get("exclude") {
            None | Some(Value::Null) => {}
            Some(Value::Sequence(items)) if items.iter().all(Value::is_string) => {
                config.exclude = items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|p| p.trim_matches('/').to_string())
                    .filter(|p| !p.is_empty())
                    .collect();
            }
            Some(v) => return Err(wrong("exclude", "a list of paths", v)),
        }
        if let Some(defaults) = yaml.get("defaults") {
            config.defaults = parse_defaults(defaults)
                .map_err(|expected| wrong("defaults", expected, defaults))?;
        }
        config.raw = yaml.mapping;
        Ok(config)
    }
}

fn parse_defaults(value: &Value) -> Result<Vec<ScopedDefault>, &'static str> {
    const EXPECTED: &str = "a list of `scope:` and `values:` mappings";
    let Value::Sequence(items) = value else {
        return Err(EXPECTED);
    };
    items
        .iter()
        .map(|item| {
            let scope = item.get("scope");
            let path = scope
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let kind = scope
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let values = match item.get("values") {
                Some(Value::Mapping(m)) => m.clone(),
                None | Some(Value::Null) => Mapping::new(),
                Some(_) => return Err(EXPECTED),
            };
            Ok(ScopedDefault { path, kind, values })
        })
        .collect()
}

/// Reads a configuration file (`carnet.toml`, `_config.yml`): `None` when there is none; an error
/// naming the place of the first byte that is not UTF-8, or saying that the path is not a file.
pub fn read_config_file(path: &Path) -> Result<Option<String>, ConfigError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ConfigError::io(path.to_path_buf(), e)),
    };
    // A FIFO would block the read: only a regular file is a configuration.
    if !meta.is_file() {
        return Err(ConfigError::io(
            path.to_path_buf(),
            std::io::Error::other("not a regular file"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| ConfigError::io(path.to_path_buf(), e))?;
    String::from_utf8(bytes).map(Some).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        ConfigError::at(
            path.to_path_buf(),
            &valid,
            offset,
            format!("not valid UTF-8 (byte offset {offset})"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_posts_and_drafts() {
        assert_eq!(classify("_posts/2017-06-22-a.md"), Some(Kind::Post));
        assert_eq!(
            classify("voyages/_posts/2017-06-22-a.markdown"),
            Some(Kind::Post)
        );
        assert_eq!(classify("_posts/2017/2017-06-22-a.md"), Some(Kind::Post));
        assert_eq!(classify("_drafts/a.md"), Some(Kind::Draft));
        assert_eq!(classify("_posts/a.txt"), None);
        assert_eq!(classify("about.md"), None);
        assert_eq!(classify("_site/_posts/a.md"), None);
    }

    #[test]
    fn config_values_and_wrong_types() {
        let config = SiteConfig::parse(
            Path::new("_config.yml"),
            "title: Blog\nurl: https://x.org/\nexcerpt_separator: <!--more-->\ntimezone: Europe/Paris\npermalink: pretty\nfuture: true\ndefaults:\n  - scope: {path: \"\", type: posts}\n    values: {layout: post}\n",
        )
        .unwrap();
        assert_eq!(config.url.as_deref(), Some("https://x.org"));
        assert_eq!(config.excerpt_separator.as_deref(), Some("<!--more-->"));
        assert_eq!(config.timezone, Zone::Named(chrono_tz::Europe::Paris));
        assert!(config.future);
        let collection = SiteConfig::parse(
            Path::new("_config.yml"),
            "permalink: pretty\ncollections:\n  posts:\n    permalink: /news/:year/:title/\n",
        )
        .unwrap();
        assert_eq!(collection.permalink, "/news/:year/:title/");
        assert_eq!(
            config.defaults[0]
                .values
                .get("layout")
                .and_then(Value::as_str),
            Some("post")
        );

        let err = SiteConfig::parse(Path::new("_config.yml"), "title: a\nexcerpt_separator: 3\n")
            .unwrap_err();
        assert_eq!((err.line, err.column), (2, 20));
        assert!(err.message.contains("excerpt_separator"), "{err}");
        let err = SiteConfig::parse(Path::new("_config.yml"), "title: [a\n").unwrap_err();
        // Reported where the `[` opened, not at the end of the file where the parser gave up.
        assert_eq!((err.line, err.column), (1, 8), "{err}");
        assert!(err.message.contains("never closed"), "{err}");
        let err = SiteConfig::parse(Path::new("_config.yml"), "- a\n- b\n").unwrap_err();
        assert_eq!(err.message, "the file is a list, not a mapping of settings");
    }

    #[test]
    fn exclude_patterns() {
        assert!(excluded("content", "content/posts/a.md"));
        assert!(excluded("content", "content"));
        assert!(!excluded("content", "contents/a.md"));
        assert!(excluded("*.txt", "notes/a.txt"));
        assert!(excluded("drafts/*", "drafts/x/y.md"));
        assert!(!excluded("*.txt", "a.md"));
        let config = SiteConfig::parse(
            Path::new("_config.yml"),
            "exclude: [content/, Gemfile]
",
        )
        .unwrap();
        assert_eq!(config.exclude, ["content", "Gemfile"]);
        assert!(SiteConfig::parse(
            Path::new("_config.yml"),
            "exclude: 3
"
        )
        .is_err());
    }

    #[test]
    fn default_scopes() {
        assert!(scope_matches("", "_posts/a.md"));
        assert!(scope_matches("_posts", "_posts/a.md"));
        assert!(!scope_matches("_post", "_posts/a.md"));
        assert!(scope_matches("*/_posts", "voyages/_posts/a.md"));
    }

    #[test]
    fn config_files_that_are_not_utf8_or_not_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_config_file(&dir.path().join(CARNET_TOML))
            .unwrap()
            .is_none());
        let path = dir.path().join(CARNET_TOML);
        std::fs::write(&path, b"[lint]\nrequired = [\"caf\xe9\"]\n").unwrap();
        let err = read_config_file(&path).unwrap_err();
        assert_eq!((err.line, err.column), (2, 17), "{err}");
        assert!(err.message.contains("byte offset 23"), "{err}");
        let err = read_config_file(dir.path()).unwrap_err();
        assert!(err.message.contains("not a regular file"), "{err}");
    }
}
