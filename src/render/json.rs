//! `--format json`: one document holding the site and every exported post.
//!
//! Its shape is published as a JSON Schema in `schema/export.schema.json`.

use serde_json::{json, Map, Number, Value as Json};
use serde_yaml::Value as Yaml;

use super::{Entry, Export};

/// Version of the document's shape; bumped on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

/// The `generator` value: `carnet VERSION`.
pub fn generator() -> String {
    format!("carnet {}", env!("CARGO_PKG_VERSION"))
}

/// The export as one JSON document.
pub fn document(export: &Export) -> Json {
    json!({
        "version": FORMAT_VERSION,
        "generator": generator(),
        "site": {
            "title": export.site.title,
            "url": export.site.url,
            "baseurl": export.site.baseurl,
            "lang": export.site.lang,
        },
        "posts": export.posts.iter().map(|entry| post(export, entry)).collect::<Vec<_>>(),
    })
}

fn post(export: &Export, entry: &Entry) -> Json {
    let post = &entry.post;
    let front_matter = post
        .front()
        .map_or_else(|| Json::Object(Map::new()), |f| mapping_to_json(&f.mapping));
    json!({
        "path": post.file.rel,
        "slug": post.data.slug,
        "url": export.site.absolute(&entry.url),
        "title": entry.title,
        "date": entry.date.to_rfc3339(),
        "status": entry.status.as_str(),
        "layout": post.data.layout,
        "categories": post.data.categories,
        "tags": post.data.tags,
        "front_matter": front_matter,
        "excerpt_html": entry.rendered.excerpt_html,
        "content_html": entry.rendered.content_html,
        "word_count": post.word_count(),
        "reading_minutes": entry.reading_minutes(),
        "headings": entry.rendered.headings,
    })
}

/// Serializes a document, pretty-printed, with `<`, `>` and `&` written as `\u` escapes so that the
/// text can be embedded in an HTML `<script>` element as it is.
pub fn to_string(value: &Json) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}

/// A YAML value as JSON: keys that are not strings are written as text, custom tags (`!x value`)
/// give their value, and NaN or infinite numbers become the strings `.nan`, `.inf`, `-.inf`.
pub fn yaml_to_json(value: &Yaml) -> Json {
    match value {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(*b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                match Number::from_f64(f) {
                    Some(number) => Json::Number(number),
                    None if f.is_nan() => Json::from(".nan"),
                    None if f > 0.0 => Json::from(".inf"),
                    None => Json::from("-.inf"),
                }
            }
        }
        Yaml::String(s) => Json::String(s.clone()),
        Yaml::Sequence(items) => Json::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Mapping(mapping) => mapping_to_json(mapping),
        Yaml::Tagged(tagged) => yaml_to_json(&tagged.value),
    }
}

fn mapping_to_json(mapping: &serde_yaml::Mapping) -> Json {
    let mut object = Map::with_capacity(mapping.len());
    for (key, value) in mapping {
        object.insert(key_text(key), yaml_to_json(value));
    }
    Json::Object(object)
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
        let text = to_string(&json!({"title": "<script>&"}));
        assert!(text.contains(r#""\u003cscript\u003e\u0026""#), "{text}");
        let back: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], "<script>&");
    }
}
