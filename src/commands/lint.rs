//! `carnet lint`: choose the files, check them in parallel, run the site-wide rules, print.

mod watch;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::LintArgs;
use crate::error::ReadError;
use crate::git::Repository;
use crate::lint::cache::FactsCache;
use crate::lint::site_index::{PostFacts, SiteIndex};
use crate::lint::{self, fix, Diagnostic, Settings, Severity};
use crate::output::{self, Report};
use crate::post::Post;
use crate::site::{Kind, Site, SiteFiles, SourceFile};
use crate::{Context, Outcome};

/// Lints the chosen posts and prints the findings.
pub fn run(args: &LintArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    if args.watch {
        return watch::run(args, ctx);
    }
    let site = site_for(args, ctx)?;
    let settings = settings_for(&site, args, ctx)?;
    let files = site.scan();
    let cache = !args.no_cache;
    let mut fixed = None;
    let (targets, mut problems, result) = if args.staged {
        let staged = StagedPosts::find(&site)?;
        let read = |file: &SourceFile| staged.read(file, &site);
        let result = lint_files_with(&site, &files, &settings, &staged.targets, &read, cache);
        (staged.targets, Vec::new(), result)
    } else {
        let (targets, mut problems) = targets(&site, &files, &args.paths);
        let mut result = lint_files(&site, &files, &settings, &targets, cache);
        if args.fix {
            let done = apply_fixes(&site, &settings, &targets, &result.diagnostics);
            if done.findings > 0 {
                result = lint_files(&site, &files, &settings, &targets, cache);
            }
            problems.extend(done.problems.iter().cloned());
            fixed = Some(done);
        }
        (targets, problems, result)
    };
    problems.extend(result.unreadable);
    let unfixed = fixed.as_ref().map_or(0, |done| done.problems.len());
    // Standard error is locked only now: rules running on other threads may still write to it.
    let mut stderr = ctx.stderr();
    for problem in &problems {
        writeln!(stderr, "{} {problem}", output::error_prefix())?;
    }
    if let Some(done) = fixed.filter(|d| d.findings > 0 && !ctx.global.quiet) {
        writeln!(
            stderr,
            "Fixed {} in {}.",
            plural(done.findings, "finding"),
            plural(done.files, "file")
        )?;
    }
    drop(stderr);
    let report = Report {
        diagnostics: &result.diagnostics,
        files_checked: targets.len(),
        unreadable: problems.len() - unfixed,
        unfixed,
        summary: !ctx.global.quiet,
    };
    let mut out = ctx.stdout();
    output::write(args.format, &report, &mut out)?;
    out.flush()?;
    Ok(outcome(
        &result.diagnostics,
        !problems.is_empty(),
        args.deny_warnings,
    ))
}

/// The rule levels of this run: `carnet.toml`, then `--select` and `--ignore`.
fn settings_for(site: &Site, args: &LintArgs, ctx: &Context) -> anyhow::Result<Settings> {
    Ok(Settings::new(
        &site.carnet.lint,
        &args.select,
        &args.ignore,
        ctx.now(site.config.timezone),
    )?)
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// What `--fix` did.
struct Fixed {
    /// Findings repaired.
    findings: usize,
    /// Files rewritten.
    files: usize,
    /// Files that could not be fixed, with why.
    problems: Vec<String>,
}

/// Fixes every target with a fixable finding, each file re-checked and written once.
fn apply_fixes(
    site: &Site,
    settings: &Settings,
    targets: &[SourceFile],
    diagnostics: &[Diagnostic],
) -> Fixed {
    let fixable: HashSet<&Path> = diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .map(|d| d.path.as_path())
        .collect();
    let results: Vec<(&SourceFile, anyhow::Result<usize>)> = targets
        .par_iter()
        .filter(|file| fixable.contains(file.path.as_path()))
        .map(|file| (file, fix::fix_file(file, site, settings)))
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
                output::display_path(&file.path)
            )),
        }
    }
    fixed
}

/// The site's posts staged in git, read from the index rather than the working tree.
struct StagedPosts {
    repository: Repository,
    /// The staged posts and drafts of the site.
    targets: Vec<SourceFile>,
    /// Each target's path relative to the repository's top folder, as git names it.
    names: HashMap<PathBuf, String>,
}

