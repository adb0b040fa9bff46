//! Code blocks highlighted with syntect, and the blocks of the last export kept in `.carnet-cache/`:
//! highlighting is most of an export's work, and a new export of a site highlights the same blocks
//! again. An entry is used only for the very same language and code, and the whole file is dropped
//! when carnet changes; trouble reading or writing it only costs speed.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use comrak::adapters::SyntaxHighlighterAdapter;
use comrak::plugins::syntect::SyntectAdapter;
use serde::{Deserialize, Serialize};

use super::lock;

/// The file holding the highlighted blocks, in the cache folder; its name changes with its layout.
const FILE: &str = "highlight-v1.json";

/// The class-based highlighter, loaded on first use: its syntax set is costly to build.
fn syntect() -> &'static SyntectAdapter {
    static HIGHLIGHTER: OnceLock<SyntectAdapter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(|| SyntectAdapter::new(None))
}

/// Highlights code blocks, through the cache when there is one.
#[derive(Debug, Default)]
pub struct Highlighter {
    cache: Option<Cache>,
}

/// Blocks highlighted before, and what this run used and made.
#[derive(Debug)]
struct Cache {
    file: PathBuf,
    before: HashMap<u64, Block>,
    used: Mutex<HashSet<u64>>,
    made: Mutex<Vec<Block>>,
}

/// One highlighted block.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Block {
    lang: String,
    code: String,
    html: String,
}

/// The cache file's contents.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: String,
    blocks: Vec<Block>,
}

impl Highlighter {
    /// A highlighter that keeps what it highlights in `dir` (the site's cache folder), when given.
    pub fn new(dir: Option<&Path>) -> Highlighter {
        Highlighter {
            cache: dir.map(Cache::open),
        }
    }

    /// Stores the blocks for the next run, when they differ from what was read: those this run
    /// used or made when it rendered the `whole` site, every block otherwise (an export of a few
    /// posts must not forget the others').
    pub fn save(&self, whole: bool) {
        if let Some(cache) = &self.cache {
            cache.save(whole);
        }
    }
}

impl Cache {
    fn open(dir: &Path) -> Cache {
        let file = dir.join(FILE);
        let before = crate::cache::read(&file)
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|stored| stored.version == env!("CARGO_PKG_VERSION"))
            .map(|stored| {
                stored
                    .blocks
                    .into_iter()
                    .map(|b| (key(&b.lang, &b.code), b))
                    .collect()
            })
            .unwrap_or_default();
        Cache {
            file,
            before,
            used: Mutex::new(HashSet::new()),
            made: Mutex::new(Vec::new()),
        }
    }

    fn find(&self, lang: &str, code: &str) -> Option<&str> {
        let key = key(lang, code);
        let block = self
            .before
            .get(&key)
            .filter(|b| b.lang == lang && b.code == code)?;
        lock(&self.used).insert(key);
        Some(&block.html)
    }

    fn save(&self, whole: bool) {
        let used = lock(&self.used);
        let made = lock(&self.made);
        if made.is_empty() && (!whole || used.len() == self.before.len()) {
            return;
        }
        let kept: Vec<&Block> = match whole {
            true => used.iter().filter_map(|key| self.before.get(key)).collect(),
            false => self.before.values().collect(),
        };
        let mut blocks: Vec<Block> = kept.into_iter().chain(made.iter()).cloned().collect();
        blocks.sort_by(|a, b| (&a.lang, &a.code).cmp(&(&b.lang, &b.code)));
        blocks.dedup_by(|a, b| a.lang == b.lang && a.code == b.code);
        let stored = Stored {
            version: env!("CARGO_PKG_VERSION").to_string(),
            blocks,
        };
        if let Ok(bytes) = serde_json::to_vec(&stored) {
            crate::cache::write(&self.file, &bytes);
        }
    }
}

/// Where a block is filed: its language and code.
fn key(lang: &str, code: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (lang, code).hash(&mut hasher);
    hasher.finish()
}

impl SyntaxHighlighterAdapter for Highlighter {
    fn write_highlighted(
        &self,
        output: &mut dyn fmt::Write,
        lang: Option<&str>,
        code: &str,
    ) -> fmt::Result {
        let Some(cache) = &self.cache else {
            return syntect().write_highlighted(output, lang, code);
        };
        let name = lang.unwrap_or_default();
        if let Some(html) = cache.find(name, code) {
            return output.write_str(html);
        }
        let mut html = String::with_capacity(code.len() * 4);
        syntect().write_highlighted(&mut html, lang, code)?;
        output.write_str(&html)?;
        lock(&cache.made).push(Block {
            lang: name.to_string(),
            code: code.to_string(),
            html,
        });
        Ok(())
    }

    fn write_pre_tag(
        &self,
        output: &mut dyn fmt::Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        syntect().write_pre_tag(output, attributes)
    }

    fn write_code_tag(
        &self,
        output: &mut dyn fmt::Write,
        attributes: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        syntect().write_code_tag(output, attributes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight(highlighter: &Highlighter, lang: &str, code: &str) -> String {
        let mut out = String::new();
        highlighter
            .write_highlighted(&mut out, Some(lang), code)
            .unwrap();
        out
    }

    #[test]
    fn a_block_highlighted_once_is_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let plain = Highlighter::new(None);
        let first = Highlighter::new(Some(&cache));
        let code = "fn main() {}\n";
        let expected = highlight(&plain, "rust", code);
        assert_eq!(highlight(&first, "rust", code), expected);
        first.save(true);
        let second = Highlighter::new(Some(&cache));
        assert_eq!(second.cache.as_ref().unwrap().before.len(), 1);
        assert_eq!(highlight(&second, "rust", code), expected);
        assert!(lock(&second.cache.as_ref().unwrap().made).is_empty());
        // Same code, another language: highlighted anew.
        assert_eq!(
            highlight(&second, "python", code),
            highlight(&plain, "python", code)
        );
        assert_eq!(lock(&second.cache.as_ref().unwrap().made).len(), 1);
    }

    #[test]
    fn blocks_no_longer_used_are_dropped_and_a_bad_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let first = Highlighter::new(Some(&cache));
        highlight(&first, "rust", "let a = 1;\n");
        highlight(&first, "rust", "let b = 2;\n");
        first.save(true);
        // A run over part of the site keeps the blocks it did not use.
        let partial = Highlighter::new(Some(&cache));
        highlight(&partial, "rust", "let c = 3;\n");
        partial.save(false);
        assert_eq!(
            Highlighter::new(Some(&cache)).cache.unwrap().before.len(),
            3
        );
        let second = Highlighter::new(Some(&cache));
        highlight(&second, "rust", "let b = 2;\n");
        second.save(true);
        let third = Highlighter::new(Some(&cache));
        let kept: Vec<&str> = third
            .cache
            .as_ref()
            .unwrap()
            .before
            .values()
            .map(|b| b.code.as_str())
            .collect();
        assert_eq!(kept, ["let b = 2;\n"]);
        std::fs::write(cache.join(FILE), "{not json").unwrap();
        let fourth = Highlighter::new(Some(&cache));
        assert!(fourth.cache.as_ref().unwrap().before.is_empty());
        assert_eq!(
            highlight(&fourth, "rust", "let b = 2;\n"),
            highlight(&Highlighter::new(None), "rust", "let b = 2;\n")
        );
    }
}
