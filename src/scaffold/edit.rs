//! Editing one top-level front-matter field in place, every other byte of the file kept as it was.
//!
//! `publish` sets `date:`, `unpublish` removes it, templates get the flags' values: each edit touches
//! only the lines of that field (or inserts one line), then the result is read back and compared with
//! the original, so an edit that would change anything else is refused rather than written.

use std::ops::Range;

use serde_yaml::{Mapping, Value};

use crate::site::front_matter::{Field, FrontMatter, FrontMatterError};
use crate::site::split::{split, Lines, Split};

/// Why a field could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The text does not open with a `---` block.
    #[error("has no front matter (it must open with a `---` line)")]
    Missing,
    /// `+++` front matter.
    #[error("has TOML front matter, which Jekyll does not read")]
    Toml,
    /// The block is never closed.
    #[error("front matter is never closed (add a `---` line after the last field)")]
    Unclosed,
    /// The YAML does not parse; `offset` is a byte offset in the text.
    #[error("front matter: {0}")]
    Invalid(FrontMatterError),
    /// The field is written in a way this line-based edit cannot change safely.
    #[error("`{0}` is written in a form carnet cannot edit safely; change it by hand")]
    Unsafe(String),
}

impl EditError {
    /// The byte offset the error points at, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            EditError::Invalid(
                FrontMatterError::Invalid { offset, .. }
                | FrontMatterError::NotMapping { offset, .. },
            ) => Some(*offset),
            _ => None,
        }
    }
}

/// Where a new field goes when the text does not have it yet.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// After the first of these fields that is present, else first in the block.
    After(&'a [&'a str]),
    /// Last in the block.
    End,
}

struct Block {
    yaml: Range<usize>,
    front: FrontMatter,
    ending: String,
}

fn block(text: &str) -> Result<Block, EditError> {
    match split(text) {
        Split::Missing => Err(EditError::Missing),
        Split::Toml => Err(EditError::Toml),
        Split::Unclosed { .. } => Err(EditError::Unclosed),
        Split::Closed { yaml, .. } => {
            let front =
                FrontMatter::parse(&text[yaml.clone()], yaml.start).map_err(EditError::Invalid)?;
            let ending = Lines::new(text).next().map_or("\n", |l| l.ending);
            Ok(Block {
                yaml,
                front,
                ending: if ending.is_empty() { "\n" } else { ending }.to_string(),
            })
        }
    }
}

/// The front-matter mapping of `text`, or why it has none.
pub fn mapping(text: &str) -> Result<Mapping, EditError> {
    block(text).map(|b| b.front.mapping)
}

/// The lines a field occupies: its key line and the indented (or `- `) lines that continue its value.
fn extent(text: &str, yaml_end: usize, field: &Field) -> Range<usize> {
    let start = text[..field.key_span.start]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let mut lines = Lines::from(text, start);
    let Some(first) = lines.next() else {
        return start..start;
    };
    let mut end = first.end;
    let value_below = field.value_span.is_empty();
    for line in lines {
        if line.start >= yaml_end {
            break;
        }
        let c = line.content;
        if c.trim().is_empty() {
            continue;
        }
        let continues = c.starts_with([' ', '\t']) || (value_below && c.starts_with('-'));
        if !continues {
            break;
        }
        end = line.end;
    }
    start..end
}

/// Sets top-level `key` to the YAML scalar `value` (which reads back as `expected`), replacing its
/// lines or inserting one line at `place`.
pub fn set_field(
    text: &str,
    key: &str,
    value: &str,
    expected: &Value,
    place: Place,
) -> Result<String, EditError> {
    let block = block(text)?;
    let line = |key_text: &str, ending: &str| {
        if value.is_empty() {
            format!("{key_text}:{ending}")
        } else {
            format!("{key_text}: {value}{ending}")
        }
    };
    let mut out = String::with_capacity(text.len() + value.len() + key.len() + 4);
    if let Some(field) = block.front.field(key) {
        let range = extent(text, block.yaml.end, field);
        let ending = Lines::from(text, range.start)
            .next()
            .map_or(block.ending.as_str(), |l| l.ending);
        out.push_str(&text[..range.start]);
        out.push_str(&line(&text[field.key_span.clone()], ending));
        out.push_str(&text[range.end..]);
    } else {
        let at = match place {
            Place::End => block.yaml.end,
            Place::After(keys) => keys
                .iter()
                .find_map(|k| block.front.field(k))
                .map_or(block.yaml.start, |f| extent(text, block.yaml.end, f).end),
        };
        out.push_str(&text[..at]);
        out.push_str(&line(key, &block.ending));
        out.push_str(&text[at..]);
    }
    let mut wanted = block.front.mapping.clone();
    wanted.insert(Value::String(key.to_string()), expected.clone());
    check(&out, &wanted, key)?;
    Ok(out)
}

