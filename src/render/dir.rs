//! The HTML export's output folder: checked before anything is built, then brought up to date.
//!
//! Every page is rendered first; a page whose bytes equal the previous output's file is left as it
//! is, and the others are written into a fresh temporary folder next to DIR. Only when every page is
//! written are they moved into DIR (one rename each) and the files DIR no longer needs removed: an
//! export that fails leaves the previous output as it was, and its temporary folder is removed (Ctrl-C
//! included: the next write fails and the folder is dropped). A process killed outright (SIGKILL)
//! cannot clean up: it may leave a `.DIR.carnet-tmp-*` folder beside DIR, which the next export to DIR
//! removes; DIR holds whole files either way, a mix of old and new pages only when the kill comes
//! while the new ones are being moved in.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::thread::JoinHandle;

use anyhow::Context as _;
use rayon::prelude::*;

use super::{lock, ExportError};
use crate::site::{Site, SiteFiles};

/// The file carnet leaves in every folder it exported, so that it may replace it next time.
pub const MARKER: &str = ".carnet-export";

/// A target folder that passed the checks.
#[derive(Debug)]
pub struct Target {
    path: PathBuf,
    parent: PathBuf,
    name: OsString,
    force: bool,
    keep: Vec<String>,
    /// What the folder holds, read on its own thread from the moment it passed the checks:
    /// walking the thousands of folders of a large export waits on the disk, and the rendering
    /// that comes first hides that wait.
    reading: Mutex<Option<JoinHandle<std::io::Result<Option<Previous>>>>>,
}

