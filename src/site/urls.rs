//! URLs of pages and static files, and the redirects pages declare, as Jekyll serves them.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::permalink::{escape_path_into, fill, with_suffix};
use super::{Kind, Site, MARKDOWN_EXTENSIONS};

/// Where a page or static file is served, and the old addresses that redirect to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The URL path, escaped, without `baseurl`.
    pub url: String,
    /// `redirect_from:` (jekyll-redirect-from): paths that lead to this one.
    pub redirect_from: Vec<String>,
}

impl Site {
    /// The URL (escaped) a page or static file is served at, as Jekyll serves it.
    pub fn page_url(&self, rel: &str) -> Option<String> {
        self.served(rel).map(|served| served.url)
    }

    /// Where a page or static file is served: `None` when Jekyll does not write it (a missing file, a
    /// `_` folder, a collection without `output`) or when it is a collection document.
    pub fn served(&self, rel: &str) -> Option<Served> {
        let path = self.root.join(rel);
        if !path.is_file() {
            return None;
        }
        if let Some(collection) = self.collection_of(rel) {
            // A file with front matter is a document, whose URL the post model gives.
            if !collection.output || super::walk::has_front_matter(&path).unwrap_or(true) {
                return None;
            }
            let inner = collection.inner(rel)?;
            let (stem, ext) = split_ext(inner);
            let template = collection.url_template(self.config.permalink_style());
            let path = format!("/{stem}");
            let url = fill(
                &template,
                &[
                    ("collection", &collection.label),
                    ("path", &path),
                    ("output_ext", ""),
                    ("name", stem.rsplit('/').next().unwrap_or(stem)),
                    ("title", ""),
                ],
            );
            return Some(static_file(&format!("{}{ext}", url.trim_end_matches('/'))));
        }
        if !self.is_read(rel) {
            return None;
        }
        match super::walk::has_front_matter(&path) {
            Ok(true) => Some(self.page(rel, &path)),
            _ => Some(static_file(&format!("/{rel}"))),
        }
    }

    fn page(&self, rel: &str, path: &Path) -> Served {
        let mut fields = Mapping::new();
        for defaults in self.defaults_for(rel, Kind::Page) {
            fields.extend(defaults.clone());
        }
        fields.extend(front_matter(path).unwrap_or_default());
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let (basename, ext) = split_ext(name);
        let output_ext = output_ext(ext);
        let template = match fields.get("permalink").and_then(Value::as_str) {
            Some(permalink) => permalink.to_string(),
            None if output_ext != ".html" => "/:path/:basename:output_ext".to_string(),
            None if basename == "index" => "/:path/".to_string(),
            None => with_suffix("/:path/:basename", self.config.permalink_style()),
        };
        let url = fill(
            &template,
            &[
                ("path", dir),
                ("basename", basename),
                ("output_ext", &output_ext),
            ],
        );
        let mut escaped = String::new();
        escape_path_into(&url, &mut escaped);
        Served {
            url: escaped,
            redirect_from: redirect_from(&fields),
        }
    }
}

/// `redirect_from:` of a document's fields, a path or a list of them, each made absolute.
pub fn redirect_from(fields: &Mapping) -> Vec<String> {
    let paths: Vec<&str> = match fields.get("redirect_from") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Sequence(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    paths
        .into_iter()
        .filter(|p| !p.trim().is_empty() && !p.contains("://"))
        .map(|p| super::permalink::sanitize_jekyll(p.trim()))
        .collect()
}

fn static_file(url: &str) -> Served {
    let mut escaped = String::new();
    escape_path_into(url, &mut escaped);
    Served {
        url: escaped,
        redirect_from: Vec::new(),
    }
}

/// A file name's stem and extension (with its dot, `""` for none).
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 && !name[dot..].contains('/') => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    }
}

/// The extension Jekyll's converters give a page's output.
fn output_ext(ext: &str) -> String {
    let bare = ext.trim_start_matches('.').to_ascii_lowercase();
    match bare.as_str() {
        e if MARKDOWN_EXTENSIONS.contains(&e) => ".html".to_string(),
        "scss" | "sass" => ".css".to_string(),
        "coffee" => ".js".to_string(),
        _ => ext.to_string(),
    }
}

fn front_matter(path: &Path) -> Option<Mapping> {
    let text = crate::fs::read_capped(path).ok()?;
    let text = String::from_utf8(text).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let crate::site::split::Split::Closed { yaml, .. } = crate::site::split::split(text) else {
        return None;
    };
    crate::site::front_matter::FrontMatter::parse(&text[yaml], 0)
        .ok()
        .map(|f| f.mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(config: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_config.yml"), config).unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let site = Site::load(dir.path()).unwrap();
        (dir, site)
    }

    const PAGE: &str = "---\ntitle: t\n---\n";

    #[test]
    fn page_urls_follow_the_site_style() {
        let files = [
            ("about.md", PAGE),
            ("blog/index.html", PAGE),
            ("feed.xml", PAGE),
            ("css/main.scss", PAGE),
            ("img/a b.png", ""),
            ("notes.md", "no front matter"),
        ];
        let (_dir, site) = site_with("", &files);
        let urls: Vec<_> = files.iter().map(|(rel, _)| site.page_url(rel)).collect();
        let want = [
            "/about.html",
            "/blog/",
            "/feed.xml",
            "/css/main.css",
            "/img/a%20b.png",
            "/notes.md",
        ];
        assert_eq!(urls, want.map(|u| Some(u.to_string())));
        let (_dir, site) = site_with("permalink: pretty\n", &files);
        assert_eq!(site.page_url("about.md").as_deref(), Some("/about/"));
        let (_dir, site) = site_with("permalink: :title\n", &files);
        assert_eq!(site.page_url("about.md").as_deref(), Some("/about"));
    }

    #[test]
    fn permalinks_defaults_redirects_and_included_folders() {
        let (_dir, site) = site_with(
            "include: [_pages]\ndefaults:\n  - scope: {path: legal, type: pages}\n    values: {permalink: /law/:basename/}\n",
            &[
                ("_pages/cv.md", "---\npermalink: /cv/\nredirect_from: [/resume/, old-cv.html]\n---\n"),
                ("legal/terms.md", PAGE),
                ("_hidden/x.md", PAGE),
            ],
        );
        let cv = site.served("_pages/cv.md").unwrap();
        assert_eq!(cv.url, "/cv/");
        assert_eq!(cv.redirect_from, ["/resume/", "/old-cv.html"]);
        assert_eq!(
            site.page_url("legal/terms.md").as_deref(),
            Some("/law/terms/")
        );
        assert_eq!(site.page_url("_hidden/x.md"), None);
    }

    #[test]
    fn static_files_of_collections() {
        let (_dir, site) = site_with(
            "collections:\n  docs: {output: true, permalink: '/:collection/:path/'}\n  faq: {}\n",
            &[("_docs/img/a.png", ""), ("_faq/b.png", "")],
        );
        assert_eq!(
            site.page_url("_docs/img/a.png").as_deref(),
            Some("/docs/img/a.png")
        );
        assert_eq!(site.page_url("_faq/b.png"), None);
    }
}
