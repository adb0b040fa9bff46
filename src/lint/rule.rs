//! What a rule is: a stable name, a default severity and the documentation `carnet rules` prints.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Fails the run only under `--deny-warnings`.
    Warning,
    /// Fails the run (exit 1).
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A lint rule's identity and documentation.
#[derive(Debug)]
pub struct Rule {
    /// Stable kebab-case name, used in configuration and suppressions.
    pub name: &'static str,
    /// Severity when the configuration says nothing.
    pub severity: Severity,
    /// Whether the rule runs when the configuration says nothing.
    pub enabled: bool,
    /// Whether `--fix` repairs its findings.
    pub fixable: bool,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Why it matters, in one paragraph.
    pub explanation: &'static str,
    /// A post excerpt that triggers it.
    pub bad: &'static str,
    /// The same excerpt, fixed.
    pub good: &'static str,
    /// markdownlint rules whose suppression comments also silence this rule.
    pub markdownlint: &'static [&'static str],
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Rule {}
