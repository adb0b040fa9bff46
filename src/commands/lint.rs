//! `carnet lint`: choose the files, check them in parallel, run the site-wide rules, print.

mod watch;

use std::io::Write;
use std::path::Path;

use crate::cli::LintArgs;
use crate::lint::run::Linter;
use crate::lint::staged::StagedPosts;
use crate::lint::{Diagnostic, Settings, Severity};
use crate::output::{self, Report};
use crate::site::{Site, SourceFile};
use crate::text::plural;
use crate::{Context, Outcome};

/// Lints the chosen posts and prints the findings.
pub fn run(args: &LintArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    if args.watch {
        return watch::run(args, ctx);
    }
    let (site, settings) = site_and_settings(args, ctx)?;
    let linter = if args.paths.is_empty() || args.no_cache {
        Linter::new(&site, &settings, !args.no_cache)
    } else {
        Linter::with_cache_read(&site, &settings)
    };
    let mut fixed = None;
    let (targets, mut problems, result) = if args.staged {
        let staged = StagedPosts::find(&site)?;
        let read = |file: &SourceFile| staged.read(file, &site);
        let mut all = staged.targets.clone();
        all.extend(staged.linkers.iter().cloned());
        let mut result = linter.lint_with(&all, &read);
        // Posts the commit does not touch are checked only for the links it breaks.
        result.diagnostics.retain(|d| {
            d.rule.name == "broken-post-link" || staged.targets.iter().any(|t| t.path == d.path)
        });
        (all, Vec::new(), result)
    } else {
        let (targets, mut problems) = linter.targets(&args.paths);
        let mut result = linter.lint(&targets);
        if args.fix {
            let done = linter.fix(&targets, &result.diagnostics);
            if done.findings > 0 {
                result = linter.lint(&targets);
            }
            problems.extend(done.problems.iter().cloned());
            fixed = Some(done);
        }
        (targets, problems, result)
    };
    problems.extend(result.unreadable);
    // `_data` files are read by the export's Liquid; one that does not parse stops it.
    let (_, data_errors) = crate::template::read_data(&site.root);
    problems.extend(data_errors.iter().map(ToString::to_string));
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
    let (mut out, color) = ctx.report_stdout();
    output::write(args.format, &report, &mut out, color)?;
    out.flush()?;
    Ok(outcome(
        &result.diagnostics,
        !problems.is_empty(),
        args.deny_warnings,
    ))
}

/// The site holding the named paths (or `--site`, or the current folder), and the rule levels of
/// this run: `carnet.toml`, then `--select` and `--ignore`.
fn site_and_settings(args: &LintArgs, ctx: &Context) -> anyhow::Result<(Site, Settings)> {
    let start = match args.paths.iter().find(|p| p.exists()) {
        Some(first) if first.is_dir() => first.as_path(),
        Some(first) => first.parent().unwrap_or(Path::new(".")),
        None => Path::new("."),
    };
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let (site, carnet) = if args.paths.is_empty() {
        ctx.site_and_settings()?
    } else {
        ctx.site_and_settings_at(start)?
    };
    let now = ctx.now(site.config.timezone);
    let settings = Settings::new(&carnet.lint, &args.select, &args.ignore, now)?;
    Ok((site, settings))
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
