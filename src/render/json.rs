//! `--format json`: one document holding the site and every exported post.
//!
//! Its shape is published as a JSON Schema in `schema/export.schema.json`. The document is
//! serialized straight from the rendered posts (no intermediate tree), and `<`, `>` and `&` are
//! written as `\u` escapes so that it can be embedded in an HTML `<script>` element as it is.

use std::collections::HashMap;
use std::io;

use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use serde_json::Value as Json;
use serde_yaml::{Mapping, Value as Yaml};

use super::markdown::Heading;
use super::{Export, ExportedPost};

/// Version of the document's shape; bumped on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

/// The `generator` value: `carnet VERSION`.
pub fn generator() -> String {
    format!("carnet {}", env!("CARGO_PKG_VERSION"))
}

/// The export document, borrowing from the rendered posts.
#[derive(Serialize)]
pub struct Document<'a> {
    version: u32,
    generator: String,
    site: Site<'a>,
    posts: Vec<Post<'a>>,
}

#[derive(Serialize)]
struct Site<'a> {
    title: Option<&'a str>,
    url: Option<&'a str>,
    baseurl: &'a str,
    lang: Option<&'a str>,
}

#[derive(Serialize)]
struct Post<'a> {
    path: &'a str,
    slug: &'a str,
    url: String,
    title: &'a str,
    date: String,
    status: &'static str,
    layout: Option<&'a str>,
    categories: &'a [String],
    tags: &'a [String],
    front_matter: FrontMatter<'a>,
    excerpt_html: &'a str,
    content_html: &'a str,
    word_count: usize,
    reading_minutes: usize,
    headings: &'a [Heading],
}

/// A post's own front matter as a JSON object (empty when it has none).
struct FrontMatter<'a>(Option<&'a Mapping>);

impl Serialize for FrontMatter<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(mapping) => AsJson(YamlRef::Mapping(mapping)).serialize(serializer),
            None => serializer.serialize_map(Some(0))?.end(),
        }
    }
}

/// The export as one JSON document.
pub fn document(export: &Export) -> Document<'_> {
    Document {
        version: FORMAT_VERSION,
        generator: generator(),
        site: Site {
            title: export.site.title.as_deref(),
            url: export.site.url.as_deref(),
            baseurl: &export.site.baseurl,
            lang: export.site.lang.as_deref(),
        },
        posts: export
            .posts
            .iter()
            .map(|entry| post(export, entry))
            .collect(),
    }
}

fn post<'a>(export: &Export, entry: &'a ExportedPost) -> Post<'a> {
    let post = &entry.post;
    Post {
        path: &post.file.rel,
        slug: &post.data.slug,
        url: export.site.absolute(&entry.url),
        title: &entry.title,
        date: entry.date.to_rfc3339(),
        status: entry.status.as_str(),
        layout: post.data.layout.as_deref(),
        categories: &post.data.categories,
        tags: &post.data.tags,
        front_matter: FrontMatter(post.front().map(|f| &f.mapping)),
        excerpt_html: &entry.rendered.excerpt_html,
        content_html: &entry.rendered.content_html,
        word_count: entry.word_count,
        reading_minutes: entry.reading_minutes(),
        headings: &entry.rendered.headings,
    }
}

/// Writes `value` as pretty-printed JSON, HTML-safe, followed by a newline.
pub fn write(writer: &mut impl io::Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *writer, HtmlSafe(PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    writer.write_all(b"\n")
}

/// `value` as HTML-safe pretty-printed JSON text.
pub fn to_vec(value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec fails only if serialization does, and these values always serialize.
    let _ = write(&mut out, value);
    out
}

/// serde_json's pretty printer, with `<`, `>` and `&` in strings written as `\u` escapes, and the
/// line and paragraph separators U+2028 and U+2029 too: JSON allows them raw, but JavaScript before
/// ES2019 ends a string literal at them, so a document pasted into a `<script>` would break.
struct HtmlSafe(PrettyFormatter<'static>);

impl Formatter for HtmlSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let escape: &[u8] = match c {
                '<' => b"\\u003c",
                '>' => b"\\u003e",
                '&' => b"\\u0026",
                '\u{2028}' => b"\\u2028",
                '\u{2029}' => b"\\u2029",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[start..i])?;
            writer.write_all(escape)?;
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// A YAML value as JSON: keys that are not strings are written as text (the last of equal keys
/// wins, as in YAML), custom tags (`!x value`) give their value, and NaN or infinite numbers become
/// the strings `.nan`, `.inf`, `-.inf`.
pub fn yaml_to_json(value: &Yaml) -> Json {
    serde_json::to_value(AsJson(YamlRef::Value(value))).unwrap_or(Json::Null)
}

/// A YAML value, or a bare mapping, to serialize as JSON.
#[derive(Clone, Copy)]
enum YamlRef<'a> {
    Value(&'a Yaml),
    Mapping(&'a Mapping),
}

struct AsJson<'a>(YamlRef<'a>);

impl Serialize for AsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = match self.0 {
            YamlRef::Mapping(mapping) => return serialize_mapping(mapping, serializer),
            YamlRef::Value(value) => value,
        };
        match value {
            Yaml::Null => serializer.serialize_unit(),
            Yaml::Bool(b) => serializer.serialize_bool(*b),
            Yaml::Number(n) => {
                if let Some(i) = n.as_i64() {
                    serializer.serialize_i64(i)
                } else if let Some(u) = n.as_u64() {
                    serializer.serialize_u64(u)
                } else {
                    let f = n.as_f64().unwrap_or(f64::NAN);
                    if f.is_finite() {
                        serializer.serialize_f64(f)
                    } else if f.is_nan() {
                        serializer.serialize_str(".nan")
                    } else if f > 0.0 {
                        serializer.serialize_str(".inf")
                    } else {
                        serializer.serialize_str("-.inf")
                    }
                }
            }
            Yaml::String(s) => serializer.serialize_str(s),
            Yaml::Sequence(items) => {
                serializer.collect_seq(items.iter().map(|item| AsJson(YamlRef::Value(item))))
            }
            Yaml::Mapping(mapping) => serialize_mapping(mapping, serializer),
            Yaml::Tagged(tagged) => AsJson(YamlRef::Value(&tagged.value)).serialize(serializer),
        }
    }
}

