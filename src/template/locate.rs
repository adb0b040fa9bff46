//! From what liquid-rust reports to a one-line message at an offset of the text, and the one
//! rewrite its grammar needs: Jekyll's tags take raw arguments (`{% include a/b.html x="1" %}`,
//! `{% post_url 2010-01-01-x %}`) that are no Liquid expression, so they reach the engine as one
//! string literal.

use crate::liquid::{tokenize, Token};

use super::{LiquidError, MAX_RANGE};

/// Tags whose arguments Jekyll reads itself.
const RAW_ARGUMENT_TAGS: [&str; 5] = [
    "include",
    "include_relative",
    "link",
    "post_url",
    "highlight",
];

/// A name the engine does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// `{% name %}`.
    Tag,
    /// `| name`.
    Filter,
}

/// The text given to the engine and how its offsets map back.
pub struct Source {
    /// The rewritten text.
    pub text: String,
    /// The text as written.
    original: String,
    /// Rewrites: (start in `text`, length in `text`, start in the original, length there).
    rewrites: Vec<(usize, usize, usize, usize)>,
    /// Stretches of plain text stood in for by markers ([`Source::with_markers`]).
    chunks: Vec<std::ops::Range<usize>>,
}

/// Opens and closes the marker standing for a stretch of plain text: characters of the Private Use
/// Area, used only when the text holds none.
const MARKER_OPEN: char = '\u{E000}';
const MARKER_CLOSE: char = '\u{E001}';
/// Plain text shorter than this is left to the engine.
const MARKED_MIN: usize = 64;

impl Source {
    /// `text` with the raw arguments of Jekyll's tags quoted, and the whitespace of blank blocks
    /// dropped ([`blank_whitespace`]).
    pub fn new(text: &str) -> Source {
        Source::build(text, false)
    }

    /// [`Source::new`], and each long stretch of plain text outside any block replaced by a marker
    /// that [`Source::expand`] turns back into it: liquid-core's parser (pest) tests every character
    /// of plain text against its grammar, which made the parse of a long post cost milliseconds.
    pub fn with_markers(text: &str) -> Source {
        Source::build(text, !text.contains(MARKER_OPEN))
    }

    /// `output` with each marker replaced by its stretch of text.
    pub fn expand(&self, output: String) -> String {
        if self.chunks.is_empty() || !output.contains(MARKER_OPEN) {
            return output;
        }
        let mut expanded = String::with_capacity(output.len() + self.original.len());
        let mut rest = output.as_str();
        while let Some(open) = rest.find(MARKER_OPEN) {
            expanded.push_str(&rest[..open]);
            let after = &rest[open + MARKER_OPEN.len_utf8()..];
            let chunk = after.find(MARKER_CLOSE).and_then(|close| {
                let index: usize = after[..close].parse().ok()?;
                Some((self.chunks.get(index)?.clone(), close))
            });
            match chunk {
                Some((range, close)) => {
                    expanded.push_str(&self.original[range]);
                    rest = &after[close + MARKER_CLOSE.len_utf8()..];
                }
                None => {
                    expanded.push(MARKER_OPEN);
                    rest = after;
                }
            }
        }
        expanded.push_str(rest);
        expanded
    }

    fn build(text: &str, markers: bool) -> Source {
        let tokens = tokenize(text);
        let mut edits: Vec<(std::ops::Range<usize>, String)> = blank_whitespace(&tokens)
            .into_iter()
            .map(|span| (span, String::new()))
            .collect();
        let mut chunks = Vec::new();
        if markers {
            for span in top_level_text(&tokens) {
                let stretch = &text[span.clone()];
                let inner = stretch.trim_matches(|c: char| c.is_ascii_whitespace());
                if inner.len() < MARKED_MIN {
                    continue;
                }
                // Whitespace stays outside the marker, for `{%-` and `-%}` to trim.
                let start = span.start + (inner.as_ptr() as usize - stretch.as_ptr() as usize);
                let marker = format!("{MARKER_OPEN}{}{MARKER_CLOSE}", chunks.len());
                chunks.push(start..start + inner.len());
                edits.push((start..start + inner.len(), marker));
            }
        }
        for token in tokens.iter() {
            let Token::Tag(tag) = token else { continue };
            if !RAW_ARGUMENT_TAGS.contains(&tag.name) {
                continue;
            }
            let quote = if !tag.args.contains('"') {
                '"'
            } else if !tag.args.contains('\'') {
                '\''
            } else {
                continue;
            };
            let open = if tag.trim_left { "{%- " } else { "{% " };
            let close = if tag.trim_right { " -%}" } else { " %}" };
            let quoted = format!("{open}{} {quote}{}{quote}{close}", tag.name, tag.args);
            edits.push((tag.span.clone(), quoted));
        }
        if edits.is_empty() {
            return Source {
                text: text.to_string(),
                original: text.to_string(),
                rewrites: Vec::new(),
                chunks,
            };
        }
        edits.sort_by_key(|(span, _)| span.start);
        let mut out = String::with_capacity(text.len() + 16);
        let mut rewrites = Vec::with_capacity(edits.len());
        let mut copied = 0;
        for (span, replacement) in edits {
            out.push_str(&text[copied..span.start]);
            rewrites.push((out.len(), replacement.len(), span.start, span.len()));
            out.push_str(&replacement);
            copied = span.end;
        }
        out.push_str(&text[copied..]);
        Source {
            text: out,
            original: text.to_string(),
            rewrites,
            chunks,
        }
    }

