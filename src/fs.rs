//! Safe writes: a temporary file in the same folder, then a rename, so a file is never left half-written.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// The largest post, draft or included file carnet reads: far above any real one (a long post is
/// under 1 MiB), low enough that a hostile file cannot exhaust the memory of a CI runner.
pub const MAX_SOURCE_BYTES: u64 = 64 << 20;

/// Reads a regular file of at most [`MAX_SOURCE_BYTES`]. Anything else (a folder, FIFO, device,
/// a link to one, a larger file) is refused before a byte is read, so nothing can hang or grow
/// without limit; the size is checked again while reading, in case the file grows meanwhile.
pub fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let refuse = |meta: &std::fs::Metadata| -> std::io::Result<()> {
        if meta.is_dir() {
            return Err(std::io::Error::other("a folder, not a file"));
        }
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        if meta.len() > MAX_SOURCE_BYTES {
            return Err(too_large());
        }
        Ok(())
    };
    // Opening a FIFO waits for a writer: look before opening, then check what was opened.
    refuse(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    refuse(&meta)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

fn too_large() -> std::io::Error {
    std::io::Error::other(format!(
        "larger than {} MiB, more than any post; carnet does not read it",
        MAX_SOURCE_BYTES >> 20
    ))
}

/// Replaces (or creates) `path` with `contents` atomically, keeping an existing file's owner and
/// permissions. An existing output that is not a regular file (a device such as `/dev/null`, a FIFO,
/// or a link to one) is written through instead: renaming over it would replace the device itself.
/// A file its owner made read-only is refused ([`ReadOnly`]).
pub fn write_atomic(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    write_atomic_then(path, contents, || Ok(()))
}

/// A file whose mode gives its owner no write permission: carnet leaves it as it is.
#[derive(Debug, thiserror::Error)]
#[error("{}: read-only (mode {mode:o}); carnet does not replace a file its owner made read-only", path.display())]
pub struct ReadOnly {
    /// The file refused.
    pub path: PathBuf,
    /// Its permission bits.
    pub mode: u32,
}

/// [`write_atomic`], running `before_rename` once the temporary file is complete; its failure
/// abandons the write (the seam where tests inject a fault).
fn write_atomic_then(
    path: &Path,
    contents: &[u8],
    before_rename: impl FnOnce() -> std::io::Result<()>,
) -> anyhow::Result<()> {
    // Followed through links: a link to a device is written through too.
    let existing = std::fs::metadata(path).ok();
    if let Some(meta) = &existing {
        if !meta.is_file() && !meta.is_dir() {
            return write_through(path, contents);
        }
        if meta.is_file() {
            refuse_read_only(path, meta)?;
        }
    }
    let mut temp = temp_beside(path).with_context(|| {
        format!(
            "{}: cannot create a temporary file",
            folder_of(path).display()
        )
    })?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    if let Some(meta) = existing.filter(|m| m.is_file()) {
        keep_owner(temp.as_file(), &meta)
            .with_context(|| format!("{}: cannot keep the file's owner", path.display()))?;
        temp.as_file()
            .set_permissions(meta.permissions())
            .with_context(|| format!("{}: cannot keep permissions", path.display()))?;
    }
    before_rename().with_context(|| format!("{}: cannot replace", path.display()))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{}: cannot replace", path.display()))?;
    Ok(())
}

/// Writes into an existing device or FIFO in place, as a shell redirection does.
fn write_through(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|mut file| file.write_all(contents).and_then(|()| file.flush()))
        .with_context(|| format!("{}: cannot write", path.display()))
}

