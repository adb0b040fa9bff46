//! `_config.yml`: the settings that change what a post means to Jekyll.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::collection::Collection;
use super::date::Zone;
use super::front_matter::{type_name, FrontMatter, FrontMatterError};
use crate::error::ConfigError;
use crate::markdown::{entity_char, CommonMark, Dialect, Kramdown};

/// What Jekyll leaves out of a site whose `_config.yml` has no `exclude:`.
const DEFAULT_EXCLUDE: &[&str] = &[
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle",
    "vendor/cache",
    "vendor/gems",
    "vendor/ruby",
];

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
    /// `collections`, with `posts` always first, as Jekyll declares it.
    pub collections: Vec<Collection>,
    /// `collections_dir`: the folder holding the collections' folders (`""` for the root).
    pub collections_dir: String,
    /// `include`: names of `_`- or `.`-files and folders that are read all the same.
    pub include: Vec<String>,
    /// `keep_files`: paths of the output folder that a build leaves in place.
    pub keep_files: Vec<String>,
    /// `plugins` (and the older `gems`): the gems the site loads.
    pub plugins: Vec<String>,
    /// `markdown:` and `kramdown:`: the dialect posts are written in.
    pub markdown: Dialect,
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
            collections: vec![Collection::posts()],
            collections_dir: String::new(),
            include: Vec::new(),
            keep_files: vec![".git".to_string(), ".svn".to_string()],
            plugins: Vec::new(),
            markdown: Dialect::default(),
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

impl SiteConfig {
    /// Whether the Markdown converter links bare URLs and e-mail addresses: CommonMark with the
    /// `autolink` extension in `commonmark: extensions:`. kramdown never does, nor jekyll-commonmark
    /// without that extension (its default list is empty).
    pub fn links_bare_urls(&self) -> bool {
        self.markdown.links_bare_urls()
    }

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
        let paths = |key: &str| -> Result<Option<Vec<String>>, ConfigError> {
            match yaml.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Sequence(items)) if items.iter().all(Value::is_string) => Ok(Some(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|p| p.trim_matches('/').to_string())
                        .filter(|p| !p.is_empty())
                        .collect(),
                )),
                Some(v) => Err(wrong(key, "a list of paths", v)),
            }
        };
        // Jekyll's own list applies only when the site gives none: a site's list replaces it.
        config.exclude = paths("exclude")?
            .unwrap_or_else(|| DEFAULT_EXCLUDE.iter().map(|p| p.to_string()).collect());
        config.include = paths("include")?.unwrap_or_default();
        if let Some(keep) = paths("keep_files")? {
            config.keep_files = keep;
        }
        for key in ["plugins", "gems"] {
            config.plugins.extend(paths(key)?.unwrap_or_default());
        }
        if let Some(dir) = string("collections_dir")? {
            config.collections_dir = dir.trim_matches('/').to_string();
        }
        let collections = yaml.get("collections").unwrap_or(&Value::Null);
        config.collections = super::collection::parse(collections, &config.collections_dir)
            .map_err(|expected| wrong("collections", expected, collections))?;
        if let Some(defaults) = yaml.get("defaults") {
            config.defaults = parse_defaults(defaults)
                .map_err(|expected| wrong("defaults", expected, defaults))?;
        }
        config.markdown = dialect(
            string("markdown")?.as_deref(),
            yaml.get("kramdown"),
            yaml.get("commonmark"),
        );
        config.raw = yaml.mapping;
        Ok(config)
    }
}

impl SiteConfig {
    /// The site's own `permalink:` style (`date` when unset), before `collections: posts:` overrides
    /// it for posts: the ending of other collections' default URLs follows it.
    pub fn permalink_style(&self) -> &str {
        self.raw
            .get("permalink")
            .and_then(Value::as_str)
            .unwrap_or("date")
    }
}

