//! `carnet doctor`: the site's set-up checked, one finding per line, with a verdict and an exit code.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use crate::cli::DoctorArgs;
use crate::doctor::{self, Checkup, Verdict};
use crate::{Context, Outcome};

/// Examines the site; exits 0 when nothing is a problem, 1 when something is, a post that cannot be
/// read included.
pub fn run(_args: &DoctorArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let site = ctx.site()?;
    let checkup = doctor::examine(&site, ctx.now(site.config.timezone));
    let mut out = ctx.stdout();
    write(&checkup, ctx.global.quiet, &mut out)?;
    out.flush()?;
    Ok(if checkup.has_problems() {
        Outcome::Failure
    } else {
        Outcome::Success
    })
}

fn style(verdict: Verdict) -> Style {
    let color = match verdict {
        Verdict::Ok => AnsiColor::Green,
        Verdict::Note => AnsiColor::Cyan,
        Verdict::Problem => AnsiColor::Red,
    };
    Style::new()
        .fg_color(Some(anstyle::Color::Ansi(color)))
        .bold()
}

/// Writes one line per finding (problems and notes only when `quiet`), then a verdict line.
pub fn write(checkup: &Checkup, quiet: bool, out: &mut dyn Write) -> std::io::Result<()> {
    for finding in &checkup.findings {
        if quiet && finding.verdict == Verdict::Ok {
            continue;
        }
        let style = style(finding.verdict);
        writeln!(
            out,
            "{style}{:<7}{style:#}  {}",
            finding.verdict.as_str(),
            finding.message
        )?;
    }
    if quiet {
        return Ok(());
    }
    let (problems, notes) = (
        checkup.count(Verdict::Problem),
        checkup.count(Verdict::Note),
    );
    let bold = Style::new().bold();
    let notes = match notes {
        0 => String::new(),
        1 => ", 1 note".to_string(),
        n => format!(", {n} notes"),
    };
    match problems {
        0 => writeln!(out, "\n{bold}No problems{bold:#}{notes}."),
        1 => writeln!(out, "\n{bold}1 problem{bold:#}{notes}."),
        n => writeln!(out, "\n{bold}{n} problems{bold:#}{notes}."),
    }
}
