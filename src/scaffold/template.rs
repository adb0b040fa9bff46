//! Post templates: `_templates/NAME.md`, with `{{ title }}`, `{{ date }}`, `{{ slug }}`, `{{ tags }}`,
//! `{{ categories }}` and `{{ layout }}` filled in.
//!
//! Only these placeholders are replaced; any other `{{ ... }}` or `{% ... %}` is Liquid meant for
//! Jekyll and stays as written. In the front matter each value is written as a YAML scalar fitting
//! the place it stands in, so a title full of colons and quotes cannot break the YAML.

use std::path::{Path, PathBuf};

use super::yaml;
use crate::site::split::{split, Lines, Split};

/// The folder holding templates, under the site root.
pub const FOLDER: &str = "_templates";

/// The values placeholders stand for.
#[derive(Debug, Clone)]
pub struct Values<'a> {
    /// `{{ title }}`.
    pub title: &'a str,
    /// `{{ date }}`, `None` for a draft (a front-matter line holding only `{{ date }}` is dropped).
    pub date: Option<&'a str>,
    /// `{{ slug }}`.
    pub slug: &'a str,
    /// `{{ tags }}`: a flow list in front matter, comma-separated in the body.
    pub tags: &'a [String],
    /// `{{ categories }}`, likewise.
    pub categories: &'a [String],
    /// `{{ layout }}`.
    pub layout: &'a str,
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The name could reach outside `_templates/`.
    #[error("template name {0:?}: use letters, digits, `-` and `_` only (a file name in _templates/, without `.md`)")]
    BadName(String),
    /// A placeholder where carnet cannot write a value safely.
    #[error("line {line}: `{{{{ {name} }}}}` must be the value of a `key:` line or a `- ` item")]
    Misplaced {
        /// 1-based line in the template.
        line: usize,
        /// The placeholder.
        name: &'static str,
    },
    /// `+++` or an unclosed `---` block.
    #[error("its front matter is {0}")]
    BadFrontMatter(&'static str),
}

/// A filled-in template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// The post's text.
    pub text: String,
    /// Whether the template had its own front matter (else the built-in one goes above `text`).
    pub has_front_matter: bool,
    /// Placeholders used in the front matter.
    pub used: Vec<&'static str>,
}

/// Checks a template name and gives its file: `_templates/NAME.md` under `root`.
pub fn path(root: &Path, name: &str) -> Result<PathBuf, TemplateError> {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let ok = !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !stem.starts_with(['-', '_']);
    if !ok {
        return Err(TemplateError::BadName(name.to_string()));
    }
    Ok(root.join(FOLDER).join(format!("{stem}.md")))
}

const NAMES: &[&str] = &["title", "date", "slug", "tags", "categories", "layout"];

/// A known placeholder at `start..end` of a line.
struct Placeholder {
    start: usize,
    end: usize,
    name: &'static str,
}

fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(open) = text[pos..].find("{{").map(|i| pos + i) {
        let Some(close) = text[open + 2..].find("}}").map(|i| open + 2 + i) else {
            break;
        };
        let inner = text[open + 2..close].trim();
        match NAMES.iter().find(|n| **n == inner) {
            Some(name) => {
                found.push(Placeholder {
                    start: open,
                    end: close + 2,
                    name,
                });
                pos = close + 2;
            }
            None => pos = open + 2,
        }
    }
    found
}