    /// The original offset of an offset of [`Source::text`]; inside a rewritten tag, its start.
    pub fn original(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for &(start, len, old_start, old_len) in &self.rewrites {
            if offset < start {
                break;
            }
            if offset < start + len {
                return old_start;
            }
            shift = (old_start + old_len) as isize - (start + len) as isize;
        }
        offset.saturating_add_signed(shift)
    }
}

/// The plain text outside every block (tags with an end tag, plugins' blocks included); none when
/// the blocks do not pair up.
fn top_level_text(tokens: &crate::liquid::Tokens<'_>) -> Vec<std::ops::Range<usize>> {
    let ends: std::collections::HashSet<&str> = tokens
        .iter()
        .filter_map(|token| match token {
            Token::Tag(tag) => tag.name.strip_prefix("end"),
            _ => None,
        })
        .collect();
    let mut depth: usize = 0;
    let mut spans = Vec::new();
    for token in tokens.iter() {
        match token {
            Token::Text(span) if depth == 0 => spans.push(span),
            Token::Tag(tag) if tag.name.starts_with("end") => {
                let Some(outer) = depth.checked_sub(1) else {
                    return Vec::new();
                };
                depth = outer;
            }
            Token::Tag(tag) if ends.contains(tag.name) => depth += 1,
            Token::Unclosed(_) => return Vec::new(),
            _ => {}
        }
    }
    if depth == 0 {
        spans
    } else {
        Vec::new()
    }
}

/// The whitespace-only text of every blank control-flow block, which Liquid 5 drops
/// (`BlockBody#remove_blank_strings`): an `if`, `unless`, `case` or `for` holding nothing but
/// whitespace, `assign`, `capture`, `comment` and blocks blank themselves writes nothing.
fn blank_whitespace(tokens: &crate::liquid::Tokens<'_>) -> Vec<std::ops::Range<usize>> {
    const CONTROL: [&str; 4] = ["if", "unless", "case", "for"];
    const BRANCHES: [&str; 3] = ["elsif", "else", "when"];
    struct Frame {
        name: String,
        blank: bool,
        whitespace: Vec<std::ops::Range<usize>>,
    }
    let mut frames: Vec<Frame> = Vec::new();
    let mut dropped = Vec::new();
    let text = tokens.text();
    let not_blank = |frames: &mut Vec<Frame>| {
        if let Some(frame) = frames.last_mut() {
            frame.blank = false;
        }
    };
    for token in tokens.iter() {
        match token {
            Token::Text(span) => {
                let Some(frame) = frames.last_mut() else {
                    continue;
                };
                if text[span.clone()]
                    .trim_matches(|c: char| c.is_ascii_whitespace())
                    .is_empty()
                {
                    frame.whitespace.push(span);
                } else {
                    frame.blank = false;
                }
            }
            Token::Tag(tag) if CONTROL.contains(&tag.name) || tag.name == "capture" => {
                frames.push(Frame {
                    name: tag.name.to_string(),
                    blank: true,
                    whitespace: Vec::new(),
                });
            }
            Token::Tag(tag)
                if tag
                    .name
                    .strip_prefix("end")
                    .is_some_and(|n| frames.last().is_some_and(|f| f.name == n)) =>
            {
                let Some(frame) = frames.pop() else { continue };
                if frame.name == "capture" {
                    continue;
                }
                if frame.blank {
                    dropped.extend(frame.whitespace);
                } else {
                    not_blank(&mut frames);
                }
            }
            Token::Tag(tag) if tag.name == "assign" || BRANCHES.contains(&tag.name) => {}
            Token::Hidden(hidden) if hidden.open.name == "comment" => {}
            _ => not_blank(&mut frames),
        }
    }
    dropped.sort_by_key(|span| span.start);
    dropped
}

