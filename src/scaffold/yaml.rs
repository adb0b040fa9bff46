//! Writing YAML scalars that every reader takes back as the same string, Jekyll's YAML 1.1 included.
//!
//! serde_yaml's emitter follows YAML 1.2 and writes `yes`, `on`, `2017-06-22` or `1:20` without quotes,
//! which Jekyll's YAML 1.1 reader turns into a boolean, a date or the number 80. So scalars are written
//! here: plain when they cannot be read as anything but the same string, double-quoted otherwise.

use std::fmt::Write as _;

/// A front-matter value given on the command line (`--field KEY=VALUE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Nothing after `=`: an empty field, left for the author to fill in.
    Empty,
    /// `true` or `false`.
    Bool(bool),
    /// A decimal number, kept as typed (`3`, `-12`, `4.5`).
    Number(String),
    /// Anything else.
    String(String),
}

impl FieldValue {
    /// Reads a `--field` value: `true`, `false` and decimal numbers keep their type, the rest is a string.
    pub fn parse(text: &str) -> FieldValue {
        match text {
            "" => FieldValue::Empty,
            "true" => FieldValue::Bool(true),
            "false" => FieldValue::Bool(false),
            t if is_decimal(t) => FieldValue::Number(t.to_string()),
            t => FieldValue::String(t.to_string()),
        }
    }

    /// The value as written after `key: ` in block context (empty for [`FieldValue::Empty`]).
    pub fn to_yaml(&self) -> String {
        match self {
            FieldValue::Empty => String::new(),
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Number(n) => n.clone(),
            FieldValue::String(s) => string(s),
        }
    }

