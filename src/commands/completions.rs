//! `carnet completions`.

use crate::cli::CompletionsArgs;
use crate::{Context, Outcome};

/// Runs `carnet completions`.
pub fn run(_args: &CompletionsArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet completions` is not available yet")
}
