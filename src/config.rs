//! `carnet.toml`: carnet's own settings, beside Jekyll's `_config.yml`. Each table belongs to the
//! feature it configures; this file only puts them together.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ConfigError;
use crate::lint::config::LintConfig;
use crate::scaffold::NewConfig;
use crate::site::{self, CARNET_TOML};

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

impl CarnetConfig {
    /// Reads `carnet.toml` in `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<CarnetConfig, ConfigError> {
        let path = root.join(CARNET_TOML);
        let Some(text) = site::read_config_file(&path)? else {
            return Ok(Self::default());
        };
        parse(&path, &text)
    }
}

fn parse(path: &Path, text: &str) -> Result<CarnetConfig, ConfigError> {
    let config: CarnetConfig = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    config.lint.validate(path, text)?;
    Ok(config)
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
    use crate::lint::config::{FieldType, Level};

    fn parse(text: &str) -> Result<CarnetConfig, ConfigError> {
        super::parse(Path::new("carnet.toml"), text)
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
    fn unknown_keys_and_rules_are_named_at_their_place() {
        let err = parse("[lint]\nrequire = []\n").unwrap_err();
        assert!(err.to_string().contains("require"), "{err}");
        assert!(err.to_string().contains(":2:"), "{err}");
        // The name also appears in a comment above: the error points at the key itself.
        let err =
            parse("# no-such-rule is off\n[lint.rules]\nno-such-rule = \"off\"\n").unwrap_err();
        assert!(err.to_string().contains("no-such-rule"), "{err}");
        assert_eq!((err.line, err.column), (3, 1), "{err}");
    }
}
