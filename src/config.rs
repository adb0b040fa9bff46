//! `carnet.toml`: carnet's own settings, beside Jekyll's `_config.yml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ConfigError;
use crate::lint::Severity;

/// The name of carnet's configuration file at the site root.
pub const FILE_NAME: &str = "carnet.toml";

/// Everything `carnet.toml` can hold; unknown keys are errors.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarnetConfig {
    /// `[lint]`: rule levels, required fields, field types.
    #[serde(default)]
    pub lint: LintConfig,
    /// `[new]`: scaffolding defaults.
    #[serde(default)]
    pub new: NewConfig,
}

/// The `[lint]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Front-matter fields every post must have (default: `title`).
    pub required: Option<Vec<String>>,
    /// Rule name to level (`off`, `info`, `warning`, `error`).
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
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

/// The `[new]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConfig {
    /// Template name under `_templates/` used when `--template` is not given.
    pub template: Option<String>,
    /// File extension for new posts (`md` or `markdown`).
    pub ext: Option<String>,
}

impl CarnetConfig {
    /// Reads `carnet.toml` in `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<CarnetConfig, ConfigError> {
        let path = root.join(FILE_NAME);
        let Some(text) = read_file(&path)? else {
            return Ok(Self::default());
        };
        let config: CarnetConfig =
            toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
        config.validate(&path, &text)?;
        Ok(config)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<(), ConfigError> {
        for name in self.lint.rules.keys() {
            if crate::lint::registry::find(name).is_none() {
                let offset = text.find(name.as_str()).unwrap_or(0);
                return Err(ConfigError::at(
                    path.to_path_buf(),
                    text,
                    offset,
                    format!("unknown rule `{name}` in [lint.rules] (see `carnet rules`)"),
                ));
            }
        }
        Ok(())
    }
}

/// Reads a configuration file (`carnet.toml`, `_config.yml`): `None` when there is none; an error
/// naming the place of the first byte that is not UTF-8, or saying that the path is not a file.
pub fn read_file(path: &Path) -> Result<Option<String>, ConfigError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ConfigError::io(path.to_path_buf(), e)),
    };
    // A FIFO would block the read: only a regular file is a configuration.
    if !meta.is_file() {
        return Err(ConfigError::io(
            path.to_path_buf(),
            std::io::Error::other("not a regular file"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| ConfigError::io(path.to_path_buf(), e))?;
    String::from_utf8(bytes).map(Some).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        ConfigError::at(
            path.to_path_buf(),
            &valid,
            offset,
            format!("not valid UTF-8 (byte offset {offset})"),
        )
    })
}

fn toml_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let offset = error.span().map_or(0, |s| s.start);
    ConfigError::at(
        PathBuf::from(path),
        text,
        offset,
        error.message().to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CarnetConfig, ConfigError> {
        let config: CarnetConfig =
            toml::from_str(text).map_err(|e| toml_error(Path::new("carnet.toml"), text, &e))?;
        config.validate(Path::new("carnet.toml"), text)?;
        Ok(config)
    }

    #[test]
    fn full_config_parses() {
        let config = parse(
            "[lint]\nrequired = [\"title\", \"date\"]\nknown_urls = [\"/feed.xml\"]\n[lint.rules]\ninsecure-link = \"warning\"\n[lint.fields.lang]\ntype = \"string\"\nallowed = [\"fr\", \"en\"]\n[new]\ntemplate = \"default\"\n",
        )
        .unwrap();
        assert_eq!(config.lint.required.unwrap(), ["title", "date"]);
        assert_eq!(config.lint.rules["insecure-link"], Level::Warning);
        assert_eq!(config.lint.fields["lang"].kind, Some(FieldType::String));
    }

    #[test]
    fn files_that_are_not_utf8_or_not_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_file(&dir.path().join(FILE_NAME)).unwrap().is_none());
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, b"[lint]\nrequired = [\"caf\xe9\"]\n").unwrap();
        let err = read_file(&path).unwrap_err();
        assert_eq!((err.line, err.column), (2, 17), "{err}");
        assert!(err.message.contains("byte offset 23"), "{err}");
        let err = read_file(dir.path()).unwrap_err();
        assert!(err.message.contains("not a regular file"), "{err}");
    }

    #[test]
    fn unknown_keys_and_rules_are_named() {
        let err = parse("[lint]\nrequire = []\n").unwrap_err();
        assert!(err.to_string().contains("require"), "{err}");
        assert!(err.to_string().contains(":2:"), "{err}");
        let err = parse("[lint.rules]\nno-such-rule = \"off\"\n").unwrap_err();
        assert!(err.to_string().contains("no-such-rule"), "{err}");
    }
}
