//! The facts cache: what each post told the site-wide rules last time, so that linting a few files
//! (the pre-commit case) reads only the other posts that changed since, not the whole site.
//!
//! It lives in `.carnet-cache/` at the site root, which git ignores through the folder's own
//! `.gitignore` and Jekyll skips like every dot folder. An entry serves while its post keeps the
//! same size and modification time; the whole cache is dropped when carnet, `_config.yml`,
//! `carnet.toml` or the time zone changes. Trouble reading or writing it only costs speed.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::site_index::Summary;
use crate::site::{Site, SourceFile};

/// The cache folder, under the site root.
pub const DIR: &str = ".carnet-cache";
/// The file holding the summaries; its name changes with the layout of [`Summary`].
const FILE: &str = "facts-v4.json";
/// A file modified this recently may change again within the same timestamp: not cached.
const SETTLE: Duration = Duration::from_secs(2);

/// Summaries of the posts, by path relative to the site root.
#[derive(Debug, Default)]
pub struct FactsCache {
    /// Where the cache is stored; `None` when caching is off.
    file: Option<PathBuf>,
    /// Fingerprint of what every summary depends on besides its own post.
    key: String,
    entries: HashMap<String, CachedSummary>,
    changed: bool,
}

/// A cached summary and the state of the file it was made from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedSummary {
    stamp: Stamp,
    summary: Summary,
}

/// Size and modification time of a post file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    secs: u64,
    nanos: u32,
}

/// The cache file's contents.
#[derive(Serialize, Deserialize)]
struct Stored {
    key: String,
    posts: Vec<CachedSummary>,
}

/// A post's summary, with the entry to store when it was read from the file.
#[derive(Debug)]
pub struct Lookup {
    /// What the post tells the site-wide rules.
    pub summary: Summary,
    /// A new entry for the cache, when the post was read rather than found in the cache.
    pub fresh: Option<CachedSummary>,
}

impl FactsCache {
    /// A cache that is never read or written.
    pub fn disabled() -> FactsCache {
        FactsCache::default()
    }

    /// The site's cache, as stored (empty when missing, unreadable or made for another setup).
    /// A cache folder or file that is not a plain folder or file, such as a symbolic link that could
    /// lead out of the site, is neither read nor written.
    pub fn open(site: &Site) -> FactsCache {
        let dir = site.root.join(DIR);
        if std::fs::symlink_metadata(&dir).is_ok_and(|meta| !meta.is_dir()) {
            return FactsCache::disabled();
        }
        let file = dir.join(FILE);
        let key = fingerprint(site);
        let entries = std::fs::symlink_metadata(&file)
            .ok()
            .filter(|meta| meta.is_file())
            .and_then(|_| std::fs::read(&file).ok())
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|stored| stored.key == key)
            .map(|stored| {
                stored
                    .posts
                    .into_iter()
                    .map(|e| (e.summary.rel.clone(), e))
                    .collect()
            });
        FactsCache {
            changed: entries.is_none(),
            entries: entries.unwrap_or_default(),
            file: Some(file),
            key,
        }
    }

    /// The summary of `file`, whose [`stamps`] entry is `stamp`: cached while the file is
    /// unchanged, else read from its front matter; `None` when it cannot be read.
    pub fn summarize(
        &self,
        file: &SourceFile,
        stamp: Option<Stamp>,
        site: &Site,
        taxonomies: &[String],
    ) -> Option<Lookup> {
        let stamp = self.file.as_ref().and(stamp);
        if let Some(entry) = self.entries.get(&file.rel) {
            if stamp == Some(entry.stamp) {
                return Some(Lookup {
                    summary: entry.summary.clone(),
                    fresh: None,
                });
            }
        }
        let summary = Summary::read(file, site, taxonomies)?;
        let fresh = stamp.filter(Stamp::settled).map(|stamp| CachedSummary {
            stamp,
            summary: summary.clone(),
        });
        Some(Lookup { summary, fresh })
    }

    /// Adds the entries read this run and forgets posts that are no longer in the site.
    pub fn update(&mut self, fresh: impl IntoIterator<Item = CachedSummary>, posts: &[SourceFile]) {
        let present: HashSet<&str> = posts.iter().map(|p| p.rel.as_str()).collect();
        let before = self.entries.len();
        self.entries.retain(|rel, _| present.contains(rel.as_str()));
        self.changed |= self.entries.len() != before;
        for entry in fresh {
            self.changed = true;
            self.entries.insert(entry.summary.rel.clone(), entry);
        }
    }

    /// Writes the cache back when it changed. Failing is not an error: the next run reads posts.
    pub fn save(&self) {
        let Some(file) = self.file.as_ref().filter(|_| self.changed) else {
            return;
        };
        let _ = self.write(file);
    }

    fn write(&self, file: &Path) -> std::io::Result<()> {
        let dir = file.parent().unwrap_or(Path::new("."));
        match std::fs::create_dir(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        for (name, text) in [
            (".gitignore", "# carnet's cache: safe to delete.\n*\n"),
            (
                "CACHEDIR.TAG",
                "Signature: 8a477f597d28d172789f06886806bc55\n# carnet's cache: safe to delete.\n",
            ),
        ] {
            match crate::fs::create_new(&dir.join(name), text.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
        }
        let mut posts: Vec<CachedSummary> = self.entries.values().cloned().collect();
        posts.sort_by(|a, b| a.summary.rel.cmp(&b.summary.rel));
        let stored = Stored {
            key: self.key.clone(),
            posts,
        };
        let bytes = serde_json::to_vec(&stored).map_err(std::io::Error::other)?;
        crate::fs::write_atomic(file, &bytes).map_err(std::io::Error::other)
    }
}

/// The stamp of each file (`None` where it cannot be read), taken in parallel: a one-file run
/// takes one per post of the site, which costs as much as reading the cache.
pub fn stamps(files: &[&SourceFile]) -> Vec<Option<Stamp>> {
    files.par_iter().map(|file| Stamp::of(&file.path)).collect()
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let since = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            len: meta.len(),
            secs: since.as_secs(),
            nanos: since.subsec_nanos(),
        })
    }

    /// Whether the file was last modified long enough ago that a later change shows in its stamp.
    fn settled(&self) -> bool {
        let modified = UNIX_EPOCH + Duration::new(self.secs, self.nanos);
        SystemTime::now()
            .duration_since(modified)
            .is_ok_and(|age| age >= SETTLE)
    }
}

/// Everything besides a post itself that its summary depends on.
fn fingerprint(site: &Site) -> String {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    for name in ["_config.yml", crate::site::CARNET_TOML] {
        std::fs::read(site.root.join(name)).ok().hash(&mut hasher);
    }
    format!("{:?}", site.config.timezone).hash(&mut hasher);
    format!("{:?}", site.config.markdown).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_just_now_is_not_settled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "---\n---\n").unwrap();
        assert!(!Stamp::of(&path).unwrap().settled());
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(60))
            .unwrap();
        let stamp = Stamp::of(&path).unwrap();
        assert!(stamp.settled());
        assert_eq!(stamp.len, 8);
    }
}
