//! `carnet completions SHELL`: a completion script generated from the same clap definition as the parser.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::{Context, Outcome};

/// Prints the completion script for the chosen shell.
pub fn run(args: &CompletionsArgs, _ctx: &Context) -> anyhow::Result<Outcome> {
    // A plain stdout: colour handling must never touch a shell script. The script is built in memory
    // first because clap_complete panics on a failed write, and `| head` must stay a quiet exit.
    let mut out = std::io::stdout().lock();
    out.write_all(&script(args.shell))?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
        Shell::Elvish => clap_complete::Shell::Elvish,
    };
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "carnet", &mut buf);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_script_completes_subcommands_and_their_flags() {
        let script = String::from_utf8(script(Shell::Bash)).unwrap();
        assert!(script.contains("_carnet()"));
        assert!(script.contains("--deny-warnings"));
        assert!(script.contains("carnet__subcmd__doctor"));
    }
}
