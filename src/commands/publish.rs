//! `carnet publish`.

use crate::cli::PublishArgs;
use crate::{Context, Outcome};

/// Runs `carnet publish`.
pub fn run(_args: &PublishArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet publish` is not available yet")
}
