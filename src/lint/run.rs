//! One lint run: which files, their own checks in parallel, the facts of the site's other posts
//! (from the facts cache when it is on), then the site-wide rules. The command, `--watch`,
//! `--staged` and an editor all go through it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::cache::{self, FactsCache};
use super::site_index::{PostFacts, SiteIndex, Summary};
use super::{fix, Diagnostic, PostReport, Settings};
use crate::error::ReadError;
use crate::paths::display_path;
use crate::post::Post;
use crate::site::walk::is_markdown;
use crate::site::{Kind, Site, SiteFiles, SourceFile};

/// How a target's text is read: from disk, or from elsewhere (the git index for `--staged`).
pub type Reader<'r> = dyn Fn(&SourceFile) -> Result<Post, ReadError> + Sync + 'r;

/// A site, its files and the rule levels of a run.
pub struct Linter<'a> {
    site: &'a Site,
    settings: &'a Settings,
    files: SiteFiles,
    /// Posts, drafts and collection documents: every file whose facts the site-wide rules use.
    sources: Vec<SourceFile>,
    cache: bool,
    /// The facts cache, when it was read while the site was walked.
    opened: Mutex<Option<FactsCache>>,
}

/// Posts, drafts and the documents of every collection, sorted by path.
fn sources(files: &SiteFiles) -> Vec<SourceFile> {
    let mut all: Vec<SourceFile> = files
        .posts
        .iter()
        .chain(&files.documents)
        .cloned()
        .collect();
    all.sort();
    all
}

/// Whether a whole-site run checks the file: posts, drafts, and the Markdown documents of
/// collections Jekyll writes out.
fn checked_by_default(site: &Site, file: &SourceFile) -> bool {
    file.kind != Kind::Document
        || (is_markdown(&file.rel) && site.collection_of(&file.rel).is_some_and(|c| c.output))
}

impl<'a> Linter<'a> {
    /// A run over `site` as it is now on disk; `cache` allows the facts cache for posts not checked.
    pub fn new(site: &'a Site, settings: &'a Settings, cache: bool) -> Self {
        Linter::with_files(site, settings, cache, site.scan())
    }

    /// [`Linter::new`] with the facts cache, for a run that checks a few files: the cache, which
    /// holds the facts of nearly every post then, is read while the site is walked.
    pub fn with_cache_read(site: &'a Site, settings: &'a Settings) -> Self {
        let (files, store) = rayon::join(|| site.scan(), || FactsCache::open(site));
        let linter = Linter::with_files(site, settings, true, files);
        *linter.opened.lock().unwrap_or_else(PoisonError::into_inner) = Some(store);
        linter
    }

    /// [`Linter::new`] over `files`, the site's files as the caller scanned them.
    pub fn with_files(
        site: &'a Site,
        settings: &'a Settings,
        cache: bool,
        files: SiteFiles,
    ) -> Self {
        Linter {
            site,
            settings,
            sources: sources(&files),
            files,
            cache,
            opened: Mutex::new(None),
        }
    }

    /// The site's files, as scanned when the run began.
    pub fn files(&self) -> &SiteFiles {
        &self.files
    }

    /// The files to check: the whole site, or the named files and folders; missing paths are problems.
    pub fn targets(&self, paths: &[PathBuf]) -> (Vec<SourceFile>, Vec<String>) {
        let (site, files) = (self.site, &self.files);
        if paths.is_empty() {
            let all = self.sources.iter();
            return (
                all.filter(|f| checked_by_default(site, f))
                    .cloned()
                    .collect(),
                Vec::new(),
            );
        }
        let mut targets = Vec::new();
        let mut problems = Vec::new();
        for path in paths {
            let meta = match std::fs::metadata(path) {
                Ok(meta) => meta,
                Err(e) => {
                    problems.push(format!("{}: {e}", display_path(path)));
                    continue;
                }
            };
            if meta.is_dir() {
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                let prefix = site.relative(&absolute).unwrap_or_default();
                let inside =
                    |rel: &str| prefix.is_empty() || rel.starts_with(&format!("{prefix}/"));
                let posts: Vec<SourceFile> = self
                    .sources
                    .iter()
                    .filter(|f| inside(&f.rel) && checked_by_default(site, f))
                    .cloned()
                    .collect();
                if posts.is_empty() {
                    targets.extend(site.pages_under(&absolute, files));
                } else {
                    targets.extend(posts);
                }
            } else {
                targets.push(site.source_file(path));
            }
        }
        targets.sort();
        targets.dedup();
        (targets, problems)
    }

