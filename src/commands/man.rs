//! `carnet man`.

use crate::cli::ManArgs;
use crate::{Context, Outcome};

/// Runs `carnet man`.
pub fn run(_args: &ManArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet man` is not available yet")
}
