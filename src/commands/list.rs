//! `carnet list`.

use crate::cli::ListArgs;
use crate::{Context, Outcome};

/// Runs `carnet list`.
pub fn run(_args: &ListArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet list` is not available yet")
}
