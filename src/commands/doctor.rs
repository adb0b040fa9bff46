//! `carnet doctor`.

use crate::cli::DoctorArgs;
use crate::{Context, Outcome};

/// Runs `carnet doctor`.
pub fn run(_args: &DoctorArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    anyhow::bail!("`carnet doctor` is not available yet")
}
