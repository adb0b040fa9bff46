//! `carnet tags`.

use crate::cli::TagsArgs;
use crate::{Context, Outcome};

/// Runs `carnet tags`.
pub fn run(_args: &TagsArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet tags` is not available yet")
}
