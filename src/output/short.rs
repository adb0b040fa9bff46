//! `--format short`: `path:line:col: severity[rule] message`, one finding per line.

use std::io::{self, Write};

use super::Report;
use crate::lint::Diagnostic;
use crate::paths::display_path;

/// Writes one line per finding.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        writeln!(out, "{}", line(d))?;
    }
    Ok(())
}

/// One finding as `path:line:col: severity[rule] message`.
pub fn line(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        display_path(&d.path),
        d.start.line,
        d.start.column,
        d.severity,
        d.rule.name,
        d.message
    )
}
