//! A finding: a rule, a severity, a message and where it is, with an optional safe fix.

use std::ops::Range;
use std::path::PathBuf;

use super::rule::{Rule, Severity};
use crate::source::Position;

/// One finding in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The file, as given or found.
    pub path: PathBuf,
    /// The rule that found it.
    pub rule: &'static Rule,
    /// Its severity after configuration.
    pub severity: Severity,
    /// What is wrong, in plain words.
    pub message: String,
    /// Byte span in the file's text (BOM excluded).
    pub span: Range<usize>,
    /// Where the span starts.
    pub start: Position,
    /// Where the span ends (exclusive column).
    pub end: Position,
    /// The text of the start line, for human output; for a long line, only the part around the
    /// finding, with `…` where it was cut.
    pub line_text: String,
    /// The column of the line that `line_text` starts at (1, unless a long line was cut).
    pub line_column: usize,
    /// A safe repair, when the rule has one.
    pub fix: Option<Fix>,
}

/// Replacements that repair a finding without changing anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Non-overlapping edits of the file's text.
    pub edits: Vec<Edit>,
}

/// Replace a byte range of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The range replaced.
    pub range: Range<usize>,
    /// The new text.
    pub replacement: String,
}

impl Diagnostic {
    /// The order in which diagnostics are printed: path, line, column, rule.
    pub fn sort_key(&self) -> (&PathBuf, Position, &'static str) {
        (&self.path, self.start, self.rule.name)
    }
}
