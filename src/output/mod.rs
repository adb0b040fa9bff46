//! Printers for lint findings: one module per format, all over the same [`Diagnostic`] list.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;

use std::io::{self, Write};

use crate::cli::LintFormat;
use crate::lint::{Diagnostic, Severity};

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// Error-level findings.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Information.
    pub info: usize,
}

impl Totals {
    /// Counts the findings.
    pub fn of(diagnostics: &[Diagnostic]) -> Totals {
        let mut summary = Totals::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Info => summary.info += 1,
            }
        }
        summary
    }
}

/// What a report covers.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The findings, sorted.
    pub diagnostics: &'a [Diagnostic],
    /// How many files were checked.
    pub files_checked: usize,
    /// How many files could not be read.
    pub unreadable: usize,
    /// How many files `--fix` could not rewrite (a link out of the site, a failed write).
    pub unfixed: usize,
    /// Whether the human format ends with its summary lines (not under `--quiet`).
    pub summary: bool,
}

const ERROR_STYLE: anstyle::Style = anstyle::Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Red)));
const WARNING_STYLE: anstyle::Style = anstyle::Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Yellow)));

/// `carnet: error:` before carnet's own messages, coloured like clap's (the stream strips it when off).
pub fn error_prefix() -> String {
    format!("carnet: {ERROR_STYLE}error:{ERROR_STYLE:#}")
}

/// `carnet: warning:`, likewise.
pub fn warning_prefix() -> String {
    format!("carnet: {WARNING_STYLE}warning:{WARNING_STYLE:#}")
}

/// Writes a report in the chosen format; `color`: the human format's colour escapes go in.
pub fn write(
    format: LintFormat,
    report: &Report,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    match format {
        LintFormat::Human => human::write(report, out, color),
        LintFormat::Short => short::write(report, out),
        LintFormat::Json => json::write(report, out),
        LintFormat::Github => github::write(report, out),
        LintFormat::Sarif => sarif::write(report, out),
    }
}
