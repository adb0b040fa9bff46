//! The facts cache: what each post told the site-wide rules last time, so that linting a few files
//! (the pre-commit case) reads only the other posts that changed since, not the whole site.
//!
//! It lives in the site's cache folder ([`crate::cache`]). An entry serves while its post keeps the
//! same size and modification time; the whole cache is dropped when carnet, `_config.yml`,
//! `carnet.toml` or the time zone changes. Trouble reading or writing it only costs speed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::site_index::Summary;
use crate::site::{Site, SourceFile};

/// The file holding the summaries, in postcard's binary form (a one-file run decodes every post's
/// summary, which takes a fifth of the time it took as JSON); its name changes with the layout of
/// [`Summary`].
const FILE: &str = "facts-v5.bin";
/// A file modified this recently may change again within the same timestamp: not cached.
const SETTLE: Duration = Duration::from_secs(2);

/// Summaries of the posts, sorted by path relative to the site root.
#[derive(Debug, Default)]
pub struct FactsCache {
    /// Where the cache is stored; `None` when caching is off.
    file: Option<PathBuf>,
    /// Fingerprint of what every summary depends on besides its own post.
    key: String,
    /// Sorted by path, one entry per path.
    entries: Vec<CachedSummary>,
    /// Whether the stored file is missing or unusable, so that it must be written.
    stale: bool,
}

/// A cached summary and the state of the file it was made from.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedSummary {
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
#[derive(Deserialize)]
struct Stored {
    key: String,
    posts: Vec<CachedSummary>,
}

/// The cache file's contents as written: the entries are borrowed, not copied.
#[derive(Serialize)]
struct ToStore<'a> {
    key: &'a str,
    posts: Vec<&'a CachedSummary>,
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
        let Some(dir) = crate::cache::folder(&site.root) else {
            return FactsCache::disabled();
        };
        let file = dir.join(FILE);
        let key = fingerprint(site);
        let entries = crate::cache::read(&file).and_then(|bytes| decode(&bytes, &key));
        FactsCache {
            stale: entries.is_none(),
            entries: entries.unwrap_or_default(),
            file: Some(file),
            key,
        }
    }

    /// The summary of each of `files` whose stamp ([`stamps`]) is in `stamps` (`None` for a file
    /// that cannot be read): cached while the file is unchanged, else read from its front matter.
    /// The cache is then brought up to date for `present`, every post of the site sorted by path
    /// (read posts are added, posts no longer there forgotten) and written back if that changed it;
    /// failing to write is not an error, the next run reads the posts.
    pub fn summaries(
        self,
        files: &[&SourceFile],
        stamps: &[Option<Stamp>],
        present: &[SourceFile],
        site: &Site,
        taxonomies: &[String],
    ) -> Vec<Option<Summary>> {
        let caching = self.file.is_some();
        let found: Vec<Option<usize>> = files
            .par_iter()
            .zip(stamps)
            .map(|(file, stamp)| {
                let stamp = stamp.filter(|_| caching)?;
                let at = self.position(&file.rel).ok()?;
                (self.entries[at].stamp == stamp).then_some(at)
            })
            .collect();
        let missed: Vec<usize> = (0..files.len()).filter(|&n| found[n].is_none()).collect();
        let read: Vec<Option<Summary>> = missed
            .par_iter()
            .map(|&n| Summary::read(files[n], site, taxonomies))
            .collect();
        let fresh: Vec<CachedSummary> = missed
            .iter()
            .zip(&read)
            .filter_map(|(&n, summary)| {
                let stamp = stamps[n].filter(|s| caching && s.settled())?;
                Some(CachedSummary {
                    stamp,
                    summary: summary.clone()?,
                })
            })
            .collect();
        self.save(fresh, present);
        // Summaries move out of the cache rather than being copied: a one-file run serves
        // thousands of them.
        let mut cached: Vec<Option<Summary>> = self
            .entries
            .into_iter()
            .map(|entry| Some(entry.summary))
            .collect();
        let mut read = read.into_iter();
        found
            .into_iter()
            .map(|hit| match hit {
                Some(at) => cached[at].take(),
                None => read.next().flatten(),
            })
            .collect()
    }

    /// Where the entry of `rel` is, or would be inserted.
    fn position(&self, rel: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|entry| entry.summary.rel.as_str().cmp(rel))
    }

    /// Writes the entries of the posts in `present` with `fresh` ones in place of theirs, when
    /// that differs from what is stored.
    fn save(&self, fresh: Vec<CachedSummary>, present: &[SourceFile]) {
        let Some(file) = &self.file else {
            return;
        };
        let is_present = |rel: &str| {
            present
                .binary_search_by(|p| p.rel.as_str().cmp(rel))
                .is_ok()
        };
        let mut kept: Vec<bool> = self
            .entries
            .iter()
            .map(|entry| is_present(&entry.summary.rel))
            .collect();
        let forgotten = kept.iter().any(|keep| !keep);
        if !self.stale && !forgotten && fresh.is_empty() {
            return;
        }
        for entry in &fresh {
            if let Ok(at) = self.position(&entry.summary.rel) {
                kept[at] = false;
            }
        }
        let mut posts: Vec<&CachedSummary> = self
            .entries
            .iter()
            .zip(&kept)
            .filter(|(_, keep)| **keep)
            .map(|(entry, _)| entry)
            .chain(&fresh)
            .collect();
        posts.sort_by(|a, b| a.summary.rel.cmp(&b.summary.rel));
        let stored = ToStore {
            key: &self.key,
            posts,
        };
        if let Ok(bytes) = postcard::to_allocvec(&stored) {
            crate::cache::write(file, &bytes);
        }
    }
}

