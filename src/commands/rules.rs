//! `carnet rules [NAME]`: the rule table, or one rule explained with examples.

use std::io::Write;

use anyhow::bail;

use crate::cli::RulesArgs;
use crate::lint::registry::{self, RULES};
use crate::{Context, Outcome};

/// Lists every rule, or explains one.
pub fn run(args: &RulesArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let mut out = ctx.stdout();
    match &args.name {
        None => {
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:width$}  {:8}  {:7}  summary",
                "rule", "default", "fix"
            )?;
            for rule in RULES {
                let level = if rule.enabled {
                    rule.severity.as_str()
                } else {
                    "off"
                };
                let fix = if rule.fixable { "fixable" } else { "" };
                writeln!(
                    out,
                    "{:width$}  {level:8}  {fix:7}  {}",
                    rule.name, rule.summary
                )?;
            }
        }
        Some(name) => {
            let Some(rule) = registry::find(name) else {
                bail!("unknown rule `{name}` (run `carnet rules` for the list)");
            };
            let level = if rule.enabled {
                rule.severity.as_str()
            } else {
                "off"
            };
            writeln!(out, "{}: {}", rule.name, rule.summary)?;
            writeln!(
                out,
                "default: {level}{}",
                if rule.fixable {
                    ", fixable with --fix"
                } else {
                    ""
                }
            )?;
            if !rule.markdownlint.is_empty() {
                writeln!(out, "markdownlint: {}", rule.markdownlint.join(", "))?;
            }
            writeln!(out, "\n{}\n", textwrap(rule.explanation, 88))?;
            writeln!(out, "Bad:\n{}", indent(rule.bad))?;
            writeln!(out, "Good:\n{}", indent(rule.good))?;
        }
    }
    Ok(Outcome::Success)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

fn textwrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.chars().count() > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.chars().count();
    }
    out
}
