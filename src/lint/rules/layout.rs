//! `layout:` naming a layout the site does not have.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde_yaml::Value;

use crate::lint::rule::{Rule, Severity};
use crate::lint::Checker;

/// A layout that no file of `_layouts/` (or of the installed theme) provides.
pub static UNKNOWN_LAYOUT: Rule = Rule {
    name: "unknown-layout",
    severity: Severity::Warning,
    enabled: true,
    fixable: false,
    summary: "`layout` names no layout of `_layouts/` or of the installed theme",
    explanation: "Jekyll only warns at build time when a post asks for a layout that does not exist, then \
writes the post without any layout: no header, no styles, no navigation. `layout: psot` is enough. The \
layouts are the files of `_layouts/` and, with `theme:`, those of the theme gem when it is installed; \
with a theme that is not installed here, or a `remote_theme:`, nothing is reported.",
    bad: "_layouts/post.html\n_posts/2020-01-01-example.md\n---\ntitle: Example\nlayout: psot\n---\n",
    good: "_layouts/post.html\n_posts/2020-01-01-example.md\n---\ntitle: Example\nlayout: post\n---\n",
    markdownlint: &[],
};

/// Reports the post's own `layout:` when no layout of that name exists.
pub fn check(checker: &mut Checker) {
    if !checker.enabled(&UNKNOWN_LAYOUT) {
        return;
    }
    let post = checker.post;
    let Some(Value::String(name)) = post.front().and_then(|f| f.mapping.get("layout")) else {
        return;
    };
    // `none` is Jekyll's way of asking for no layout.
    if name.is_empty() || name == "none" {
        return;
    }
    let Some(layouts) = known_layouts(checker.site) else {
        return;
    };
    if layouts.contains(name.as_str()) {
        return;
    }
    let mut known: Vec<&String> = layouts.iter().collect();
    known.sort();
    let list: Vec<String> = known.iter().map(|l| format!("`{l}`")).collect();
    let span = post.field_span("layout").unwrap_or(0..3);
    checker.report(
        &UNKNOWN_LAYOUT,
        span,
        format!(
            "no layout `{name}` in the site (layouts: {}): Jekyll writes the post without one",
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            }
        ),
    );
}

/// [`layouts`], listed again only when the layouts folder changed: every post asks, and listing
/// the folder for each of thousands of posts took a few percent of a lint.
fn known_layouts(site: &crate::site::Site) -> Option<Arc<HashSet<String>>> {
    type Listed = (PathBuf, Option<SystemTime>, Option<Arc<HashSet<String>>>);
    static LAST: Mutex<Option<Listed>> = Mutex::new(None);
    let dir = layouts_dir(site);
    let modified = std::fs::metadata(&dir).and_then(|m| m.modified()).ok();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((listed_dir, listed_at, names)) = last.as_ref() {
        if *listed_dir == dir && modified.is_some() && *listed_at == modified {
            return names.clone();
        }
    }
    let names = layouts(site).map(Arc::new);
    *last = Some((dir, modified, names.clone()));
    names
}

/// The site's layouts folder (`layouts_dir:`, `_layouts` by default).
fn layouts_dir(site: &crate::site::Site) -> PathBuf {
    let dir = site
        .config
        .raw
        .get("layouts_dir")
        .and_then(Value::as_str)
        .unwrap_or("_layouts");
    site.root.join(dir)
}

/// The names of the site's layouts, or `None` when they cannot all be known: no `_layouts/`
/// folder and no theme (a partial copy of a site), a remote theme, or a theme not installed here.
fn layouts(site: &crate::site::Site) -> Option<HashSet<String>> {
    let raw = &site.config.raw;
    if raw.get("remote_theme").is_some() {
        return None;
    }
    let own = layouts_dir(site);
    let mut names = HashSet::new();
    let has_own = add_layouts(&own, &mut names);
    match raw.get("theme").and_then(Value::as_str) {
        Some(theme) => {
            let installed = theme_dir(&site.root, theme)?;
            add_layouts(&installed.join("_layouts"), &mut names);
        }
        None if !has_own => return None,
        None => {}
    }
    Some(names)
}

/// Adds the layout names (file names without extension) of `dir`; whether the folder exists.
fn add_layouts(dir: &Path, names: &mut HashSet<String>) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stem = name.rsplit_once('.').map_or(&*name, |(stem, _)| stem);
        names.insert(stem.to_string());
    }
    true
}

/// Where the theme gem is installed: under the site's `vendor/bundle` or a folder of `GEM_HOME`
/// and `GEM_PATH`.
fn theme_dir(root: &Path, theme: &str) -> Option<PathBuf> {
    let mut gem_roots: Vec<PathBuf> = Vec::new();
    if let Ok(rubies) = std::fs::read_dir(root.join("vendor/bundle/ruby")) {
        gem_roots.extend(rubies.flatten().map(|e| e.path()));
    }
    for var in ["GEM_HOME", "GEM_PATH"] {
        if let Some(value) = std::env::var_os(var) {
            gem_roots.extend(std::env::split_paths(&value));
        }
    }
    let prefix = format!("{theme}-");
    gem_roots.iter().find_map(|gems| {
        std::fs::read_dir(gems.join("gems"))
            .ok()?
            .flatten()
            .find(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.strip_prefix(&prefix)
                    .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
            })
            .map(|e| e.path())
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::excerpt::tests::findings;

    #[test]
    fn layouts_come_from_the_folder_and_none_means_no_layout() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("_layouts")).unwrap();
        std::fs::write(root.join("_layouts/post.html"), "{{ content }}").unwrap();
        std::fs::write(root.join("_config.yml"), "timezone: UTC\n").unwrap();
        let site = crate::site::Site::load(root).unwrap();
        let found = |layout: &str| {
            let text = format!("---\ntitle: t\nlayout: {layout}\n---\n\nText.\n");
            let post = crate::post::Post::sample_in("_posts/2020-01-01-a.md", &text, &site);
            let now = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap();
            let settings = crate::lint::Settings::new(
                &crate::lint::config::LintConfig::default(),
                &[],
                &[],
                now,
            )
            .unwrap();
            crate::lint::check_post(&post, &site, &settings)
                .diagnostics
                .iter()
                .filter(|d| d.rule.name == "unknown-layout")
                .map(|d| (d.start.line, d.start.column))
                .collect::<Vec<_>>()
        };
        assert_eq!(found("psot"), [(3, 9)]);
        assert_eq!(found("post"), []);
        assert_eq!(found("none"), []);
        // A layout added while carnet runs (`lint --watch`, an editor) is seen.
        assert_eq!(found("page"), [(3, 9)]);
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(root.join("_layouts/page.html"), "{{ content }}").unwrap();
        assert_eq!(found("page"), []);
    }

    #[test]
    fn without_layouts_or_with_a_theme_not_installed_nothing_is_said() {
        let text = "---\ntitle: t\nlayout: psot\n---\n\nText.\n";
        for config in [
            "",
            "theme: minima-not-installed-here\n",
            "remote_theme: a/b\n",
        ] {
            let found = findings(config, "_posts/2020-01-01-a.md", text, "unknown-layout");
            assert!(found.is_empty(), "{config}");
        }
    }
}
