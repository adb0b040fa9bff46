//! The files `{% include %}` and `{% include_relative %}` name, found and read as Jekyll allows:
//! `include` inside `_includes/`, `include_relative` inside the site, no `..`, regular files only,
//! at most [`crate::fs::MAX_SOURCE_BYTES`].
//!
//! A post comes from anyone who can open a pull request: reading `/dev/zero`, a FIFO or a link to a
//! device would hang carnet or exhaust its memory, so every path is checked before it is opened.

use std::path::{Component, Path, PathBuf};

use crate::fs::MAX_SOURCE_BYTES;

/// Which tag names the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeTag {
    /// `{% include NAME %}`: under the site's `_includes/`.
    Include,
    /// `{% include_relative NAME %}`: beside the post, inside the site.
    Relative,
}

impl IncludeTag {
    /// The kind of a Liquid tag name, `None` for other tags.
    pub fn of_tag(name: &str) -> Option<IncludeTag> {
        match name {
            "include" => Some(IncludeTag::Include),
            "include_relative" => Some(IncludeTag::Relative),
            _ => None,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            IncludeTag::Include => "include",
            IncludeTag::Relative => "include_relative",
        }
    }
}

/// Why an include is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// `..`, `./`, `//` or a character Jekyll refuses in the name.
    #[error(
        "`{name}` is not a valid {tag} name: Jekyll refuses `..`, `./`, `//` and NUL or `\\` in it"
    )]
    Invalid {
        /// The name as written.
        name: String,
        /// `include` or `include_relative`.
        tag: &'static str,
    },
    /// The name resolves (through links) outside the folder the tag may read.
    #[error("`{name}` leads outside {allowed}; Jekyll reads {tag} files only there")]
    Outside {
        /// The name as written.
        name: String,
        /// `include` or `include_relative`.
        tag: &'static str,
        /// `_includes/` or `the site`.
        allowed: &'static str,
    },
    /// A folder, FIFO, device or socket.
    #[error("`{name}` is not a regular file")]
    NotRegular {
        /// The name as written.
        name: String,
    },
    /// Larger than [`MAX_SOURCE_BYTES`].
    #[error("`{name}` is larger than {} MiB", MAX_SOURCE_BYTES >> 20)]
    TooLarge {
        /// The name as written.
        name: String,
    },
}

/// The name checked the way Jekyll checks it, as a relative path of plain components. A leading
/// `/` is allowed and ignored, as Jekyll's path join ignores it (`/x.html` is `_includes/x.html`).
pub fn check_name(name: &str, kind: IncludeTag) -> Result<PathBuf, Refused> {
    let invalid = || Refused::Invalid {
        name: name.to_string(),
        tag: kind.tag(),
    };
    let trimmed = name.trim_start_matches('/');
    // Jekyll's INVALID_SEQUENCES: two or more of `.` and `/` in a row.
    let bad_sequence = trimmed
        .as_bytes()
        .windows(2)
        .any(|w| matches!(w[0], b'.' | b'/') && matches!(w[1], b'.' | b'/'));
    if trimmed.is_empty() || bad_sequence || trimmed.contains(['\0', '\\']) {
        return Err(invalid());
    }
    let path = PathBuf::from(trimmed);
    match path.components().all(|c| matches!(c, Component::Normal(_))) {
        true => Ok(path),
        false => Err(invalid()),
    }
}

