//! `--format sarif`: a SARIF 2.1.0 log for code scanning, with every rule described.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{json, Value};

use super::Report;
use crate::lint::registry::{self, RULES};
use crate::lint::{Rule, Severity};
use crate::paths::display_path;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Writes the SARIF log.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut result = serde_json::Map::new();
            result.insert("ruleId".into(), json!(d.rule.name));
            if let Some(index) = registry::index(d.rule.name) {
                result.insert("ruleIndex".into(), json!(index));
            }
            result.insert("level".into(), json!(level(d.severity)));
            result.insert("message".into(), json!({ "text": d.message }));
            result.insert(
                "locations".into(),
                json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.path) },
                        "region": {
                            "startLine": d.start.line,
                            "startColumn": d.start.column,
                            "endLine": d.end.line,
                            "endColumn": d.end.column,
                        }
                    }
                }]),
            );
            Value::Object(result)
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": RULES.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{ "executionSuccessful": report.unreadable == 0 && report.unfixed == 0 }],
            // Our columns count characters; SARIF's default would be UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// A rule's reportingDescriptor: its summary, explanation and examples.
fn descriptor(rule: &Rule) -> Value {
    let help_text = format!(
        "{}\n\nExample:\n{}\nFixed:\n{}",
        rule.explanation, rule.bad, rule.good
    );
    let fence = fence_for(&[rule.bad, rule.good]);
    let help_markdown = format!(
        "{}\n\nExample:\n\n{fence}markdown\n{}{fence}\n\nFixed:\n\n{fence}markdown\n{}{fence}\n",
        rule.explanation, rule.bad, rule.good
    );
    json!({
        "id": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.explanation },
        "help": { "text": help_text, "markdown": help_markdown },
        "defaultConfiguration": {
            "enabled": rule.enabled,
            "level": level(rule.severity),
        },
        "properties": { "fixable": rule.fixable },
    })
}

/// A backtick fence longer than any run of backticks in the examples, so their own fences survive.
fn fence_for(texts: &[&str]) -> String {
    let longest = texts
        .iter()
        .flat_map(|t| t.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The file as a URI reference: relative to the current folder when possible, percent-encoded.
fn uri(path: &Path) -> String {
    let shown = display_path(path);
    let encoded = percent_encode(&shown);
    if Path::new(&shown).is_absolute() {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// Encodes every byte but unreserved characters and `/` (a `:` would otherwise read as a scheme).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_fences_outlast_the_examples_own() {
        assert_eq!(fence_for(&["a `b`\n"]), "```");
        assert_eq!(fence_for(&["```\nx\n```\n", "````\n"]), "`````");
    }

    #[test]
    fn uris_are_encoded_references() {
        assert_eq!(
            percent_encode("_posts/2020-01-01-été à:b.md"),
            "_posts/2020-01-01-%C3%A9t%C3%A9%20%C3%A0%3Ab.md"
        );
    }
}
