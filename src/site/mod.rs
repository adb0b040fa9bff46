//! The site as Jekyll sees it: its root, `_config.yml`, and the files that hold posts.

pub mod collection;
pub mod config;
pub mod date;
pub mod front_matter;
pub mod include;
pub mod permalink;
pub mod split;
pub mod urls;
pub mod walk;
mod yaml_depth;
pub mod yaml_hint;

pub use collection::Collection;
pub use config::{read_config_file, ScopedDefault, SiteConfig};
pub use walk::{classify, SKIPPED_DIRS};

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde_yaml::Mapping;

use crate::error::ConfigError;
use config::scope_matches;

/// carnet's settings file; like `_config.yml`, it marks the root of a site.
pub const CARNET_TOML: &str = "carnet.toml";

/// Jekyll's Markdown extensions: files with these under `_posts/` are posts.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mkdown", "mkdn", "mkd"];

/// A Jekyll site: where it is and how it is configured.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder holding `_config.yml` or `carnet.toml`.
    pub root: PathBuf,
    /// What `_config.yml` says that changes a post's meaning.
    pub config: SiteConfig,
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
    /// A file with front matter in a collection other than `posts` (`_docs/x.md`).
    Document,
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
    /// Documents (files with front matter) of the collections other than `posts`, sorted by path.
    pub documents: Vec<SourceFile>,
    /// The collections' other files (documents in HTML, static files), relative to the root, sorted.
    pub collection_files: Vec<String>,
    /// Other files (pages, assets), relative to the root, sorted; folders starting with `_` or `.` are
    /// left out unless `include:` names them.
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

    /// The path relative to the root with `/` separators, if it is inside the site.
    pub fn relative(&self, path: &Path) -> Option<String> {
        relative_to(&self.root, path).map(Cow::into_owned)
    }

    /// A source file for a file named on the command line: a post, a draft, or else a page.
    pub fn source_file(&self, path: &Path) -> SourceFile {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = self
            .relative(&absolute)
            .unwrap_or_else(|| path.to_string_lossy().replace('\\', "/"));
        let kind = classify(&rel)
            .or_else(|| self.collection_of(&rel).map(|_| Kind::Document))
            .unwrap_or(Kind::Page);
        SourceFile {
            rel,
            path: absolute,
            kind,
        }
    }

    /// The collection other than `posts` whose folder holds `rel`.
    pub fn collection_of(&self, rel: &str) -> Option<&Collection> {
        self.config
            .collections
            .iter()
            .filter(|c| c.label != "posts")
            .find(|c| c.inner(rel).is_some())
    }

    /// Whether `rel` lies outside folders Jekyll skips (names starting with `_` or `.`), or inside
    /// ones that `include:` brings back.
    pub fn is_read(&self, rel: &str) -> bool {
        let mut prefix = String::new();
        for segment in rel.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(segment);
            if segment.starts_with(['_', '.'])
                && !self
                    .config
                    .include
                    .iter()
                    .any(|i| i == segment || *i == prefix)
            {
                return false;
            }
        }
        true
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
            Kind::Document => self.collection_of(rel).map_or("", |c| c.label.as_str()),
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
}

/// `path` relative to `root` with `/` separators, if it is inside `root`.
///
/// A walk over the site yields paths that are the root, a `/` and clean UTF-8 names: those are
/// sliced without allocating (the whole-site walk asks this of every file); any other path goes
/// through its components.
pub fn relative_to<'p>(root: &Path, path: &'p Path) -> Option<Cow<'p, str>> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let root_bytes = root.as_os_str().as_encoded_bytes();
    if let Some(rest) = bytes
        .strip_prefix(root_bytes)
        .and_then(|rest| rest.strip_prefix(b"/"))
    {
        if let Ok(rest) = std::str::from_utf8(rest) {
            if is_clean(rest) {
                return Some(Cow::Borrowed(rest));
            }
        }
    }
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    Some(Cow::Owned(parts.join("/")))
}

/// Whether a relative path is written as `Path::components` would join it back: no empty or `.`
/// parts, no leading or trailing `/`, no backslash (a separator on Windows).
fn is_clean(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && rel.split('/').all(|part| !part.is_empty() && part != ".")
}

#[cfg(test)]
impl Site {
    /// A site at `/blog` whose `_config.yml` holds `config`, for unit tests.
    pub(crate) fn sample(config: &str) -> Site {
        Site {
            root: "/blog".into(),
            config: SiteConfig::parse(Path::new("_config.yml"), config).unwrap(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slow path: what every path, clean or not, must come out as.
    fn by_components(root: &Path, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(root).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        Some(parts.join("/"))
    }

    #[test]
    fn relative_paths_match_their_components() {
        let root = Path::new("/blog");
        for path in [
            "/blog/_posts/2020-01-01-a.md",
            "/blog/a.md",
            "/blog",
            "/blog/",
            "/blog//_posts/a.md",
            "/blog/./_posts/a.md",
            "/blog/_posts/./a.md",
            "/blog/_posts/a.md/",
            "/blog/../x/a.md",
            "/blog/a\\b.md",
            "/blogs/a.md",
            "/other/a.md",
        ] {
            let path = Path::new(path);
            assert_eq!(
                relative_to(root, path).map(Cow::into_owned),
                by_components(root, path),
                "{}",
                path.display()
            );
        }
        assert!(matches!(
            relative_to(root, Path::new("/blog/_posts/a.md")),
            Some(Cow::Borrowed("_posts/a.md"))
        ));
    }
}
