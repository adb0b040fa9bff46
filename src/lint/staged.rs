//! `--staged`: the site's posts as staged in git, read from the index rather than the working tree.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::ReadError;
use crate::git::Repository;
use crate::post::Post;
use crate::site::{Kind, Site, SourceFile};

/// The site's posts staged in git, read from the index rather than the working tree.
pub struct StagedPosts {
    repository: Repository,
    /// The staged posts and drafts of the site.
    pub targets: Vec<SourceFile>,
    /// Posts not staged that mention a post the index deletes or renames: checked for links
    /// that the commit breaks.
    pub linkers: Vec<SourceFile>,
    /// Each target's path relative to the repository's top folder, as git names it.
    names: HashMap<PathBuf, String>,
}

impl StagedPosts {
    /// Asks git which files are staged and keeps the site's posts and drafts.
    pub fn find(site: &Site) -> anyhow::Result<StagedPosts> {
        let repository = Repository::discover(&site.root)?;
        let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or(path.to_path_buf());
        let site_root = canonical(&site.root);
        let repo_root = canonical(&repository.root);
        let mut targets = Vec::new();
        let mut names = HashMap::new();
        for staged in repository.staged_files()? {
            let Ok(in_repo) = staged.strip_prefix(&repository.root) else {
                continue;
            };
            let absolute = repo_root.join(in_repo);
            let Ok(in_site) = absolute.strip_prefix(&site_root) else {
                continue;
            };
            let rel = slash_path(in_site);
            if !matches!(crate::site::classify(&rel), Some(Kind::Post | Kind::Draft)) {
                continue;
            }
            let file = site.source_file(&site.root.join(in_site));
            names.insert(file.path.clone(), slash_path(in_repo));
            targets.push(file);
        }
        targets.sort();
        let mut needles = Vec::new();
        for old in repository.staged_removals()? {
            let absolute = repo_root.join(&old);
            let Ok(in_site) = absolute.strip_prefix(&site_root) else {
                continue;
            };
            let rel = slash_path(in_site);
            if !matches!(crate::site::classify(&rel), Some(Kind::Post | Kind::Draft)) {
                continue;
            }
            needles.extend(removed_names(&repository, &old, site, in_site));
        }
        let linkers = mentioning(site, &needles, &targets);
        for file in &linkers {
            if let Ok(in_site) = file.path.strip_prefix(&site.root) {
                let in_repo = site_root.join(in_site);
                if let Ok(in_repo) = in_repo.strip_prefix(&repo_root) {
                    names.insert(file.path.clone(), slash_path(in_repo));
                }
            }
        }
        Ok(StagedPosts {
            repository,
            targets,
            names,
            linkers,
        })
    }

    /// The index's copy of a staged post, parsed.
    pub fn read(&self, file: &SourceFile, site: &Site) -> Result<Post, ReadError> {
        let unreadable = |message: String| ReadError::Io {
            path: file.path.clone(),
            source: std::io::Error::other(message),
        };
        let name = self
            .names
            .get(&file.path)
            .ok_or_else(|| unreadable("not staged".to_string()))?;
        let bytes = self
            .repository
            .staged_contents(name)
            .map_err(|e| unreadable(e.to_string()))?;
        Post::from_bytes(file.clone(), bytes, site)
    }
}

/// How other posts may name a post the index removes: its URL (without a trailing `/` or `.html`,
/// which links may leave out) and its `post_url` name.
fn removed_names(repository: &Repository, old: &str, site: &Site, in_site: &Path) -> Vec<String> {
    let file = site.source_file(&site.root.join(in_site));
    let mut names: Vec<String> = crate::post::post_url_names(&file.rel);
    if let Ok(bytes) = repository.head_contents(old) {
        if let Ok(post) = Post::from_bytes(file, bytes, site) {
            if let Some(Ok(url)) = post.url(site) {
                let url = crate::site::permalink::unescape_path(&url);
                let bare = url.trim_end_matches('/');
                let bare = bare.strip_suffix(".html").unwrap_or(bare);
                if bare.len() > 1 {
                    names.push(bare.to_string());
                }
            }
        }
    }
    names
}

/// The site's posts, drafts and documents, other than `targets`, whose text holds one of `needles`.
fn mentioning(site: &Site, needles: &[String], targets: &[SourceFile]) -> Vec<SourceFile> {
    if needles.is_empty() {
        return Vec::new();
    }
    let files = site.scan();
    files
        .posts
        .iter()
        .chain(&files.documents)
        .filter(|f| !targets.contains(f))
        .filter(|f| {
            std::fs::read(&f.path).is_ok_and(|bytes| {
                needles
                    .iter()
                    .any(|n| memchr::memmem::find(&bytes, n.as_bytes()).is_some())
            })
        })
        .cloned()
        .collect()
}

/// A relative path with `/` separators, as git and the site model write them.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
