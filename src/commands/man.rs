//! `carnet man`: roff manual pages generated from the same clap definition as the parser.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::{Context, Outcome};

/// Prints `carnet.1` or one subcommand's page, or writes every page into `--out DIR`.
pub fn run(args: &ManArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    match &args.out {
        None => {
            let page = match &args.command {
                None => main_page()?,
                Some(name) => match subcommand_page(name)? {
                    Some(page) => page,
                    None => {
                        writeln!(
                            ctx.stderr(),
                            "{} no subcommand `{name}`; one of: {}",
                            crate::output::error_prefix(),
                            subcommand_names().join(", ")
                        )?;
                        return Ok(Outcome::Trouble);
                    }
                },
            };
            let mut out = std::io::stdout().lock();
            out.write_all(&page)?;
            out.flush()?;
        }
        Some(dir) => {
            let written = write_pages(dir)?;
            if !ctx.global.quiet {
                let mut out = ctx.stdout();
                for path in written {
                    writeln!(out, "{}", path.display())?;
                }
            }
        }
    }
    Ok(Outcome::Success)
}

/// The command tree as the man pages show it: built, so subcommands carry their `carnet-NAME` names.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The roff source of `carnet.1`.
pub fn main_page() -> anyhow::Result<Vec<u8>> {
    render(command())
}

/// The roff source of `carnet-NAME.1`, or `None` when there is no such subcommand.
pub fn subcommand_page(name: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let cmd = command();
    let found = cmd
        .get_subcommands()
        .find(|s| !s.is_hide_set() && s.get_name() == name);
    found.map(|sub| render(sub.clone())).transpose()
}

fn subcommand_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .map(|s| s.get_name().to_string())
        .collect()
}

/// Every page as (file name, roff source): `carnet.1`, then `carnet-SUBCOMMAND.1` in declaration order.
pub fn pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let cmd = command();
    let mut pages = vec![(file_name(&cmd), render(cmd.clone())?)];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push((file_name(sub), render(sub.clone())?));
    }
    Ok(pages)
}

/// Writes every page into `dir` (created when missing), each file atomically; returns the paths.
pub fn write_pages(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let mut written = Vec::new();
    for (name, page) in pages()? {
        let path = dir.join(name);
        crate::fs::write_atomic(&path, &page)?;
        written.push(path);
    }
    Ok(written)
}

fn file_name(cmd: &clap::Command) -> String {
    clap_mangen::Man::new(cmd.clone()).get_filename()
}

fn render(cmd: clap::Command) -> anyhow::Result<Vec<u8>> {
    let examples = cmd.get_after_help().map(ToString::to_string);
    let is_main = cmd.get_name() == "carnet";
    let mut page = Vec::new();
    // The examples get a proper EXAMPLES section with their lines kept, not clap_mangen's filled EXTRA.
    clap_mangen::Man::new(cmd.after_help(None))
        .source(format!("carnet {}", env!("CARGO_PKG_VERSION")))
        .manual("carnet manual")
        .render(&mut page)
        .context("cannot render the man page")?;
    let mut page = String::from_utf8(page).context("the man page is not UTF-8")?;
    let mut extra = String::new();
    if let Some(examples) = examples {
        extra.push_str(&examples_section(&examples));
    }
    if !is_main {
        extra.push_str(".SH \"SEE ALSO\"\ncarnet(1)\n");
    }
    let at = page.find("\n.SH VERSION").map_or(page.len(), |i| i + 1);
    page.insert_str(at, &extra);
    Ok(page.into_bytes())
}

/// An `after_help` example block as a roff section, its lines kept as written.
fn examples_section(text: &str) -> String {
    let mut section = String::from(".SH EXAMPLES\n.nf\n");
    for line in text.lines().skip_while(|l| l.trim_end().ends_with(':')) {
        let line = line.strip_prefix("  ").unwrap_or(line);
        section.push_str(&roff_line(line));
        section.push('\n');
    }
    section.push_str(".fi\n");
    section
}

/// Escapes a line of text for roff: backslashes, hyphens (so they are not hyphenation points) and a leading control character.
fn roff_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    if line.starts_with(['.', '\'']) {
        out.push_str("\\&");
    }
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_per_visible_subcommand() {
        let names: Vec<String> = pages().unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names[0], "carnet.1");
        assert!(names.contains(&"carnet-lint.1".to_string()));
        assert!(names.contains(&"carnet-man.1".to_string()));
        assert!(!names.iter().any(|n| n.contains("help")));
        assert_eq!(names.len(), 1 + Cli::command().get_subcommands().count());
    }

    #[test]
    fn examples_become_an_unfilled_section() {
        let section = examples_section("Examples:\n  carnet lint --fix   repair\n.hidden \\x");
        assert_eq!(
            section,
            ".SH EXAMPLES\n.nf\ncarnet lint \\-\\-fix   repair\n\\&.hidden \\ex\n.fi\n"
        );
    }
}
