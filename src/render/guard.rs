//! Where an export may write: never over the site's sources, its configuration, a version-control
//! folder or the home folder, whichever format, `--force` or not.
//!
//! [`source_reason`] decides from the path alone (relative to the site's root), so the same rule
//! holds for an `-o FILE` and an `-o DIR`; the checks around it look at what is on disk.

use std::path::{Component, Path, PathBuf};

use super::ExportError;
use crate::site::{Site, SiteFiles};

/// Version-control folders: never an output, nor anything inside one.
pub const VCS_FOLDERS: &[&str] = &[".git", ".svn", ".hg"];

/// Files at the site's root that configure it (the `_`-prefixed ones are caught by their prefix).
const ROOT_CONFIG_FILES: &[&str] = &["carnet.toml", "Gemfile", "Gemfile.lock"];

/// Why writing at `rel` (relative to the site's root) would touch the site's sources, or `None`
/// when it may be written. `destination` is Jekyll's output folder (`_site` unless configured),
/// the one `_`-prefixed folder that is an output.
pub fn source_reason(rel: &Path, destination: &str) -> Option<String> {
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy()),
            Component::CurDir => {}
            _ => return Some(format!("`{}` is not a plain path", rel.display())),
        }
    }
    if let Some(vcs) = parts.iter().find(|p| VCS_FOLDERS.contains(&p.as_ref())) {
        return Some(format!("`{vcs}` is a version-control folder"));
    }
    let first = parts.first()?;
    if parts.len() == 1 && ROOT_CONFIG_FILES.contains(&first.as_ref()) {
        return Some(format!("`{first}` is the site's configuration"));
    }
    if first.starts_with('_') && first != destination {
        return Some(if parts.len() == 1 && !first.contains('.') {
            format!("`{first}` is a source folder of the site (posts, drafts, collections, layouts, includes, data)")
        } else if parts.len() == 1 {
            format!("`{first}` is a source file of the site")
        } else {
            format!("it is inside `{first}`, a source folder of the site")
        });
    }
    if first.starts_with('.') {
        return Some(format!(
            "`{first}` is a hidden folder or file of the site (such as `.github` or `.carnet-cache`)"
        ));
    }
    let posts = parts
        .iter()
        .skip(1)
        .find(|p| *p == "_posts" || *p == "_drafts");
    posts.map(|p| format!("it is inside a `{p}` folder of the site"))
}

/// Jekyll's `destination:` as a folder name at the site's root (`_site` by default).
pub fn destination(site: &Site) -> String {
    site.config
        .raw
        .get("destination")
        .and_then(|v| v.as_str())
        .map(|d| d.trim_start_matches("./").trim_end_matches('/'))
        .filter(|d| !d.is_empty() && !d.contains('/'))
        .unwrap_or("_site")
        .to_string()
}

/// Where a write to `path` lands: its folder resolved through links (the nearest existing one when
/// it does not exist yet), its own name kept, since a link in its place is replaced, not followed.
pub fn resolve_parent(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let Some(name) = absolute.file_name() else {
        return Ok(absolute);
    };
    let parent = absolute.parent().unwrap_or(Path::new("/"));
    Ok(crate::fs::resolve(parent)?.join(name))
}

/// Checks that an `-o FILE` (the JSON formats) writes nothing the site is made of: refuses a path
/// among its sources (see [`source_reason`]), an existing page or post, and a version-control folder.
pub fn check_output_file(path: &Path, site: &Site, files: &SiteFiles) -> Result<(), ExportError> {
    let shown = path.display();
    let resolved =
        resolve_parent(path).map_err(|e| ExportError::trouble(format!("{shown}: {e}")))?;
    let refuse = |why: String| {
        Err(ExportError::Refused(format!(
            "{shown}: refusing to write there: {why}; choose a file outside the site's sources, such as {}",
            site.root.join("_site/posts.json").display()
        )))
    };
    if let Some(vcs) = resolved
        .components()
        .find(|c| VCS_FOLDERS.iter().any(|v| c.as_os_str() == *v))
    {
        return refuse(format!(
            "`{}` is a version-control folder",
            vcs.as_os_str().to_string_lossy()
        ));
    }
    // Writing would fail on the file system, after the export's work: say why before.
    if let Some(file) = resolved.parent().filter(|p| p.is_file()) {
        return refuse(format!(
            "`{}` is a file, so nothing can be written inside it",
            file.display()
        ));
    }
    let root = crate::fs::resolve(&site.root).unwrap_or_else(|_| site.root.clone());
    let Ok(rel) = resolved.strip_prefix(&root) else {
        return Ok(());
    };
    if rel.as_os_str().is_empty() {
        return refuse("it is the site's own folder".to_string());
    }
    if let Some(why) = source_reason(rel, &destination(site)) {
        return refuse(why);
    }
    let rel_text = rel.to_string_lossy().replace('\\', "/");
    if files.posts.iter().any(|f| f.rel == rel_text) {
        return refuse("it is one of the site's posts".to_string());
    }
    if files.others.contains(&rel_text) && is_page(&resolved) {
        return refuse("it is one of the site's pages (it has front matter)".to_string());
    }
    Ok(())
}

/// A file Jekyll processes (front matter first): a page, a layout, a stylesheet with front matter.
fn is_page(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head.starts_with(b"---") || head.starts_with("\u{feff}".as_bytes()))
}

/// Refuses a folder `--force` must never replace, outside the site as inside: the home folder or
/// one holding it, a version-control folder or one inside it, another site.
pub fn check_output_folder(path: &Path) -> Result<(), ExportError> {
    let shown = path.display();
    let refuse = |why: String| {
        Err(ExportError::Refused(format!(
            "{shown}: refusing to replace {why}"
        )))
    };
    if let Some(vcs) = path
        .components()
        .find(|c| VCS_FOLDERS.iter().any(|v| c.as_os_str() == *v))
    {
        return refuse(format!(
            "a version-control folder (`{}`)",
            vcs.as_os_str().to_string_lossy()
        ));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .and_then(|h| crate::fs::resolve(&h).ok());
    if home.is_some_and(|home| home.starts_with(path)) {
        return refuse("the home folder (or a folder holding it)".to_string());
    }
    for config in ["_config.yml", crate::site::CARNET_TOML] {
        if path.join(config).is_file() {
            return refuse(format!("a site's folder (it holds `{config}`)"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(rel: &str) -> Option<String> {
        source_reason(Path::new(rel), "_site")
    }

    #[test]
    fn sources_configuration_and_hidden_folders_are_refused() {
        for rel in [
            "_posts/2020-01-01-a.md",
            "_config.yml",
            "_config.prod.yml",
            "_drafts",
            "_recipes",
            "_templates/post.md",
            "_layouts/default.html",
            "_includes/x.html",
            "_data/x.json",
            "carnet.toml",
            ".git",
            "public/.git/config",
            ".github",
            ".carnet-cache",
            "travel/_posts/2020-01-01-a.md",
            "../x.json",
        ] {
            assert!(reason(rel).is_some(), "{rel}");
        }
        for rel in [
            "_site",
            "_site/posts.json",
            "public",
            "feed.json",
            "a/b/c.json",
        ] {
            assert_eq!(reason(rel), None, "{rel}");
        }
        assert!(source_reason(Path::new("_site"), "public").is_some());
        assert_eq!(source_reason(Path::new("_out/x"), "_out"), None);
    }
}