    /// Checks `targets`, read from disk.
    pub fn lint(&self, targets: &[SourceFile]) -> LintResult {
        let read = |file: &SourceFile| Post::read(file.clone(), self.site);
        self.lint_with(targets, &read)
    }

    /// Checks `targets` in parallel, each read by `read`; the site's other posts contribute only
    /// their facts to the site-wide rules.
    pub fn lint_with(&self, targets: &[SourceFile], read: &Reader) -> LintResult {
        // One post per task: rayon's default leaves hold hundreds of posts of a large site, and
        // the last of them kept one core busy alone for a tenth of the run.
        let reports: Vec<Result<PostReport, String>> = targets
            .par_iter()
            .with_max_len(1)
            .map(|file| check_file(file, self.site, self.settings, read))
            .collect();
        let checked: FxHashSet<&str> = targets.iter().map(|f| f.rel.as_str()).collect();
        let others = self.other_facts(&checked);
        combine(self.site, &self.files, self.settings, reports, others)
    }

    /// What the posts that are not checked tell the site-wide rules (nothing for one that cannot be
    /// read), through the facts cache when it is on; the cache is brought up to date.
    fn other_facts(&self, checked: &FxHashSet<&str>) -> Vec<PostFacts> {
        let others: Vec<&SourceFile> = self
            .sources
            .iter()
            .filter(|f| !checked.contains(f.rel.as_str()))
            .collect();
        let cached = self.cache && !others.is_empty();
        // Reading the cache and taking every other post's stamp both wait on the disk: together.
        let (store, stamps) = rayon::join(
            || {
                let opened = self
                    .opened
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take();
                if cached {
                    opened.unwrap_or_else(|| FactsCache::open(self.site))
                } else {
                    FactsCache::disabled()
                }
            },
            || {
                if cached {
                    cache::stamps(&others)
                } else {
                    vec![None; others.len()]
                }
            },
        );
        let taxonomies = self.settings.taxonomies();
        store
            .summaries(&others, &stamps, &self.sources, self.site, &taxonomies)
            .into_par_iter()
            .flatten()
            .map(|summary| summary.into_facts(self.settings))
            .collect()
    }

    /// Fixes every target with a fixable finding, each file re-checked and written once.
    pub fn fix(&self, targets: &[SourceFile], diagnostics: &[Diagnostic]) -> Fixed {
        let (site, settings) = (self.site, self.settings);
        let mut found: HashMap<&Path, Vec<super::Fix>> = HashMap::new();
        for d in diagnostics {
            if let Some(f) = &d.fix {
                found.entry(d.path.as_path()).or_default().push(f.clone());
            }
        }
        let results: Vec<(&SourceFile, anyhow::Result<usize>)> = targets
            .par_iter()
            .filter_map(|file| {
                let fixes = found.get(file.path.as_path())?;
                Some((file, fix::fix_file_with(file, site, settings, fixes)))
            })
            .collect();
        let mut fixed = Fixed {
            findings: 0,
            files: 0,
            problems: Vec::new(),
        };
        for (file, result) in results {
            match result {
                Ok(0) => {}
                Ok(count) => {
                    fixed.findings += count;
                    fixed.files += 1;
                }
                Err(error) => fixed.problems.push(format!(
                    "{}: cannot fix: {error:#}",
                    display_path(&file.path)
                )),
            }
        }
        fixed
    }
}

/// What `--fix` did.
pub struct Fixed {
    /// Findings repaired.
    pub findings: usize,
    /// Files rewritten.
    pub files: usize,
    /// Files that could not be fixed, with why.
    pub problems: Vec<String>,
}

/// Each post's report or facts, kept until its file changes: `--watch` re-checks only what changed.
#[derive(Default)]
pub struct Incremental {
    reports: HashMap<PathBuf, Result<PostReport, String>>,
    summaries: HashMap<PathBuf, Option<Summary>>,
}