/// jekyll-commonmark's settings: the `commonmark:` mapping's `extensions` and `options` lists.
fn commonmark(name: &str, settings: Option<&Value>) -> CommonMark {
    let list = |key: &str| -> Vec<&str> {
        settings
            .and_then(|s| s.get(key))
            .and_then(Value::as_sequence)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    CommonMark::from_settings(
        name.eq_ignore_ascii_case("commonmarkghpages"),
        list("extensions"),
        list("options"),
    )
}

/// The dialect as Jekyll picks its converter: `CommonMark`/`CommonMarkGhPages` (the
/// jekyll-commonmark plugins), else kramdown; settings Jekyll would not understand keep their default.
fn dialect(
    name: Option<&str>,
    settings: Option<&Value>,
    commonmark_settings: Option<&Value>,
) -> Dialect {
    if let Some(name) = name.filter(|n| n.to_ascii_lowercase().starts_with("commonmark")) {
        return Dialect::CommonMark(Box::new(commonmark(name, commonmark_settings)));
    }
    let mut kramdown = Kramdown::default();
    let Some(Value::Mapping(settings)) = settings else {
        return Dialect::Kramdown(Box::new(kramdown));
    };
    let text = |key: &str| match settings.get(key) {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(Value::Null) => Some("nil".to_string()),
        _ => None,
    };
    let flag = |key: &str| {
        settings
            .get(key)
            .and_then(crate::site::front_matter::yaml11_bool)
    };
    if let Some(input) = text("input") {
        kramdown.input_gfm = input.eq_ignore_ascii_case("gfm");
    }
    kramdown.auto_ids = flag("auto_ids").unwrap_or(kramdown.auto_ids);
    kramdown.hard_wrap = flag("hard_wrap").unwrap_or(kramdown.hard_wrap);
    kramdown.parse_block_html = flag("parse_block_html").unwrap_or(kramdown.parse_block_html);
    if let Some(prefix) = text("auto_id_prefix") {
        kramdown.auto_id_prefix = prefix;
    }
    if let Some(highlighter) = text("syntax_highlighter") {
        kramdown.highlight = !matches!(highlighter.as_str(), "" | "nil" | "none" | "false");
    }
    if let Some(nr) = text("footnote_nr").and_then(|n| n.parse().ok()) {
        kramdown.footnote_nr = nr;
    }
    if let Some(output) = text("entity_output") {
        kramdown.entity_output = crate::markdown::EntityOutput::from_setting(&output);
    }
    let names: Option<Vec<String>> = match settings.get("smart_quotes") {
        Some(Value::String(s)) => Some(s.split(',').map(|n| n.trim().to_string()).collect()),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|i| i.as_str().map(|s| s.trim().to_string()))
            .collect(),
        _ => None,
    };
    if let Some(names) = names.filter(|n| n.len() == 4) {
        for (slot, name) in kramdown.smart_quotes.iter_mut().zip(&names) {
            *slot = quote_char(name);
        }
    }
    if let Some(Value::Mapping(symbols)) = settings.get("typographic_symbols") {
        kramdown.typographic_symbols = symbols
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
            .collect();
    }
    if let Some(levels) = settings.get("toc_levels").and_then(toc_levels) {
        kramdown.toc_levels = levels;
    }
    Dialect::Kramdown(Box::new(kramdown))
}

/// A `smart_quotes` entry: an entity name (`laquo`), a numeric one (`171`), or the character.
fn quote_char(name: &str) -> String {
    if let Some(c) = entity_char(name) {
        return c.to_string();
    }
    match name.parse::<u32>().ok().and_then(char::from_u32) {
        Some(c) => c.to_string(),
        None => name.to_string(),
    }
}

/// `toc_levels`: a list of levels, `1..3`, or `1,2,3`.
fn toc_levels(value: &Value) -> Option<Vec<u8>> {
    let levels: Vec<u8> = match value {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|i| i.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect(),
        Value::String(s) => match s.split_once("..") {
            Some((a, b)) => (a.trim().parse().ok()?..=b.trim().parse().ok()?).collect(),
            None => s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        },
        Value::Number(n) => vec![u8::try_from(n.as_u64()?).ok()?],
        _ => return None,
    };
    Some(levels.into_iter().filter(|l| (1..=6).contains(l)).collect())
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

/// Whether a `defaults:` scope path covers `rel` (`*` matches one folder).
pub(super) fn scope_matches(scope: &str, rel: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::CARNET_TOML;

    #[test]
    fn commonmark_converters_read_their_lists() {
        let parse = |text: &str| SiteConfig::parse(Path::new("_config.yml"), text).unwrap();
        let plain = parse("markdown: CommonMark\n");
        assert_eq!(plain.markdown, Dialect::CommonMark(Box::default()));
        assert!(!plain.links_bare_urls());
        let pages = parse(
            "markdown: CommonMarkGhPages\ncommonmark:\n  extensions: [autolink, table]\n  options: [SMART, footnotes]\n",
        );
        let Dialect::CommonMark(settings) = &pages.markdown else {
            panic!("{:?}", pages.markdown)
        };
        assert!(settings.gh_pages && settings.autolink && settings.table);
        assert!(settings.smart && settings.footnotes && !settings.unsafe_html);
        assert!(pages.links_bare_urls());
        assert!(!parse("markdown: kramdown\n").links_bare_urls());
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
