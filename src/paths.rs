//! Paths as the user sees them in messages.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A path as shown to the user: relative to the current folder when it is below it, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let shown: PathBuf = match current_dir() {
        Some(cwd) => path
            .strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| relative_to(path, cwd)),
        None => path.to_path_buf(),
    };
    shown.to_string_lossy().replace('\\', "/")
}

/// The current folder, asked once: carnet never changes it, and every finding shows a path.
fn current_dir() -> Option<&'static Path> {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

fn relative_to(path: &Path, base: &Path) -> PathBuf {
    if !path.is_absolute() {
        return path.to_path_buf();
    }
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in base.components().skip(common) {
        out.push("..");
    }
    for c in path.components().skip(common) {
        out.push(c);
    }
    out
}
