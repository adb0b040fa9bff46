//! Byte offsets to LSP positions and back: lines counted from 0, columns in UTF-16 code units, as
//! the protocol requires (an `é` is one unit and two bytes, a `🙂` two units and four bytes).

use lsp_types::Position;

/// The line starts of one text, for converting between byte offsets and LSP positions.
pub struct LineMap<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineMap<'t> {
    /// Indexes `text`; `\n`, `\r\n` and a lone `\r` end a line, as the protocol says.
    pub fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineMap { text, starts }
    }

    /// The LSP position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let units: usize = self.text[self.starts[line]..offset]
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(line as u32, units as u32)
    }

    /// The byte offset of an LSP position; a column past the line's end means its end.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = self.line_at(start);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }

    /// Byte offset where a 0-based line ends, before its line ending.
    pub fn line_end(&self, line: usize) -> usize {
        self.starts
            .get(line)
            .map_or(self.text.len(), |&start| start + self.line_at(start).len())
    }

    fn line_at(&self, start: usize) -> &'t str {
        let rest = &self.text[start..];
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        &rest[..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_after_accents_and_emoji() {
        let text = "---\ntitle: Été\n---\nÉté 🙂 [x]()\r\nfin";
        let map = LineMap::new(text);
        let at = text.find("[x]").unwrap();
        // "Été " is 4 units, "🙂" 2 more, then a space.
        assert_eq!(map.position(at), Position::new(3, 7));
        assert_eq!(map.offset(Position::new(3, 7)), at);
        assert_eq!(map.position(text.len()), Position::new(4, 3));
        assert_eq!(map.offset(Position::new(3, 99)), map.line_end(3));
        assert_eq!(map.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let map = LineMap::new("a\rb");
        assert_eq!(map.position(2), Position::new(1, 0));
    }
}
