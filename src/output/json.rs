//! `--format json`: one document with a summary and every finding.

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, Totals};
use crate::paths::display_path;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files_checked: usize,
    summary: Totals,
    diagnostics: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    fixable: bool,
}

/// Writes the JSON document.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: 1,
        files_checked: report.files_checked,
        summary: Totals::of(report.diagnostics),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| JsonFinding {
                path: display_path(&d.path),
                line: d.start.line,
                column: d.start.column,
                end_line: d.end.line,
                end_column: d.end.column,
                rule: d.rule.name,
                severity: d.severity.as_str(),
                message: &d.message,
                fixable: d.fix.is_some(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
