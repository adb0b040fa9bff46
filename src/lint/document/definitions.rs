//! Link reference definitions (`[label]: destination "title"`), found the way CommonMark finds them.
//!
//! comrak consumes definitions while it parses and keeps no trace of them in the tree, so they are
//! read here from the text, with comrak's paragraphs deciding where a definition may start.

use std::ops::Range;

/// A definition as written, with offsets relative to the text it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDefinition {
    /// From the `[` to the end of the definition's last line (line ending excluded).
    pub span: Range<usize>,
    /// The label, brackets excluded.
    pub label: Range<usize>,
    /// The destination as written (angle brackets included).
    pub destination: Range<usize>,
}

/// Where CommonMark allows a definition: at the start of a paragraph, or of a block that comrak dropped
/// because it held nothing but definitions.
pub struct Blocks<'a> {
    /// Paragraph spans comrak kept, sorted.
    pub paragraphs: &'a [Range<usize>],
    /// Whether an offset sits in code or raw HTML, where nothing is a definition.
    pub excluded: &'a dyn Fn(usize) -> bool,
    /// Where each line of the text starts (0 first, then after every `\n`, `\r\n` or lone `\r`),
    /// as the post's line index already knows them.
    pub lines: &'a [usize],
}

/// The definitions of `text`, and whether one of them opens a paragraph that has more text after it
/// (comrak then misplaces that paragraph's inline nodes).
pub fn find(text: &str, blocks: &Blocks) -> (Vec<RawDefinition>, bool) {
    let bytes = text.as_bytes();
    let mut defs = Vec::new();
    let mut shifted = false;
    let mut pos = 0;
    let mut line = 0;
    while pos < bytes.len() {
        while blocks.lines.get(line + 1).is_some_and(|&next| next <= pos) {
            line += 1;
        }
        let (line_end, next_line) = match blocks.lines.get(line + 1) {
            Some(&next) => (break_before(bytes, next), next),
            None => (bytes.len(), bytes.len()),
        };
        let content = skip_prefix(bytes, pos, line_end);
        if !is_candidate(bytes, content) {
            pos = next_line;
            continue;
        }
        let holder = containing(blocks.paragraphs, content);
        let chain_end = match holder {
            Some(paragraph) if paragraph.start == content => Some(paragraph.end),
            Some(_) => None,
            None if (blocks.excluded)(content) => None,
            None => Some(bytes.len()),
        };
        let Some(chain_end) = chain_end else {
            pos = next_line;
            continue;
        };
        let mut at = content;
        let mut after = next_line;
        while let Some(def) = parse(bytes, at) {
            if holder.is_some() {
                shifted = true;
            }
            after = skip_line_end(bytes, def.span.end);
            defs.push(def);
            let next = skip_prefix(bytes, after, line_end_of(bytes, after));
            if holder.is_none() || next >= chain_end || !is_candidate(bytes, next) {
                break;
            }
            at = next;
        }
        pos = after.max(next_line);
    }
    (defs, shifted)
}

/// Where the line ending just before the line start `next` begins.
fn break_before(bytes: &[u8], next: usize) -> usize {
    if bytes[next - 1] == b'\n' && next >= 2 && bytes[next - 2] == b'\r' {
        next - 2
    } else {
        next - 1
    }
}

fn is_candidate(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b'[') && bytes.get(at + 1) != Some(&b'^')
}

/// The paragraph holding `offset`, if any.
fn containing(paragraphs: &[Range<usize>], offset: usize) -> Option<&Range<usize>> {
    let i = paragraphs.partition_point(|r| r.start <= offset);
    paragraphs[..i].last().filter(|r| r.contains(&offset))
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |n| from + n)
}

fn line_end_of(bytes: &[u8], from: usize) -> usize {
    line_end(bytes, from.min(bytes.len()))
}

fn skip_line_end(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => at + 2,
        Some(b'\r' | b'\n') => at + 1,
        _ => at,
    }
}