/// A parse failure: where and what, and the unknown name if that is the trouble.
pub struct Refusal {
    /// The failure, at an offset of the original text.
    pub error: LiquidError,
    /// An unknown tag or filter.
    pub unknown: Option<(Unknown, String)>,
}

/// liquid-core's error, split: its first line, its traces (innermost first) and context values.
struct Parts {
    message: String,
    traces: Vec<String>,
    context: Vec<(String, String)>,
    position: Option<(usize, usize)>,
    pest_message: Option<String>,
}

fn parts(error: &liquid_core::Error) -> Parts {
    let shown = error.to_string();
    let mut parts = Parts {
        message: String::new(),
        traces: Vec::new(),
        context: Vec::new(),
        position: None,
        pest_message: None,
    };
    for (i, line) in shown.lines().enumerate() {
        let trimmed = if i == 0 {
            line.trim().trim_start_matches("liquid:").trim()
        } else {
            line.trim()
        };
        if i == 0 && !trimmed.starts_with("-->") {
            parts.message = trimmed.to_string();
        } else if let Some(trace) = line.strip_prefix("from: ") {
            parts.traces.push(trace.to_string());
        } else if let Some(at) = trimmed.strip_prefix("--> ") {
            let mut numbers = at.split(':').map(|n| n.trim().parse::<usize>().ok());
            if let (Some(Some(line)), Some(Some(column))) = (numbers.next(), numbers.next()) {
                parts.position = Some((line, column));
            }
        } else if let Some(message) = trimmed.strip_prefix("= ") {
            parts.pest_message = Some(message.to_string());
        } else if let Some((key, value)) = line.strip_prefix("    ").and_then(|l| l.split_once('='))
        {
            parts.context.push((key.to_string(), value.to_string()));
        }
    }
    if parts.message.starts_with("-->") {
        parts.message.clear();
    }
    parts
}

