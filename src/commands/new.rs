//! `carnet new`.

use crate::cli::NewArgs;
use crate::{Context, Outcome};

/// Runs `carnet new`.
pub fn run(_args: &NewArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet new` is not available yet")
}
