//! `site.data`: every YAML, JSON, CSV and TSV file under `_data/`, nested folders as nested
//! objects, read once per run. A file that does not parse is an error naming it with line:column;
//! the rest of the data is still read.

use std::path::Path;

use liquid_core::model::{KString, Object, Value};

use super::string;

/// A `_data` file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct DataError {
    /// The file, relative to the site root.
    pub path: String,
    /// 1-based line (1 when unknown).
    pub line: usize,
    /// 1-based column (1 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Reads `_data/` under `root`: the `site.data` object and the files that could not be read.
pub fn read_data(root: &Path) -> (Object, Vec<DataError>) {
    let mut errors = Vec::new();
    let data = read_folder(root, &root.join("_data"), &mut errors);
    (data, errors)
}

fn read_folder(root: &Path, folder: &Path, errors: &mut Vec<DataError>) -> Object {
    let mut object = Object::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return object;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            let inner = read_folder(root, &path, errors);
            object.insert(KString::from_ref(name), Value::Object(inner));
            continue;
        }
        let Some((stem, extension)) = name.rsplit_once('.') else {
            continue;
        };
        let extension = extension.to_ascii_lowercase();
        if !matches!(extension.as_str(), "yml" | "yaml" | "json" | "csv" | "tsv") {
            continue;
        }
        let text = match crate::fs::read_capped(&path)
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
        {
            Ok(text) => text,
            Err(e) => {
                errors.push(DataError {
                    path: rel,
                    line: 1,
                    column: 1,
                    message: format!("cannot read it: {e}"),
                });
                continue;
            }
        };
        match parse(&text, &extension) {
            Ok(value) => {
                object.insert(KString::from_ref(stem), value);
            }
            Err((line, column, message)) => errors.push(DataError {
                path: rel,
                line,
                column,
                message,
            }),
        }
    }
    object
}

/// One data file's value, or where and why it does not parse.
pub fn parse(text: &str, extension: &str) -> Result<Value, (usize, usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match extension {
        "json" => serde_json::from_str::<serde_json::Value>(text)
            .map(|v| json_to_value(&v))
            .map_err(|e| {
                (
                    e.line().max(1),
                    e.column().max(1),
                    format!("invalid JSON: {e}"),
                )
            }),
        "csv" => csv(text, b',').map(rows),
        "tsv" => csv(text, b'\t').map(rows),
        _ => serde_yaml::from_str::<serde_yaml::Value>(text)
            .map(|v| yaml_to_value(&v))
            .map_err(|e| {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                (line, column, format!("invalid YAML: {e}"))
            }),
    }
}

/// A YAML value as Liquid's (`null`, booleans, numbers, strings, lists, mappings; tags dropped).
pub fn yaml_to_value(value: &serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Nil,
        Y::Bool(b) => Value::scalar(*b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::scalar(i),
            None => Value::scalar(n.as_f64().unwrap_or(0.0)),
        },
        Y::String(s) => string(s.as_str()),
        Y::Sequence(items) => Value::Array(items.iter().map(yaml_to_value).collect()),
        Y::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        KString::from(crate::post::scalar_string(k).unwrap_or_default()),
                        yaml_to_value(v),
                    )
                })
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_value(&tagged.value),
    }
}

fn json_to_value(value: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match value {
        J::Null => Value::Nil,
        J::Bool(b) => Value::scalar(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::scalar(i),
            None => Value::scalar(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => string(s.as_str()),
        J::Array(items) => Value::Array(items.iter().map(json_to_value).collect()),
        J::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (KString::from_ref(k), json_to_value(v)))
                .collect(),
        ),
    }
}

/// Rows under the header, as Jekyll's `CSV.read(headers: true)`: one object per row, every cell text.
fn rows(records: Vec<Vec<String>>) -> Value {
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Value::Array(Vec::new());
    };
    Value::Array(
        records
            .map(|record| {
                let mut row = Object::new();
                for (i, name) in header.iter().enumerate() {
                    let cell = record.get(i).map_or(Value::Nil, |c| string(c.as_str()));
                    row.insert(KString::from_ref(name), cell);
                }
                Value::Object(row)
            })
            .collect(),
    )
}

/// RFC 4180 records: quoted cells may hold separators, newlines and doubled quotes.
fn csv(text: &str, separator: u8) -> Result<Vec<Vec<String>>, (usize, usize, String)> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut chars = text.char_indices().peekable();
    let mut line = 1;
    let mut line_start = 0;
    let mut quoted_at: Option<(usize, usize)> = None;
    let separator = char::from(separator);
    while let Some((i, c)) = chars.next() {
        if let Some(at) = quoted_at {
            match c {
                '"' if chars.peek().is_some_and(|(_, n)| *n == '"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted_at = None,
                '\n' => {
                    line += 1;
                    line_start = i + 1;
                    cell.push(c);
                }
                _ => cell.push(c),
            }
            let _ = at;
            continue;
        }
        match c {
            '"' if cell.is_empty() => quoted_at = Some((line, i - line_start + 1)),
            '"' => {
                return Err((
                    line,
                    text[line_start..i].chars().count() + 1,
                    "invalid CSV: a quote inside an unquoted cell".to_string(),
                ))
            }
            c if c == separator => record.push(std::mem::take(&mut cell)),
            '\r' if chars.peek().is_some_and(|(_, n)| *n == '\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
                line += 1;
                line_start = i + 1;
            }
            _ => cell.push(c),
        }
    }
    if let Some((line, column)) = quoted_at {
        return Err((
            line,
            column,
            "invalid CSV: a quoted cell is never closed".to_string(),
        ));
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::ValueView;

    #[test]
    fn csv_cells() {
        let value = parse("name,note\na,\"x, \"\"y\"\"\nz\"\nb,2\n", "csv").unwrap();
        let rows = value.as_array().unwrap();
        assert_eq!(rows.size(), 2);
        let first = rows.first().unwrap();
        let first = first.as_object().unwrap();
        assert_eq!(first.get("note").unwrap().to_kstr(), "x, \"y\"\nz");
        assert_eq!(parse("a\n\"b\n", "csv").unwrap_err().0, 2);
        assert_eq!(
            parse("a\tb\n1\t2\n", "tsv")
                .unwrap()
                .as_array()
                .unwrap()
                .size(),
            1
        );
    }

    #[test]
    fn errors_have_positions() {
        let (line, column, _) = parse("a: 1\nb: [\n", "yml").unwrap_err();
        assert_eq!((line, column), (3, 1));
        let (line, _, message) = parse("{\n\"a\": }", "json").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("JSON"));
    }
}
