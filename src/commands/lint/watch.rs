//! `carnet lint --watch`: re-lint posts each time one is saved, for authors writing in another window.
//!
//! Each post's own findings are cached and recomputed only when the file changes; the site-wide
//! rules run again over the cached facts, so a save costs one post's check.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::Context as _;
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::site_and_settings;
use crate::cli::LintArgs;
use crate::lint::run::{Incremental, LintResult};
use crate::output::{self, Report};
use crate::site::{Site, MARKDOWN_EXTENSIONS};
use crate::{Context, Outcome};

/// How long the files must stay quiet before re-linting: editors write a save in several steps.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// How often Ctrl-C is looked for while waiting.
const POLL: Duration = Duration::from_millis(200);

/// Lints, then re-lints on every change until Ctrl-C.
pub fn run(args: &LintArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let (site, settings) = site_and_settings(args, ctx)?;
    let (sender, events) = mpsc::channel();
    let watcher = notify::recommended_watcher(sender).context("cannot watch files")?;
    let mut watches = Watches::new(watcher, watch_list(&site, &args.paths))?;
    crate::interrupt::install();
    let mut cache = Incremental::default();
    loop {
        let (result, checked) = cache.lint(&site, &settings, &args.paths);
        show(ctx, args, &result, checked)?;
        match next_change(&events, &mut watches, ctx)? {
            Some(Change::Files(paths)) => cache.forget(&paths),
            // Files written into a folder before its new watch was set sent no event.
            Some(Change::Folders) => cache = Incremental::default(),
            None => return Ok(Outcome::Success),
        }
    }
}

/// What made the watch re-lint.
enum Change {
    /// These posts were created, changed or removed.
    Files(Vec<PathBuf>),
    /// A watched folder was made again (deleted or moved away, then recreated): anything may differ.
    Folders,
}

/// The watcher and the folders it must hold, set again on a folder deleted and made again: a
/// watch belongs to the folder itself, not to its path, and dies with it.
struct Watches {
    watcher: notify::RecommendedWatcher,
    folders: Vec<Watched>,
}

/// One folder to watch and the folder its watch is set on, if any.
struct Watched {
    path: PathBuf,
    mode: RecursiveMode,
    armed: Option<FolderId>,
    /// The folder a watch could not be set on, so the failure is reported once, not on every poll.
    refused: Option<FolderId>,
}

/// Which folder a path names: a new folder at the same path gets another id.
type FolderId = (u64, u64);

impl Watches {
    /// Watches every listed folder that exists; one that cannot be watched is an error.
    fn new(
        watcher: notify::RecommendedWatcher,
        list: Vec<(PathBuf, RecursiveMode)>,
    ) -> anyhow::Result<Self> {
        let folders = list
            .into_iter()
            .map(|(path, mode)| Watched {
                path,
                mode,
                armed: None,
                refused: None,
            })
            .collect();
        let mut watches = Watches { watcher, folders };
        for folder in &mut watches.folders {
            if let Some(id) = folder_id(&folder.path) {
                watches
                    .watcher
                    .watch(&folder.path, folder.mode)
                    .with_context(|| {
                        format!("{}: cannot watch", crate::paths::display_path(&folder.path))
                    })?;
                folder.armed = Some(id);
            }
        }
        Ok(watches)
    }

    /// Forgets the watch of a folder the event says was removed or moved away.
    fn note(&mut self, event: &Event) {
        let gone = matches!(
            event.kind,
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        if gone {
            for folder in &mut self.folders {
                if event.paths.contains(&folder.path) {
                    folder.armed = None;
                }
            }
        }
    }

    /// Sets a watch on each folder that now exists and is not the one watched; true when one was set.
    fn rearm(&mut self, ctx: &Context) -> anyhow::Result<bool> {
        let mut set = false;
        for folder in &mut self.folders {
            let now = folder_id(&folder.path);
            if now == folder.armed {
                continue;
            }
            if folder.armed.take().is_some() {
                // The old folder may still exist elsewhere (moved away): stop hearing about it.
                let _ = self.watcher.unwatch(&folder.path);
            }
            let Some(id) = now else { continue };
            match self.watcher.watch(&folder.path, folder.mode) {
                Ok(()) => {
                    folder.armed = Some(id);
                    folder.refused = None;
                    set = true;
                }
                Err(error) if folder.refused != Some(id) => {
                    folder.refused = Some(id);
                    writeln!(
                        ctx.stderr(),
                        "carnet: warning: {}: cannot watch: {error}",
                        crate::paths::display_path(&folder.path)
                    )?;
                }
                Err(_) => {}
            }
        }
        Ok(set)
    }
}

/// The folder at `path`, or `None` when there is no folder there.
fn folder_id(path: &Path) -> Option<FolderId> {
    let metadata = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        // No inode to compare: a folder made again is noticed through the watcher's remove event.
        let _ = metadata;
        Some((0, 0))
    }
}

