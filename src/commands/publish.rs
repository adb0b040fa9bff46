//! `carnet publish`: move a draft to `_posts/` with a date, every other byte of it kept.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use serde_yaml::Value;

use super::new::refuse;
use crate::cli::PublishArgs;
use crate::paths::display_path;
use crate::scaffold::draft::post_date;
use crate::scaffold::edit::{self, EditError, Place};
use crate::scaffold::{self, file_name, format_date};
use crate::site::{Kind, Site};
use crate::source::LineIndex;
use crate::{Context, Outcome};

/// Runs `carnet publish`.
pub fn run(args: &PublishArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let site = site_of(ctx, &args.draft)?;
    let draft = scaffold::locate(&site, &args.draft, Kind::Draft)?;
    let (bom, text) = read(&draft.path)?;
    let date = post_date(
        args.date.as_deref(),
        site.config.timezone,
        ctx.now(site.config.timezone),
    )?;
    let written = format_date(date);
    let text = match edit::set_field(
        &text,
        "date",
        &written,
        &Value::String(written.clone()),
        Place::After(&["title"]),
    ) {
        Ok(text) => text,
        Err(e) => return refuse(ctx, &edit_refusal(&draft.path, &text, &e, "publish")),
    };
    let stem = stem_of(&draft.rel);
    let ext = draft.rel.rsplit_once('.').map_or("md", |(_, ext)| ext);
    let day = date.date_naive();
    let rel = scaffold::moved_rel(
        &draft.rel,
        "_drafts",
        "_posts",
        &file_name(Some(day), stem, ext),
    );
    let target = site.root.join(&rel);
    let folder = target.parent().unwrap_or(&site.root);
    crate::fs::resolve_inside(&site.root, folder).with_context(|| display_path(folder))?;
    if let Some(refusal) = occupied(&target, &format!("{}-{stem}", day.format("%Y-%m-%d"))) {
        return refuse(ctx, &refusal);
    }
    let post = crate::post::Post::from_text(site.source_file(&target), text.clone(), &site);
    if let Some((url, other)) = scaffold::url_taken(&site, &post) {
        return refuse(
            ctx,
            &format!(
                "the post's URL {url} is already the URL of {}; Jekyll would keep only one of them",
                display_path(&other.path)
            ),
        );
    }
    scaffold::relocate(&draft.path, &target, &[bom, text.as_bytes()].concat())?;
    let mut out = ctx.stdout();
    writeln!(out, "{}", display_path(&target))?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// The site holding `path` (or `--site`, or the current folder's).
pub fn site_of(ctx: &Context, path: &Path) -> anyhow::Result<Site> {
    if ctx.global.site.is_none() {
        if let Some(parent) = path
            .parent()
            .filter(|p| path.exists() && !p.as_os_str().is_empty())
        {
            return ctx.site_at(parent);
        }
    }
    ctx.site()
}

/// The file's text without its byte-order mark, and the mark, to put back.
pub fn read(path: &Path) -> anyhow::Result<(&'static [u8], String)> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not valid UTF-8 (byte offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}".as_bytes(), rest.to_string()),
        None => (b"", text),
    })
}

/// The file name without its extension.
pub fn stem_of(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Why `target` (or a sibling with the same stem in another Markdown extension) cannot be created.
pub fn occupied(target: &Path, stem: &str) -> Option<String> {
    let dir = target.parent()?;
    let existing = scaffold::taken(dir, stem)?;
    Some(if existing == target {
        format!(
            "{} already exists; carnet never overwrites a file",
            display_path(target)
        )
    } else {
        format!(
            "{} already exists with the same name in another extension; Jekyll would keep only one of them",
            display_path(&existing)
        )
    })
}

/// A front matter that cannot be edited, as a refusal naming the file and, when known, the line.
pub fn edit_refusal(path: &Path, text: &str, error: &EditError, verb: &str) -> String {
    let position = error.offset().map_or(String::new(), |offset| {
        let at = LineIndex::new(text).position(text, offset);
        format!(":{}:{}", at.line, at.column)
    });
    format!(
        "{}{position}: cannot {verb}: {error}; the file is unchanged",
        display_path(path)
    )
}
