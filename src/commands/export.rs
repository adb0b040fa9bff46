//! `carnet export`.

use crate::cli::ExportArgs;
use crate::{Context, Outcome};

/// Runs `carnet export`.
pub fn run(_args: &ExportArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet export` is not available yet")
}
