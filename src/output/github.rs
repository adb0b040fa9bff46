//! `--format github`: GitHub Actions workflow annotations, one `::error`, `::warning` or `::notice` line per finding.

use std::io::{self, Write};

use super::Report;
use crate::lint::Severity;
use crate::paths::display_path;

/// Writes one annotation per finding.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&display_path(&d.path)),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            escape_property(d.rule.name),
            escape_data(&d.message)
        )?;
    }
    Ok(())
}

/// Escapes an annotation's message as the runner expects: `%`, CR and LF.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(
            escape_data("50% done\r\nnext: a,b"),
            "50%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("dir:a,b/100%.md"), "dir%3Aa%2Cb/100%25.md");
    }
}
