//! `--format human`: each finding with its source line underlined, then a summary.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

use super::{Report, Totals};
use crate::lint::Severity;
use crate::paths::display_path;
use crate::text::plural;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::BrightBlue)));

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new()
        .fg_color(Some(anstyle::Color::Ansi(color)))
        .bold()
}

/// Writes every finding and the summary line (colour codes are stripped by the caller's stream when off).
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let style = severity_style(d.severity);
        writeln!(
            out,
            "{style}{}{style:#}{BOLD}[{}]: {}{BOLD:#}",
            d.severity, d.rule.name, d.message
        )?;
        let gutter = d.start.line.to_string().len();
        let pad = " ".repeat(gutter);
        writeln!(
            out,
            "{pad}{DIM}-->{DIM:#} {}:{}:{}",
            display_path(&d.path),
            d.start.line,
            d.start.column
        )?;
        let line = d.line_text.replace('\t', "    ");
        writeln!(out, "{pad} {DIM}|{DIM:#}")?;
        writeln!(out, "{DIM}{} |{DIM:#} {}", d.start.line, line.trim_end())?;
        // Columns of `line_text`, which may be only a part of a long line.
        let shown = |column: usize| (column + 1).saturating_sub(d.line_column).max(1);
        let (indent, width) = underline(
            &d.line_text,
            shown(d.start.column),
            shown(d.end.column),
            d.start.line == d.end.line,
        );
        writeln!(
            out,
            "{pad} {DIM}|{DIM:#} {}{style}{}{style:#}",
            " ".repeat(indent),
            "^".repeat(width)
        )?;
        writeln!(out)?;
    }
    if report.summary {
        write_summary(report, out)?;
    }
    Ok(())
}

/// Display columns before the span and the span's display width (at least one caret).
fn underline(
    line: &str,
    start_column: usize,
    end_column: usize,
    same_line: bool,
) -> (usize, usize) {
    let expanded = |s: &str| s.replace('\t', "    ");
    let before: String = line.chars().take(start_column.saturating_sub(1)).collect();
    let indent = expanded(&before).width();
    let span: String = if same_line {
        line.chars()
            .skip(start_column.saturating_sub(1))
            .take(end_column.saturating_sub(start_column))
            .collect()
    } else {
        line.chars().skip(start_column.saturating_sub(1)).collect()
    };
    (indent, expanded(&span).width().max(1))
}

fn write_summary(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let Totals {
        error,
        warning,
        info,
    } = Totals::of(report.diagnostics);
    let files = format!("{} checked", plural(report.files_checked, "file"));
    if error + warning + info == 0 {
        // Nothing checked because nothing could be read is not "no problems".
        if report.files_checked > 0 || report.unreadable == 0 {
            writeln!(out, "{BOLD}No problems{BOLD:#} in {files}.")?;
        }
    } else {
        let mut parts = Vec::new();
        for (count, word) in [(error, "error"), (warning, "warning"), (info, "info")] {
            if count > 0 {
                parts.push(if word == "info" {
                    format!("{count} info")
                } else {
                    plural(count, word)
                });
            }
        }
        let fixable = report
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .count();
        write!(out, "{BOLD}Found {}{BOLD:#} in {files}", parts.join(", "))?;
        if fixable > 0 {
            write!(out, " ({fixable} fixable with --fix)")?;
        }
        writeln!(out, ".")?;
    }
    if report.unreadable > 0 {
        writeln!(
            out,
            "{} could not be read.",
            plural(report.unreadable, "file")
        )?;
    }
    if report.unfixed > 0 {
        writeln!(
            out,
            "{} could not be fixed.",
            plural(report.unfixed, "file")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underline_counts_display_width() {
        assert_eq!(underline("ab [x]()", 4, 9, true), (3, 5));
        assert_eq!(underline("日本 [x]()", 4, 9, true), (5, 5));
        assert_eq!(underline("\t[x]()", 2, 7, true), (4, 5));
        assert_eq!(underline("x", 1, 1, true), (0, 1));
    }
}