/// The folders to watch: the site's `_posts` and `_drafts` folders (also when missing, to watch
/// them once made), or the named paths.
fn watch_list(site: &Site, paths: &[PathBuf]) -> Vec<(PathBuf, RecursiveMode)> {
    let mut list: Vec<(PathBuf, RecursiveMode)> = Vec::new();
    if paths.is_empty() {
        let top: Vec<PathBuf> = ["_posts", "_drafts"]
            .iter()
            .map(|name| site.root.join(name))
            .collect();
        let mut folders: Vec<PathBuf> = if top.iter().any(|dir| dir.is_dir()) {
            top
        } else {
            Vec::new()
        };
        for post in site.scan().posts {
            let segments: Vec<&str> = post.rel.split('/').collect();
            if let Some(i) = segments
                .iter()
                .position(|s| *s == "_posts" || *s == "_drafts")
            {
                folders.push(site.root.join(segments[..=i].join("/")));
            }
        }
        folders.sort();
        folders.dedup();
        if folders.is_empty() {
            folders.push(site.root.clone());
        }
        list.extend(folders.into_iter().map(|f| (f, RecursiveMode::Recursive)));
    } else {
        for path in paths {
            let Ok(absolute) = std::path::absolute(path) else {
                continue;
            };
            if absolute.is_dir() {
                list.push((absolute, RecursiveMode::Recursive));
            } else if let Some(parent) = absolute.parent().filter(|p| p.is_dir()) {
                // Editors often save by replacing the file: watch its folder, not its inode.
                list.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        list.sort_by(|a, b| a.0.cmp(&b.0));
        list.dedup_by(|a, b| a.0 == b.0);
    }
    list
}

/// Clears a terminal and prints the current findings.
fn show(ctx: &Context, args: &LintArgs, result: &LintResult, checked: usize) -> anyhow::Result<()> {
    if std::io::stdout().is_terminal() {
        // Straight to the terminal: the colour-aware stream would strip this sequence.
        let mut raw = std::io::stdout().lock();
        raw.write_all(b"\x1b[2J\x1b[H")?;
        raw.flush()?;
    }
    let mut stderr = ctx.stderr();
    for problem in &result.unreadable {
        writeln!(stderr, "{} {problem}", output::error_prefix())?;
    }
    drop(stderr);
    let report = Report {
        diagnostics: &result.diagnostics,
        files_checked: checked,
        unreadable: result.unreadable.len(),
        unfixed: 0,
        summary: !ctx.global.quiet,
    };
    let (mut out, color) = ctx.report_stdout();
    output::write(args.format, &report, &mut out, color)?;
    out.flush()?;
    drop(out);
    if !ctx.global.quiet {
        writeln!(ctx.stderr(), "Watching for changes; press Ctrl-C to stop.")?;
    }
    Ok(())
}

/// Waits for posts to change and settle, or a watched folder to be made again; `None` once
/// Ctrl-C is pressed.
fn next_change(
    events: &Receiver<notify::Result<Event>>,
    watches: &mut Watches,
    ctx: &Context,
) -> anyhow::Result<Option<Change>> {
    let mut changed: Vec<PathBuf> = Vec::new();
    loop {
        if crate::interrupt::requested() {
            return Ok(None);
        }
        let wait = if changed.is_empty() { POLL } else { DEBOUNCE };
        let event = events.recv_timeout(wait);
        if let Ok(Ok(event)) = &event {
            watches.note(event);
        }
        if watches.rearm(ctx)? {
            return Ok(Some(Change::Folders));
        }
        match event {
            Ok(Ok(event)) if is_post_change(&event) => changed.extend(event.paths),
            Ok(Ok(_)) => {}
            Ok(Err(error)) => writeln!(
                ctx.stderr(),
                "{} watching: {error}",
                output::warning_prefix()
            )?,
            Err(RecvTimeoutError::Timeout) if !changed.is_empty() => {
                return Ok(Some(Change::Files(changed)))
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
        }
    }
}

/// Whether an event creates, changes or removes a Markdown file.
fn is_post_change(event: &Event) -> bool {
    matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    ) && event.paths.iter().any(|p| is_markdown(p))
}

fn is_markdown(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        MARKDOWN_EXTENSIONS
            .iter()
            .any(|m| m.eq_ignore_ascii_case(e))
    })
}

/// Ctrl-C ends the watch normally (exit 0) rather than killing the process mid-print.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markdown_changes_count() {
        let event = |kind, path: &str| Event::new(kind).add_path(PathBuf::from(path));
        let modify = EventKind::Modify(notify::event::ModifyKind::Any);
        assert!(is_post_change(&event(modify, "/s/_posts/2020-01-01-a.md")));
        assert!(!is_post_change(&event(modify, "/s/_posts/.a.md.swp")));
        let access = EventKind::Access(notify::event::AccessKind::Any);
        assert!(!is_post_change(&event(access, "/s/_posts/2020-01-01-a.md")));
    }

    #[test]
    fn watches_post_folders_or_named_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::path::absolute(dir.path()).unwrap();
        std::fs::write(root.join("_config.yml"), "title: t\n").unwrap();
        std::fs::create_dir_all(root.join("_posts")).unwrap();
        std::fs::create_dir_all(root.join("notes/_posts/2020")).unwrap();
        std::fs::write(root.join("notes/_posts/2020/2020-01-01-a.md"), "---\n---\n").unwrap();
        let site = Site::discover(&root).unwrap();
        let folders: Vec<PathBuf> = watch_list(&site, &[]).into_iter().map(|w| w.0).collect();
        assert_eq!(
            folders,
            [
                root.join("_drafts"),
                root.join("_posts"),
                root.join("notes/_posts")
            ]
        );
        let named = watch_list(&site, &[root.join("notes/_posts/2020/2020-01-01-a.md")]);
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].0, root.join("notes/_posts/2020"));
        assert_eq!(named[0].1, RecursiveMode::NonRecursive);
    }
}
