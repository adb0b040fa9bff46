//! `--format human`: each finding with its source line underlined, then a summary.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::{Report, Totals};
use crate::lint::{Diagnostic, Severity};
use crate::paths::display_path;
use crate::text::plural;

/// The styles of the report: plain ones write nothing, so a report without colour has no escape
/// to strip.
struct Styles {
    bold: Style,
    dim: Style,
    color: bool,
}

impl Styles {
    fn new(color: bool) -> Styles {
        let on = |style: Style| if color { style } else { Style::new() };
        Styles {
            bold: on(Style::new().bold()),
            dim: on(Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::BrightBlue)))),
            color,
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        if !self.color {
            return Style::new();
        }
        let color = match severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
            Severity::Info => AnsiColor::Cyan,
        };
        Style::new()
            .fg_color(Some(anstyle::Color::Ansi(color)))
            .bold()
    }
}

/// Findings formatted per block, in parallel, then written in order: a site-wide report can hold
/// tens of thousands of them.
const BLOCK: usize = 256;

/// Writes every finding and the summary line; `color`: with colour escapes.
pub fn write(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let styles = Styles::new(color);
    let blocks: Vec<Vec<u8>> = report
        .diagnostics
        .par_chunks(BLOCK)
        .map(|block| {
            let mut text = Vec::with_capacity(block.len() * 256);
            for d in block {
                write_finding(d, &styles, &mut text)?;
            }
            Ok(text)
        })
        .collect::<io::Result<_>>()?;
    for block in blocks {
        out.write_all(&block)?;
    }
    if report.summary {
        write_summary(report, out, &styles)?;
    }
    Ok(())
}

/// One finding: its heading, its place, its source line with the span underlined.
fn write_finding(d: &Diagnostic, styles: &Styles, out: &mut Vec<u8>) -> io::Result<()> {
    let Styles { bold, dim, .. } = styles;
    let style = styles.severity(d.severity);
    writeln!(
        out,
        "{style}{}{style:#}{bold}[{}]: {}{bold:#}",
        d.severity, d.rule.name, d.message
    )?;
    let gutter = d.start.line.to_string().len();
    let pad = " ".repeat(gutter);
    writeln!(
        out,
        "{pad}{dim}-->{dim:#} {}:{}:{}",
        display_path(&d.path),
        d.start.line,
        d.start.column
    )?;
    let line = d.line_text.replace('\t', "    ");
    writeln!(out, "{pad} {dim}|{dim:#}")?;
    writeln!(out, "{dim}{} |{dim:#} {}", d.start.line, line.trim_end())?;
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
        "{pad} {dim}|{dim:#} {}{style}{}{style:#}",
        " ".repeat(indent),
        "^".repeat(width)
    )?;
    writeln!(out)
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

fn write_summary(report: &Report, out: &mut dyn Write, styles: &Styles) -> io::Result<()> {
    let bold = styles.bold;
    let Totals {
        error,
        warning,
        info,
    } = Totals::of(report.diagnostics);
    let files = format!("{} checked", plural(report.files_checked, "file"));
    if error + warning + info == 0 {
        // Nothing checked because nothing could be read is not "no problems".
        if report.files_checked > 0 || report.unreadable == 0 {
            writeln!(out, "{bold}No problems{bold:#} in {files}.")?;
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
        write!(out, "{bold}Found {}{bold:#} in {files}", parts.join(", "))?;
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

    fn finding(line: usize) -> Diagnostic {
        Diagnostic {
            path: "_posts/2020-01-01-a.md".into(),
            rule: crate::lint::registry::RULES[line % 3],
            severity: Severity::Warning,
            message: format!("finding {line}"),
            span: 0..1,
            start: crate::source::Position { line, column: 1 },
            end: crate::source::Position { line, column: 2 },
            line_text: format!("line {line}"),
            line_column: 1,
            fix: None,
        }
    }

    #[test]
    fn a_report_of_many_blocks_keeps_its_order_and_has_no_escapes_without_colour() {
        let diagnostics: Vec<Diagnostic> = (1..=3 * BLOCK + 7).map(finding).collect();
        let report = Report {
            diagnostics: &diagnostics,
            files_checked: 1,
            unreadable: 0,
            unfixed: 0,
            summary: false,
        };
        let mut whole = Vec::new();
        write(&report, &mut whole, false).unwrap();
        let mut one_by_one = Vec::new();
        for d in &diagnostics {
            write_finding(d, &Styles::new(false), &mut one_by_one).unwrap();
        }
        assert_eq!(whole, one_by_one);
        assert!(!whole.contains(&0x1b));
        let mut coloured = Vec::new();
        write(&report, &mut coloured, true).unwrap();
        assert!(coloured.contains(&0x1b));
    }

    #[test]
    fn underline_counts_display_width() {
        assert_eq!(underline("ab [x]()", 4, 9, true), (3, 5));
        assert_eq!(underline("日本 [x]()", 4, 9, true), (5, 5));
        assert_eq!(underline("\t[x]()", 2, 7, true), (4, 5));
        assert_eq!(underline("x", 1, 1, true), (0, 1));
    }
}
