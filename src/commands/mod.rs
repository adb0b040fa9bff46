//! One module per subcommand; each turns its arguments into an [`Outcome`].

pub mod completions;
pub mod doctor;
pub mod export;
pub mod init;
pub mod lint;
pub mod list;
pub mod lsp;
pub mod man;
pub mod new;
pub mod publish;
pub mod rules;
pub mod serve;
pub mod tags;
pub mod unpublish;

use crate::cli::Command;
use crate::{Context, Outcome};

/// Runs a subcommand.
pub fn run(command: Command, ctx: &Context) -> anyhow::Result<Outcome> {
    match command {
        Command::Lint(args) => lint::run(&args, ctx),
        Command::Rules(args) => rules::run(&args, ctx),
        Command::New(args) => new::run(&args, ctx),
        Command::Init(args) => init::run(&args, ctx),
        Command::Publish(args) => publish::run(&args, ctx),
        Command::Unpublish(args) => unpublish::run(&args, ctx),
        Command::List(args) => list::run(&args, ctx),
        Command::Tags(args) => tags::run(&args, ctx),
        Command::Export(args) => export::run(&args, ctx),
        Command::Doctor(args) => doctor::run(&args, ctx),
        Command::Completions(args) => completions::run(&args, ctx),
        Command::Man(args) => man::run(&args, ctx),
        Command::Lsp(args) => lsp::run(&args, ctx),
        Command::Serve(args) => serve::run(&args, ctx),
    }
}
