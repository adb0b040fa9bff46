//! `carnet unpublish`: move a post back to `_drafts/`, without its `date:` line.
//!
//! A draft has no date (Jekyll dates drafts by their modification time), so the `date:` line goes
//! and a later `carnet publish` sets a fresh one; every other byte stays as it was.

use std::io::Write;

use anyhow::Context as _;

use super::new::refuse;
use super::publish::{edit_refusal, occupied, read, site_of};
use crate::cli::UnpublishArgs;
use crate::paths::display_path;
use crate::scaffold::edit::{self, EditError};
use crate::scaffold::{self, file_name};
use crate::site::date::FileName;
use crate::site::Kind;
use crate::{Context, Outcome};

/// Runs `carnet unpublish`.
pub fn run(args: &UnpublishArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let site = site_of(ctx, &args.post)?;
    let post = scaffold::locate(&site, &args.post, Kind::Post)?;
    let (bom, text) = read(&post.path)?;
    let text = match edit::remove_field(&text, "date") {
        Ok(text) => text,
        // Without front matter there is no date line to remove.
        Err(EditError::Missing) => text,
        Err(e) => return refuse(ctx, &edit_refusal(&post.path, &text, &e, "unpublish")),
    };
    let name = FileName::parse(post.rel.rsplit('/').next().unwrap_or(&post.rel));
    let rel = scaffold::moved_rel(
        &post.rel,
        "_posts",
        "_drafts",
        &file_name(None, &name.slug, &name.ext),
    );
    let target = site.root.join(&rel);
    let folder = target.parent().unwrap_or(&site.root);
    crate::fs::resolve_inside(&site.root, folder).with_context(|| display_path(folder))?;
    if let Some(refusal) = occupied(&target, &name.slug) {
        return refuse(ctx, &refusal);
    }
    scaffold::relocate(&post.path, &target, &[bom, text.as_bytes()].concat())?;
    let mut out = ctx.stdout();
    writeln!(out, "{}", display_path(&target))?;
    out.flush()?;
    Ok(Outcome::Success)
}
