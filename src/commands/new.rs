//! `carnet new`: scaffold a post (or a draft) that `carnet lint` finds nothing wrong with.
//!
//! Everything is decided and checked before anything is written ([`crate::scaffold::draft`]), then
//! the lint rules run on the text. The file is created without ever replacing one, so two runs
//! racing for the same name cannot both win.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::cli::NewArgs;
use crate::config::CarnetConfig;
use crate::lint::{self, Settings, Severity};
use crate::paths::display_path;
use crate::post::Post;
use crate::scaffold::draft::{exists_message, Draft, Request};
use crate::site::Site;
use crate::{Context, Outcome};

/// Runs `carnet new`.
pub fn run(args: &NewArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let (site, carnet) = ctx.site_and_settings()?;
    let title = match &args.title {
        Some(title) => title.clone(),
        None => ask_title()?,
    };
    let tags_typed;
    let tags = if args.title.is_none() && args.tags.is_empty() {
        tags_typed = ask("Tags (comma-separated, Enter for none): ")?
            .split(',')
            .map(str::to_string)
            .collect::<Vec<_>>();
        &tags_typed
    } else {
        &args.tags
    };
    let request = Request {
        title: &title,
        tags,
        categories: &args.categories,
        slug: args.slug.as_deref(),
        ext: args.ext.as_deref(),
        date: args.date.as_deref(),
        now: ctx.now(site.config.timezone),
        draft: args.draft,
        layout: args.layout.as_deref(),
        fields: &args.fields,
        template: args.template.as_deref(),
    };
    let draft = Draft::new(&request, &site, &carnet.new)?;
    let dir = site.root.join(draft.folder());
    // `_posts/` or `_drafts/` may be a symbolic link: follow it only if it stays in the site.
    crate::fs::resolve_inside(&site.root, &dir).with_context(|| display_path(&dir))?;
    let target = dir.join(&draft.file_name);
    let text = draft.text(&request, &site, &carnet.new, &required_fields(&carnet))?;
    if let Some(refusal) = draft.conflict(&site, &dir, &text) {
        return refuse(ctx, &refusal);
    }
    if let Some(refusal) = lint_errors(&site, &carnet, &draft, &target, &text, ctx) {
        return refuse(ctx, &refusal);
    }
    let mut out = ctx.stdout();
    if args.dry_run {
        writeln!(out, "{}", display_path(&target))?;
        out.write_all(text.as_bytes())?;
        out.flush()?;
        return Ok(Outcome::Success);
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    match crate::fs::create_new(&target, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return refuse(ctx, &exists_message(&target));
        }
        Err(e) => return Err(e).with_context(|| format!("{}: cannot create", target.display())),
    }
    writeln!(out, "{}", display_path(&target))?;
    out.flush()?;
    drop(out);
    if args.edit {
        open_editor(&target)?;
    }
    Ok(Outcome::Success)
}

/// Prints a refusal (nothing was written) and ends with exit code 1.
pub fn refuse(ctx: &Context, message: &str) -> anyhow::Result<Outcome> {
    writeln!(ctx.stderr(), "{} {message}", crate::output::error_prefix())?;
    Ok(Outcome::Failure)
}

/// The lint errors of the new post, as a refusal message listing them.
fn lint_errors(
    site: &Site,
    carnet: &CarnetConfig,
    draft: &Draft,
    target: &Path,
    text: &str,
    ctx: &Context,
) -> Option<String> {
    let settings = Settings::new(&carnet.lint, &[], &[], ctx.now(site.config.timezone)).ok()?;
    let mut file = draft.source_file(site);
    file.path = PathBuf::from(target);
    let post = Post::from_text(file, text.to_string(), site);
    let report = lint::check_post(&post, site, &settings);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("  {}", crate::output::short::line(d)))
        .collect();
    (!errors.is_empty()).then(|| {
        format!(
            "the new post would not pass `carnet lint`, so it was not written:\n{}",
            errors.join("\n")
        )
    })
}

fn required_fields(carnet: &CarnetConfig) -> Vec<String> {
    carnet
        .lint
        .required
        .clone()
        .unwrap_or_else(|| vec!["title".to_string()])
}

fn ask_title() -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no TITLE given: pass the post's title, as in `carnet new \"A title\"`");
    }
    let title = ask("Title: ")?;
    if title.is_empty() {
        bail!("no title given");
    }
    Ok(title)
}

/// Asks a question on stderr and reads the answer, trimmed, from stdin (empty at end of input).
pub(super) fn ask(question: &str) -> anyhow::Result<String> {
    let mut stderr = std::io::stderr().lock();
    write!(stderr, "{question}")?;
    stderr.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

/// Opens `$VISUAL`, else `$EDITOR`, on the file and waits for it to close.
fn open_editor(path: &Path) -> anyhow::Result<()> {
    let Some((var, editor)) = ["VISUAL", "EDITOR"].iter().find_map(|var| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(|v| (*var, v))
    }) else {
        bail!(
            "--edit: set $VISUAL or $EDITOR to the editor to open ({} was created)",
            display_path(path)
        );
    };
    let shown = editor.to_string_lossy().into_owned();
    let kept = format!("{} was created and is kept", display_path(path));
    let status = editor_command(&editor, path)
        .status()
        .with_context(|| format!("could not start the editor `{shown}` (from ${var}); {kept}"))?;
    // The shell reports a command it cannot find or run with 127 or 126.
    if cfg!(unix) && matches!(status.code(), Some(126 | 127)) {
        bail!("could not start the editor `{shown}` (from ${var}): not found or not executable; {kept}");
    }
    if !status.success() {
        bail!("the editor `{shown}` (from ${var}) exited with {status}; {kept}");
    }
    Ok(())
}

/// The editor's command: through `sh` on Unix so that `$EDITOR` may hold arguments (`code --wait`).
fn editor_command(editor: &std::ffi::OsStr, path: &Path) -> std::process::Command {
    if cfg!(unix) {
        let mut script = editor.to_os_string();
        script.push(" \"$@\"");
        let mut command = std::process::Command::new("sh");
        command.arg("-c").arg(script).arg("sh").arg(path);
        command
    } else {
        let mut command = std::process::Command::new(editor);
        command.arg(path);
        command
    }
}
