//! `carnet unpublish`.

use crate::cli::UnpublishArgs;
use crate::{Context, Outcome};

/// Runs `carnet unpublish`.
pub fn run(_args: &UnpublishArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet unpublish` is not available yet")
}
