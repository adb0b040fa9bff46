//! Walking the site: which files are posts, drafts, pages or static files, as Jekyll finds them.

use std::path::Path;

use super::{Kind, Site, SiteFiles, SourceFile, MARKDOWN_EXTENSIONS};

/// Folders never searched for posts.
pub const SKIPPED_DIRS: &[&str] = &[
    "_site",
    "vendor",
    "node_modules",
    ".git",
    ".jekyll-cache",
    ".sass-cache",
];

impl Site {
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
                if exclude.is_empty() {
                    return true;
                }
                let Some(rel) = super::relative_to(&root, entry.path()) else {
                    return true;
                };
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
            if let Some(kind) = classify(&rel) {
                files.posts.push(SourceFile {
                    rel,
                    path: entry.into_path(),
                    kind,
                });
            } else if self.collection_of(&rel).is_some() {
                // Jekyll reads a collection's file with front matter as a document, the rest as static
                // files; a file that cannot be opened is kept as a document so that reading it names it.
                if has_front_matter(entry.path()).unwrap_or(true) {
                    files.documents.push(SourceFile {
                        rel,
                        path: entry.into_path(),
                        kind: Kind::Document,
                    });
                } else {
                    files.collection_files.push(rel);
                }
            } else if self.is_read(&rel) {
                files.others.push(rel);
            }
        }
        files.posts.sort();
        files.documents.sort();
        files.collection_files.sort();
        files.others.sort();
        files
    }

    /// Markdown files under `dir` outside `_`-folders, as pages (for folders that hold no `_posts/`).
    pub fn pages_under(&self, dir: &Path, files: &SiteFiles) -> Vec<SourceFile> {
        let prefix = self.relative(dir).unwrap_or_default();
        files
            .others
            .iter()
            .filter(|rel| prefix.is_empty() || rel.starts_with(&format!("{prefix}/")))
            .filter(|rel| is_markdown(rel))
            .map(|rel| SourceFile {
                rel: rel.clone(),
                path: self.root.join(rel),
                kind: Kind::Page,
            })
            .collect()
    }
}

/// Whether the file name has one of Jekyll's Markdown extensions.
pub fn is_markdown(rel: &str) -> bool {
    rel.rsplit_once('.').is_some_and(|(_, ext)| {
        MARKDOWN_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// Whether a file opens with a `---` line, as Jekyll's `has_yaml_header?` asks (a BOM allowed).
pub fn has_front_matter(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut head = Vec::with_capacity(256);
    std::fs::File::open(path)?
        .take(256)
        .read_to_end(&mut head)?;
    Ok(opens_front_matter(&head))
}

fn opens_front_matter(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let Some(rest) = head.strip_prefix(b"---") else {
        return false;
    };
    rest.iter()
        .position(|&b| b == b'\n')
        .is_some_and(|end| rest[..end].iter().all(u8::is_ascii_whitespace))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::SiteConfig;

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
    fn front_matter_openings() {
        assert!(opens_front_matter(b"---\ntitle: a\n"));
        assert!(opens_front_matter(b"\xef\xbb\xbf--- \r\n"));
        assert!(!opens_front_matter(b"# Title\n---\n"));
        assert!(!opens_front_matter(b"---title\n"));
        assert!(!opens_front_matter(b"---"));
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
}
