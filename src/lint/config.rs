//! The `[lint]` table of `carnet.toml`: rule levels, required fields, field types.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::registry;
use super::rule::Severity;
use crate::error::ConfigError;

/// The `[lint]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Front-matter fields every post must have (default: `title`).
    pub required: Option<Vec<String>>,
    /// Rule name (with its place in the file) to level (`off`, `info`, `warning`, `error`).
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Level>,
    /// Per-field type and allowed values.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
    /// Site-internal URLs that plugins generate (`/feed.xml`), accepted by `broken-post-link`; a trailing `*` matches a prefix.
    #[serde(default)]
    pub known_urls: Vec<String>,
}

/// A rule level in `[lint.rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule does not run.
    Off,
    /// Reported as information.
    Info,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

impl Level {
    /// The severity this level reports at, or `None` when off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// `[lint.fields.NAME]`: the type a field must have and the values it may take.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The expected type.
    #[serde(rename = "type")]
    pub kind: Option<FieldType>,
    /// The values allowed (for a list field, each item must be one of them).
    pub allowed: Option<Vec<toml::Value>>,
    /// Whether the field groups posts like tags do: `tag-variant` checks its spellings.
    #[serde(default)]
    pub taxonomy: bool,
}

/// A front-matter field type checked by `field-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// A string.
    String,
    /// A list, or a space-separated string (as Jekyll accepts for tags).
    List,
    /// A date in one of Jekyll's forms.
    Date,
    /// `true` or `false`.
    Bool,
    /// An integer or a decimal number.
    Number,
}

impl LintConfig {
    /// Checks what the types cannot: every rule named in `[lint.rules]` exists.
    pub fn validate(&self, path: &Path, text: &str) -> Result<(), ConfigError> {
        for name in self.rules.keys() {
            if registry::find(name.get_ref()).is_none() {
                return Err(ConfigError::at(
                    path.to_path_buf(),
                    text,
                    name.span().start,
                    format!(
                        "unknown rule `{}` in [lint.rules] (see `carnet rules`)",
                        name.get_ref()
                    ),
                ));
            }
        }
        Ok(())
    }
}
