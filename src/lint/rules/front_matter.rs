//! Front-matter rules: the block exists, closes, parses, is a mapping, and its fields are right.

use std::collections::HashMap;

use serde_yaml::Value;

use crate::lint::config::FieldType;
use crate::lint::rule::{Rule, Severity};
use crate::lint::Checker;
use crate::site::front_matter::{type_name, yaml11_bool, Field, FrontMatterError};
use crate::site::split::Split;

/// A post without front matter.
pub static FRONT_MATTER_MISSING: Rule = Rule {
    name: "front-matter-missing",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "file in _posts or _drafts has no YAML front matter",
    explanation: "Jekyll only treats a file as a post when it opens with a `---` line starting a YAML \
front-matter block; without it the file is copied as is or skipped, and the post silently disappears from \
the blog. TOML front matter between `+++` lines, as Hugo and Zola use, is not read by Jekyll either.",
    bad: "# My post\n\nText.\n",
    good: "---\ntitle: My post\n---\n\nText.\n",
    markdownlint: &[],
};

/// A front-matter block that never closes.
pub static FRONT_MATTER_UNCLOSED: Rule = Rule {
    name: "front-matter-unclosed",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "front matter opened with `---` is never closed",
    explanation:
        "The front-matter block must end with a `---` (or `...`) line. When the closing line is \
missing, Jekyll does not see any front matter and the whole file, YAML included, becomes the page.",
    bad: "---\ntitle: My post\n\nText.\n",
    good: "---\ntitle: My post\n---\n\nText.\n",
    markdownlint: &[],
};

/// YAML that does not parse.
pub static FRONT_MATTER_INVALID: Rule = Rule {
    name: "front-matter-invalid",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "front matter is not valid YAML",
    explanation:
        "A YAML syntax error makes Jekyll stop the build (or skip the post's data). Common causes \
are an unquoted colon in a title, an unclosed bracket or quote, and tabs used for indentation.",
    bad: "---\ntitle: Jekyll: the guide\n---\n",
    good: "---\ntitle: \"Jekyll: the guide\"\n---\n",
    markdownlint: &[],
};

/// A key written twice.
pub static FRONT_MATTER_DUPLICATE_KEY: Rule = Rule {
    name: "front-matter-duplicate-key",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "a front-matter key appears more than once",
    explanation: "When a key is repeated, YAML readers disagree: Jekyll keeps the last value, others refuse \
the file. Either way one of the two values is lost without a word, usually the one the author edited.",
    bad: "---\ntitle: Draft title\ntitle: Final title\n---\n",
    good: "---\ntitle: Final title\n---\n",
    markdownlint: &[],
};

/// Front matter that is a list or a scalar.
pub static FRONT_MATTER_NOT_MAPPING: Rule = Rule {
    name: "front-matter-not-mapping",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "front matter is a list or a value, not a mapping of fields",
    explanation: "Front matter must be a mapping of `key: value` fields. A YAML list or a bare value parses, \
but gives the post no title, date or tags, and Jekyll fails on it.",
    bad: "---\n- title\n- tags\n---\n",
    good: "---\ntitle: My post\ntags: [a, b]\n---\n",
    markdownlint: &[],
};

/// A required field is missing.
pub static REQUIRED_FIELD: Rule = Rule {
    name: "required-field",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "a required front-matter field is missing",
    explanation: "Themes, feeds and listings expect some fields on every post; without a `title` the post \
shows up blank in the index and the feed. The required fields are `title` by default and can be set with \
`[lint] required = [...]` in carnet.toml. A field given by `defaults:` in _config.yml counts as present.",
    bad: "---\nlayout: post\n---\n",
    good: "---\nlayout: post\ntitle: My post\n---\n",
    markdownlint: &[],
};

/// A field of the wrong type.
pub static FIELD_TYPE: Rule = Rule {
    name: "field-type",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "a front-matter field has the wrong type",
    explanation: "`title` must be a string, `tags` and `categories` a list of strings or a space-separated \
string, `category` a string and `published` a boolean; other fields can be given a type with \
`[lint.fields.NAME] type = \"string|list|date|bool|number\"`. A wrong type breaks templates in ways that \
only show on the built site.",
    bad: "---\ntitle: My post\ntags: {jekyll: 1}\npublished: maybe\n---\n",
    good: "---\ntitle: My post\ntags: [jekyll]\npublished: true\n---\n",
    markdownlint: &[],
};

