//! The site's cache folder, `.carnet-cache/` at its root: what carnet keeps between runs to do less
//! work (the facts of posts for the lint, highlighted code for the export).
//!
//! Git ignores it through the folder's own `.gitignore`, Jekyll skips it like every dot folder,
//! and backup tools see its `CACHEDIR.TAG`. A folder or file there that is not a plain folder or
//! file, such as a symbolic link that could lead out of the site, is neither read nor written.
//! Trouble reading or writing only costs speed.

use std::path::{Path, PathBuf};

/// The cache folder, under the site root.
pub const DIR: &str = ".carnet-cache";

/// The cache folder of the site at `root`, unless something that is not a folder holds its name.
pub fn folder(root: &Path) -> Option<PathBuf> {
    let dir = root.join(DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if !meta.is_dir() => None,
        _ => Some(dir),
    }
}

/// The bytes of a cache file, when it is a plain file.
pub fn read(file: &Path) -> Option<Vec<u8>> {
    std::fs::symlink_metadata(file)
        .ok()
        .filter(|meta| meta.is_file())
        .and_then(|_| std::fs::read(file).ok())
}

/// Replaces a cache file atomically, creating the folder (with its `.gitignore` and `CACHEDIR.TAG`)
/// when missing. Failing is not an error: the next run does the work again.
pub fn write(file: &Path, bytes: &[u8]) {
    let _ = try_write(file, bytes);
}

fn try_write(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    match std::fs::create_dir(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    if !std::fs::symlink_metadata(dir)?.is_dir() {
        return Err(std::io::Error::other("not a folder"));
    }
    for (name, text) in [
        (".gitignore", "# carnet's cache: safe to delete.\n*\n"),
        (
            "CACHEDIR.TAG",
            "Signature: 8a477f597d28d172789f06886806bc55\n# carnet's cache: safe to delete.\n",
        ),
    ] {
        match crate::fs::create_new(&dir.join(name), text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    if std::fs::symlink_metadata(file).is_ok_and(|meta| !meta.is_file()) {
        return Err(std::io::Error::other("not a plain file"));
    }
    crate::fs::write_atomic(file, bytes).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_reads_back_and_the_folder_says_what_it_is() {
        let site = tempfile::tempdir().unwrap();
        let dir = folder(site.path()).unwrap();
        let file = dir.join("x.json");
        assert_eq!(read(&file), None);
        write(&file, b"[1]");
        assert_eq!(read(&file).as_deref(), Some(&b"[1]"[..]));
        assert!(std::fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .contains('*'));
        assert!(dir.join("CACHEDIR.TAG").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_neither_read_nor_written() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), site.path().join(DIR)).unwrap();
        assert_eq!(folder(site.path()), None);
        let real = tempfile::tempdir().unwrap();
        let dir = folder(real.path()).unwrap();
        std::fs::create_dir(&dir).unwrap();
        let target = outside.path().join("theirs.json");
        std::fs::write(&target, "theirs").unwrap();
        let link = dir.join("x.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read(&link), None);
        write(&link, b"mine");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
    }
}