/// The entries of a cache file made for `key`; `None` when it is not one (corrupt, truncated,
/// made by another version or setup, or not sorted as written).
fn decode(bytes: &[u8], key: &str) -> Option<Vec<CachedSummary>> {
    let (stored, rest) = postcard::take_from_bytes::<Stored>(bytes).ok()?;
    let sorted = stored
        .posts
        .windows(2)
        .all(|pair| pair[0].summary.rel < pair[1].summary.rel);
    (rest.is_empty() && stored.key == key && sorted).then_some(stored.posts)
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

    /// A site with three settled posts, its files sorted by path.
    fn site() -> (tempfile::TempDir, Site, Vec<SourceFile>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_config.yml"), "title: t\n").unwrap();
        std::fs::create_dir(dir.path().join("_posts")).unwrap();
        for (name, tags) in [("a", "[x]"), ("b", "[y, z]"), ("c", "[]")] {
            let path = dir.path().join(format!("_posts/2020-01-01-{name}.md"));
            std::fs::write(&path, format!("---\ntitle: {name}\ntags: {tags}\n---\n")).unwrap();
            settle(&path);
        }
        let site = Site::load(dir.path()).unwrap();
        let files = site.scan().posts;
        (dir, site, files)
    }

    fn settle(path: &Path) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(60))
            .unwrap();
    }

    /// The summaries of every post through the site's cache, as one run takes them.
    fn run(site: &Site, files: &[SourceFile]) -> Vec<Option<Summary>> {
        let all: Vec<&SourceFile> = files.iter().collect();
        FactsCache::open(site).summaries(&all, &stamps(&all), files, site, &[])
    }

    fn read_all(site: &Site, files: &[SourceFile]) -> Vec<Option<Summary>> {
        files.iter().map(|f| Summary::read(f, site, &[])).collect()
    }

    fn cache_file(site: &Site) -> PathBuf {
        site.root.join(crate::cache::DIR).join(FILE)
    }

    #[test]
    fn a_file_changed_just_now_is_not_settled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "---\n---\n").unwrap();
        assert!(!Stamp::of(&path).unwrap().settled());
        settle(&path);
        let stamp = Stamp::of(&path).unwrap();
        assert!(stamp.settled());
        assert_eq!(stamp.len, 8);
    }

    #[test]
    fn summaries_round_trip_through_the_file() {
        let (_dir, site, files) = site();
        let expected = read_all(&site, &files);
        assert_eq!(run(&site, &files), expected);
        let cache = FactsCache::open(&site);
        assert!(!cache.stale);
        let cached: Vec<Option<Summary>> =
            cache.entries.into_iter().map(|e| Some(e.summary)).collect();
        assert_eq!(cached, expected);
        let written = std::fs::metadata(cache_file(&site))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(run(&site, &files), expected);
        let after = std::fs::metadata(cache_file(&site))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(written, after, "an unchanged cache is not written again");
    }

    #[test]
    fn a_changed_post_is_read_again_and_a_removed_one_forgotten() {
        let (_dir, site, mut files) = site();
        run(&site, &files);
        std::fs::write(&files[1].path, "---\ntitle: b\ntags: [w]\n---\n").unwrap();
        settle(&files[1].path);
        assert_eq!(run(&site, &files), read_all(&site, &files));
        std::fs::remove_file(&files[2].path).unwrap();
        files.pop();
        run(&site, &files);
        let cache = FactsCache::open(&site);
        let rels: Vec<&str> = cache
            .entries
            .iter()
            .map(|e| e.summary.rel.as_str())
            .collect();
        assert_eq!(rels, [files[0].rel.as_str(), files[1].rel.as_str()]);
        assert_eq!(
            Some(cache.entries[1].summary.clone()),
            read_all(&site, &files)[1]
        );
    }

    #[test]
    fn a_cache_made_for_another_setup_is_ignored() {
        let (_dir, site, files) = site();
        run(&site, &files);
        let bytes = std::fs::read(cache_file(&site)).unwrap();
        assert!(decode(&bytes, &fingerprint(&site)).is_some());
        // Another carnet version or `_config.yml` changes the key the file is made for.
        assert!(decode(&bytes, "0123456789abcdef").is_none());
        std::fs::write(site.root.join("_config.yml"), "title: other\n").unwrap();
        let site = Site::load(&site.root).unwrap();
        let cache = FactsCache::open(&site);
        assert!(cache.stale && cache.entries.is_empty());
    }

    #[test]
    fn a_corrupt_cache_is_ignored_and_rewritten() {
        let (_dir, site, files) = site();
        run(&site, &files);
        let good = std::fs::read(cache_file(&site)).unwrap();
        let key = fingerprint(&site);
        let mut unsorted = decode(&good, &key).unwrap();
        unsorted.swap(0, 1);
        let unsorted = postcard::to_allocvec(&ToStore {
            key: &key,
            posts: unsorted.iter().collect(),
        })
        .unwrap();
        let trailing = [good.as_slice(), b"x"].concat();
        for bad in [
            &good[..good.len() - 3],
            b"{not postcard",
            &trailing,
            &unsorted,
        ] {
            assert!(decode(bad, &key).is_none());
            std::fs::write(cache_file(&site), bad).unwrap();
            assert!(FactsCache::open(&site).stale);
            assert_eq!(run(&site, &files), read_all(&site, &files));
            assert_eq!(std::fs::read(cache_file(&site)).unwrap(), good);
        }
    }
}
