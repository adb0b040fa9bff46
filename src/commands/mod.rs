//! One module per subcommand; each turns its arguments into an [`Outcome`].

pub mod lint;
pub mod rules;

use crate::cli::Command;
use crate::{Context, Outcome};

/// Runs a subcommand.
pub fn run(command: Command, ctx: &Context) -> anyhow::Result<Outcome> {
    match command {
        Command::Lint(args) => lint::run(&args, ctx),
        Command::Rules(args) => rules::run(&args, ctx),
        other => anyhow::bail!("`{}` is not available yet", subcommand_name(&other)),
    }
}

fn subcommand_name(command: &Command) -> &'static str {
    match command {
        Command::Lint(_) => "lint",
        Command::Rules(_) => "rules",
        Command::New(_) => "new",
        Command::Init(_) => "init",
        Command::Publish(_) => "publish",
        Command::Unpublish(_) => "unpublish",
        Command::List(_) => "list",
        Command::Tags(_) => "tags",
        Command::Export(_) => "export",
        Command::Doctor(_) => "doctor",
        Command::Completions(_) => "completions",
        Command::Man(_) => "man",
    }
}
