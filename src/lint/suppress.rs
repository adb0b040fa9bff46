//! Inline suppression comments: `carnet-disable-next-line`, `carnet-disable` / `carnet-enable`, and markdownlint's.

use super::document::Document;
use super::Diagnostic;
use crate::post::Post;

/// The suppression comments of one post.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {}

impl Suppressions {
    /// Reads the suppression comments of a post.
    pub fn parse(_post: &Post, _document: Option<&Document>) -> Suppressions {
        Suppressions {}
    }

    /// Whether a diagnostic is silenced.
    pub fn silences(&self, _diagnostic: &Diagnostic) -> bool {
        false
    }
}
