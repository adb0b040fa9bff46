//! `--format github`: GitHub Actions workflow annotations.

use std::io::{self, Write};

use super::Report;

/// Writes one annotation per finding.
pub fn write(_report: &Report, _out: &mut dyn Write) -> io::Result<()> {
    Err(io::Error::other("the github format is not available yet"))
}
