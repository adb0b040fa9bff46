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
        Ok(StagedPosts {
            repository,
            targets,
            names,
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

/// A relative path with `/` separators, as git and the site model write them.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