impl Target {
    /// Checks that `dir` may receive the export of `site`: not the site, not a folder holding its
    /// sources, not a symbolic link, and not a non-empty folder carnet did not write (unless `force`).
    pub fn check(
        dir: &Path,
        site: &Site,
        files: &SiteFiles,
        force: bool,
    ) -> Result<Target, ExportError> {
        let shown = dir.display();
        let absolute =
            std::path::absolute(dir).map_err(|e| ExportError::trouble(format!("{shown}: {e}")))?;
        let name = match absolute.components().next_back() {
            Some(Component::Normal(name)) => name.to_os_string(),
            _ => {
                return Err(ExportError::Refused(format!(
                    "{shown}: not a folder name carnet can replace"
                )))
            }
        };
        let parent = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| {
            ExportError::trouble(format!("{}: cannot create: {e}", parent.display()))
        })?;
        let parent = parent
            .canonicalize()
            .map_err(|e| ExportError::trouble(format!("{}: {e}", parent.display())))?;
        let path = parent.join(&name);
        let root = site
            .root
            .canonicalize()
            .unwrap_or_else(|_| site.root.clone());
        if root.starts_with(&path) {
            return Err(ExportError::Refused(format!(
                "{shown}: refusing to export into the site's own folder (or a folder holding it); choose a folder such as {}",
                root.join("_site").display()
            )));
        }
        super::guard::check_output_folder(&path)?;
        if let Ok(inside) = path.strip_prefix(&root) {
            if let Some(why) = super::guard::source_reason(inside, &super::guard::destination(site))
            {
                return Err(ExportError::Refused(format!(
                    "{shown}: refusing to export there: {why}"
                )));
            }
            if let Some(post) = files
                .posts
                .iter()
                .find(|f| f.path.canonicalize().is_ok_and(|p| p.starts_with(&path)))
            {
                return Err(ExportError::Refused(format!(
                    "{shown}: refusing to replace a folder holding the site's posts ({})",
                    post.rel
                )));
            }
            // The site's pages and assets are sources too: `--force` does not make them an output,
            // only carnet's marker (a previous export carnet wrote there) does.
            let prefix = format!("{}/", inside.to_string_lossy().replace('\\', "/"));
            if let Some(file) = files.others.iter().find(|f| f.starts_with(&prefix)) {
                if !path.join(MARKER).is_file() {
                    return Err(ExportError::Refused(format!(
                        "{shown}: refusing to replace a folder holding the site's own files ({file}), even with --force; choose a folder such as {}",
                        root.join("_site").display()
                    )));
                }
            }
        }
        let target = Target {
            path,
            parent,
            name,
            force,
            keep: keep_files(site),
            reading: Mutex::new(None),
        };
        target.check_replaceable()?;
        let (path, keep) = (target.path.clone(), target.keep.clone());
        *lock(&target.reading) = Some(std::thread::spawn(move || Previous::find(&path, &keep)));
        Ok(target)
    }

    /// The folder the export goes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Refuses a symbolic link, a file, or a non-empty folder without the marker (unless forced).
    fn check_replaceable(&self) -> Result<(), ExportError> {
        let shown = self.path.display();
        let meta = match std::fs::symlink_metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(ExportError::trouble(format!("{shown}: {e}"))),
        };
        if meta.file_type().is_symlink() {
            return Err(ExportError::Refused(format!(
                "{shown}: is a symbolic link; export to the folder it points to instead"
            )));
        }
        if !meta.is_dir() {
            return Err(ExportError::Refused(format!(
                "{shown}: exists and is not a folder"
            )));
        }
        if self.force || self.path.join(MARKER).is_file() {
            return Ok(());
        }
        let mut entries = std::fs::read_dir(&self.path)
            .map_err(|e| ExportError::trouble(format!("{shown}: {e}")))?;
        if entries.next().is_some() {
            return Err(ExportError::Refused(format!(
                "{shown}: not empty and not written by carnet (no {MARKER} file); pass --force to replace it"
            )));
        }
        Ok(())
    }

    fn sibling(&self, kind: &str) -> String {
        format!(".{}.carnet-{kind}-", self.name.to_string_lossy())
    }

    /// Builds the export with `build`, then brings the target up to date: pages that differ from
    /// the previous output's are written in a temporary folder beside the target and moved in once
    /// every page is written; files the export no longer writes are removed (but not `keep`).
    /// If `build` fails, the target is left untouched and the temporary folder removed.
    pub fn build(
        &self,
        build: impl FnOnce(&Staging) -> anyhow::Result<()>,
    ) -> anyhow::Result<Updated> {
        self.remove_leftovers();
        let temp = tempfile::Builder::new()
            .prefix(&self.sibling("tmp"))
            .tempdir_in(&self.parent)
            .with_context(|| {
                format!(
                    "{}: cannot create a temporary folder",
                    self.parent.display()
                )
            })?;
        // Claimed at once with its own random name: a later export removes a leftover folder
        // only when it holds this claim, never a user's folder that merely looks like one.
        let claim = temp.path().join(MARKER);
        std::fs::write(&claim, claim_text(temp.path()))
            .with_context(|| format!("{}: cannot write", claim.display()))?;
        // Read again if the folder appeared since the checks, if the reading failed (the folder
        // may have changed under it), or for a second build.
        let read = match lock(&self.reading).take().map(JoinHandle::join) {
            Some(Ok(Ok(Some(previous)))) => Ok(Some(previous)),
            _ => Previous::find(&self.path, &self.keep),
        };
        let previous = read.with_context(|| format!("{}: cannot read", self.path.display()))?;
        let staging = Staging {
            root: temp.path().to_path_buf(),
            previous,
            written: Mutex::new(HashSet::new()),
            staged: Mutex::new(Vec::new()),
        };
        build(&staging)?;
        self.check_replaceable().map_err(anyhow::Error::new)?;
        if staging.previous.is_none() && std::fs::symlink_metadata(&self.path).is_err() {
            std::fs::write(&claim, marker_text())
                .with_context(|| format!("{}: cannot write", claim.display()))?;
            std::fs::rename(temp.path(), &self.path).with_context(|| {
                format!(
                    "{}: cannot move the new export in place",
                    self.path.display()
                )
            })?;
            let _ = temp.keep();
            return Ok(Updated::default());
        }
        let updated = self.update(temp.path(), staging)?;
        remove_tree(temp.path()).with_context(|| {
            format!(
                "{}: cannot remove the temporary folder",
                temp.path().display()
            )
        })?;
        let _ = temp.keep();
        Ok(updated)
    }

    /// Paths (relative to the output) a new export carries over from the previous one, as Jekyll
    /// does: `.git` and `.svn` always, and `keep_files:` from `_config.yml`.
    pub fn keep(&self) -> &[String] {
        &self.keep
    }

    /// Moves the pages staged in `temp` into the target, removes what the export no longer writes,
    /// and marks the target as carnet's.
    fn update(&self, temp: &Path, staging: Staging) -> anyhow::Result<Updated> {
        let written = staging
            .written
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut staged = staging
            .staged
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        staged.sort_unstable();
        let previous = staging.previous.unwrap_or_default();
        let kept = self
            .keep
            .iter()
            .filter(|k| {
                !written.contains(*k) && std::fs::symlink_metadata(self.path.join(k)).is_ok()
            })
            .cloned()
            .collect();
        let mut folders = HashSet::new();
        for rel in &staged {
            let to = self.path.join(rel);
            make_parents(&self.path, rel, &mut folders)?;
            if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                remove_tree(&to).with_context(|| format!("{}: cannot replace", to.display()))?;
            }
            std::fs::rename(temp.join(rel), &to)
                .with_context(|| format!("{}: cannot move the new page in place", to.display()))?;
        }
        let mut removed: Vec<String> = previous
            .entries
            .into_iter()
            .filter(|rel| !written.contains(rel))
            .collect();
        removed.sort_unstable();
        for rel in &removed {
            let path = self.path.join(rel);
            // A file where the new export needs a folder was replaced by that folder already.
            if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("{}: cannot remove", path.display()))?;
            }
        }
        remove_emptied_folders(&self.path, &removed);
        crate::fs::write_atomic(&self.path.join(MARKER), marker_text().as_bytes())?;
        Ok(Updated { kept, removed })
    }

    /// Removes what an interrupted export left beside the target, and only that: temporary builds
    /// holding their own claim.
    fn remove_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return;
        };
        let tmp = self.sibling("tmp");
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&tmp)
                && read_marker(&entry.path()).as_deref() == Some(claim_text(&entry.path()).as_str())
            {
                let _ = remove_tree(&entry.path());
            }
        }
    }
}

