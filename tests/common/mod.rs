//! What the integration tests share: the binary with a clean environment, fixture paths, and
//! builders of temporary sites. Each test file adds its own defaults (a clock, a time zone) on top.

// Every test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The carnet binary, with nothing inherited from the environment that changes its output:
/// colours, editors, the facts cache switch.
pub fn carnet() -> Command {
    let mut cmd = Command::cargo_bin("carnet").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .env_remove("CARNET_NO_CACHE");
    cmd
}

/// The crate's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site of `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// Writes `bytes` at `rel` under `root`, creating the folders on the way.
pub fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A temporary folder holding `files` (paths relative to it, with their contents).
pub fn site<B: AsRef<[u8]>>(files: &[(&str, B)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files {
        write(dir.path(), rel, bytes);
    }
    dir
}

/// A temporary site: `_config.yml` holding `config`, then `files`.
pub fn site_with_config<B: AsRef<[u8]>>(config: &str, files: &[(&str, B)]) -> TempDir {
    let dir = site(files);
    write(dir.path(), "_config.yml", config);
    dir
}