/// Tags or categories written as one comma-separated string.
pub static TAGS_AS_STRING: Rule = Rule {
    name: "tags-as-string",
    severity: Severity::Warning,
    enabled: true,
    fixable: true,
    summary: "`tags` or `categories` is a comma-separated string, which Jekyll splits on spaces only",
    explanation: "Jekyll reads a string of tags as names separated by spaces: `tags: event, city` gives the \
tags `event,` (comma included) and `city`, each with its own tag page. Written as a list, `[event, city]`, \
it gives the two tags meant. `--fix` rewrites the string as a flow list.",
    bad: "tags: evenement, collectivites\n",
    good: "tags: [evenement, collectivites]\n",
    markdownlint: &[],
};

/// A field with a forbidden value.
pub static FIELD_VALUE: Rule = Rule {
    name: "field-value",
    severity: Severity::Error,
    enabled: true,
    fixable: false,
    summary: "a front-matter field is empty or has a value that is not allowed",
    explanation:
        "An empty title gives a blank heading and an empty link in every listing. Fields can be \
limited to a list of values with `[lint.fields.NAME] allowed = [...]`, which catches typos such as \
`layout: psot` before they reach the site.",
    bad: "---\ntitle: \"\"\n---\n",
    good: "---\ntitle: My post\n---\n",
    markdownlint: &[],
};

/// Runs the front-matter rules on the checker's post.
pub fn check(checker: &mut Checker) {
    let post = checker.post;
    match &post.split {
        Split::Missing => {
            checker.report(
                &FRONT_MATTER_MISSING,
                0..first_line_len(&post.text),
                "no front matter: Jekyll does not treat this file as a post (start it with a `---` line)",
            );
        }
        Split::Toml => {
            checker.report(
                &FRONT_MATTER_MISSING,
                0..3,
                "TOML front matter (`+++`, as Hugo and Zola use) is not supported: Jekyll reads YAML between `---` lines",
            );
        }
        Split::Unclosed { opening } => {
            checker.report(
                &FRONT_MATTER_UNCLOSED,
                opening.clone(),
                "front matter is never closed: add a `---` line after the last field",
            );
        }
        Split::Closed { .. } => {}
    }
    match &post.front_matter {
        Some(Err(FrontMatterError::Invalid { message, offset })) => {
            let end = char_end(&post.text, *offset);
            checker.report(
                &FRONT_MATTER_INVALID,
                *offset..end,
                format!("front matter is not valid YAML: {message}"),
            );
        }
        Some(Err(FrontMatterError::NotMapping { found, offset })) => {
            let end = *offset + first_line_len(&post.text[*offset..]);
            checker.report(
                &FRONT_MATTER_NOT_MAPPING,
                *offset..end,
                format!("front matter is {found}, not a mapping of `key: value` fields"),
            );
        }
        Some(Ok(_)) => check_fields(checker),
        None => {}
    }
}