#[cfg(unix)]
fn refuse_read_only(path: &Path, meta: &std::fs::Metadata) -> Result<(), ReadOnly> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    match mode & 0o200 {
        0 => Err(ReadOnly {
            path: path.to_path_buf(),
            mode,
        }),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn refuse_read_only(path: &Path, meta: &std::fs::Metadata) -> Result<(), ReadOnly> {
    match meta.permissions().readonly() {
        true => Err(ReadOnly {
            path: path.to_path_buf(),
            mode: 0o444,
        }),
        false => Ok(()),
    }
}

/// Gives the replacement the replaced file's owner and group: the rename would otherwise hand the
/// file to whoever runs carnet (root, in a CI container). Failing is better than a silent change.
#[cfg(unix)]
fn keep_owner(temp: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let own = temp.metadata()?;
    if (own.uid(), own.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(temp, Some(meta.uid()), Some(meta.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_temp: &std::fs::File, _meta: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

/// Where a write to `path` really lands, symbolic links resolved, provided that is inside `root`
/// (resolved too, so that a site reached through a link is still itself). A path that does not
/// exist yet is resolved through its nearest existing folder. Callers name `path` in the error.
pub fn resolve_inside(root: &Path, path: &Path) -> anyhow::Result<PathBuf> {
    let site = std::fs::canonicalize(root)
        .with_context(|| format!("cannot resolve the site's folder {}", root.display()))?;
    let resolved = resolve(path).context("cannot resolve")?;
    if !resolved.starts_with(&site) {
        anyhow::bail!(
            "resolves to {}, outside the site {}; carnet writes only inside the site, so nothing was written",
            resolved.display(),
            site.display()
        );
    }
    Ok(resolved)
}

/// `path` absolute with every symbolic link resolved; the part that does not exist yet is resolved
/// through its nearest existing folder and kept as written.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    let resolved = loop {
        match std::fs::canonicalize(existing) {
            Ok(resolved) => break resolved,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match (existing.file_name(), existing.parent()) {
                    (Some(name), Some(parent)) => {
                        missing.push(name);
                        existing = parent;
                    }
                    _ => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
    };
    Ok(std::iter::once(resolved.as_os_str())
        .chain(missing.into_iter().rev())
        .collect())
}

/// A temporary file in `path`'s folder, so that a rename puts it in place; it has the usual
/// permissions of a new file (0666 less the umask), not a temporary file's 0600.
fn temp_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".carnet-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(folder_of(path))
}

/// The folder holding `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates `path` with `contents`, failing if it exists (two concurrent runs cannot both win).
///
/// The bytes go to a temporary file in the same folder, which is then moved into place without
/// replacing anything, so an interruption never leaves a half-written file under the final name.
pub fn create_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut temp = temp_beside(path)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_before_the_rename_keeps_the_original_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "original\r\n").unwrap();
        let err = write_atomic_then(&path, b"new", || Err(std::io::Error::other("injected")))
            .unwrap_err();
        assert!(format!("{err:#}").contains("injected"), "{err:#}");
        assert_eq!(std::fs::read(&path).unwrap(), b"original\r\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_gives_a_new_file_the_usual_permissions_and_keeps_existing_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let usual = dir.path().join("usual.xml");
        std::fs::write(&usual, "x").unwrap();
        let fresh = dir.path().join("feed.xml");
        write_atomic(&fresh, b"new").unwrap();
        assert_eq!(mode(&fresh), mode(&usual));
        let kept = dir.path().join("a.md");
        std::fs::write(&kept, "old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&kept, b"new").unwrap();
        assert_eq!(mode(&kept), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_written_through_never_replaced() {
        use std::os::unix::fs::{symlink, FileTypeExt};
        let dir = tempfile::tempdir().unwrap();
        let null = dir.path().join("null");
        symlink("/dev/null", &null).unwrap();
        write_atomic(&null, b"gone").unwrap();
        assert!(std::fs::symlink_metadata(&null).unwrap().is_symlink());
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "mine").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_atomic(&path, b"new").unwrap_err();
        assert!(err.downcast_ref::<ReadOnly>().is_some(), "{err:#}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// Only root can hand a file to another user, so only a run as root can check the owner is kept.
    #[cfg(unix)]
    #[test]
    fn the_owner_is_kept_when_root_replaces_a_file() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        if std::os::unix::fs::chown(&path, Some(4321), Some(4321)).is_err() {
            return;
        }
        write_atomic(&path, b"new").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4321, 4321));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn create_new_refuses_existing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "mine").unwrap();
        let err = create_new(&path, b"other").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        create_new(&dir.path().join("b.md"), b"new").unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn writes_resolve_through_links_only_inside_the_root() {
        use std::os::unix::fs::symlink;
        let temp = tempfile::tempdir().unwrap();
        let real = temp.path().join("real");
        let outside = temp.path().join("outside");
        std::fs::create_dir_all(real.join("_posts")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(real.join("notes.md"), "n").unwrap();
        std::fs::write(outside.join("x.md"), "x").unwrap();
        symlink(&real, temp.path().join("site")).unwrap();
        symlink("../notes.md", real.join("_posts/inside.md")).unwrap();
        symlink(outside.join("x.md"), real.join("_posts/outside.md")).unwrap();
        symlink(&outside, real.join("_drafts")).unwrap();
        let site = temp.path().join("site");
        let real = real.canonicalize().unwrap();
        assert_eq!(
            resolve_inside(&site, &site.join("_posts/inside.md")).unwrap(),
            real.join("notes.md")
        );
        assert_eq!(
            resolve_inside(&site, &site.join("_posts/new/a.md")).unwrap(),
            real.join("_posts/new/a.md")
        );
        for escape in ["_posts/outside.md", "_drafts", "_drafts/new/a.md"] {
            let err = resolve_inside(&site, &site.join(escape)).unwrap_err();
            assert!(
                err.to_string().contains("outside the site"),
                "{escape}: {err}"
            );
        }
    }
}