/// Removes every top-level `key` line (with its continuation lines); the text is returned as is without one.
pub fn remove_field(text: &str, key: &str) -> Result<String, EditError> {
    let block = block(text)?;
    let ranges: Vec<Range<usize>> = block
        .front
        .fields
        .iter()
        .filter(|f| f.key == key)
        .map(|f| extent(text, block.yaml.end, f))
        .collect();
    if ranges.is_empty() {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for range in ranges {
        out.push_str(&text[pos..range.start]);
        pos = range.end;
    }
    out.push_str(&text[pos..]);
    let mut wanted = block.front.mapping.clone();
    wanted.shift_remove(key);
    check(&out, &wanted, key)?;
    Ok(out)
}

/// Reads the edited text back: it must hold exactly the intended fields.
fn check(text: &str, wanted: &Mapping, key: &str) -> Result<(), EditError> {
    let unsafe_edit = || EditError::Unsafe(key.to_string());
    let Split::Closed { yaml, .. } = split(text) else {
        return Err(unsafe_edit());
    };
    let front = FrontMatter::parse(&text[yaml.clone()], yaml.start).map_err(|_| unsafe_edit())?;
    if &front.mapping == wanted {
        Ok(())
    } else {
        Err(unsafe_edit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Value {
        Value::String(s.to_string())
    }

    const AFTER_TITLE: Place = Place::After(&["title"]);

    #[test]
    fn replaces_only_the_date_line() {
        let text = "---\r\ntitle: A # keep\r\ndate: 2020-01-01\r\ntags: [a]\r\n---\r\nbody  \r\n";
        let out = set_field(
            text,
            "date",
            "2024-05-01 12:00:00 +0200",
            &date("2024-05-01 12:00:00 +0200"),
            AFTER_TITLE,
        )
        .unwrap();
        assert_eq!(
            out,
            "---\r\ntitle: A # keep\r\ndate: 2024-05-01 12:00:00 +0200\r\ntags: [a]\r\n---\r\nbody  \r\n"
        );
    }

    #[test]
    fn inserts_after_the_title_with_the_file_line_ending() {
        let text = "---\r\n# comment\r\ntitle: A\r\nlayout: post\r\n---\r\nbody";
        let out = set_field(text, "date", "2024-05-01", &date("2024-05-01"), AFTER_TITLE).unwrap();
        assert_eq!(
            out,
            "---\r\n# comment\r\ntitle: A\r\ndate: 2024-05-01\r\nlayout: post\r\n---\r\nbody"
        );
        let multi = "---\ntitle: >\n  A long\n  title\nx: 1\n---\n";
        let out = set_field(
            multi,
            "date",
            "2024-05-01",
            &date("2024-05-01"),
            AFTER_TITLE,
        )
        .unwrap();
        assert_eq!(
            out,
            "---\ntitle: >\n  A long\n  title\ndate: 2024-05-01\nx: 1\n---\n"
        );
        let empty = "---\n---\nbody";
        let out = set_field(
            empty,
            "date",
            "2024-05-01",
            &date("2024-05-01"),
            AFTER_TITLE,
        )
        .unwrap();
        assert_eq!(out, "---\ndate: 2024-05-01\n---\nbody");
    }

    #[test]
    fn replaces_block_values_whole() {
        let text = "---\ntitle: A\ntags:\n- a\n- b\n\nx: 1\n---\n";
        let out = set_field(
            text,
            "tags",
            "[c]",
            &serde_yaml::from_str("[c]").unwrap(),
            Place::End,
        )
        .unwrap();
        assert_eq!(out, "---\ntitle: A\ntags: [c]\n\nx: 1\n---\n");
    }

    #[test]
    fn removes_the_date_and_its_continuation() {
        let text = "\u{0}---\n";
        assert_eq!(remove_field(text, "date"), Err(EditError::Missing));
        let text = "---\ntitle: A\ndate:\n  2020-01-01\nx: 1\n---\nbody";
        assert_eq!(
            remove_field(text, "date").unwrap(),
            "---\ntitle: A\nx: 1\n---\nbody"
        );
        let none = "---\ntitle: A\n---\n";
        assert_eq!(remove_field(none, "date").unwrap(), none);
    }

    #[test]
    fn refuses_edits_that_would_change_other_fields() {
        // A quoted title continued on a line that looks like a key: the line scan cannot tell.
        let text = "---\ntitle: \"a\ndate: b\"\n---\n";
        assert!(matches!(
            remove_field(text, "date"),
            Err(EditError::Unsafe(_))
        ));
        assert!(matches!(
            set_field("---\ntitle: [\n---\n", "date", "x", &date("x"), AFTER_TITLE),
            Err(EditError::Invalid(_))
        ));
        assert_eq!(
            set_field("---\ntitle: a\n", "date", "x", &date("x"), AFTER_TITLE),
            Err(EditError::Unclosed)
        );
    }
}