impl Parts {
    fn context(&self, key: &str) -> Option<&str> {
        self.context
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The message with the context that names what failed.
    fn describe(&self) -> String {
        let mut message = self
            .pest_message
            .clone()
            .filter(|_| self.message.is_empty())
            .unwrap_or_else(|| self.message.clone());
        for key in [
            "requested variable",
            "requested index",
            "variable",
            "filter",
            "cause",
        ] {
            if let Some(value) = self.context(key) {
                message.push_str(&format!("; {key}: `{value}`"));
            }
        }
        message
    }
}

/// Where and why the engine refused to parse `source`.
pub fn parse_error(source: &Source, error: &liquid_core::Error) -> Refusal {
    let parts = parts(error);
    let original = &source.text;
    let offset_in_source = parts
        .position
        .map(|(line, column)| offset_of(original, line, column));
    let at_source = |fallback: usize| offset_in_source.map_or(fallback, |o| source.original(o));
    if let Some(name) = parts.context("requested filter") {
        let text = original_text(source);
        let offset = filter_use(&text, name).unwrap_or(0);
        return Refusal {
            error: LiquidError {
                offset,
                message: format!("unknown Liquid filter `{name}`"),
            },
            unknown: Some((Unknown::Filter, name.to_string())),
        };
    }
    if parts.pest_message.as_deref() == Some("Unknown tag.") {
        let name = parts.context("requested").unwrap_or("").to_string();
        let text = original_text(source);
        let at_name = at_source(0).min(text.len());
        // The position is the name's: the finding is at the tag's `{%`.
        let offset = text[..at_name].rfind("{%").unwrap_or(at_name);
        return Refusal {
            error: LiquidError {
                offset,
                message: format!(
                    "unknown Liquid tag `{{% {name} %}}` (a plugin's tag? Jekyll stops on it without the plugin)"
                ),
            },
            unknown: Some((Unknown::Tag, name)),
        };
    }
    let text = original_text(source);
    let offset = match offset_in_source {
        Some(o) => source.original(o),
        None => traced(&text, &parts.traces).unwrap_or(0),
    };
    let mut message = parts.describe();
    if let Some(trace) = parts.traces.first().filter(|_| parts.position.is_none()) {
        message.push_str(&format!(" in `{trace}`"));
    }
    Refusal {
        error: LiquidError {
            offset,
            message: format!("Liquid syntax error: {message}"),
        },
        unknown: None,
    }
}

/// Where and why rendering `text` failed.
pub fn render_error(text: &str, error: &liquid_core::Error) -> LiquidError {
    let parts = parts(error);
    let offset = traced(text, &parts.traces).unwrap_or(0);
    let mut message = parts.describe();
    if let Some(trace) = parts.traces.first() {
        message.push_str(&format!(" in `{trace}`"));
    }
    LiquidError {
        offset,
        message: format!("Liquid error: {message}"),
    }
}

/// The original text back from a source.
fn original_text(source: &Source) -> String {
    source.original.clone()
}

/// The byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// Words of a tag or output without quotes: how traces and the text are compared.
fn normalized(markup: &str) -> String {
    markup
        .replace(['"', '\''], "")
        .trim_start_matches("{%")
        .trim_start_matches("{{")
        .trim_end_matches("%}")
        .trim_end_matches("}}")
        .trim_matches('-')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The markup of `text` a trace names: the same words, or else the same tag name.
fn traced(text: &str, traces: &[String]) -> Option<usize> {
    let tokens = tokenize(text);
    let spans: Vec<_> = tokens.spans().collect();
    for trace in traces {
        let wanted = normalized(trace);
        if let Some(span) = spans
            .iter()
            .find(|s| normalized(&text[(*s).clone()]) == wanted)
        {
            return Some(span.start);
        }
    }
    for trace in traces {
        let wanted = normalized(trace);
        let name = wanted.split_whitespace().next().unwrap_or("");
        if name.is_empty() || !trace.starts_with("{%") {
            continue;
        }
        if let Some(span) = spans.iter().find(|s| {
            let words = normalized(&text[(*s).clone()]);
            text[s.start..].starts_with("{%") && words.split_whitespace().next() == Some(name)
        }) {
            return Some(span.start);
        }
    }
    None
}

/// The first markup using filter `name`.
fn filter_use(text: &str, name: &str) -> Option<usize> {
    let tokens = tokenize(text);
    let found = tokens.spans().find_map(|span| {
        let markup = &text[span.clone()];
        markup
            .match_indices('|')
            .any(|(i, _)| {
                let after = markup[i + 1..].trim_start();
                after.starts_with(name)
                    && !after[name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
            .then_some(span.start)
    });
    found
}

/// Whether `text` holds `{% endNAME %}`: an unknown tag with one is a block.
pub fn has_end_tag(text: &str, name: &str) -> bool {
    let end = format!("end{name}");
    tokenize(text)
        .iter()
        .any(|token| matches!(token, Token::Tag(tag) if tag.name == end))
}

/// A literal range in a tag longer than [`MAX_RANGE`]: liquid-rust would build it whole.
pub fn runaway_range(text: &str) -> Option<LiquidError> {
    let tokens = tokenize(text);
    for token in tokens.iter() {
        let Token::Tag(tag) = token else { continue };
        let args = tag.args;
        let mut rest = args;
        while let Some(open) = rest.find('(') {
            let inner = &rest[open + 1..];
            let Some(close) = inner.find(')') else { break };
            if let Some((a, b)) = inner[..close].split_once("..") {
                if let (Ok(a), Ok(b)) = (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
                    if b.saturating_sub(a) > MAX_RANGE {
                        return Some(LiquidError {
                            offset: tag.span.start,
                            message: format!(
                                "the range ({a}..{b}) is longer than {MAX_RANGE} items: a runaway loop, refused"
                            ),
                        });
                    }
                }
            }
            rest = &inner[close + 1..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_arguments_are_quoted_and_offsets_map_back() {
        let text = "a {% include a/b.html x=\"1\" %} b {{ c }}";
        let source = Source::new(text);
        assert_eq!(source.text, "a {% include 'a/b.html x=\"1\"' %} b {{ c }}");
        let c = source.text.find("{{").unwrap();
        assert_eq!(source.original(c), text.find("{{").unwrap());
        assert_eq!(source.original(5), 2);
        assert_eq!(
            original_text(&source),
            "a {% include a/b.html x=\"1\" %} b {{ c }}"
        );
    }

    #[test]
    fn ranges() {
        assert!(runaway_range("{% for i in (1..100) %}{% endfor %}").is_none());
        let error = runaway_range("x {% for i in (1..100000000) %}{% endfor %}").unwrap();
        assert_eq!(error.offset, 2);
    }
}
