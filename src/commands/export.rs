//! `carnet export`: the posts as JSON, JSON Feed, or a static HTML site.

use std::io::{IsTerminal, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{ExportArgs, ExportFormat};
use crate::render::dir::{Target, Updated};
use crate::render::html::{self, Templates};
use crate::render::{self, feed, json, ExportError};
use crate::site::Site;
use crate::{Context, Outcome};

/// Below this many posts an export is quick enough to need no progress bar.
const PROGRESS_THRESHOLD: usize = 200;

/// Runs `carnet export`.
pub fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    match export(args, ctx) {
        Ok(()) => Ok(Outcome::Success),
        Err(Failure::Export(error)) => {
            let (lines, outcome) = match &error {
                ExportError::Content(lines) => (lines.clone(), Outcome::Failure),
                ExportError::Refused(line) => (vec![line.clone()], Outcome::Failure),
                ExportError::Trouble(lines) => (lines.clone(), Outcome::Trouble),
            };
            let mut stderr = ctx.stderr();
            for line in lines {
                writeln!(stderr, "{} {line}", crate::output::error_prefix())?;
            }
            if matches!(error, ExportError::Content(_)) {
                writeln!(stderr, "carnet: nothing was written")?;
            }
            Ok(outcome)
        }
        Err(Failure::Other(error)) => Err(error),
    }
}

/// An export error with its exit code, or any other error (exit 2).
enum Failure {
    Export(ExportError),
    Other(anyhow::Error),
}

impl From<ExportError> for Failure {
    fn from(error: ExportError) -> Self {
        Failure::Export(error)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        match error.downcast::<ExportError>() {
            Ok(export) => Failure::Export(export),
            Err(other) => Failure::Other(other),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Other(error.into())
    }
}

fn export(args: &ExportArgs, ctx: &Context) -> Result<(), Failure> {
    // `-o -` is standard output, as for most tools.
    let output_path = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let single_page = args.format == ExportFormat::Html && output_path.is_none();
    if single_page && args.posts.len() != 1 {
        return Err(ExportError::trouble(
            "--format html writes a site into a folder: pass -o DIR (or name exactly one post to print its page)",
        )
        .into());
    }
    if args.fragment && !single_page {
        return Err(ExportError::trouble(
            "--fragment prints one post's body: use it with --format html, one post and no -o",
        )
        .into());
    }
    let site = site_for(args, ctx)?;
    let files = site.scan();
    if let (Some(path), ExportFormat::Json | ExportFormat::Jsonfeed) = (output_path, args.format) {
        crate::render::guard::check_output_file(path, &site, &files)?;
    }
    let output = match (args.format, output_path) {
        (ExportFormat::Json, _) => Output::Json,
        (ExportFormat::Jsonfeed, _) => Output::Feed,
        (ExportFormat::Html, Some(dir)) => Output::Site(
            Target::check(dir, &site, &files, args.force)?,
            Templates::load(args.templates.as_deref())?,
        ),
        (ExportFormat::Html, None) => Output::Page(Templates::load(args.templates.as_deref())?),
    };
    let options = render::Options {
        drafts: args.include.drafts,
        future: args.include.future,
        unpublished: args.include.unpublished,
        named: args.posts.clone(),
        base_url: args.base_url.clone(),
        highlight: !args.no_highlight,
        sanitize: args.sanitize,
        cache: !args.no_cache,
        now: ctx.now(site.config.timezone),
    };
    let progress = progress_bar(ctx, files.posts.len(), "rendering");
    let export = render::prepare(&site, &files, &options, &|| progress.inc(1))?;
    progress.finish_and_clear();
    let mut stderr = ctx.stderr();
    for warning in &export.warnings {
        writeln!(stderr, "{} {warning}", crate::output::warning_prefix())?;
    }
    if let Some(feed) = feed_without_url(&output, &export) {
        writeln!(
            stderr,
            "{} {feed} has relative ids and links because the site has no `url`: feed readers \
             need absolute ones; add url: \"https://your.site\" to _config.yml or pass --base-url",
            crate::output::warning_prefix()
        )?;
    }
    drop(stderr);

    match output {
        Output::Json => {
            emit(output_path, &json::document(&export))?;
        }
        Output::Feed => {
            emit(output_path, &feed::json_feed(&export, args.limit))?;
        }
        Output::Site(target, templates) => {
            let plan = html::Plan::new(&export, args.per_page)?;
            let settings = html::Limits {
                per_page: args.per_page,
                feed_limit: args.limit,
                heading_anchors: args.heading_anchors,
            };
            let progress = progress_bar(ctx, export.posts.len(), "writing");
            // From here on a temporary folder exists: Ctrl-C must let `build` remove it.
            crate::interrupt::install();
            let updated = target.build(|staging| {
                html::write_site(
                    &export,
                    &templates,
                    settings,
                    &plan,
                    &|rel, bytes| staging.write(rel, bytes),
                    &|| progress.inc(1),
                )
            })?;
            progress.finish_and_clear();
            if !ctx.global.quiet {
                report_update(ctx, target.path(), &updated)?;
                writeln!(
                    ctx.stderr(),
                    "carnet: exported {} post{} to {}",
                    export.posts.len(),
                    if export.posts.len() == 1 { "" } else { "s" },
                    target.path().display()
                )?;
            }
        }
        Output::Page(templates) => {
            if export.posts.is_empty() {
                return Err(ExportError::trouble("no post to export").into());
            }
            let page =
                html::standalone(&export, &templates, 0, args.fragment, args.heading_anchors)?;
            let mut out = std::io::stdout().lock();
            out.write_all(page.as_bytes())?;
            out.flush()?;
        }
    }
    // Freeing every rendered post took a tenth of a second at the end of a 10k export, on one
    // core, with the process about to exit: another thread does it, and the exit does not wait.
    rayon::spawn(move || drop(export));
    Ok(())
}

/// The feed this export writes while the site has no `url` to make its links absolute.
fn feed_without_url(output: &Output, export: &render::Export) -> Option<&'static str> {
    if export.site.url.is_some() {
        return None;
    }
    match output {
        Output::Feed => Some("the JSON Feed"),
        Output::Site(..) => Some("feed.xml (Atom)"),
        Output::Json | Output::Page(_) => None,
    }
}