/// Creates the folders above `rel` in `root` that are missing, replacing anything that is not a
/// folder (a file, or a symbolic link that must not be written through) where the export needs one.
fn make_parents(root: &Path, rel: &str, made: &mut HashSet<String>) -> anyhow::Result<()> {
    let mut end = 0;
    while let Some(slash) = rel[end..].find('/') {
        end += slash;
        let folder = &rel[..end];
        end += 1;
        if made.contains(folder) {
            continue;
        }
        let path = root.join(folder);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                std::fs::remove_file(&path)
                    .with_context(|| format!("{}: cannot replace", path.display()))?;
                std::fs::create_dir(&path)
                    .with_context(|| format!("{}: cannot create folder", path.display()))?;
            }
            Err(_) => std::fs::create_dir(&path)
                .with_context(|| format!("{}: cannot create folder", path.display()))?,
        }
        made.insert(folder.to_string());
    }
    Ok(())
}

/// Removes the folders that `removed` (paths relative to `root`) left empty, deepest first.
fn remove_emptied_folders(root: &Path, removed: &[String]) {
    let mut folders: Vec<&str> = removed
        .iter()
        .flat_map(|rel| rel.match_indices('/').map(move |(i, _)| &rel[..i]))
        .collect();
    folders.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    folders.dedup();
    for folder in folders {
        // Fails, as it should, on a folder that still holds something.
        let _ = std::fs::remove_dir(root.join(folder));
    }
}

