//! What every subcommand shares: the global flags, the site, the clock, and the exit outcome.

use std::path::Path;

use anyhow::Context as _;
use chrono::{DateTime, FixedOffset};

use crate::cli::GlobalArgs;
use crate::config::CarnetConfig;
use crate::site::date::{parse_date, WrittenDate, Zone};
use crate::site::Site;

/// How a command ended, mapped to the process exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: nothing wrong.
    Success,
    /// Exit 1: the command worked and found problems (lint errors, a refusal to overwrite).
    Failure,
    /// Exit 2: bad usage, bad configuration, or files that could not be read.
    Trouble,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Failure => 1,
            Outcome::Trouble => 2,
        }
    }
}

/// The global flags, parsed once.
#[derive(Debug, Clone)]
pub struct Context {
    /// The flags as given.
    pub global: GlobalArgs,
    /// `--now`, read once.
    now: Option<WrittenDate>,
}

impl Context {
    /// Checks the global flags.
    pub fn new(global: GlobalArgs) -> anyhow::Result<Context> {
        let now = match &global.now {
            Some(now) => Some(parse_date(now).with_context(|| {
                format!("--now {now}: not a date (use YYYY-MM-DD or an RFC 3339 date-time)")
            })?),
            None => None,
        };
        Ok(Context { global, now })
    }

    /// The site named by `--site`, or the one holding the current folder.
    pub fn site(&self) -> anyhow::Result<Site> {
        Ok(self.site_and_settings()?.0)
    }

    /// The site named by `--site`, or the one holding the current folder, with its `carnet.toml`.
    pub fn site_and_settings(&self) -> anyhow::Result<(Site, CarnetConfig)> {
        let start = self.global.site.as_deref().unwrap_or(Path::new("."));
        if self.global.site.is_some() && !start.is_dir() {
            if start.is_file() {
                let folder = match start.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                };
                anyhow::bail!(
                    "--site {}: a file, not a folder; --site names the site's folder (`--site {}`)",
                    start.display(),
                    folder.display()
                );
            }
            anyhow::bail!("--site {}: no such folder", start.display());
        }
        load(start, self.global.site.is_some())
    }

    /// The site holding `start` (a folder), unless `--site` names one.
    pub fn site_at(&self, start: &Path) -> anyhow::Result<Site> {
        Ok(self.site_and_settings_at(start)?.0)
    }

    /// The site holding `start` (a folder), unless `--site` names one, with its `carnet.toml`.
    pub fn site_and_settings_at(&self, start: &Path) -> anyhow::Result<(Site, CarnetConfig)> {
        if self.global.site.is_some() {
            return self.site_and_settings();
        }
        load(start, false)
    }

    /// The current time in `zone`, or `--now` read in that zone.
    pub fn now(&self, zone: Zone) -> DateTime<FixedOffset> {
        match self.now {
            Some(written) => written.in_zone(zone),
            None => zone.now(),
        }
    }

    /// Whether stdout gets colours.
    pub fn color(&self) -> anstream::ColorChoice {
        self.global.color.stream()
    }

    /// Standard output, with colour escapes kept or stripped per `--color`, NO_COLOR and the terminal.
    pub fn stdout(&self) -> anstream::AutoStream<std::io::StdoutLock<'static>> {
        anstream::AutoStream::new(std::io::stdout().lock(), self.color())
    }

    /// Standard output for a long report, buffered, and whether colour escapes go into it.
    /// Without colour the report is written plain, not stripped: stripping parses every byte.
    pub fn report_stdout(&self) -> (Box<dyn std::io::Write>, bool) {
        let stdout = std::io::stdout();
        let choice = match self.color() {
            anstream::ColorChoice::Auto => anstream::AutoStream::choice(&stdout),
            chosen => chosen,
        };
        let buffered = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
        match choice {
            anstream::ColorChoice::Never => (Box::new(buffered), false),
            chosen => {
                let raw: Box<dyn std::io::Write> = Box::new(buffered);
                (Box::new(anstream::AutoStream::new(raw, chosen)), true)
            }
        }
    }

    /// Standard error, likewise.
    pub fn stderr(&self) -> anstream::AutoStream<std::io::StderrLock<'static>> {
        anstream::AutoStream::new(std::io::stderr().lock(), self.color())
    }
}

/// Every command reads `carnet.toml` with the site, so a mistake in it is reported whatever the command.
/// `given`: `start` is the folder `--site` names, so it must be the site's root.
fn load(start: &Path, given: bool) -> anyhow::Result<(Site, CarnetConfig)> {
    let site = match given {
        true => Site::discover_given(start)?,
        false => Site::discover(start)?,
    };
    let carnet = CarnetConfig::load(&site.root)?;
    Ok((site, carnet))
}
