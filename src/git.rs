//! The few git queries `carnet lint --staged` needs, asked of the `git` command.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Why a git query failed.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `git` could not be started.
    #[error("cannot run git: {0} (is git installed and on PATH?)")]
    Spawn(#[source] io::Error),
    /// The folder is not in a git work tree.
    #[error("{}: not inside a git repository (--staged lints what is staged in git)", .0.display())]
    NotARepository(PathBuf),
    /// git ran and refused.
    #[error("git {command} failed: {message}")]
    Failed {
        /// The subcommand and its arguments.
        command: String,
        /// What git said.
        message: String,
    },
}

/// A git work tree.
#[derive(Debug, Clone)]
pub struct Repository {
    /// The top folder of the work tree, as git spells it.
    pub root: PathBuf,
}

impl Repository {
    /// The repository whose work tree holds `dir`.
    pub fn discover(dir: &Path) -> Result<Repository, GitError> {
        let output = git(dir, ["rev-parse", "--show-toplevel"])?;
        if !output.status.success() {
            let message = String::from_utf8_lossy(&output.stderr);
            if message.contains("not a git repository") {
                return Err(GitError::NotARepository(dir.to_path_buf()));
            }
            return Err(failed("rev-parse --show-toplevel", &output));
        }
        let root = String::from_utf8_lossy(&output.stdout)
            .trim_end_matches(['\n', '\r'])
            .to_string();
        Ok(Repository {
            root: PathBuf::from(root),
        })
    }

    /// Files staged for commit (added, copied, modified or renamed), as absolute paths.
    pub fn staged_files(&self) -> Result<Vec<PathBuf>, GitError> {
        let args = [
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--diff-filter=ACMR",
        ];
        let output = git(&self.root, args)?;
        if !output.status.success() {
            return Err(failed(&args.join(" "), &output));
        }
        Ok(output
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| self.root.join(path_from_bytes(name)))
            .collect())
    }

    /// Files the index deletes or renames away, relative to the top folder (the old names).
    pub fn staged_removals(&self) -> Result<Vec<String>, GitError> {
        let args = [
            "diff",
            "--cached",
            "--name-status",
            "-z",
            "--diff-filter=DR",
        ];
        let output = git(&self.root, args)?;
        if !output.status.success() {
            return Err(failed(&args.join(" "), &output));
        }
        let mut fields = output.stdout.split(|&b| b == 0).filter(|f| !f.is_empty());
        let mut removed = Vec::new();
        while let Some(status) = fields.next() {
            let Some(old) = fields.next() else { break };
            removed.push(String::from_utf8_lossy(old).into_owned());
            if status.first() == Some(&b'R') {
                fields.next();
            }
        }
        Ok(removed)
    }

    /// The last commit's copy of a file (given relative to the top folder).
    pub fn head_contents(&self, rel: &str) -> Result<Vec<u8>, GitError> {
        let object = format!("HEAD:{rel}");
        let output = git(&self.root, ["cat-file", "blob", object.as_str()])?;
        if !output.status.success() {
            return Err(failed(&format!("cat-file blob {object}"), &output));
        }
        Ok(output.stdout)
    }

    /// The index's copy of a file of the work tree (given relative to its top folder).
    pub fn staged_contents(&self, rel: &str) -> Result<Vec<u8>, GitError> {
        let object = format!(":{rel}");
        let output = git(&self.root, ["cat-file", "blob", object.as_str()])?;
        if !output.status.success() {
            return Err(failed(&format!("cat-file blob {object}"), &output));
        }
        Ok(output.stdout)
    }
}

/// Runs git in `dir`, with the relative paths a hook's environment may carry made absolute.
fn git<I, S>(dir: &Path, args: I) -> Result<Output, GitError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new("git");
    command.current_dir(dir).args(args);
    // Hooks export GIT_DIR and GIT_INDEX_FILE (the temporary index of `git commit FILE`),
    // possibly relative to the hook's folder, which is not `dir`.
    for var in ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"] {
        if let Some(value) = std::env::var_os(var) {
            let path = PathBuf::from(value);
            if path.is_relative() {
                if let Ok(absolute) = std::path::absolute(&path) {
                    command.env(var, absolute);
                }
            }
        }
    }
    command.output().map_err(GitError::Spawn)
}

fn failed(command: &str, output: &Output) -> GitError {
    GitError::Failed {
        command: command.to_string(),
        message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    }
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}
