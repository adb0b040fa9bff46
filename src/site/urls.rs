//! URLs of pages, static files and collection documents, as Jekyll serves them.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::Site;

impl Site {
    /// The URL (escaped) a page, static file or collection document is served at, as Jekyll serves it.
    pub fn page_url(&self, rel: &str) -> Option<String> {
        page_url(self, rel)
    }
}

fn page_url(site: &Site, rel: &str) -> Option<String> {
    let path = site.root.join(rel);
    if !path.is_file() {
        return None;
    }
    if let Some(collection) = rel.split('/').next().and_then(|s| s.strip_prefix('_')) {
        return collection_url(site, collection, rel, &path);
    }
    if rel.split('/').any(|s| s.starts_with('_')) {
        return None;
    }
    let mut escaped = String::new();
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, ""));
    let is_page = ext == "html" || crate::site::MARKDOWN_EXTENSIONS.contains(&ext);
    let front = is_page.then(|| page_front_matter(&path)).flatten();
    let Some(front) = front else {
        crate::site::permalink::escape_path_into(&format!("/{rel}"), &mut escaped);
        return Some(escaped);
    };
    if let Some(Value::String(permalink)) = front.get("permalink") {
        let permalink = if permalink.starts_with('/') {
            permalink.clone()
        } else {
            format!("/{permalink}")
        };
        crate::site::permalink::escape_path_into(&permalink, &mut escaped);
        return Some(escaped);
    }
    let (dir, name) = match stem.rsplit_once('/') {
        Some((dir, name)) => (format!("/{dir}/"), name),
        None => ("/".to_string(), stem),
    };
    let url = if name == "index" {
        dir
    } else if site.config.permalink == "pretty" {
        format!("{dir}{name}/")
    } else {
        format!("{dir}{name}.html")
    };
    crate::site::permalink::escape_path_into(&url, &mut escaped);
    Some(escaped)
}

/// The URL of a document of a collection (`_docs/x.md`) declared in `_config.yml`'s `collections`.
fn collection_url(site: &Site, name: &str, rel: &str, path: &Path) -> Option<String> {
    let declared = match site.config.raw.get("collections")? {
        Value::Mapping(collections) => collections.get(name).cloned().map(Some),
        Value::Sequence(names) => names
            .iter()
            .any(|n| n.as_str() == Some(name))
            .then_some(None),
        _ => None,
    }?;
    let mut escaped = String::new();
    if let Some(Value::String(permalink)) = page_front_matter(path)
        .as_ref()
        .and_then(|f| f.get("permalink"))
    {
        crate::site::permalink::escape_path_into(
            &format!("/{}", permalink.trim_start_matches('/')),
            &mut escaped,
        );
        return Some(escaped);
    }
    let inner = rel.split_once('/').map_or("", |(_, inner)| inner);
    let (stem, ext) = inner.rsplit_once('.').unwrap_or((inner, ""));
    let basename = stem.rsplit('/').next().unwrap_or(stem);
    let output_ext = if ext == "html" || crate::site::MARKDOWN_EXTENSIONS.contains(&ext) {
        ".html".to_string()
    } else {
        format!(".{ext}")
    };
    let default = if site.config.permalink == "pretty" {
        "/:collection/:path/"
    } else {
        "/:collection/:path:output_ext"
    };
    let pattern = declared
        .as_ref()
        .and_then(|meta| meta.get("permalink"))
        .and_then(Value::as_str)
        .unwrap_or(default);
    let url = pattern
        .replace(":collection", name)
        .replace(":output_ext", &output_ext)
        .replace(":path", stem)
        .replace(":name", basename)
        .replace(":title", basename);
    let url: Vec<&str> = url
        .split('/')
        .filter(|s| !s.is_empty() && *s != "..")
        .collect();
    let trailing = pattern.ends_with('/');
    crate::site::permalink::escape_path_into(
        &format!("/{}{}", url.join("/"), if trailing { "/" } else { "" }),
        &mut escaped,
    );
    Some(escaped)
}

fn page_front_matter(path: &Path) -> Option<Mapping> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let crate::site::split::Split::Closed { yaml, .. } = crate::site::split::split(text) else {
        return None;
    };
    crate::site::front_matter::FrontMatter::parse(&text[yaml], 0)
        .ok()
        .map(|f| f.mapping)
}