fn check_fields(checker: &mut Checker) {
    let post = checker.post;
    let Some(front) = post.front() else { return };
    // The first field of each key, looked up rather than searched for: a front matter may hold
    // tens of thousands of keys.
    let mut first_of: HashMap<&str, &Field> = HashMap::new();
    for field in &front.fields {
        let first = *first_of.entry(field.key.as_str()).or_insert(field);
        if !std::ptr::eq(first, field) {
            let line = post.position(first.key_span.start).line;
            checker.report(
                &FRONT_MATTER_DUPLICATE_KEY,
                field.key_span.clone(),
                format!(
                    "`{}` is already set on line {line}; Jekyll keeps only this last value",
                    field.key
                ),
            );
        }
    }
    let opening = 0..3;
    for key in &checker.settings.required {
        if post.data.fields.get(key.as_str()).is_none() {
            checker.report(
                &REQUIRED_FIELD,
                opening.clone(),
                format!("missing required field `{key}`"),
            );
        }
    }
    let own = &front.mapping;
    let span_of = |key: &str| post.field_span(key).unwrap_or(0..3);
    for (key, value) in own {
        let Some(key) = key.as_str() else { continue };
        if let Some(problem) = builtin_type_problem(key, value) {
            checker.report(
                &FIELD_TYPE,
                span_of(key),
                format!("`{key}` must be {problem}, found {}", type_name(value)),
            );
        }
    }
    for key in ["tags", "categories"] {
        if let Some(Value::String(names)) = own.get(key) {
            if names.contains(',') {
                comma_string(checker, key, names);
            }
        }
    }
    if let Some(Value::String(title)) = own.get("title") {
        if title.trim().is_empty() {
            checker.report(&FIELD_VALUE, span_of("title"), "`title` is empty");
        }
    }
    for key in ["tags", "categories"] {
        if let Some(Value::Sequence(items)) = own.get(key) {
            let blank = |item: &Value| matches!(item, Value::String(s) if s.trim().is_empty());
            if items.iter().any(blank) {
                checker.report(
                    &FIELD_VALUE,
                    span_of(key),
                    format!(
                        "`{key}` holds an empty name: carnet leaves it out (no page, not listed) \
while Jekyll keeps it as a nameless one; remove it"
                    ),
                );
            }
        }
    }
    // The site's own pattern is the configuration's problem (`carnet doctor`), not each post's.
    if post.data.permalink.is_some() {
        if let Some(Err(unknown)) = post.url(checker.site) {
            checker.report(
                &FIELD_VALUE,
                span_of("permalink"),
                format!(
                    "`permalink` holds `:{0}`, which is no placeholder: Jekyll 4 stops the build on \
it and `carnet export` refuses it; write a colon that belongs in the URL as `%3A` (`%3A{0}`)",
                    unknown.0
                ),
            );
        }
    }
    for (key, spec) in &checker.settings.fields {
        let Some(value) = post.data.fields.get(key.as_str()).filter(|v| !v.is_null()) else {
            continue;
        };
        if let Some(kind) = spec.kind {
            if !has_type(value, kind) {
                checker.report(
                    &FIELD_TYPE,
                    span_of(key),
                    format!(
                        "`{key}` must be {}, found {}",
                        type_label(kind),
                        type_name(value)
                    ),
                );
                continue;
            }
        }
        if let Some(allowed) = &spec.allowed {
            let items: Vec<&Value> = match value {
                Value::Sequence(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                if !allowed.iter().any(|a| same_value(a, item)) {
                    let list = allowed
                        .iter()
                        .map(|a| a.to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    checker.report(
                        &FIELD_VALUE,
                        span_of(key),
                        format!(
                            "`{key}` is {}, not one of the allowed values: {list}",
                            display_value(item)
                        ),
                    );
                }
            }
        }
    }
}

/// Reports `tags: a, b`, with a fix to `[a, b]` when the value is written plainly on the key's line.
fn comma_string(checker: &mut Checker, key: &str, names: &str) {
    let post = checker.post;
    let Some(field) = post.front().and_then(|f| f.field(key)) else {
        return;
    };
    let items: Vec<&str> = names
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let span = post.field_span(key).unwrap_or(0..3);
    let plain = post.text.get(field.value_span.clone()) == Some(names);
    let list = format!(
        "[{}]",
        items
            .iter()
            .map(|item| flow_item(item))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let message = format!(
        "`{key}` is one string: Jekyll splits it on spaces, keeping the commas (`{}`); write a list: `{list}`",
        names.split_whitespace().next().unwrap_or_default()
    );
    if let Some(d) = checker.report(&TAGS_AS_STRING, span.clone(), message) {
        if plain {
            d.fix = Some(crate::lint::Fix {
                edits: vec![crate::lint::Edit {
                    range: span,
                    replacement: list,
                }],
            });
        }
    }
}

/// An item of a YAML flow list: bare when YAML reads it back as the same string, quoted otherwise.
fn flow_item(item: &str) -> String {
    let bare = item.chars().next().is_some_and(char::is_alphabetic)
        && !item.contains(|c: char| "[]{}#:,&*!|>'\"%@`\\".contains(c))
        && !matches!(
            item.to_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if bare {
        item.to_string()
    } else {
        format!("\"{}\"", item.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn builtin_type_problem(key: &str, value: &Value) -> Option<&'static str> {
    let ok = match key {
        "title" => matches!(value, Value::String(_)),
        "category" => matches!(value, Value::String(_) | Value::Number(_) | Value::Null),
        "tags" | "categories" => match value {
            Value::String(_) | Value::Null => true,
            Value::Sequence(items) => items
                .iter()
                .all(|i| matches!(i, Value::String(_) | Value::Number(_))),
            _ => false,
        },
        "published" => yaml11_bool(value).is_some(),
        _ => true,
    };
    (!ok).then_some(match key {
        "title" => "a string",
        "category" => "a string",
        "published" => "true or false",
        _ => "a list of strings or a space-separated string",
    })
}

fn has_type(value: &Value, kind: FieldType) -> bool {
    match kind {
        FieldType::String => matches!(value, Value::String(_)),
        FieldType::List => match value {
            Value::String(_) => true,
            Value::Sequence(items) => items
                .iter()
                .all(|i| !matches!(i, Value::Sequence(_) | Value::Mapping(_))),
            _ => false,
        },
        FieldType::Date => value
            .as_str()
            .is_some_and(|s| crate::site::date::parse_date(s).is_some()),
        FieldType::Bool => yaml11_bool(value).is_some(),
        FieldType::Number => matches!(value, Value::Number(_)),
    }
}

fn type_label(kind: FieldType) -> &'static str {
    match kind {
        FieldType::String => "a string",
        FieldType::List => "a list",
        FieldType::Date => "a date (YYYY-MM-DD, optionally with HH:MM:SS and an offset)",
        FieldType::Bool => "true or false",
        FieldType::Number => "a number",
    }
}

fn same_value(allowed: &toml::Value, value: &Value) -> bool {
    match (allowed, value) {
        (toml::Value::String(a), Value::String(v)) => a == v,
        (toml::Value::Integer(a), Value::Number(v)) => v.as_i64() == Some(*a),
        (toml::Value::Float(a), Value::Number(v)) => v.as_f64() == Some(*a),
        (toml::Value::Boolean(a), v) => yaml11_bool(v) == Some(*a),
        _ => false,
    }
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        other => crate::post::scalar_string(other).unwrap_or_else(|| type_name(other).to_string()),
    }
}

fn first_line_len(text: &str) -> usize {
    text.find(['\n', '\r']).unwrap_or(text.len())
}

fn char_end(text: &str, offset: usize) -> usize {
    text[offset.min(text.len())..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(offset, |c| offset + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use crate::lint::fix::apply;
    use crate::lint::rules::excerpt::tests::findings;

    const POST: &str = "_posts/2020-01-01-a.md";

    /// The text after `--fix` for `tags-as-string`, and how many findings it had.
    fn fixed(front: &str) -> (String, usize) {
        let text = format!("---\ntitle: t\n{front}---\n\nText.\n");
        let found = findings("", POST, &text, "tags-as-string");
        let fixes: Vec<_> = found.iter().filter_map(|d| d.fix.clone()).collect();
        let (out, _) = apply(&text, &fixes);
        let front = out["---\ntitle: t\n".len()..out.len() - "---\n\nText.\n".len()].to_string();
        (front, found.len())
    }

    #[test]
    fn a_comma_separated_string_becomes_a_flow_list() {
        assert_eq!(
            fixed("tags: evenement, collectivites\n"),
            ("tags: [evenement, collectivites]\n".to_string(), 1)
        );
        assert_eq!(
            fixed("categories: Open data,Vie locale, 2024\n"),
            (
                "categories: [Open data, Vie locale, \"2024\"]\n".to_string(),
                1
            )
        );
    }

    #[test]
    fn quoted_values_are_reported_without_a_fix() {
        assert_eq!(
            fixed("tags: \"a, b\"\n"),
            ("tags: \"a, b\"\n".to_string(), 1)
        );
    }

    #[test]
    fn lists_and_space_separated_strings_are_fine() {
        assert_eq!(fixed("tags: a b\n").1, 0);
        assert_eq!(fixed("tags: [a, b]\n").1, 0);
        assert_eq!(fixed("tags:\n  - a, b\n").1, 0);
    }
}
