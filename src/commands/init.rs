//! `carnet init`.

use crate::cli::InitArgs;
use crate::{Context, Outcome};

/// Runs `carnet init`.
pub fn run(_args: &InitArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet init` is not available yet")
}
