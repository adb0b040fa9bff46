//! `carnet lsp`: the language server over stdio, with the site loaded as every command loads it.

use crate::cli::LspArgs;
use crate::lint::Settings;
use crate::lsp::{serve, Host};
use crate::{Context, Outcome};

/// Serves the editor until it shuts the server down.
pub fn run(_args: &LspArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let host = Host {
        load: Box::new(|folder| {
            let (site, carnet) = ctx.site_and_settings_at(folder)?;
            let settings = Settings::new(&carnet.lint, &[], &[], ctx.now(site.config.timezone))?;
            Ok((site, settings))
        }),
        now: Box::new(|zone| ctx.now(zone)),
    };
    serve(&connection, host)?;
    drop(connection);
    io_threads.join()?;
    Ok(Outcome::Success)
}