/// What the previous output holds, found without following symbolic links: its regular files
/// with their sizes (a page equal to one of them is not written again), and every entry that is
/// not a folder (links included), by `/`-separated path. Kept paths and the marker are left out.
#[derive(Debug, Default)]
struct Previous {
    root: PathBuf,
    files: HashMap<String, u64>,
    entries: Vec<String>,
}

impl Previous {
    /// What `root` holds, or `None` when there is nothing there.
    fn find(root: &Path, keep: &[String]) -> std::io::Result<Option<Previous>> {
        let Ok(meta) = std::fs::symlink_metadata(root) else {
            return Ok(None);
        };
        let mut previous = Previous {
            root: root.to_path_buf(),
            ..Previous::default()
        };
        if !meta.is_dir() {
            return Ok(Some(previous));
        }
        for (rel, size) in walk(root, keep)? {
            if let Some(size) = size {
                previous.files.insert(rel.clone(), size);
            }
            previous.entries.push(rel);
        }
        Ok(Some(previous))
    }

    /// Whether the previous output has `rel` with exactly `contents`.
    fn holds(&self, rel: &str, contents: &[u8]) -> bool {
        self.files.get(rel) == Some(&(contents.len() as u64))
            && std::fs::read(self.root.join(rel)).is_ok_and(|old| old == contents)
    }
}