/// What the export produces, decided (and checked) before any post is rendered.
enum Output {
    Json,
    Feed,
    Site(Target, Templates),
    Page(Templates),
}

/// Says what the new export kept of the previous one, and what it removed.
fn report_update(ctx: &Context, out: &Path, updated: &Updated) -> std::io::Result<()> {
    /// Enough names to recognise a mistake, few enough for a terminal.
    const SHOWN: usize = 10;
    let mut stderr = ctx.stderr();
    if !updated.kept.is_empty() {
        writeln!(
            stderr,
            "carnet: kept from the previous export: {}",
            updated.kept.join(", ")
        )?;
    }
    if updated.removed.is_empty() {
        return Ok(());
    }
    let count = updated.removed.len();
    let mut names = updated.removed[..count.min(SHOWN)].join(", ");
    if count > SHOWN {
        names.push_str(&format!(" and {} more", count - SHOWN));
    }
    writeln!(
        stderr,
        "carnet: removed {count} file{} of the previous export that this one does not write, from {}: {names} \
         (list a path under keep_files: in _config.yml to keep it)",
        if count == 1 { "" } else { "s" },
        out.display()
    )
}

/// Writes a JSON document to stdout, or atomically to a file.
fn emit(output: Option<&Path>, document: &impl serde::Serialize) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            if path.is_dir() {
                anyhow::bail!(
                    "{}: is a folder; -o takes a file for this format",
                    path.display()
                );
            }
            crate::fs::write_atomic(path, &json::to_vec(document))
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            json::write(&mut out, document)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// The site of the named posts (or `--site`, or the current folder).
fn site_for(args: &ExportArgs, ctx: &Context) -> anyhow::Result<Site> {
    if ctx.global.site.is_none() {
        if let Some(first) = args.posts.iter().find(|p| p.is_file()) {
            let start = match first.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            return ctx.site_at(start);
        }
    }
    ctx.site()
}

/// A progress bar on stderr, only for long exports on a terminal and never with `--quiet`.
fn progress_bar(ctx: &Context, len: usize, message: &'static str) -> ProgressBar {
    if ctx.global.quiet || len < PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}
