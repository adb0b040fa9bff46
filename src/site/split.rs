//! Finding the front-matter block: `---` on the first line, closed by `---` or `...` on its own line.

use std::ops::Range;

/// Where a post's front matter sits, found without parsing any YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// The file does not open with `---`: no front matter at all.
    Missing,
    /// The file opens with `+++`, Hugo's and Zola's TOML front matter.
    Toml,
    /// `---` opens the file and no closing line follows; `opening` is the first line.
    Unclosed {
        /// The opening `---` line.
        opening: Range<usize>,
    },
    /// A complete block: `yaml` is the text between the delimiter lines, `body` starts after the closing line.
    Closed {
        /// The YAML between the delimiter lines.
        yaml: Range<usize>,
        /// The closing `---` line.
        closing: Range<usize>,
        /// Where the body starts.
        body_start: usize,
    },
}

/// Splits `text` (BOM already removed) into front matter and body.
pub fn split(text: &str) -> Split {
    let mut lines = Lines::new(text);
    let Some(first) = lines.next() else {
        return Split::Missing;
    };
    let opening = first.content.trim_end_matches([' ', '\t']);
    if opening == "+++" {
        return Split::Toml;
    }
    if opening != "---" {
        return Split::Missing;
    }
    let yaml_start = first.end;
    for line in lines {
        let content = line.content.trim_end_matches([' ', '\t']);
        if content == "---" || content == "..." {
            return Split::Closed {
                yaml: yaml_start..line.start,
                closing: line.start..line.start + line.content.len(),
                body_start: line.end,
            };
        }
    }
    Split::Unclosed {
        opening: 0..first.content.len(),
    }
}

/// One line of a text: its content and line ending.
#[derive(Debug, Clone, Copy)]
pub struct Line<'t> {
    /// Byte offset of the line's first character.
    pub start: usize,
    /// Byte offset just past the line ending.
    pub end: usize,
    /// The line without its ending.
    pub content: &'t str,
    /// `"\n"`, `"\r\n"`, `"\r"` or `""` for a last line without one.
    pub ending: &'t str,
}

/// Iterates the lines of a text, keeping their offsets; `\n`, `\r\n` and `\r` end lines.
#[derive(Debug, Clone)]
pub struct Lines<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Lines<'t> {
    /// Lines of `text` from its start.
    pub fn new(text: &'t str) -> Self {
        Lines { text, pos: 0 }
    }

    /// Lines of `text` from byte `pos` (a line start).
    pub fn from(text: &'t str, pos: usize) -> Self {
        Lines { text, pos }
    }
}

impl<'t> Iterator for Lines<'t> {
    type Item = Line<'t>;

    fn next(&mut self) -> Option<Line<'t>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let (content_end, end) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            None => (self.text.len(), self.text.len()),
            Some(i) => {
                let at = start + i;
                if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                    (at, at + 2)
                } else {
                    (at, at + 1)
                }
            }
        };
        self.pos = end;
        Some(Line {
            start,
            end,
            content: &self.text[start..content_end],
            ending: &self.text[content_end..end],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_of(text: &str) -> &str {
        match split(text) {
            Split::Closed { yaml, .. } => &text[yaml],
            other => panic!("not closed: {other:?}"),
        }
    }

    #[test]
    fn closed_block_with_lf_crlf_and_cr() {
        assert_eq!(yaml_of("---\ntitle: a\n---\nbody"), "title: a\n");
        assert_eq!(yaml_of("---\r\ntitle: a\r\n---\r\nbody"), "title: a\r\n");
        assert_eq!(yaml_of("---\rtitle: a\r---\rbody"), "title: a\r");
    }

    #[test]
    fn dots_close_and_empty_block_is_closed() {
        assert_eq!(yaml_of("---\ntitle: a\n...\n"), "title: a\n");
        assert_eq!(yaml_of("---\n---\n"), "");
    }

    #[test]
    fn body_starts_after_the_closing_line() {
        let text = "---\na: 1\n---  \nbody";
        let Split::Closed { body_start, .. } = split(text) else {
            panic!()
        };
        assert_eq!(&text[body_start..], "body");
    }

    #[test]
    fn missing_toml_and_unclosed() {
        assert_eq!(split(""), Split::Missing);
        assert_eq!(split("# title\n"), Split::Missing);
        assert_eq!(split("----\n"), Split::Missing);
        assert_eq!(split("---"), Split::Unclosed { opening: 0..3 });
        assert_eq!(split("+++\ntitle = 'a'\n+++\n"), Split::Toml);
        assert_eq!(split("---\n"), Split::Unclosed { opening: 0..3 });
        assert_eq!(split("---\ntitle: a\n"), Split::Unclosed { opening: 0..3 });
    }

    #[test]
    fn dashes_inside_a_value_do_not_close() {
        assert_eq!(yaml_of("---\ntitle: a --- b\n---\n"), "title: a --- b\n");
    }
}