    /// The value as YAML reads it back.
    pub fn to_value(&self) -> serde_yaml::Value {
        match self {
            FieldValue::Empty => serde_yaml::Value::Null,
            FieldValue::Bool(b) => serde_yaml::Value::Bool(*b),
            FieldValue::Number(n) => {
                serde_yaml::from_str(n).unwrap_or_else(|_| serde_yaml::Value::String(n.clone()))
            }
            FieldValue::String(s) => serde_yaml::Value::String(s.clone()),
        }
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: numbers every YAML reader agrees on.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    let int_ok = int == "0"
        || (!int.is_empty() && !int.starts_with('0') && int.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A string as a block-context scalar (the value of `key: `).
pub fn string(s: &str) -> String {
    if plain_is_safe(s, false) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// A string as an item of a flow list (`[a, b]`), where `,`, `[`, `]`, `{` and `}` are syntax.
pub fn flow_string(s: &str) -> String {
    if plain_is_safe(s, true) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// A flow list of strings: `[a, "b: c"]`, or `[]`.
pub fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| flow_string(i)).collect();
    format!("[{}]", items.join(", "))
}

/// A double-quoted scalar.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    push_escaped(&mut out, s);
    out.push('"');
    out
}

/// Appends `s` escaped for the inside of a double-quoted scalar.
pub fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            // YAML 1.1 reads these three as line breaks even inside quotes.
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if !is_printable(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// YAML's printable set, minus the byte-order mark that libyaml refuses inside a document.
fn is_printable(c: char) -> bool {
    !(c.is_control() || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'))
}

/// Whether `s` can be written without quotes and still read back, by YAML 1.1 and 1.2, as this string.
///
/// Deliberately conservative: a quoted title is always correct, a wrongly plain one is a broken post.
pub fn plain_is_safe(s: &str, flow: bool) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    // YAML's indicators, `.`, `+`, `<`, `=` and `~` (numbers, merge keys, null) never start a plain scalar here.
    let first_ok = first.is_alphanumeric()
        || matches!(first, '/' | '(' | '_' | '$')
        || (!first.is_ascii() && !first.is_whitespace() && is_printable(first));
    if !first_ok || last.is_whitespace() || last == ':' {
        return false;
    }
    if s.contains(": ") || s.contains(" #") {
        return false;
    }
    let char_ok = |c: char| {
        if flow {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/' | '\'')
        } else {
            c == ' ' || (is_printable(c) && !c.is_whitespace())
        }
    };
    s.chars().all(char_ok) && !resolves_to_non_string(s)
}

/// Plain scalars that YAML 1.1 or 1.2 read as null, a boolean, a number or a date.
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    ];
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return true;
    }
    // Integers (0x, 0o, 0b, `_` groups, sexagesimal 1:20), floats (1e5) and timestamps
    // (2017-06-22 10:30:00 +02:00) only use these characters and start with a digit.
    s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    'x' | 'X'
                        | 'o'
                        | 'O'
                        | '_'
                        | '.'
                        | ':'
                        | '+'
                        | '-'
                        | ' '
                        | 't'
                        | 'T'
                        | 'z'
                        | 'Z'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_yaml::Value;

    fn read_back(scalar: &str) -> Value {
        let mapping: serde_yaml::Mapping = serde_yaml::from_str(&format!("k: {scalar}\n")).unwrap();
        mapping["k"].clone()
    }

    #[test]
    fn yaml_1_1_specials_are_quoted() {
        for s in [
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "n",
            "null",
            "~",
            "true",
            "2017-06-22",
            "1:20",
            "0x1F",
            "1_000",
            "1e5",
            "012",
            "3.14",
            "-1",
            ".inf",
            "<<",
            "=",
            "2017-06-22 10:30:00 +02:00",
        ] {
            assert!(string(s).starts_with('"'), "{s} was written {}", string(s));
            assert_eq!(read_back(&string(s)), Value::String(s.into()), "{s}");
        }
    }

    #[test]
    fn indicators_and_comments_are_quoted() {
        for s in [
            "[a", "*a", "&a", "!a", "%a", "@a", "`a", "|a", ">a", "'a", "\"a", "-a", "? a", "#a",
            "a: b", "a #b", "a:", " a", "a ", "{a}", ",a",
        ] {
            assert!(string(s).starts_with('"'), "{s}");
            assert_eq!(read_back(&string(s)), Value::String(s.into()), "{s}");
        }
    }

    #[test]
    fn ordinary_titles_stay_plain() {
        for s in [
            "IntercoTOUR, un baromètre des usages du numérique en collectivités",
            "Qu'est-ce que c'est ?",
            "C# et F#",
            "10 ans de blog",
            "Rust: no",
            "/assets/a.png",
            "« Bonjour »",
            "🎉 Fête",
        ] {
            let written = string(s);
            assert_eq!(read_back(&written), Value::String(s.into()), "{s}");
        }
        assert_eq!(string("10 ans de blog"), "10 ans de blog");
        assert_eq!(string("C# et F#"), "C# et F#");
        assert_eq!(string("« Bonjour »"), "« Bonjour »");
        assert_eq!(string("\u{a0}x"), "\"\u{a0}x\"");
    }

    #[test]
    fn escapes_read_back() {
        for s in [
            "a\u{85}b",
            "a\u{2028}b\u{2029}",
            "\u{feff}x",
            "tab\there",
            "nul\0",
            "bell\u{7}",
            "back\\slash \"quoted\"",
            "\u{7f}",
            "\u{9f}",
            "\u{fffe}",
        ] {
            assert_eq!(read_back(&string(s)), Value::String(s.into()), "{s:?}");
        }
    }

    #[test]
    fn flow_lists() {
        let items = vec![
            "open data".to_string(),
            "a, b".to_string(),
            "[x]".to_string(),
            "yes".to_string(),
        ];
        let written = flow_list(&items);
        assert_eq!(written, r#"[open data, "a, b", "[x]", "yes"]"#);
        let read = read_back(&written);
        let read: Vec<&str> = read
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(read, ["open data", "a, b", "[x]", "yes"]);
        assert_eq!(flow_list(&[]), "[]");
    }

    #[test]
    fn field_values_keep_booleans_and_numbers() {
        assert_eq!(FieldValue::parse("false"), FieldValue::Bool(false));
        assert_eq!(FieldValue::parse("42"), FieldValue::Number("42".into()));
        assert_eq!(FieldValue::parse("-4.5"), FieldValue::Number("-4.5".into()));
        assert_eq!(FieldValue::parse("007"), FieldValue::String("007".into()));
        assert_eq!(FieldValue::parse("1."), FieldValue::String("1.".into()));
        assert_eq!(FieldValue::parse("yes"), FieldValue::String("yes".into()));
        assert_eq!(FieldValue::parse(""), FieldValue::Empty);
        for text in ["false", "42", "-4.5", "007", "yes", "a: b"] {
            let v = FieldValue::parse(text);
            assert_eq!(read_back(&v.to_yaml()), v.to_value(), "{text}");
        }
    }
}
