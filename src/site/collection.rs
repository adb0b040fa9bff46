//! Collections as `_config.yml` declares them: `collections:` (a list of names or a mapping of
//! names to `output`, `permalink`, `sort_by`) and `collections_dir`.

use serde_yaml::Value;

/// One collection of the site; `posts` is always one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// The name (`docs` for `_docs/`).
    pub label: String,
    /// `output`: whether Jekyll writes a page for each document.
    pub output: bool,
    /// `permalink` from the collection's settings, when given.
    pub permalink: Option<String>,
    /// `sort_by`: the front-matter field documents are ordered by.
    pub sort_by: Option<String>,
    /// The folder, relative to the site root (`_docs`, or `<collections_dir>/_docs`).
    pub dir: String,
}

impl Collection {
    /// Jekyll's `posts`, which every site has.
    pub fn posts() -> Collection {
        Collection::named("posts", "")
    }

    fn named(label: &str, collections_dir: &str) -> Collection {
        let dir = if collections_dir.is_empty() {
            format!("_{label}")
        } else {
            format!("{collections_dir}/_{label}")
        };
        Collection {
            label: label.to_string(),
            output: label == "posts",
            permalink: None,
            sort_by: None,
            dir,
        }
    }

    /// The URL template of the collection's documents: its `permalink`, else `/:collection/:path`
    /// with the ending the site's permalink style gives (Jekyll's `add_permalink_suffix`).
    pub fn url_template(&self, site_style: &str) -> String {
        if let Some(permalink) = &self.permalink {
            return permalink.clone();
        }
        super::permalink::with_suffix("/:collection/:path", site_style)
    }

    /// The path of `rel` inside the collection's folder, when the file belongs to it (Jekyll skips
    /// entries whose first folder or name starts with `_`, `.` or `#`).
    pub fn inner<'r>(&self, rel: &'r str) -> Option<&'r str> {
        let inner = rel.strip_prefix(&self.dir)?.strip_prefix('/')?;
        let special = |s: &str| s.starts_with(['_', '.', '#']);
        let first = inner.split('/').next().unwrap_or(inner);
        let name = inner.rsplit('/').next().unwrap_or(inner);
        (!special(first) && !special(name)).then_some(inner)
    }
}

/// Reads `collections:`; the error says what was expected.
pub fn parse(value: &Value, collections_dir: &str) -> Result<Vec<Collection>, &'static str> {
    const EXPECTED: &str = "a list of names or a mapping of names to settings";
    let mut out = vec![Collection::named("posts", collections_dir)];
    let mut add = |collection: Collection| {
        if let Some(same) = out.iter_mut().find(|c| c.label == collection.label) {
            *same = collection;
        } else {
            out.push(collection);
        }
    };
    match value {
        Value::Null => {}
        Value::Sequence(names) => {
            for name in names {
                let name = name.as_str().ok_or(EXPECTED)?;
                add(Collection::named(name, collections_dir));
            }
        }
        Value::Mapping(map) => {
            for (name, settings) in map {
                let name = match name {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => return Err(EXPECTED),
                };
                let mut collection = Collection::named(&name, collections_dir);
                if let Some(output) = settings.get("output") {
                    collection.output =
                        super::front_matter::yaml11_bool(output).unwrap_or(collection.output);
                }
                collection.permalink = settings
                    .get("permalink")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                collection.sort_by = settings
                    .get("sort_by")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                add(collection);
            }
        }
        _ => return Err(EXPECTED),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(yaml: &str, dir: &str) -> Vec<Collection> {
        parse(&serde_yaml::from_str(yaml).unwrap(), dir).unwrap()
    }

    #[test]
    fn list_and_mapping_forms() {
        let list = parsed("[docs, faq]", "");
        let labels: Vec<_> = list.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["posts", "docs", "faq"]);
        assert!(list[0].output && !list[1].output);
        let map = parsed(
            "docs: {output: true, permalink: '/:collection/:path/', sort_by: order}\nfaq:\n",
            "content",
        );
        assert_eq!(map[1].dir, "content/_docs");
        assert_eq!(map[0].dir, "content/_posts");
        assert!(map[1].output);
        assert_eq!(map[1].sort_by.as_deref(), Some("order"));
        assert!(!map[2].output);
        assert!(parse(&Value::from(3), "").is_err());
    }

    #[test]
    fn default_templates_follow_the_site_style() {
        let docs = Collection::named("docs", "");
        assert_eq!(docs.url_template("date"), "/:collection/:path:output_ext");
        assert_eq!(docs.url_template("pretty"), "/:collection/:path/");
        assert_eq!(docs.url_template("/:year/:title/"), "/:collection/:path/");
        assert_eq!(docs.url_template(":title"), "/:collection/:path");
    }

    #[test]
    fn files_of_a_collection() {
        let docs = Collection::named("docs", "");
        assert_eq!(docs.inner("_docs/a/b.md"), Some("a/b.md"));
        assert_eq!(docs.inner("_docs/_x/b.md"), None);
        assert_eq!(docs.inner("_docs/a/.b.md"), None);
        assert_eq!(docs.inner("_docsx/b.md"), None);
    }
}
