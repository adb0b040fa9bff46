//! `carnet lint`: choose the files, check them in parallel, run the site-wide rules, print.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::LintArgs;
use crate::error::ReadError;
use crate::lint::site_index::{PostFacts, SiteIndex};
use crate::lint::{self, Diagnostic, Settings, Severity};
use crate::output::{self, Report};
use crate::post::Post;
use crate::site::{Site, SiteFiles, SourceFile};
use crate::{Context, Outcome};

/// Lints the chosen posts and prints the findings.
pub fn run(args: &LintArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    if args.staged {
        anyhow::bail!("--staged is not available yet");
    }
    let site = site_for(args, ctx)?;
    let settings = Settings::new(
        &site.carnet.lint,
        &args.select,
        &args.ignore,
        ctx.now(site.config.timezone),
    )?;
    let files = site.scan();
    let (targets, mut problems) = targets(&site, &files, &args.paths);
    let result = lint_files(&site, &files, &settings, &targets);
    problems.extend(result.unreadable);
    let mut stderr = ctx.stderr();
    for problem in &problems {
        writeln!(stderr, "carnet: error: {problem}")?;
    }
    let report = Report {
        diagnostics: &result.diagnostics,
        files_checked: targets.len(),
        unreadable: problems.len(),
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

/// Checks `targets` in parallel; the site's other posts contribute only their facts to site-wide rules.
pub fn lint_files(
    site: &Site,
    files: &SiteFiles,
    settings: &Settings,
    targets: &[SourceFile],
) -> LintResult {
    let checked: HashSet<&str> = targets.iter().map(|f| f.rel.as_str()).collect();
    let reports: Vec<Result<lint::PostReport, ReadError>> = targets
        .par_iter()
        .map(|file| {
            Post::read(file.clone(), site).map(|post| lint::check_post(&post, site, settings))
        })
        .collect();
    let others: Vec<PostFacts> = files
        .posts
        .par_iter()
        .filter(|f| !checked.contains(f.rel.as_str()))
        .filter_map(|file| Post::read(file.clone(), site).ok())
        .map(|post| PostFacts::collect(&post, site, settings, None))
        .collect();
    let mut diagnostics = Vec::new();
    let mut unreadable = Vec::new();
    let mut facts = others;
    for report in reports {
        match report {
            Ok(report) => {
                diagnostics.extend(report.diagnostics);
                facts.push(report.facts);
            }
            Err(error) => unreadable.push(read_error_message(&error)),
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
