//! carnet: a fast command-line toolkit for Jekyll-style Markdown blogs.
//!
//! Data flows one way: find the site's files, read each post once into the [`post::Post`] model,
//! then check ([`lint`]), list, render or write, and print through one output module.

pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod doctor;
pub mod error;
pub mod escape;
pub mod fs;
pub mod git;
pub mod interrupt;
pub mod lint;
pub mod liquid;
pub mod listing;
pub mod lsp;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod post;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod template;
pub mod text;

pub use context::{Context, Outcome};

/// Runs a parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    let ctx = Context::new(cli.global)?;
    commands::run(cli.command, &ctx)
}