fn serialize_mapping<S: serde::Serializer>(
    mapping: &Mapping,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    // Keys that read the same as text (`1` and `"1"`) keep the first place and the last value;
    // they are found by lookup, as a front matter may hold tens of thousands of keys.
    let mut entries: Vec<(String, &Yaml)> = Vec::with_capacity(mapping.len());
    let mut places: HashMap<String, usize> = HashMap::with_capacity(mapping.len());
    for (key, value) in mapping {
        let key = key_text(key);
        match places.get(&key) {
            Some(&i) => entries[i].1 = value,
            None => {
                places.insert(key.clone(), entries.len());
                entries.push((key, value));
            }
        }
    }
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (key, value) in &entries {
        map.serialize_entry(key, &AsJson(YamlRef::Value(value)))?;
    }
    map.end()
}

/// A mapping key as JSON object keys must be: text.
fn key_text(key: &Yaml) -> String {
    match key {
        Yaml::String(s) => s.clone(),
        Yaml::Null => "null".to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Tagged(tagged) => key_text(&tagged.value),
        Yaml::Sequence(_) | Yaml::Mapping(_) => {
            serde_json::to_string(&yaml_to_json(key)).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn convert(yaml: &str) -> Json {
        yaml_to_json(&serde_yaml::from_str(yaml).unwrap())
    }

    #[test]
    fn yaml_maps_to_json_faithfully() {
        assert_eq!(
            convert("a: 1\nb: [x, 2.5, true, ~]\nc: {d: e}\nbig: 18446744073709551615\nneg: -3\n"),
            json!({"a": 1, "b": ["x", 2.5, true, null], "c": {"d": "e"}, "big": 18446744073709551615u64, "neg": -3})
        );
        assert_eq!(
            convert("1: one\ntrue: yes\n~: nothing\n[a, b]: list\n"),
            json!({"1": "one", "true": "yes", "null": "nothing", "[\"a\",\"b\"]": "list"})
        );
        assert_eq!(convert("1: number\n\"1\": text\n"), json!({"1": "text"}));
        assert_eq!(
            convert("a: .nan\nb: .inf\nc: -.inf\n"),
            json!({"a": ".nan", "b": ".inf", "c": "-.inf"})
        );
        assert_eq!(convert("a: !custom value\n"), json!({"a": "value"}));
        assert_eq!(
            convert("date: 2017-06-22 10:30:00 +0200\n"),
            json!({"date": "2017-06-22 10:30:00 +0200"})
        );
    }

    #[test]
    fn html_characters_are_escaped_in_json_text() {
        let text = String::from_utf8(to_vec(&json!({"title": "<script>&", "n": [1, 2]}))).unwrap();
        assert_eq!(
            text,
            "{\n  \"title\": \"\\u003cscript\\u003e\\u0026\",\n  \"n\": [\n    1,\n    2\n  ]\n}\n"
        );
        let back: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], "<script>&");
    }

    #[test]
    fn line_and_paragraph_separators_are_escaped() {
        let value = json!({"t": "a\u{2028}b\u{2029}c é"});
        let text = String::from_utf8(to_vec(&value)).unwrap();
        assert_eq!(text, "{\n  \"t\": \"a\\u2028b\\u2029c é\"\n}\n");
        assert_eq!(serde_json::from_str::<Json>(&text).unwrap(), value);
    }
}