/// Everything under `root` that is not a folder, by `/`-separated path, with its size when it is
/// a regular file; kept paths and the marker left out, links never followed. One folder at a
/// time: it runs on its own thread beside the rendering, which has every core.
fn walk(root: &Path, keep: &[String]) -> std::io::Result<Vec<(String, Option<u64>)>> {
    let kept = |rel: &str| {
        keep.iter().any(|k| {
            rel.strip_prefix(k.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    let mut found = Vec::new();
    let mut folders = vec![String::new()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(root.join(&folder))? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let rel = if folder.is_empty() {
                name.into_owned()
            } else {
                format!("{folder}/{name}")
            };
            if rel == MARKER || kept(&rel) {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                folders.push(rel);
            } else if kind.is_file() {
                found.push((rel, Some(entry.metadata()?.len())));
            } else {
                found.push((rel, None));
            }
        }
    }
    Ok(found)
}

/// What updating the target did to the previous export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Updated {
    /// Paths of the previous output kept as they were (`.git`, `keep_files:`).
    pub kept: Vec<String>,
    /// Files of the previous output the new one does not have, relative, `/`-separated, sorted.
    pub removed: Vec<String>,
}

/// How carnet's marker starts: what tells a folder carnet wrote.
const MARKER_START: &str = "Written by carnet ";

/// The marker a temporary build holds while it is being written: its own folder name, so that
/// the claim is true of that folder only.
fn claim_text(dir: &Path) -> String {
    format!(
        "Being written by carnet export into {}; carnet removes it if the export is interrupted.\n",
        dir.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// The marker file of `dir`, when it is a small regular file (not a link, FIFO or device).
fn read_marker(dir: &Path) -> Option<String> {
    let path = dir.join(MARKER);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 4096 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// `.git`, `.svn` and the site's `keep_files:` (Jekyll's list of paths an output keeps).
fn keep_files(site: &Site) -> Vec<String> {
    let mut keep: Vec<String> = vec![".git".to_string(), ".svn".to_string()];
    let listed = site.config.raw.get("keep_files");
    let listed = listed.and_then(|v| v.as_sequence()).into_iter().flatten();
    for path in listed.filter_map(|v| v.as_str()) {
        let path = path.trim_start_matches("./").trim_end_matches('/');
        if !path.is_empty() && !keep.iter().any(|k| k == path) {
            keep.push(path.to_string());
        }
    }
    keep
}

/// Deletes a folder and everything in it, its top-level entries in parallel.
/// Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries = std::fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

fn marker_text() -> String {
    format!(
        "{MARKER_START}{} (carnet export --format html). carnet replaces this folder's pages on the next export.\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// Where an export writes its pages: the ones that differ from the previous output go to a
/// temporary folder (every path stays inside it); the others are only noted.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    previous: Option<Previous>,
    /// Every path the export wrote.
    written: Mutex<HashSet<String>>,
    /// The paths written into the temporary folder.
    staged: Mutex<Vec<String>>,
}

impl Staging {
    /// Writes `contents` at `rel`, a `/`-separated path that must stay inside the folder.
    pub fn write(&self, rel: &str, contents: &[u8]) -> anyhow::Result<()> {
        // Stopping here drops the temporary folder, so Ctrl-C leaves nothing half-built behind.
        if crate::interrupt::requested() {
            anyhow::bail!("interrupted: the previous export is left as it was");
        }
        let path = self.root.join(safe_relative(rel)?);
        let first = lock(&self.written).insert(rel.to_string());
        if !first {
            anyhow::bail!("{rel}: cannot write: the export writes this path twice");
        }
        // An unchanged page keeps its file, date and inode: rewriting thousands of them cost more
        // than reading them back, and tools that sync the output see only what changed.
        if self
            .previous
            .as_ref()
            .is_some_and(|p| p.holds(rel, contents))
        {
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create folder", parent.display()))?;
        }
        // No fsync per file: the pages are only moved in once all are written, and an export can
        // always be run again; syncing each of thousands of pages would dominate the run.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| file.write_all(contents))
            .with_context(|| format!("{rel}: cannot write"))?;
        lock(&self.staged).push(rel.to_string());
        Ok(())
    }
}

/// The longest file or folder name that common file systems accept, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// The longest path written under the output folder, in bytes: Linux refuses paths over 4,096
/// bytes, and the output folder's own path comes before it.
pub const MAX_PATH_BYTES: usize = 3072;

/// Why a `/`-separated relative path is too long to be written, if it is: a file or folder name
/// over [`MAX_NAME_BYTES`], or the whole over [`MAX_PATH_BYTES`].
pub fn too_long(rel: &str) -> Option<String> {
    if let Some(name) = rel.split('/').find(|s| s.len() > MAX_NAME_BYTES) {
        return Some(format!(
            "a file or folder name of {} bytes (file systems allow {MAX_NAME_BYTES})",
            name.len()
        ));
    }
    (rel.len() > MAX_PATH_BYTES).then(|| {
        format!(
            "a path of {} bytes (carnet writes paths of at most {MAX_PATH_BYTES})",
            rel.len()
        )
    })
}

/// A written path that would leave the output folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a path inside the output folder")]
pub struct UnsafePath(pub String);

/// Checks a `/`-separated relative path: no `..`, `.`, empty or absolute segments, and on Windows
/// none with a `:` (a drive, or a file's alternate stream). Elsewhere `re:invent` is an ordinary
/// file name, which Jekyll writes as it is.
pub fn safe_relative(rel: &str) -> Result<PathBuf, UnsafePath> {
    let unsafe_path = || UnsafePath(rel.to_string());
    if rel.is_empty() || rel.contains(['\\', '\0']) {
        return Err(unsafe_path());
    }
    let mut path = PathBuf::new();
    for segment in rel.split('/') {
        let colon = cfg!(windows) && segment.contains(':');
        if segment.is_empty() || segment == "." || segment == ".." || colon {
            return Err(unsafe_path());
        }
        path.push(segment);
    }
    match path.components().all(|c| matches!(c, Component::Normal(_))) {
        true => Ok(path),
        false => Err(unsafe_path()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_in(dir: &Path) -> (Site, SiteFiles) {
        std::fs::create_dir_all(dir.join("_posts")).unwrap();
        std::fs::write(dir.join("_config.yml"), "title: t\n").unwrap();
        std::fs::write(dir.join("_posts/2020-01-01-a.md"), "---\n---\n").unwrap();
        let site = Site::load(dir).unwrap();
        let files = site.scan();
        (site, files)
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_previous_export_deletes_links_not_what_they_point_at() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept");
        std::fs::create_dir(&kept).unwrap();
        std::fs::write(kept.join("precious.txt"), "mine").unwrap();
        let old = dir.path().join("old");
        for sub in ["2020/01/02/a", "2020/01/03/b", "tags/x"] {
            std::fs::create_dir_all(old.join(sub)).unwrap();
            std::fs::write(old.join(sub).join("index.html"), "page").unwrap();
        }
        std::fs::write(old.join("feed.xml"), "feed").unwrap();
        std::os::unix::fs::symlink(&kept, old.join("link")).unwrap();
        std::os::unix::fs::symlink(&kept, old.join("2020/link")).unwrap();
        remove_tree(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(kept.join("precious.txt")).unwrap(),
            "mine"
        );
    }

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for entry in ignore::WalkBuilder::new(dir)
            .hidden(false)
            .build()
            .flatten()
        {
            if entry.file_type().is_some_and(|t| t.is_file()) {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(entry.path()).unwrap()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "",
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "./a",
            "a\\b",
            "a/\0",
        ] {
            assert!(safe_relative(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            safe_relative("a/b/index.html").unwrap(),
            Path::new("a/b/index.html")
        );
        assert_eq!(safe_relative("c:/x").is_err(), cfg!(windows));
        assert_eq!(safe_relative("re:invent/x.html").is_err(), cfg!(windows));
    }

    #[test]
    fn the_site_and_its_source_folders_are_refused() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("blog");
        let (site, files) = site_in(&root);
        for dir in [
            root.clone(),
            temp.path().to_path_buf(),
            root.join("_posts/out"),
            root.join("_drafts"),
        ] {
            assert!(
                matches!(
                    Target::check(&dir, &site, &files, true),
                    Err(ExportError::Refused(_))
                ),
                "{}",
                dir.display()
            );
        }
        assert!(Target::check(&root.join("_site"), &site, &files, false).is_ok());
        assert!(Target::check(&temp.path().join("public"), &site, &files, false).is_ok());
    }

    #[test]
    fn a_foreign_folder_needs_force() {
        let temp = tempfile::tempdir().unwrap();
        let (site, files) = site_in(&temp.path().join("blog"));
        let out = temp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("mine.txt"), "keep").unwrap();
        assert!(matches!(
            Target::check(&out, &site, &files, false),
            Err(ExportError::Refused(_))
        ));
        let target = Target::check(&out, &site, &files, true).unwrap();
        target.build(|s| s.write("index.html", b"new")).unwrap();
        assert_eq!(
            tree(&out),
            [
                (MARKER.to_string(), marker_text()),
                ("index.html".to_string(), "new".to_string())
            ]
        );
        assert!(Target::check(&out, &site, &files, false).is_ok());
    }

    #[test]
    fn each_build_sees_the_folder_as_it_is_then() {
        let temp = tempfile::tempdir().unwrap();
        let (site, files) = site_in(&temp.path().join("blog"));
        let out = temp.path().join("out");
        // Read in the background from the check on: the folder does not exist yet.
        let target = Target::check(&out, &site, &files, false).unwrap();
        target
            .build(|s| {
                s.write("index.html", b"first")?;
                s.write("old/index.html", b"gone next time")
            })
            .unwrap();
        target.build(|s| s.write("index.html", b"second")).unwrap();
        assert_eq!(
            tree(&out),
            [
                (MARKER.to_string(), marker_text()),
                ("index.html".to_string(), "second".to_string())
            ]
        );
    }

    #[test]
    fn a_failed_build_leaves_the_previous_output_whole() {
        let temp = tempfile::tempdir().unwrap();
        let (site, files) = site_in(&temp.path().join("blog"));
        let out = temp.path().join("out");
        let target = Target::check(&out, &site, &files, false).unwrap();
        target
            .build(|s| {
                s.write("index.html", b"first")?;
                s.write("a/b.html", b"first b")
            })
            .unwrap();
        let before = tree(&out);
        let failed = target.build(|s| {
            s.write("index.html", b"second")?;
            s.write("a/b.html", b"second b")?;
            anyhow::bail!("injected failure after two pages")
        });
        assert!(failed.is_err());
        assert_eq!(tree(&out), before);
        let beside: Vec<_> = std::fs::read_dir(temp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(beside.len(), 2, "{beside:?}");
    }

    #[test]
    fn leftovers_of_an_interrupted_export_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        let (site, files) = site_in(&temp.path().join("blog"));
        let out = temp.path().join("out");
        let target = Target::check(&out, &site, &files, false).unwrap();
        target.build(|s| s.write("index.html", b"one")).unwrap();
        let stale = temp.path().join(".out.carnet-tmp-abc");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("half.html"), "x").unwrap();
        std::fs::write(stale.join(MARKER), claim_text(&stale)).unwrap();
        let copied = temp.path().join(".out.carnet-tmp-mine");
        std::fs::create_dir(&copied).unwrap();
        std::fs::write(copied.join(MARKER), claim_text(&stale)).unwrap();
        let users = temp.path().join(".out.carnet-tmp-notes");
        std::fs::create_dir(&users).unwrap();
        std::fs::write(users.join("notes.txt"), "mine").unwrap();
        target.build(|s| s.write("index.html", b"two")).unwrap();
        assert!(!stale.exists());
        assert!(copied.join(MARKER).is_file());
        assert!(users.join("notes.txt").is_file());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_new_export_rewrites_only_what_changed_and_removes_what_went() {
        use std::os::unix::fs::MetadataExt;
        let temp = tempfile::tempdir().unwrap();
        let (site, files) = site_in(&temp.path().join("blog"));
        let out = temp.path().join("out");
        let target = Target::check(&out, &site, &files, false).unwrap();
        target
            .build(|s| {
                s.write("index.html", b"home")?;
                s.write("a/b/index.html", b"old b")?;
                s.write("gone/deep/index.html", b"gone")?;
                s.write("x", b"a file that becomes a folder")?;
                s.write("y/index.html", b"a folder that becomes a file")
            })
            .unwrap();
        let inode = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let home = inode("index.html");
        let updated = target
            .build(|s| {
                s.write("index.html", b"home")?;
                s.write("a/b/index.html", b"new b")?;
                s.write("x/index.html", b"x")?;
                s.write("y", b"y")
            })
            .unwrap();
        assert_eq!(
            inode("index.html"),
            home,
            "an unchanged page is not rewritten"
        );
        assert_eq!(
            tree(&out),
            [
                (MARKER.to_string(), marker_text()),
                ("a/b/index.html".to_string(), "new b".to_string()),
                ("index.html".to_string(), "home".to_string()),
                ("x/index.html".to_string(), "x".to_string()),
                ("y".to_string(), "y".to_string()),
            ]
        );
        assert!(!out.join("gone").exists(), "emptied folders are removed");
        assert_eq!(
            updated.removed,
            ["gone/deep/index.html", "x", "y/index.html"]
        );
        let beside = std::fs::read_dir(temp.path()).unwrap().count();
        assert_eq!(beside, 2, "the temporary folder is removed");
    }

    #[test]
    fn a_path_written_twice_is_an_error() {
        let temp = tempfile::tempdir().unwrap();
        let (site, files) = site_in(&temp.path().join("blog"));
        let out = temp.path().join("out");
        let target = Target::check(&out, &site, &files, false).unwrap();
        let error = target
            .build(|s| {
                s.write("a.html", b"one")?;
                s.write("a.html", b"two")
            })
            .unwrap_err();
        assert!(error.to_string().contains("twice"), "{error}");
        assert!(!out.exists());
    }

    #[test]
    fn writes_outside_the_folder_are_refused() {
        let temp = tempfile::tempdir().unwrap();
        let (site, files) = site_in(&temp.path().join("blog"));
        let out = temp.path().join("out");
        let target = Target::check(&out, &site, &files, false).unwrap();
        assert!(target.build(|s| s.write("../escape.html", b"x")).is_err());
        assert!(!temp.path().join("escape.html").exists());
        assert!(!out.exists());
    }
}