/// Skips what opens a line inside containers: indentation, `>` markers and list markers.
fn skip_prefix(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end {
        match bytes[at] {
            b' ' | b'\t' | b'>' => at += 1,
            b'-' | b'*' | b'+' if matches!(bytes.get(at + 1), Some(b' ' | b'\t')) => at += 2,
            b'0'..=b'9' => {
                let digits = bytes[at..end]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let marker = at + digits;
                if digits <= 9
                    && matches!(bytes.get(marker), Some(b'.' | b')'))
                    && matches!(bytes.get(marker + 1), Some(b' ' | b'\t'))
                {
                    at = marker + 2;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    at
}

/// Skips spaces and tabs, then at most one line ending and the next line's container prefix.
fn skip_space_newline(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    let after = skip_line_end(bytes, at);
    if after != at {
        at = after;
        while matches!(bytes.get(at), Some(b' ' | b'\t' | b'>')) {
            at += 1;
        }
    }
    at
}

/// Parses one definition opening at `start`, as comrak's `parse_reference_inline` does.
pub fn parse(bytes: &[u8], start: usize) -> Option<RawDefinition> {
    let label_end = label_end(bytes, start)?;
    let label = start + 1..label_end;
    if bytes[label.clone()].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    if bytes.get(label_end + 1) != Some(&b':') {
        return None;
    }
    let dest_start = skip_space_newline(bytes, label_end + 2);
    let dest_end = destination_end(bytes, dest_start)?;
    let before_title = dest_end;
    let title_start = skip_space_newline(bytes, before_title);
    let title_end = (title_start != before_title)
        .then(|| title_end(bytes, title_start))
        .flatten();
    let end = match title_end.and_then(|t| at_line_end(bytes, t)) {
        Some(end) => end,
        None => at_line_end(bytes, before_title)?,
    };
    Some(RawDefinition {
        span: start..end,
        label,
        destination: dest_start..dest_end,
    })
}

/// The offset of the `]` closing a label opened at `start`, within CommonMark's 999 characters.
fn label_end(bytes: &[u8], start: usize) -> Option<usize> {
    if bytes.get(start) != Some(&b'[') {
        return None;
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b']' => return Some(i),
            b'[' => return None,
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 2,
            _ => i += 1,
        }
        if i - start > 1000 {
            return None;
        }
    }
    None
}

/// End of a destination: `<...>` on one line, or a run of non-space bytes with balanced parentheses.
fn destination_end(bytes: &[u8], start: usize) -> Option<usize> {
    if bytes.get(start) == Some(&b'<') {
        let mut i = start + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => return Some(i + 1),
                b'\\' => i += 2,
                b'\n' | b'\r' | b'<' => return None,
                _ => i += 1,
            }
        }
        return None;
    }
    let mut i = start;
    let mut depth = 0u32;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 2,
            b'(' => {
                depth += 1;
                if depth > 32 {
                    return None;
                }
                i += 1;
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                i += 1;
            }
            b if b.is_ascii_whitespace() || (b.is_ascii_control() && b != 0) => break,
            _ => i += 1,
        }
    }
    (i > start && depth == 0).then_some(i)
}

/// End of a title `"..."`, `'...'` or `(...)` opening at `start`.
fn title_end(bytes: &[u8], start: usize) -> Option<usize> {
    let close = match bytes.get(start)? {
        b'"' => b'"',
        b'\'' => b'\'',
        b'(' => b')',
        _ => return None,
    };
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() => i += 2,
            b if b == close => return Some(i + 1),
            b'(' if close == b')' => return None,
            0 => return None,
            b'\n' | b'\r' => {
                i = skip_line_end(bytes, i);
                if at_line_end(bytes, i).is_some() {
                    return None;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// `at` after trailing spaces, when only a line ending or the end of the text follows.
fn at_line_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    matches!(bytes.get(at), None | Some(b'\n' | b'\r')).then_some(at)
}

/// A label as CommonMark compares them: trimmed, inner whitespace collapsed, case folded.
pub fn normalize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        return out;
    }
    // Lower, upper, lower again approximates Unicode case folding (`ẞ` and `ß` both become `ss`).
    out.to_lowercase().to_uppercase().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(text: &str, paragraphs: &[Range<usize>]) -> (Vec<String>, bool) {
        let lines = crate::source::LineIndex::new(text);
        let blocks = Blocks {
            paragraphs,
            excluded: &|_| false,
            lines: lines.starts(),
        };
        let (found, shifted) = find(text, &blocks);
        let spans = found.iter().map(|d| text[d.span.clone()].to_string());
        (spans.collect(), shifted)
    }

    #[test]
    fn definitions_outside_paragraphs() {
        let text = "[a]: /x\n[B c]: <https://e.org/y> \"T\"\n  [d]:\n  /z 'title'\n";
        let (found, shifted) = defs(text, &[]);
        assert_eq!(
            found,
            [
                "[a]: /x",
                "[B c]: <https://e.org/y> \"T\"",
                "[d]:\n  /z 'title'"
            ]
        );
        assert!(!shifted);
    }

    #[test]
    fn not_definitions() {
        let text = "[^1]: note\n[a]:\n[b]: /x trailing\n[]: /x\n[c] : /x\n[d]: /x \"open\n";
        assert_eq!(defs(text, &[]).0, Vec::<String>::new());
    }

    #[test]
    fn a_definition_cannot_interrupt_a_paragraph() {
        let text = "Some text\n[a]: /x\n";
        let paragraph = 0..text.len();
        assert!(defs(text, std::slice::from_ref(&paragraph)).0.is_empty());
    }

    #[test]
    fn definitions_opening_a_paragraph_shift_it() {
        let text = "[a]: /x\n[b]: /y\nText [a].\n";
        let paragraph = 0..text.len();
        let (found, shifted) = defs(text, std::slice::from_ref(&paragraph));
        assert_eq!(found, ["[a]: /x", "[b]: /y"]);
        assert!(shifted);
    }

    #[test]
    fn containers_and_crlf() {
        let text = "> [q]: /q\r\n\r\n- [l]: /l\r\n";
        assert_eq!(defs(text, &[]).0, ["[q]: /q", "[l]: /l"]);
    }

    #[test]
    fn labels_fold_case_and_whitespace() {
        assert_eq!(normalize_label("  Foo \t\n Bar "), "foo bar");
        assert_eq!(normalize_label("Straẞe"), normalize_label("STRASSE"));
        assert_eq!(normalize_label("Été"), "été");
    }
}
