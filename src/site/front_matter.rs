//! Parsing the YAML front matter into a mapping, with every top-level key positioned in the file.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_yaml::{Mapping, Value};

use super::split::Lines;
use super::{yaml_depth, yaml_hint};

/// Parsed front matter: the mapping Jekyll sees and where each top-level key is written.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// The mapping, the last value winning for a repeated key (as in Jekyll).
    pub mapping: Mapping,
    /// Every top-level key in file order, repeated keys included.
    pub fields: Vec<Field>,
}

/// A top-level key as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The key, unquoted.
    pub key: String,
    /// Byte span of the key in the file.
    pub key_span: Range<usize>,
    /// Byte span of the value on the key's line (empty for a value on the following lines).
    pub value_span: Range<usize>,
}

/// Why a front-matter block is not a usable mapping.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    /// The YAML does not parse; `offset` is a byte offset in the file.
    #[error("invalid YAML: {message}")]
    Invalid {
        /// What the YAML reader says.
        message: String,
        /// Where it stopped.
        offset: usize,
    },
    /// The YAML parses but is a list or a scalar, not a mapping.
    #[error("front matter is {found}, not a mapping of fields")]
    NotMapping {
        /// What it is instead: `a list`, `a string`...
        found: &'static str,
        /// Where it starts.
        offset: usize,
    },
}

impl FrontMatter {
    /// Parses the YAML text found at byte `start` of the file.
    pub fn parse(yaml: &str, start: usize) -> Result<FrontMatter, FrontMatterError> {
        let fields = scan_fields(yaml, start);
        if is_blank_yaml(yaml) {
            return Ok(FrontMatter {
                mapping: Mapping::new(),
                fields,
            });
        }
        // The library's scanner slows with the square of the depth: refuse deep nesting first,
        // from a short text the library refuses at the same place.
        if let Some(prefix) = yaml_depth::too_deep_prefix(yaml) {
            if let Err(error) = serde_yaml::from_str::<Pairs>(&prefix) {
                let error = invalid(yaml, start, &error);
                if matches!(&error, FrontMatterError::Invalid { message, .. } if message == RECURSION)
                {
                    return Err(error);
                }
            }
        }
        let pairs: Pairs =
            serde_yaml::from_str(yaml).map_err(|error| invalid(yaml, start, &error))?;
        let pairs = match pairs {
            Pairs::Mapping(pairs) => pairs,
            Pairs::Other(found) => {
                let offset = start + (yaml.len() - yaml.trim_start().len());
                return Err(FrontMatterError::NotMapping { found, offset });
            }
        };
        let mut mapping = Mapping::with_capacity(pairs.len());
        for (key, value) in pairs {
            mapping.insert(key, value);
        }
        Ok(FrontMatter { mapping, fields })
    }

    /// The value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.mapping.get(key)
    }

    /// Where a key is written (its last occurrence, the one Jekyll keeps).
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().rev().find(|f| f.key == key)
    }
}

/// The library's message for nesting deeper than it accepts.
const RECURSION: &str = "recursion limit exceeded";

/// A YAML library error as a front-matter error positioned in the file.
fn invalid(yaml: &str, start: usize, error: &serde_yaml::Error) -> FrontMatterError {
    // libyaml rejects control characters without a position: point at the first one.
    let fallback = yaml
        .find(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .unwrap_or(0);
    let located = error
        .location()
        .map(|l| l.index().min(yaml.len()))
        .filter(|&i| i > 0);
    let mut at = located.unwrap_or(fallback);
    let message = error.to_string();
    // The position in the message is relative to the YAML block; the offset says it in the file.
    let message = match message
        .find(" at line ")
        .or_else(|| message.find(" at position "))
    {
        Some(cut) => message[..cut].to_string(),
        None => message,
    };
    let message = match yaml_hint::hint(yaml, &message, at) {
        Some(hint) => {
            at = hint.at.unwrap_or(at);
            format!("{message}; {}", hint.advice)
        }
        None => message,
    };
    FrontMatterError::Invalid {
        message,
        offset: start + at,
    }
}

fn is_blank_yaml(yaml: &str) -> bool {
    Lines::new(yaml).all(|line| {
        let t = line.content.trim();
        t.is_empty() || t.starts_with('#')
    })
}

/// Finds top-level `key:` lines; YAML keys in front matter are written at column 1.
fn scan_fields(yaml: &str, start: usize) -> Vec<Field> {
    let mut fields = Vec::new();
    for line in Lines::new(yaml) {
        let content = line.content;
        let Some(first) = content.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '?' | '|' | '>') {
            continue;
        }
        let Some((key, key_len, colon)) = split_key(content) else {
            continue;
        };
        let after = &content[colon + 1..];
        let value_offset = colon + 1 + (after.len() - after.trim_start().len());
        let value = content[value_offset..].trim_end();
        let key_start = start + line.start;
        fields.push(Field {
            key,
            key_span: key_start..key_start + key_len,
            value_span: key_start + value_offset..key_start + value_offset + value.len(),
        });
    }
    fields
}

