//! Byte offsets to `line:column` positions: the only place positions are computed.

use std::sync::OnceLock;

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Start offsets of every line of a text, for turning byte offsets into positions.
///
/// `\n`, `\r\n` and a lone `\r` all end a line, as CommonMark says.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before each block of `BLOCK` bytes, so that a column on a very long line is
    /// found without counting the whole line again for every finding on it. Counted on first
    /// use: only lines longer than a block need them, and most texts have none.
    chars: OnceLock<Vec<usize>>,
}

/// Bytes between two character-count checkpoints.
const BLOCK: usize = 4096;

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        LineIndex {
            starts,
            chars: OnceLock::new(),
        }
    }

    /// Where each line starts, in order: 0, then the offset after every line ending.
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// Number of lines (a final line ending opens an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 1-based `line` starts, clamped to the text.
    pub fn line_start(&self, line: usize) -> usize {
        let i = line.saturating_sub(1).min(self.starts.len() - 1);
        self.starts[i]
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = if offset - start <= BLOCK {
            text[start..offset].chars().count()
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        } + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Characters in `text[..offset]`, counted from the nearest checkpoint.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let chars = self.chars.get_or_init(|| {
            let mut chars = Vec::with_capacity(text.len() / BLOCK + 1);
            let mut total = 0;
            for block in text.as_bytes().chunks(BLOCK) {
                chars.push(total);
                total += char_starts(block);
            }
            chars
        });
        let block = (offset / BLOCK).min(chars.len().saturating_sub(1));
        let from = (block * BLOCK).min(offset);
        chars.get(block).copied().unwrap_or(0) + char_starts(&text.as_bytes()[from..offset])
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.line_start(line);
        let end = self
            .starts
            .get(line)
            .copied()
            .unwrap_or(text.len())
            .max(start);
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Byte offset of a 1-based line and a 1-based byte column (comrak's sourcepos).
    pub fn offset_of_byte_column(&self, line: usize, byte_column: usize) -> usize {
        self.line_start(line) + byte_column.saturating_sub(1)
    }
}

/// Characters starting in `bytes` (every byte but UTF-8 continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    // Byte-wide sums over short chunks vectorize; a filtered count does not.
    bytes
        .chunks(128)
        .map(|chunk| {
            let starts: u8 = chunk.iter().map(|&b| u8::from((b as i8) >= -0x40)).sum();
            usize::from(starts)
        })
        .sum()
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_counts_skip_continuation_bytes_across_chunk_edges() {
        let text = "é".repeat(200) + &"a".repeat(77) + "🙂";
        assert_eq!(char_starts(text.as_bytes()), text.chars().count());
    }

    #[test]
    fn columns_count_characters() {
        let text = "ab\nçé🙂x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position { line: 2, column: 4 });
        assert_eq!(index.line_text(text, 2), "çé🙂x");
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.position(text, text.find('c').unwrap()).line, 3);
        assert_eq!(index.line_text(text, 1), "a");
        assert_eq!(index.line_text(text, 4), "d");
    }

    #[test]
    fn columns_on_long_lines_match_a_plain_count() {
        let line = "aé🙂 ".repeat(3 * BLOCK);
        let text = format!("x\n{line}\nz");
        let index = LineIndex::new(&text);
        for offset in (2..text.len()).step_by(997) {
            let offset = floor_char_boundary(&text, offset);
            let expected = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!(index.position(&text, offset).column, expected, "{offset}");
        }
        assert_eq!(
            index.position(&text, text.len()),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 99), Position { line: 1, column: 2 });
    }
}