impl Values<'_> {
    fn raw(&self, name: &str) -> String {
        match name {
            "title" => self.title.to_string(),
            "date" => self.date.unwrap_or_default().to_string(),
            "slug" => self.slug.to_string(),
            "tags" => self.tags.join(", "),
            "categories" => self.categories.join(", "),
            _ => self.layout.to_string(),
        }
    }

    /// The value as a whole block-context scalar (or flow list).
    fn scalar(&self, name: &str) -> String {
        match name {
            "tags" => yaml::flow_list(self.tags),
            "categories" => yaml::flow_list(self.categories),
            // The date is generated in a fixed form that YAML reads as a string in 1.2 and as a
            // timestamp in Jekyll's 1.1: written plain, as Jekyll sites write it.
            "date" => self.raw(name),
            _ => yaml::string(&self.raw(name)),
        }
    }

    /// The value as items inside a flow collection.
    fn flow(&self, name: &str) -> String {
        let items = |list: &[String]| {
            list.iter()
                .map(|s| yaml::flow_string(s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match name {
            "tags" => items(self.tags),
            "categories" => items(self.categories),
            _ => yaml::flow_string(&self.raw(name)),
        }
    }
}

fn substitute(text: &str, found: &[Placeholder], value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for p in found {
        out.push_str(&text[pos..p.start]);
        out.push_str(&value(p.name));
        pos = p.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Fills a template's text in.
pub fn fill(template: &str, values: &Values) -> Result<Filled, TemplateError> {
    let template = template.strip_prefix('\u{feff}').unwrap_or(template);
    let (yaml, body_start) = match split(template) {
        Split::Missing => {
            return Ok(Filled {
                text: substitute(template, &placeholders(template), |n| values.raw(n)),
                has_front_matter: false,
                used: Vec::new(),
            })
        }
        Split::Toml => {
            return Err(TemplateError::BadFrontMatter(
                "TOML, which Jekyll does not read",
            ))
        }
        Split::Unclosed { .. } => return Err(TemplateError::BadFrontMatter("never closed")),
        Split::Closed { yaml, closing, .. } => (yaml, closing.start),
    };
    let first_line = template[..yaml.start].matches('\n').count().max(1);
    let mut used = Vec::new();
    let mut out = String::with_capacity(template.len() + 256);
    out.push_str(&template[..yaml.start]);
    let mut block_indent: Option<usize> = None;
    for (i, line) in Lines::new(&template[yaml.clone()]).enumerate() {
        let content = line.content;
        let indent = content.len() - content.trim_start_matches(' ').len();
        if let Some(parent) = block_indent {
            if content.trim().is_empty() || indent > parent {
                let found = placeholders(content);
                out.push_str(&substitute(content, &found, |n| values.raw(n)));
                out.push_str(line.ending);
                continue;
            }
            block_indent = None;
        }
        let found = placeholders(content);
        let value_start = value_start(content);
        if found.is_empty() {
            if value_start.is_some_and(|v| content[v..].trim_start().starts_with(['|', '>'])) {
                block_indent = Some(indent);
            }
            out.push_str(content);
            out.push_str(line.ending);
            continue;
        }
        let misplaced = |p: &Placeholder| TemplateError::Misplaced {
            line: first_line + i + 1,
            name: p.name,
        };
        let Some(start) = value_start.filter(|v| found.iter().all(|p| p.start >= *v)) else {
            return Err(misplaced(&found[0]));
        };
        for p in &found {
            if !used.contains(&p.name) {
                used.push(p.name);
            }
        }
        let rest = content[start..].trim_end();
        let is_item = content[indent..].starts_with('-');
        let filled = if let Some(p) = whole(rest, &found) {
            if p.name == "date" && values.date.is_none() && !is_item {
                continue;
            }
            values.scalar(p.name)
        } else if rest.starts_with('"') {
            substitute(rest, &found_in(rest, &found, start), |n| {
                let mut escaped = String::new();
                yaml::push_escaped(&mut escaped, &values.raw(n));
                escaped
            })
        } else if rest.starts_with('\'') {
            substitute(rest, &found_in(rest, &found, start), |n| {
                values.raw(n).replace('\'', "''")
            })
        } else if rest.starts_with(['[', '{']) {
            substitute(rest, &found_in(rest, &found, start), |n| values.flow(n))
        } else {
            let (value, comment) = match rest.find(" #") {
                Some(c) if found.iter().all(|p| p.end - start <= c) => (&rest[..c], &rest[c..]),
                _ => (rest, ""),
            };
            let plain = substitute(value, &found_in(value, &found, start), |n| values.raw(n));
            format!("{}{comment}", yaml::string(&plain))
        };
        out.push_str(&content[..start]);
        out.push_str(&filled);
        out.push_str(line.ending);
    }
    out.push_str(&template[yaml.end..body_start]);
    let body = &template[body_start..];
    out.push_str(&substitute(body, &placeholders(body), |n| values.raw(n)));
    Ok(Filled {
        text: out,
        has_front_matter: true,
        used,
    })
}

/// The placeholders of a line, re-based onto `part`, a slice of the line starting at `offset`.
fn found_in(part: &str, found: &[Placeholder], offset: usize) -> Vec<Placeholder> {
    found
        .iter()
        .filter(|p| p.end - offset <= part.len())
        .map(|p| Placeholder {
            start: p.start - offset,
            end: p.end - offset,
            name: p.name,
        })
        .collect()
}

/// The one placeholder `rest` consists of, alone or between matching quotes.
fn whole<'f>(rest: &str, found: &'f [Placeholder]) -> Option<&'f Placeholder> {
    let [p] = found else { return None };
    let inner = ["\"", "'"]
        .iter()
        .find_map(|q| rest.strip_prefix(q).and_then(|r| r.strip_suffix(q)))
        .unwrap_or(rest);
    (placeholders(inner).len() == 1 && inner.starts_with("{{") && inner.ends_with("}}"))
        .then_some(p)
}

/// Where the value of a `key: value` or `- item` line starts.
fn value_start(content: &str) -> Option<usize> {
    let indent = content.len() - content.trim_start_matches(' ').len();
    let after = &content[indent..];
    if after == "-" || after.starts_with("- ") {
        let rest = &after[1..];
        return Some(indent + 1 + (rest.len() - rest.trim_start().len()));
    }
    if after.starts_with('#') {
        return None;
    }
    let bytes = content.as_bytes();
    let colon = (indent..bytes.len())
        .find(|&i| bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')))?;
    let rest = &content[colon + 1..];
    Some(colon + 1 + (rest.len() - rest.trim_start().len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_yaml::{Mapping, Value};

    fn values<'a>(title: &'a str, tags: &'a [String], date: Option<&'a str>) -> Values<'a> {
        Values {
            title,
            date,
            slug: "the-slug",
            tags,
            categories: &[],
            layout: "post",
        }
    }

    fn front(text: &str) -> Mapping {
        let Split::Closed { yaml, .. } = split(text) else {
            panic!("{text}")
        };
        serde_yaml::from_str(&text[yaml]).unwrap()
    }

    #[test]
    fn values_are_yaml_safe_in_every_place() {
        let tags = vec!["a, b".to_string(), "yes".to_string()];
        let title = "Jekyll: \"the\" guide # 1 'ok'";
        let template = "---\nlayout: {{ layout }}\ntitle: \"{{ title }}\"\nalso: {{title}}\nquoted: \"About {{ title }}\"\nsingle: 'About {{ title }}'\nplain: About {{ title }} # note\ntags: {{ tags }}\nmore: [x, {{ tags }}]\nitems:\n  - {{ slug }}\ndate: {{ date }}\ntext: |\n  {{ title }}\n---\n# {{ title }}\n\n{{ site.url }} {% include x.html %}\n";
        let filled = fill(
            template,
            &values(title, &tags, Some("2024-05-01 12:00:00 +0200")),
        )
        .unwrap();
        let m = front(&filled.text);
        let s = |k: &str| m[k].as_str().unwrap().to_string();
        assert_eq!(s("title"), title);
        assert_eq!(s("also"), title);
        assert_eq!(s("quoted"), format!("About {title}"));
        assert_eq!(s("single"), format!("About {title}"));
        assert_eq!(s("plain"), format!("About {title}"));
        assert_eq!(s("text"), format!("{title}\n"));
        assert_eq!(s("date"), "2024-05-01 12:00:00 +0200");
        assert_eq!(
            m["tags"],
            serde_yaml::from_str::<Value>("['a, b', 'yes']").unwrap()
        );
        assert_eq!(
            m["more"],
            serde_yaml::from_str::<Value>("[x, 'a, b', 'yes']").unwrap()
        );
        assert_eq!(m["items"][0].as_str(), Some("the-slug"));
        assert!(
            filled.text.contains("plain: \"About Jekyll") && filled.text.contains("\" # note\n")
        );
        assert!(filled.text.ends_with(&format!(
            "# {title}\n\n{{{{ site.url }}}} {{% include x.html %}}\n"
        )));
        assert!(filled.has_front_matter);
        assert_eq!(filled.used, ["layout", "title", "tags", "slug", "date"]);
    }

    #[test]
    fn drafts_drop_the_date_line() {
        let filled = fill(
            "---\ntitle: {{ title }}\ndate: {{ date }}\n---\n",
            &values("T", &[], None),
        )
        .unwrap();
        assert_eq!(filled.text, "---\ntitle: T\n---\n");
    }

    #[test]
    fn body_only_templates_and_crlf() {
        let filled = fill("Hello {{ title }}\r\n", &values("T", &[], None)).unwrap();
        assert!(!filled.has_front_matter);
        assert_eq!(filled.text, "Hello T\r\n");
        let filled = fill(
            "\u{feff}---\r\ntitle: {{ title }}\r\n---\r\nx\r\n",
            &values("a: b", &[], None),
        )
        .unwrap();
        assert_eq!(filled.text, "---\r\ntitle: \"a: b\"\r\n---\r\nx\r\n");
    }

    #[test]
    fn misplaced_placeholders_and_bad_names() {
        assert_eq!(
            fill("---\n{{ slug }}: x\n---\n", &values("T", &[], None)),
            Err(TemplateError::Misplaced {
                line: 2,
                name: "slug"
            })
        );
        for bad in ["../x", "a/b", ".hidden", "", "-x", "a.b", "a\\b"] {
            assert!(path(Path::new("/site"), bad).is_err(), "{bad}");
        }
        assert_eq!(
            path(Path::new("/site"), "note.md").unwrap(),
            Path::new("/site/_templates/note.md")
        );
    }
}