/// The file an include tag names, resolved through links and checked: inside the folder it may
/// read, a regular file, not too large. `Ok(None)` when no such file exists (Jekyll's error, not a
/// safety matter: the other rules decide what a missing include means).
pub fn resolve(
    name: &str,
    kind: IncludeTag,
    site_root: &Path,
    post: &Path,
) -> Result<Option<PathBuf>, Refused> {
    let rel = check_name(name, kind)?;
    let (folder, allowed, allowed_name) = match kind {
        IncludeTag::Include => {
            let folder = site_root.join("_includes");
            (folder.clone(), folder, "`_includes/`")
        }
        IncludeTag::Relative => {
            let folder = post
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            (folder.to_path_buf(), site_root.to_path_buf(), "the site")
        }
    };
    let Ok(allowed) = std::fs::canonicalize(&allowed) else {
        return Ok(None);
    };
    let written = folder.join(&rel);
    let path = match std::fs::canonicalize(&written) {
        Ok(path) => path,
        // A link to nowhere readable (`/dev/stdin` when it is a pipe, a dangling link).
        Err(_) if std::fs::symlink_metadata(&written).is_ok() => {
            return Err(Refused::NotRegular {
                name: name.to_string(),
            })
        }
        Err(_) => return Ok(None),
    };
    if !path.starts_with(&allowed) {
        return Err(Refused::Outside {
            name: name.to_string(),
            tag: kind.tag(),
            allowed: allowed_name,
        });
    }
    let meta = std::fs::metadata(&path).map_err(|_| Refused::NotRegular {
        name: name.to_string(),
    })?;
    if !meta.is_file() {
        return Err(Refused::NotRegular {
            name: name.to_string(),
        });
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(Refused::TooLarge {
            name: name.to_string(),
        });
    }
    Ok(Some(path))
}

/// The text of the file an include tag names, when it may be read ([`resolve`]); `Ok(None)` when
/// it does not exist or cannot be read.
pub fn read(
    name: &str,
    kind: IncludeTag,
    site_root: &Path,
    post: &Path,
) -> Result<Option<String>, Refused> {
    let Some(path) = resolve(name, kind, site_root, post)? else {
        return Ok(None);
    };
    Ok(crate::fs::read_capped(&path)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_as_jekyll_checks_them() {
        for bad in [
            "../x.md",
            "a/../../x",
            "./x",
            "a//b",
            "a/./b",
            "..",
            "x..md",
            "",
            "/",
            "a\\b",
            "a\0b",
        ] {
            assert!(check_name(bad, IncludeTag::Include).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_name("/dev/zero", IncludeTag::Include).unwrap(),
            Path::new("dev/zero")
        );
        assert_eq!(
            check_name("a/b.html", IncludeTag::Relative).unwrap(),
            Path::new("a/b.html")
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_inside_their_folder_are_resolved() {
        use std::os::unix::fs::symlink;
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        std::fs::create_dir_all(root.join("_includes")).unwrap();
        std::fs::create_dir_all(root.join("_posts")).unwrap();
        std::fs::write(root.join("_includes/ok.md"), "[a]: /a\n").unwrap();
        std::fs::write(root.join("_posts/refs.md"), "[b]: /b\n").unwrap();
        std::fs::write(temp.path().join("secret"), "outside").unwrap();
        symlink("/dev/zero", root.join("_includes/zero.md")).unwrap();
        symlink(temp.path().join("secret"), root.join("_includes/secret.md")).unwrap();
        symlink("/dev/zero", root.join("_posts/zero.md")).unwrap();
        let post = root.join("_posts/2020-01-01-a.md");
        let include = |name| resolve(name, IncludeTag::Include, &root, &post);
        let relative = |name| resolve(name, IncludeTag::Relative, &root, &post);
        assert!(include("ok.md").unwrap().is_some());
        assert!(include("missing.md").unwrap().is_none());
        assert!(include("/dev/zero").unwrap().is_none());
        assert!(matches!(include("zero.md"), Err(Refused::Outside { .. })));
        assert!(matches!(include("secret.md"), Err(Refused::Outside { .. })));
        assert!(relative("refs.md").unwrap().is_some());
        assert!(matches!(relative("zero.md"), Err(Refused::Outside { .. })));
        assert!(matches!(
            relative("../_includes/ok.md"),
            Err(Refused::Invalid { .. })
        ));
        std::fs::create_dir(root.join("_includes/folder")).unwrap();
        assert!(matches!(include("folder"), Err(Refused::NotRegular { .. })));
    }
}
