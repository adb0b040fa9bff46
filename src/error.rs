//! Errors that stop a command: bad configuration, unreadable files.

use std::path::{Path, PathBuf};

use crate::source::LineIndex;

/// A configuration file (`_config.yml`, `carnet.toml`) that cannot be used; exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{path}{position}: {message}", path = path.display(), position = position_suffix(*line, *column))]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

fn position_suffix(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}:{column}")
    }
}

impl ConfigError {
    /// An error at byte `offset` of the file's `text`.
    pub fn at(path: PathBuf, text: &str, offset: usize, message: String) -> Self {
        let position = LineIndex::new(text).position(text, offset);
        ConfigError {
            path,
            line: position.line,
            column: position.column,
            message,
        }
    }

    /// An error reading the file itself.
    pub fn io(path: PathBuf, error: std::io::Error) -> Self {
        ConfigError {
            path,
            line: 0,
            column: 0,
            message: format!("cannot read: {error}"),
        }
    }
}

/// Why a post file could not be read as text; such files make the run exit 2.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file system refused (missing file, permissions, a directory...).
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not UTF-8.
    #[error("{}:{line}:{column}: not valid UTF-8 (byte offset {offset})", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid sequence.
        offset: usize,
        /// Line of that byte.
        line: usize,
        /// Column of that byte.
        column: usize,
    },
}

impl ReadError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io { path, .. } | ReadError::InvalidUtf8 { path, .. } => path,
        }
    }
}