impl Incremental {
    /// Lints the chosen posts, checking only those not cached; returns the result and the file count.
    pub fn lint(
        &mut self,
        site: &Site,
        settings: &Settings,
        paths: &[PathBuf],
    ) -> (LintResult, usize) {
        let linter = Linter::new(site, settings, false);
        let files = linter.files();
        let (targets, problems) = linter.targets(paths);
        let read = |file: &SourceFile| Post::read(file.clone(), site);
        let fresh: Vec<_> = targets
            .par_iter()
            .filter(|f| !self.reports.contains_key(&f.path))
            .map(|f| (f.path.clone(), check_file(f, site, settings, &read)))
            .collect();
        self.reports.extend(fresh);
        let checked: FxHashSet<&str> = targets.iter().map(|f| f.rel.as_str()).collect();
        let all = sources(files);
        let others: Vec<_> = all
            .iter()
            .filter(|f| !checked.contains(f.rel.as_str()))
            .collect();
        let taxonomies = settings.taxonomies();
        let fresh: Vec<_> = others
            .par_iter()
            .filter(|f| !self.summaries.contains_key(&f.path))
            .map(|f| (f.path.clone(), Summary::read(f, site, &taxonomies)))
            .collect();
        self.summaries.extend(fresh);
        let reports = targets
            .iter()
            .filter_map(|f| self.reports.get(&f.path).cloned())
            .collect();
        let facts = others
            .iter()
            .filter_map(|f| self.summaries.get(&f.path).cloned().flatten())
            .map(|summary| summary.into_facts(settings))
            .collect();
        let mut result = combine(site, files, settings, reports, facts);
        result.unreadable.splice(0..0, problems);
        (result, targets.len())
    }

    /// Drops what was computed from files that changed.
    pub fn forget(&mut self, paths: &[PathBuf]) {
        for path in paths {
            self.reports.remove(path);
            self.summaries.remove(path);
        }
    }
}

/// Findings for a set of files, and the files that could not be read.
pub struct LintResult {
    /// Every finding, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// One message per unreadable file.
    pub unreadable: Vec<String>,
}

/// One target's own findings and facts, or why it could not be read.
fn check_file(
    file: &SourceFile,
    site: &Site,
    settings: &Settings,
    read: &Reader,
) -> Result<PostReport, String> {
    read(file)
        .map(|post| super::check_post(&post, site, settings))
        .map_err(|error| read_error_message(&error))
}

/// Runs the site-wide rules over every post's facts (`facts`, of the posts not checked, and the
/// facts of each report) and gathers all findings, sorted; only the reports' posts are reported on.
fn combine(
    site: &Site,
    files: &SiteFiles,
    settings: &Settings,
    reports: Vec<Result<PostReport, String>>,
    mut facts: Vec<PostFacts>,
) -> LintResult {
    let mut diagnostics = Vec::new();
    let mut unreadable = Vec::new();
    let mut read = 0;
    for report in reports {
        match report {
            Ok(report) => {
                diagnostics.extend(report.diagnostics);
                facts.push(report.facts);
                read += 1;
            }
            Err(message) => unreadable.push(message),
        }
    }
    // The checked posts' facts come last: telling them by where they lie costs less than looking
    // up every post's path in each rule.
    let reported = facts[facts.len() - read..].as_ptr_range();
    let is_checked = |f: &PostFacts| reported.contains(&std::ptr::from_ref(f));
    let index = SiteIndex::build(site, files, &facts, &is_checked);
    diagnostics.extend(super::check_site(&index, &facts, is_checked, settings));
    // Freeing every post's facts takes as long as the site-wide rules: another thread does it
    // while the findings are sorted and printed.
    rayon::spawn(move || drop(facts));
    super::sort(&mut diagnostics);
    LintResult {
        diagnostics,
        unreadable,
    }
}

fn read_error_message(error: &ReadError) -> String {
    let shown = display_path(error.path());
    match error {
        ReadError::Io { source, .. } => format!("{shown}: cannot read: {source}"),
        ReadError::InvalidUtf8 {
            offset,
            line,
            column,
            ..
        } => {
            format!("{shown}:{line}:{column}: not valid UTF-8 (byte offset {offset})")
        }
    }
}