/// Splits `key: value`, returning the unquoted key, its written length and the colon's index.
fn split_key(content: &str) -> Option<(String, usize, usize)> {
    let quote = content.chars().next().filter(|c| *c == '"' || *c == '\'');
    if let Some(q) = quote {
        let close = content[1..].find(q)? + 1;
        let rest = &content[close + 1..];
        let colon = close + 1 + rest.find(':')?;
        if !content[close + 1..colon].trim().is_empty() {
            return None;
        }
        return Some((content[1..close].to_string(), close + 1, colon));
    }
    let bytes = content.as_bytes();
    let colon = (0..bytes.len()).find(|&i| {
        bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
    })?;
    let key = content[..colon].trim_end();
    (!key.is_empty()).then(|| (key.to_string(), key.len(), colon))
}

/// A YAML document read as a list of key-value pairs, so that repeated keys survive parsing.
enum Pairs {
    Mapping(Vec<(Value, Value)>),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PairsVisitor)
    }
}

struct PairsVisitor;

impl<'de> Visitor<'de> for PairsVisitor {
    type Value = Pairs;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
        let mut pairs = Vec::new();
        while let Some((key, value)) = map.next_entry::<Value, Value>()? {
            pairs.push((key, value));
        }
        Ok(Pairs::Mapping(pairs))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pairs, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Pairs::Other("a list"))
    }

    fn visit_unit<E>(self) -> Result<Pairs, E> {
        Ok(Pairs::Mapping(Vec::new()))
    }

    fn visit_none<E>(self) -> Result<Pairs, E> {
        Ok(Pairs::Mapping(Vec::new()))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Pairs, E> {
        Ok(Pairs::Other("a boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Pairs, E> {
        Ok(Pairs::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Pairs, E> {
        Ok(Pairs::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Pairs, E> {
        Ok(Pairs::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Pairs, E> {
        Ok(Pairs::Other("a string"))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _: A) -> Result<Pairs, A::Error> {
        Ok(Pairs::Other("a tagged value"))
    }
}

/// Reads a YAML scalar as Jekyll's YAML 1.1 reader would read a boolean.
pub fn yaml11_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.as_str() {
            "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => Some(true),
            "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A short name for a YAML value's type, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_positioned_in_the_file() {
        let yaml = "title: \"A: b\"\ntags: [a, b]\n'quoted key': 1\n";
        let fm = FrontMatter::parse(yaml, 4).unwrap();
        let keys: Vec<_> = fm.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["title", "tags", "quoted key"]);
        assert_eq!(fm.fields[0].key_span, 4..9);
        assert_eq!(
            &yaml[fm.fields[0].value_span.start - 4..fm.fields[0].value_span.end - 4],
            "\"A: b\""
        );
        assert_eq!(fm.get("title").and_then(Value::as_str), Some("A: b"));
    }

    #[test]
    fn repeated_keys_parse_and_the_last_wins() {
        let fm = FrontMatter::parse("title: a\ntitle: b\n", 0).unwrap();
        assert_eq!(fm.fields.len(), 2);
        assert_eq!(fm.get("title").and_then(Value::as_str), Some("b"));
    }

    #[test]
    fn errors_are_offset_into_the_file() {
        let yaml = "title: a\ntags: [unclosed\n";
        let err = FrontMatter::parse(yaml, 4).unwrap_err();
        let FrontMatterError::Invalid { offset, .. } = err else {
            panic!("{err:?}")
        };
        assert!(offset >= 4 + 9, "{offset}");
    }

    #[test]
    fn lists_and_scalars_are_not_mappings() {
        assert!(matches!(
            FrontMatter::parse("- a\n- b\n", 0),
            Err(FrontMatterError::NotMapping {
                found: "a list",
                ..
            })
        ));
        assert!(matches!(
            FrontMatter::parse("just text\n", 0),
            Err(FrontMatterError::NotMapping { .. })
        ));
    }

    #[test]
    fn blank_and_comment_only_yaml_is_an_empty_mapping() {
        assert!(FrontMatter::parse("", 0).unwrap().mapping.is_empty());
        assert!(FrontMatter::parse("# nothing\n\n", 0)
            .unwrap()
            .mapping
            .is_empty());
    }

    #[test]
    fn tabs_and_alias_bombs_fail_cleanly() {
        assert!(FrontMatter::parse("title:\ta\n\tb: c\n", 0).is_err());
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        assert!(FrontMatter::parse(bomb, 0).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_where_and_as_the_library_refuses_it() {
        let deep = |open: &str, close: &str| format!("{}1{}", open.repeat(300), close.repeat(300));
        for yaml in [
            format!("title: a\nd: {}\n", deep("[", "]")),
            format!("title: \"[[[\"\nd: {}\n", deep("{a: ", "}")),
            format!("a:\n  b:\n    - c: {}\n", deep("[{x: '[', y: ", "}]")),
            format!("d: |\n  {}\ne: {}\n", deep("[", "]"), deep("[", "]")),
        ] {
            let library = serde_yaml::from_str::<Pairs>(&yaml).map_err(|e| invalid(&yaml, 4, &e));
            let library = library.err().expect("the library refuses it");
            assert_eq!(FrontMatter::parse(&yaml, 4).unwrap_err(), library, "{yaml}");
            assert!(library.to_string().contains(RECURSION));
        }
    }

    #[test]
    fn yaml11_booleans() {
        assert_eq!(yaml11_bool(&Value::String("no".into())), Some(false));
        assert_eq!(yaml11_bool(&Value::Bool(true)), Some(true));
        assert_eq!(yaml11_bool(&Value::String("maybe".into())), None);
    }
}
