//! A linear look for flow collections nested deeper than the YAML library accepts.
//!
//! The library refuses more than 128 levels, but only after its scanner has read the whole text,
//! and that scanner spends time in proportion to the depth on every token: 40,000 `[` take
//! seconds. Cut the text where the nesting passes the limit and close what is open: the library
//! refuses that short text at the same place, with its own message, in no time.

/// How many collections the YAML library opens before refusing (the document's own included).
const LIBRARY_DEPTH: usize = 128;

/// The text up to the first flow collection opened deeper than the library accepts, with the
/// collections still open closed after it; `None` when the flow nesting stays shallow.
///
/// The scan is a close reading (quotes, comments and block scalars skipped), not a parser: the
/// caller parses the returned text and keeps its verdict only when it is the depth refusal.
pub fn too_deep_prefix(yaml: &str) -> Option<String> {
    let bytes = yaml.as_bytes();
    let mut closers: Vec<u8> = Vec::new();
    let mut previous = b'\n';
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let after_space = matches!(previous, b' ' | b'\t' | b'\n' | b'\r');
        match byte {
            b'#' if after_space => i = line_end(bytes, i),
            b'"' | b'\'' if after_space || matches!(previous, b'[' | b'{' | b',' | b':') => {
                i = quoted_end(bytes, i);
            }
            b'|' | b'>' if closers.is_empty() && after_space => i = block_scalar_end(bytes, i),
            b'[' | b'{' if !closers.is_empty() || after_space => {
                closers.push(if byte == b'[' { b']' } else { b'}' });
                if closers.len() > LIBRARY_DEPTH {
                    let mut prefix = yaml[..=i].to_string();
                    prefix.extend(closers.iter().rev().map(|&c| char::from(c)));
                    prefix.push('\n');
                    return Some(prefix);
                }
            }
            b']' | b'}' if closers.last() == Some(&byte) => {
                closers.pop();
            }
            _ => {}
        }
        previous = bytes.get(i).copied().unwrap_or(b'\n');
        i += 1;
    }
    None
}

/// The index of the line break ending the line holding `i` (or the end of the text).
fn line_end(bytes: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n)
}

/// The index of the quote closing the scalar opened at `i`: `\` escapes in double quotes, a
/// doubled quote in single quotes.
fn quoted_end(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if quote == b'"' => j += 1,
            b'\'' if quote == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 1,
            b if b == quote => return j,
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

/// The index of the last line break of the block scalar whose indicator is at `i`: its lines are
/// the blank ones and those indented deeper than the indicator's line.
fn block_scalar_end(bytes: &[u8], i: usize) -> usize {
    let line_start = bytes[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    let indent = bytes[line_start..]
        .iter()
        .take_while(|&&b| b == b' ')
        .count();
    let mut end = line_end(bytes, i);
    while end < bytes.len() {
        let next = end + 1;
        let spaces = bytes[next..].iter().take_while(|&&b| b == b' ').count();
        let blank = matches!(bytes.get(next + spaces), None | Some(b'\n' | b'\r'));
        if !blank && spaces <= indent {
            break;
        }
        end = line_end(bytes, next);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_or_quoted_nesting_is_left_to_the_library() {
        assert_eq!(too_deep_prefix("a: [[b], {c: [d]}]\n"), None);
        let deep = "[".repeat(200);
        for yaml in [
            format!("a: \"{deep}\"\n"),
            format!("a: '{deep}'\n"),
            format!("a: b{deep}\n"),
            format!("a: 1 # {deep}\n"),
            format!("a: |\n  {deep}\n\n  {deep}\nb: 1\n"),
        ] {
            assert_eq!(too_deep_prefix(&yaml), None, "{yaml}");
        }
    }

    #[test]
    fn deep_flow_nesting_is_cut_past_the_limit_and_closed() {
        let yaml = format!("a: 1\nb: {}{}\n", "[{x: ".repeat(100), "}]".repeat(100));
        let prefix = too_deep_prefix(&yaml).unwrap();
        let opened = "[{x: ".repeat(64) + "[";
        assert_eq!(prefix, format!("a: 1\nb: {opened}]{}\n", "}]".repeat(64)));
    }
}