impl StagedPosts {
    /// Asks git which files are staged and keeps the site's posts and drafts.
    fn find(site: &Site) -> anyhow::Result<StagedPosts> {
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
    fn read(&self, file: &SourceFile, site: &Site) -> Result<Post, ReadError> {
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

/// The site holding the named paths (or `--site`, or the current folder).
fn site_for(args: &LintArgs, ctx: &Context) -> anyhow::Result<Site> {
    if ctx.global.site.is_none() {
        if let Some(first) = args.paths.iter().find(|p| p.exists()) {
            let start = if first.is_dir() {
                first.as_path()
            } else {
                first.parent().unwrap_or(Path::new("."))
            };
            let start = if start.as_os_str().is_empty() {
                Path::new(".")
            } else {
                start
            };
            return Ok(Site::discover(start)?);
        }
    }
    ctx.site()
}

/// The files to check: the whole site, or the named files and folders; missing paths are problems.
fn targets(site: &Site, files: &SiteFiles, paths: &[PathBuf]) -> (Vec<SourceFile>, Vec<String>) {
    if paths.is_empty() {
        return (files.posts.clone(), Vec::new());
    }
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                problems.push(format!("{}: {e}", output::display_path(path)));
                continue;
            }
        };
        if meta.is_dir() {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            let prefix = site.relative(&absolute).unwrap_or_default();
            let inside = |rel: &str| prefix.is_empty() || rel.starts_with(&format!("{prefix}/"));
            let posts: Vec<SourceFile> = files
                .posts
                .iter()
                .filter(|f| inside(&f.rel))
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

/// Findings for a set of files, and the files that could not be read.
pub struct LintResult {
    /// Every finding, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// One message per unreadable file.
    pub unreadable: Vec<String>,
}

/// Checks `targets` in parallel; the site's other posts contribute only their facts to site-wide
/// rules, taken from the facts cache when `cache` is on and the post has not changed.
pub fn lint_files(
    site: &Site,
    files: &SiteFiles,
    settings: &Settings,
    targets: &[SourceFile],
    cache: bool,
) -> LintResult {
    let read = |file: &SourceFile| Post::read(file.clone(), site);
    lint_files_with(site, files, settings, targets, &read, cache)
}

/// Like [`lint_files`], with the targets' contents read by `read` (the git index, for `--staged`).
pub fn lint_files_with(
    site: &Site,
    files: &SiteFiles,
    settings: &Settings,
    targets: &[SourceFile],
    read: &(dyn Fn(&SourceFile) -> Result<Post, ReadError> + Sync),
    cache: bool,
) -> LintResult {
    let reports: Vec<Result<lint::PostReport, String>> = targets
        .par_iter()
        .map(|file| check_file(file, site, settings, read))
        .collect();
    let checked: HashSet<&str> = targets.iter().map(|f| f.rel.as_str()).collect();
    let others = other_facts(site, files, settings, &checked, cache);
    combine(site, files, settings, reports, others, &checked)
}

/// One target's own findings and facts, or why it could not be read.
fn check_file(
    file: &SourceFile,
    site: &Site,
    settings: &Settings,
    read: &(dyn Fn(&SourceFile) -> Result<Post, ReadError> + Sync),
) -> Result<lint::PostReport, String> {
    read(file)
        .map(|post| lint::check_post(&post, site, settings))
        .map_err(|error| read_error_message(&error))
}

/// What the posts that are not checked tell the site-wide rules (nothing for one that cannot be
/// read), through the facts cache when `cache` is on; the cache is brought up to date.
fn other_facts(
    site: &Site,
    files: &SiteFiles,
    settings: &Settings,
    checked: &HashSet<&str>,
    cache: bool,
) -> Vec<PostFacts> {
    let others: Vec<&SourceFile> = files
        .posts
        .iter()
        .filter(|f| !checked.contains(f.rel.as_str()))
        .collect();
    let mut store = if cache && !others.is_empty() {
        FactsCache::open(site)
    } else {
        FactsCache::disabled()
    };
    let lookups: Vec<_> = others
        .par_iter()
        .filter_map(|file| store.summarize(file, site))
        .collect();
    let mut fresh = Vec::new();
    let facts = lookups
        .into_iter()
        .map(|lookup| {
            fresh.extend(lookup.fresh);
            lookup.summary.into_facts(settings)
        })
        .collect();
    store.update(fresh, &files.posts);
    store.save();
    facts
}

/// Runs the site-wide rules over every post's facts and gathers all findings, sorted.
fn combine(
    site: &Site,
    files: &SiteFiles,
    settings: &Settings,
    reports: Vec<Result<lint::PostReport, String>>,
    mut facts: Vec<PostFacts>,
    checked: &HashSet<&str>,
) -> LintResult {
    let mut diagnostics = Vec::new();
    let mut unreadable = Vec::new();
    for report in reports {
        match report {
            Ok(report) => {
                diagnostics.extend(report.diagnostics);
                facts.push(report.facts);
            }
            Err(message) => unreadable.push(message),
        }
    }
    let index = SiteIndex::build(site, files, &facts);
    diagnostics.extend(lint::check_site(
        &index,
        &facts,
        |f| checked.contains(f.rel.as_str()),
        settings,
    ));
    lint::sort(&mut diagnostics);
    LintResult {
        diagnostics,
        unreadable,
    }
}

fn read_error_message(error: &ReadError) -> String {
    let shown = output::display_path(error.path());
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

/// Exit 2 when files could not be read, 1 on errors (or warnings when denied), else 0.
fn outcome(diagnostics: &[Diagnostic], trouble: bool, deny_warnings: bool) -> Outcome {
    let failing = diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    if trouble {
        Outcome::Trouble
    } else if failing {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}
