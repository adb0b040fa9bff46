//! kramdown as Jekyll runs it, on top of comrak: what comrak does not know is handled around it.
//!
//! Before comrak parses, [`prepare`] takes out what kramdown reads as markup and CommonMark as text
//! (block IALs and ALDs, `{:toc}`, the end-of-block marker `^`, abbreviation definitions,
//! `{::comment}`, `{::nomarkdown}`, raw HTML blocks holding blank lines, span IALs), leaving
//! markers that keep every other line where it was, and re-indents list lines where kramdown's
//! list rules nest differently from CommonMark's. On comrak's tree, [`Pass`] attaches the
//! attributes, gives headings kramdown's ids, decides which list paragraphs are wrapped in `<p>`,
//! makes task lists and kramdown's footnotes and finishes the typography. Rendering writes
//! `data-sourcepos` on every element; the last, linear pass ([`finish`]) turns each into the
//! attributes decided for that element, or nothing, and writes entities as `entity_output` asks.

use std::collections::HashMap;
use std::fmt::Write as _;

use comrak::nodes::{AstNode, NodeFootnoteReference, NodeValue, Sourcepos};
use comrak::Arena;
use rustc_hash::FxHashMap;

use crate::escape;
use crate::markdown::{EntityOutput, Kramdown};

/// Opens an inline marker: an index into [`Prepared::spans`], then [`SPAN_END`].
const SPAN_START: char = '\u{e000}';
const SPAN_END: char = '\u{e001}';
/// Stands for raw HTML from an inline `{::comment}` or `{::nomarkdown}`: an index into
/// [`Prepared::raw`], then [`RAW_END`]; put back by [`finish`].
const RAW_START: char = '\u{e002}';
const RAW_END: char = '\u{e003}';
/// A block marker line: an HTML comment comrak keeps as one HTML block.
const BLOCK_MARK: &str = "<!--carnet:";
const END_OF_BLOCK: &str = "eob";

/// The Markdown comrak will parse, and what was taken out of it.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The text for comrak.
    pub text: String,
    /// Raw HTML for each block marker.
    blocks: Vec<String>,
    /// Span IALs, as written between `{:` and `}`.
    spans: Vec<String>,
    /// Raw HTML of inline extensions (comments, `nomarkdown`).
    raw: Vec<String>,
    /// Block IALs: the 1-based line they stood on, whether a block ends just above, the IAL.
    block_ials: Vec<(usize, bool, String)>,
    /// ALDs: name to attribute list.
    alds: HashMap<String, String>,
    /// Abbreviations and their titles.
    abbreviations: Vec<(String, String)>,
    /// Whether each line of `text` is blank.
    blank: Vec<bool>,
}

/// Takes kramdown's own block syntax out of `source` (code blocks are left alone).
pub fn prepare(source: &str, settings: &Kramdown) -> Prepared {
    let mut out = Prepared::default();
    let all: Vec<&str> = source.lines().collect();
    let mut index = 0;
    let mut fence: Option<(u8, usize)> = None;
    let mut previous_blank = true;
    let mut text = String::with_capacity(source.len() + 64);
    let mut lists = Lists::default();
    while let Some(&original) = all.get(index) {
        index += 1;
        let mut rewritten = lists.line(original);
        if settings.entity_output != EntityOutput::AsChar {
            rewritten = protect_typographic(rewritten);
        }
        let line: &str = &rewritten;
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some((mark, len)) = fence {
            let run = trimmed.bytes().take_while(|&b| b == mark).count();
            if indent < 4 && run >= len && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            push_line(&mut text, &mut out.blank, line);
            previous_blank = false;
            continue;
        }
        if indent < 4 {
            let mark = trimmed.bytes().next().unwrap_or(0);
            let run = trimmed.bytes().take_while(|&b| b == mark).count();
            if (mark == b'`' || mark == b'~') && run >= 3 {
                fence = Some((mark, run));
                push_line(&mut text, &mut out.blank, line);
                previous_blank = false;
                continue;
            }
        }
        let (prefix, rest) = split_quote_prefix(line);
        let content = rest.trim();
        let line_no = out.blank.len() + 1;
        if indent < 4 && content == "^" {
            push_line(
                &mut text,
                &mut out.blank,
                &format!("{BLOCK_MARK}{END_OF_BLOCK}-->"),
            );
            previous_blank = true;
            continue;
        }
        if indent < 4 {
            if let Some(inner) = extension_start(content, "comment") {
                let body = take_until(inner, "comment", &all, &mut index);
                let html = format!("<!-- {} -->", body.trim());
                push_block(&mut out, &mut text, html);
                previous_blank = false;
                continue;
            }
            if let Some(inner) = extension_start(content, "nomarkdown") {
                let body = take_until(inner, "nomarkdown", &all, &mut index);
                push_block(&mut out, &mut text, body.trim_end().to_string());
                previous_blank = false;
                continue;
            }
            if content.starts_with("{::options") && content.ends_with("/}") {
                push_line(&mut text, &mut out.blank, "");
                previous_blank = true;
                continue;
            }
            if let Some((name, attrs)) = ald(content) {
                out.alds.insert(name.to_string(), attrs.to_string());
                push_line(&mut text, &mut out.blank, prefix);
                previous_blank = true;
                continue;
            }
            if let Some(ial) = block_ial(content) {
                out.block_ials
                    .push((line_no, !previous_blank, ial.to_string()));
                push_line(&mut text, &mut out.blank, prefix);
                previous_blank = true;
                continue;
            }
            if let Some((abbr, title)) = abbreviation(content) {
                out.abbreviations
                    .push((abbr.to_string(), title.trim().to_string()));
                push_line(&mut text, &mut out.blank, "");
                previous_blank = true;
                continue;
            }
            if !settings.parse_block_html && prefix.is_empty() {
                if let Some(count) = html_block(&all[index - 1..]) {
                    let html = all[index - 1..index - 1 + count].join("\n");
                    index += count - 1;
                    push_block(&mut out, &mut text, html);
                    previous_blank = false;
                    continue;
                }
            }
        }
        let stripped = strip_markdown_attribute(line);
        let (quote, body) = split_quote_prefix(&stripped);
        let begin = text.len();
        text.push_str(quote);
        text.push_str(&mark_spans(body, &mut out.spans, &mut out.raw, settings));
        previous_blank = text[begin..].trim().is_empty();
        end_line(&mut text, &mut out.blank, begin);
        if stripped.len() != line.len() {
            // The element's content is Markdown: a blank line ends CommonMark's HTML block here.
            push_line(&mut text, &mut out.blank, "");
            previous_blank = true;
        }
    }
    out.text = text;
    out
}

/// The characters kramdown's typography writes, with their entity names and numbers.
const TYPOGRAPHIC: [(char, &str, u32); 10] = [
    ('\u{2018}', "lsquo", 8216),
    ('\u{2019}', "rsquo", 8217),
    ('\u{201c}', "ldquo", 8220),
    ('\u{201d}', "rdquo", 8221),
    ('\u{2013}', "ndash", 8211),
    ('\u{2014}', "mdash", 8212),
    ('\u{2026}', "hellip", 8230),
    ('\u{ab}', "laquo", 171),
    ('\u{bb}', "raquo", 187),
    ('\u{a0}', "nbsp", 160),
];
/// Stands for the first of [`TYPOGRAPHIC`] written as a character in the source (kept as one).
const TYPOGRAPHIC_KEPT: u32 = 0xe010;

/// The typographic characters of a source line hidden behind private-use ones, so that those
/// left after rendering are the ones kramdown's typography made.
fn protect_typographic(line: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if !line.contains(|c| TYPOGRAPHIC.iter().any(|t| t.0 == c)) {
        return line;
    }
    line.chars()
        .map(|c| match TYPOGRAPHIC.iter().position(|t| t.0 == c) {
            Some(i) => char::from_u32(TYPOGRAPHIC_KEPT + i as u32).unwrap_or(c),
            None => c,
        })
        .collect::<String>()
        .into()
}

/// Typography written as entities, the source's own characters put back.
fn typographic_entities(html: &str, output: EntityOutput) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    for c in html.chars() {
        let code = c as u32;
        if let Some((_, name, number)) = TYPOGRAPHIC.iter().find(|t| t.0 == c) {
            let _ = match output {
                EntityOutput::Symbolic => write!(out, "&{name};"),
                _ => write!(out, "&#{number};"),
            };
        } else if (TYPOGRAPHIC_KEPT..TYPOGRAPHIC_KEPT + TYPOGRAPHIC.len() as u32).contains(&code) {
            out.push(TYPOGRAPHIC[(code - TYPOGRAPHIC_KEPT) as usize].0);
        } else {
            out.push(c);
        }
    }
    out
}

/// A heading's text with the source's own typographic characters put back.
fn unprotected(text: String) -> String {
    let kept = TYPOGRAPHIC_KEPT..TYPOGRAPHIC_KEPT + TYPOGRAPHIC.len() as u32;
    if !text.contains(|c| kept.contains(&(c as u32))) {
        return text;
    }
    text.chars()
        .map(|c| match (c as u32).checked_sub(TYPOGRAPHIC_KEPT) {
            Some(i) if kept.contains(&(c as u32)) => TYPOGRAPHIC[i as usize].0,
            _ => c,
        })
        .collect()
}

/// A list marker: whether it is ordered, its character (`*`, `-`, `+`, or the number's first
/// digit), the number of an ordered one, and its width with the spaces after it.
struct Marker {
    ordered: bool,
    bullet: u8,
    number: Option<u64>,
    width: usize,
}

/// The list marker `text` (a line without its indentation) starts with, as kramdown reads one:
/// `*`, `-`, `+` or digits and `.`, then a space or a tab; a thematic break is none.
fn list_marker(text: &str) -> Option<Marker> {
    let bytes = text.as_bytes();
    let (ordered, len, number) = match bytes.first()? {
        b'*' | b'-' | b'+' => {
            let first = bytes[0];
            let rule = bytes.iter().all(|&b| b == first || b == b' ' || b == b'\t')
                && bytes.iter().filter(|&&b| b == first).count() >= 3;
            if rule {
                return None;
            }
            (false, 1, None)
        }
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if bytes.get(digits) != Some(&b'.') || digits > 9 {
                return None;
            }
            (true, digits + 1, text[..digits].parse().ok())
        }
        _ => return None,
    };
    let spaces = bytes[len..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    if spaces == 0 || len + spaces == bytes.len() {
        return None;
    }
    Some(Marker {
        ordered,
        bullet: bytes[0],
        number,
        // Five spaces or more: code in the item, whose text starts after one.
        width: len + if spaces > 4 { 1 } else { spaces },
    })
}

/// kramdown's list rules where CommonMark's differ, applied to the source lines: any of `*`, `-`
/// and `+` continues a bulleted list; a list of the other kind written right under an item's
/// line, indented less than the item's text, is nested in the item (its lines are indented up
/// to the item's text); a nested ordered list may start at any number.
#[derive(Default)]
struct Lists {
    /// The outermost list: ordered or not, its bullet, its last item's text column.
    top: Option<(bool, u8, usize)>,
    /// The last item: its marker's column, its text's column, whether it is ordered, its bullet.
    last: Option<(usize, usize, bool, u8)>,
    /// Lines indented from `.0` up to `.1` get `.2` more spaces; `.3` is the shifted list's bullet.
    shift: Option<(usize, usize, usize, u8)>,
    previous_blank: bool,
    /// An open code fence (any indentation): its character and length.
    fence: Option<(u8, usize)>,
}

impl Lists {
    fn line<'l>(&mut self, line: &'l str) -> std::borrow::Cow<'l, str> {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let previous_blank = std::mem::replace(&mut self.previous_blank, trimmed.trim().is_empty());
        let fence_mark = trimmed.bytes().next().filter(|b| matches!(b, b'`' | b'~'));
        let run = fence_mark.map_or(0, |m| trimmed.bytes().take_while(|&b| b == m).count());
        if let Some((mark, len)) = self.fence {
            if fence_mark == Some(mark) && run >= len && trimmed[run..].trim().is_empty() {
                self.fence = None;
            }
            return line.into();
        }
        if let (Some(mark), true) = (fence_mark, run >= 3) {
            self.fence = Some((mark, run));
        }
        if trimmed.trim().is_empty() {
            self.shift = None;
            return line.into();
        }
        let shift = match self.shift {
            Some((from, below, add, _)) if indent >= from && indent < below => add,
            Some((from, ..)) if indent < from => {
                self.shift = None;
                0
            }
            _ => 0,
        };
        let Some(marker) = list_marker(trimmed) else {
            let outside = self
                .last
                .is_none_or(|(_, text_column, ..)| indent < text_column);
            if previous_blank && indent <= 3 && outside {
                self.top = None;
                self.last = None;
            }
            return indented(line, shift, trimmed);
        };
        let indent = indent + shift;
        let content = indent + marker.width;
        let item = (indent, content, marker.ordered, marker.bullet);
        let top_level = self.shift.is_none()
            && indent <= 3
            && self.top.is_none_or(|(ordered, _, text_column)| {
                indent < text_column && (previous_blank || ordered == marker.ordered)
            });
        if top_level {
            let top = *self
                .top
                .get_or_insert((marker.ordered, marker.bullet, content));
            self.last = Some(item);
            self.top = Some((top.0, top.1, content));
            if top.0 != marker.ordered {
                self.top = Some((marker.ordered, marker.bullet, content));
            } else if !marker.ordered && marker.bullet != top.1 {
                self.last = Some((indent, content, false, top.1));
                return with_bullet(line, indent, top.1);
            }
            return line.into();
        }
        // A list in the text of the item the shifted list is nested in: it stays there.
        let in_parent = self
            .shift
            .is_some_and(|(_, below, ..)| indent - shift >= below);
        match self.last {
            Some((_, text_column, ordered, _))
                if !previous_blank
                    && !in_parent
                    && ordered != marker.ordered
                    && indent < text_column =>
            {
                let add = text_column - indent + shift;
                self.shift = Some((indent - shift, text_column, add, marker.bullet));
                self.last = Some((
                    text_column,
                    text_column + marker.width,
                    marker.ordered,
                    marker.bullet,
                ));
                numbered_one(&indented(line, add, trimmed), &marker)
            }
            Some((_, text_column, ..))
                if !previous_blank && (in_parent || indent >= text_column) =>
            {
                self.last = Some(item);
                match self.shift {
                    // kramdown starts a list of its own there, which CommonMark does only for
                    // another bullet.
                    Some((.., shifted)) if in_parent && !marker.ordered => {
                        let other = [b'-', b'+', b'*'].into_iter().find(|&b| b != shifted);
                        let bullet = other.unwrap_or(b'-');
                        self.last = Some((indent, content, false, bullet));
                        with_bullet(line, indent, bullet)
                    }
                    _ => numbered_one(&indented(line, shift, trimmed), &marker),
                }
            }
            // A sibling of the last item with another bullet: the same list for kramdown.
            Some((at, text_column, false, bullet))
                if !marker.ordered
                    && marker.bullet != bullet
                    && indent >= at
                    && indent < text_column =>
            {
                self.last = Some((indent, content, false, bullet));
                with_bullet(&indented(line, shift, trimmed), indent, bullet)
                    .into_owned()
                    .into()
            }
            _ => {
                self.last = Some(item);
                indented(line, shift, trimmed)
            }
        }
    }
}

/// `line` with the bullet at byte `at` replaced by `bullet`.
fn with_bullet<'l>(line: &str, at: usize, bullet: u8) -> std::borrow::Cow<'l, str> {
    let mut out = line.to_string();
    out.replace_range(at..=at, &char::from(bullet).to_string());
    out.into()
}

/// `line` with `add` more spaces before `trimmed` (its text after the indentation).
fn indented<'l>(line: &'l str, add: usize, trimmed: &str) -> std::borrow::Cow<'l, str> {
    if add == 0 {
        return line.into();
    }
    let indent = line.len() - trimmed.len();
    format!("{}{trimmed}", " ".repeat(indent + add)).into()
}

/// An ordered item under a paragraph renumbered 1 (CommonMark lets only a 1 interrupt a
/// paragraph; kramdown writes no start number anyway), its text where it was.
fn numbered_one(line: &str, marker: &Marker) -> std::borrow::Cow<'static, str> {
    if !marker.ordered || marker.number == Some(1) {
        return line.to_string().into();
    }
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    format!(
        "{}1.{}{}",
        &line[..indent],
        " ".repeat(digits),
        &trimmed[digits + 1..]
    )
    .into()
}

fn push_line(text: &mut String, blank: &mut Vec<bool>, line: &str) {
    let begin = text.len();
    text.push_str(line);
    end_line(text, blank, begin);
}

/// Ends the line of `text` that starts at `begin`, noting whether it is blank.
fn end_line(text: &mut String, blank: &mut Vec<bool>, begin: usize) {
    let line = text[begin..].trim();
    blank.push(line.is_empty() || line == ">");
    text.push('\n');
}

fn push_block(out: &mut Prepared, text: &mut String, html: String) {
    let line = format!("{BLOCK_MARK}{}-->", out.blocks.len());
    out.blocks.push(html);
    push_line(text, &mut out.blank, &line);
}

/// `> > text` → (`> > `, `text`): IALs inside blockquotes keep the quote around them.
fn split_quote_prefix(line: &str) -> (&str, &str) {
    let mut end = 0;
    let bytes = line.as_bytes();
    while end < bytes.len() && (bytes[end] == b'>' || bytes[end] == b' ') {
        if bytes[end] == b' ' && !line[..end].contains('>') {
            end += 1;
            continue;
        }
        end += 1;
    }
    if line[..end].contains('>') {
        (&line[..end], &line[end..])
    } else {
        ("", line)
    }
}

/// `{::name}rest` → the text after the opening tag.
fn extension_start<'a>(content: &'a str, name: &str) -> Option<&'a str> {
    content
        .strip_prefix("{::")?
        .strip_prefix(name)?
        .strip_prefix('}')
}

/// The body of an extension up to `{:/name}` or `{:/}`; `first` is what followed the opening tag.
fn take_until(first: &str, name: &str, lines: &[&str], index: &mut usize) -> String {
    let closers = [format!("{{:/{name}}}"), "{:/}".to_string()];
    let mut body = String::new();
    let mut current = first.to_string();
    loop {
        if let Some(at) = closers
            .iter()
            .filter_map(|c| current.find(c.as_str()))
            .min()
        {
            body.push_str(&current[..at]);
            return body;
        }
        body.push_str(&current);
        body.push('\n');
        match lines.get(*index) {
            Some(next) => {
                *index += 1;
                current = next.to_string();
            }
            None => return body,
        }
    }
}

/// `{:name: attrs}`: an attribute list definition.
fn ald(content: &str) -> Option<(&str, &str)> {
    let inner = content.strip_prefix("{:")?.strip_suffix('}')?;
    let (name, attrs) = inner.split_once(':')?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then_some((name, attrs.trim()))
}

/// `{: attrs}` alone on a line: a block IAL.
fn block_ial(content: &str) -> Option<&str> {
    let inner = content.strip_prefix("{:")?.strip_suffix('}')?;
    (!inner.starts_with(':') && !inner.starts_with('/') && !inner.contains('}')).then_some(inner)
}

/// `*[abbr]: title`.
fn abbreviation(content: &str) -> Option<(&str, &str)> {
    let rest = content.strip_prefix("*[")?;
    let (abbr, after) = rest.split_once("]:")?;
    (!abbr.is_empty()).then_some((abbr, after))
}

/// HTML elements kramdown reads as blocks.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "header",
    "nav",
    "ol",
    "section",
    "table",
    "ul",
    "video",
    "iframe",
    "center",
];

/// A raw HTML block that holds a blank line (which would end it for CommonMark): its lines up to
/// the one closing its element; `None` for any other line, and for an element holding Markdown.
fn html_block(lines: &[&str]) -> Option<usize> {
    let first = lines.first()?;
    let tag = first.strip_prefix('<')?;
    let name_len = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = tag[..name_len].to_ascii_lowercase();
    if !BLOCK_TAGS.contains(&name.as_str()) || first.contains("markdown=") {
        return None;
    }
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 0i64;
    let mut saw_blank = false;
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        depth += count_tag(&lower, &open) as i64;
        depth -= lower.matches(close.as_str()).count() as i64;
        saw_blank |= line.trim().is_empty();
        if depth <= 0 {
            return saw_blank.then_some(i + 1);
        }
    }
    None
}

/// Occurrences of `<name` followed by a space, `>` or `/`.
fn count_tag(lower: &str, open: &str) -> usize {
    lower
        .match_indices(open)
        .filter(|(at, _)| {
            matches!(
                lower.as_bytes().get(at + open.len()),
                Some(b' ' | b'>' | b'/' | b'\t') | None
            )
        })
        .count()
}

/// `markdown="1"` (or `block`, `span`) asks kramdown to parse an HTML block's content: the
/// attribute itself is not written out.
fn strip_markdown_attribute(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.starts_with('<') {
        return line.into();
    }
    for attribute in [
        " markdown=\"1\"",
        " markdown='1'",
        " markdown=\"block\"",
        " markdown=\"span\"",
        " markdown=1",
    ] {
        if let Some(at) = line.find(attribute) {
            let mut out = line.to_string();
            out.replace_range(at..at + attribute.len(), "");
            return out.into();
        }
    }
    line.into()
}

/// Replaces each span IAL (`{: .x}` right after a span) and each inline `{::comment}` or
/// `{::nomarkdown}` by a marker, and `<<`/`>>` by kramdown's guillemets; code spans are left alone.
fn mark_spans<'l>(
    line: &'l str,
    spans: &mut Vec<String>,
    raw: &mut Vec<String>,
    settings: &Kramdown,
) -> std::borrow::Cow<'l, str> {
    let bytes = line.as_bytes();
    let marked = memchr::memchr3_iter(b'{', b'<', b'>', bytes).any(|at| {
        matches!(
            (bytes[at], bytes.get(at + 1)),
            (b'{', Some(b':')) | (b'<', Some(b'<')) | (b'>', Some(b'>'))
        )
    });
    if !marked {
        return line.into();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(['`', '{']) {
        push_guillemets(&mut out, &rest[..at], settings);
        rest = &rest[at..];
        if rest.starts_with('`') {
            let ticks = rest.bytes().take_while(|&b| b == b'`').count();
            let fence = &rest[..ticks];
            match rest[ticks..].find(fence) {
                Some(end) => {
                    out.push_str(&rest[..ticks + end + ticks]);
                    rest = &rest[ticks + end + ticks..];
                }
                None => {
                    out.push_str(fence);
                    rest = &rest[ticks..];
                }
            }
            continue;
        }
        if let Some((html, len)) = inline_extension(rest) {
            let _ = write!(out, "{RAW_START}{}{RAW_END}", raw.len());
            raw.push(html);
            rest = &rest[len..];
            continue;
        }
        let ial = rest
            .strip_prefix("{:")
            .filter(|r| !r.starts_with(':') && !r.starts_with('/'))
            .and_then(|r| r.find('}').map(|end| &r[..end]));
        match ial {
            Some(inner) if !inner.contains('{') => {
                let _ = write!(out, "{SPAN_START}{}{SPAN_END}", spans.len());
                spans.push(inner.to_string());
                rest = &rest[2 + inner.len() + 1..];
            }
            _ => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    push_guillemets(&mut out, rest, settings);
    out.into()
}

/// `{::comment}x{:/comment}` (or `{:/}`) → `<!-- x -->`, `{::nomarkdown}x{:/nomarkdown}` → `x`, with
/// the length taken from `text`; `None` unless both tags are on the line.
fn inline_extension(text: &str) -> Option<(String, usize)> {
    ["comment", "nomarkdown"].into_iter().find_map(|name| {
        let inner = extension_start(text, name)?;
        let close = format!("{{:/{name}}}");
        let (at, closer) = [close.as_str(), "{:/}"]
            .into_iter()
            .filter_map(|c| inner.find(c).map(|at| (at, c.len())))
            .min()?;
        let body = &inner[..at];
        let html = if name == "comment" {
            format!("<!-- {body} -->")
        } else {
            body.to_string()
        };
        Some((html, text.len() - inner.len() + at + closer))
    })
}

/// kramdown's `<< `, ` >>`, `<<` and `>>` (a space beside one becomes a no-break space).
fn push_guillemets(out: &mut String, text: &str, settings: &Kramdown) {
    if !text.contains("<<") && !text.contains(">>") {
        out.push_str(text);
        return;
    }
    let symbol = |name: &str, fallback: &str| -> String {
        settings
            .typographic_symbols
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(|| fallback.to_string(), |(_, v)| v.clone())
    };
    out.push_str(
        &text
            .replace("<< ", &symbol("laquo_space", "\u{ab}\u{a0}"))
            .replace(" >>", &symbol("raquo_space", "\u{a0}\u{bb}"))
            .replace("<<", &symbol("laquo", "\u{ab}"))
            .replace(">>", &symbol("raquo", "\u{bb}")),
    );
}

/// Attributes from an IAL: `.class`, `#id`, `key="value"`, and ALD names.
fn parse_ial(ial: &str, alds: &HashMap<String, String>, attrs: &mut Attrs, depth: u8) {
    let mut rest = ial.trim();
    while !rest.is_empty() {
        let token_end = if let Some(eq) = rest.find('=').filter(|&eq| {
            !rest[..eq].contains(char::is_whitespace)
                && matches!(rest.as_bytes().get(eq + 1), Some(b'"' | b'\''))
        }) {
            let quote = rest.as_bytes()[eq + 1] as char;
            let value_end = rest[eq + 2..]
                .find(quote)
                .map_or(rest.len(), |e| eq + 2 + e);
            attrs.set(&rest[..eq], &rest[eq + 2..value_end]);
            (value_end + 1).min(rest.len())
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let token = &rest[..end];
            if let Some(class) = token.strip_prefix('.') {
                attrs.add_class(class);
            } else if let Some(id) = token.strip_prefix('#') {
                attrs.set("id", id);
            } else if token == "toc" {
                attrs.toc = true;
            } else if let Some(definition) = alds.get(token).filter(|_| depth < 4) {
                parse_ial(definition, alds, attrs, depth + 1);
            }
            end
        };
        rest = rest[token_end..].trim_start();
    }
}

/// What an element gets written with.
#[derive(Debug, Default, Clone)]
struct Attrs {
    pairs: Vec<(String, String)>,
    /// The element is a paragraph kramdown writes without `<p>`.
    transparent: bool,
    /// The element (a list) stands for the table of contents.
    toc: bool,
}

impl Attrs {
    fn set(&mut self, key: &str, value: &str) {
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = value.to_string(),
            None => self.pairs.push((key.to_string(), value.to_string())),
        }
    }

    fn add_class(&mut self, class: &str) {
        match self.pairs.iter_mut().find(|(k, _)| k == "class") {
            Some(pair) => {
                pair.1.push(' ');
                pair.1.push_str(class);
            }
            None => self.pairs.push(("class".into(), class.into())),
        }
    }

    fn id(&self) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == "id")
            .map(|(_, v)| v.as_str())
    }
}

/// The HTML tag comrak writes for a node, when it writes one with `data-sourcepos`.
fn tag_of(value: &NodeValue) -> Option<&'static str> {
    Some(match value {
        NodeValue::Paragraph => "p",
        NodeValue::Heading(h) => {
            ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(h.level.clamp(1, 6)) - 1]
        }
        NodeValue::List(l) if l.list_type == comrak::nodes::ListType::Ordered => "ol",
        NodeValue::List(_) => "ul",
        NodeValue::Item(_) => "li",
        NodeValue::BlockQuote => "blockquote",
        NodeValue::CodeBlock(_) => "pre",
        NodeValue::Table(_) => "table",
        NodeValue::DescriptionList => "dl",
        NodeValue::DescriptionTerm => "dt",
        NodeValue::DescriptionDetails => "dd",
        NodeValue::Emph => "em",
        NodeValue::Strong => "strong",
        NodeValue::Link(_) => "a",
        NodeValue::Image(_) => "img",
        NodeValue::Code(_) => "code",
        NodeValue::Strikethrough => "del",
        _ => return None,
    })
}

/// A heading as the pass found it.
#[derive(Debug, Clone)]
pub struct FoundHeading {
    /// 1 to 6.
    pub level: u8,
    /// Its text.
    pub text: String,
    /// Its id (empty when headings get none).
    pub id: String,
}

/// Start and end line and column, as comrak writes them in `data-sourcepos`.
type Position = [usize; 4];

fn position(sourcepos: Sourcepos) -> Position {
    [
        sourcepos.start.line,
        sourcepos.start.column,
        sourcepos.end.line,
        sourcepos.end.column,
    ]
}

/// `3:1-3:12` → its numbers, without allocating.
fn parse_position(text: &str) -> Option<Position> {
    // Read once per element of every page: by hand, without searching for each separator.
    let mut numbers = [0; 4];
    let mut bytes = text.bytes();
    for (i, number) in numbers.iter_mut().enumerate() {
        let end = [b':', b'-', b':'].get(i).copied();
        let mut digits = 0;
        loop {
            match bytes.next() {
                Some(d @ b'0'..=b'9') if digits < 9 => {
                    *number = *number * 10 + usize::from(d - b'0');
                    digits += 1;
                }
                next if next == end && digits > 0 => break,
                _ => return None,
            }
        }
    }
    Some(numbers)
}

/// Decisions made on comrak's tree, keyed by (tag, sourcepos) for [`finish`].
#[derive(Default)]
pub struct Pass {
    /// Looked up for every element of the page: rustc's hasher, the keys being carnet's own.
    attrs: FxHashMap<(&'static str, Position), Attrs>,
    /// Raw HTML of the inline extensions, for [`finish`] to put in place of their markers.
    raw: Vec<String>,
    /// The headings, in order.
    pub headings: Vec<FoundHeading>,
}

/// How headings get their ids.
pub enum Ids<'s> {
    /// None: kramdown with `auto_ids: false`, jekyll-commonmark.
    None,
    /// kramdown's GFM algorithm, with its prefix.
    Kramdown(&'s str),
    /// jekyll-commonmark-ghpages' algorithm.
    GhPages,
}

impl Pass {
    /// Walks the tree once: markers, IALs, heading ids, list paragraphs, typography.
    pub fn run<'a>(
        arena: &'a Arena<'a>,
        root: &'a AstNode<'a>,
        prepared: Option<&Prepared>,
        settings: Option<&Kramdown>,
        ids: Ids<'_>,
    ) -> Pass {
        let mut pass = Pass::default();
        let mut detach = Vec::new();
        let mut footnotes = Vec::new();
        if let Some(prepared) = prepared {
            pass.block_ials(root, prepared);
            pass.raw.clone_from(&prepared.raw);
        }
        let mut counter: HashMap<String, i64> = HashMap::new();
        for node in root.descendants() {
            let mut data = node.data_mut();
            let sourcepos = data.sourcepos;
            match &mut data.value {
                NodeValue::HtmlBlock(block) if block.literal.starts_with(BLOCK_MARK) => {
                    let Some(prepared) = prepared else { continue };
                    let key = block.literal[BLOCK_MARK.len()..]
                        .trim_end()
                        .trim_end_matches("-->");
                    match key
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| prepared.blocks.get(i))
                    {
                        Some(html) => {
                            block.literal = format!("{html}\n");
                        }
                        None if key == END_OF_BLOCK => detach.push(node),
                        None => {}
                    }
                }
                NodeValue::Text(text) if prepared.is_some() => {
                    let prepared = prepared.expect("checked");
                    if !prepared.spans.is_empty() && text.contains(SPAN_START) {
                        let (clean, found) = take_span_markers(text);
                        *text = clean.into();
                        if let Some(target) = node.previous_sibling() {
                            let target_data = target.data();
                            if let Some(tag) = tag_of(&target_data.value) {
                                let attrs = pass
                                    .attrs
                                    .entry((tag, position(target_data.sourcepos)))
                                    .or_default();
                                for index in found {
                                    if let Some(ial) = prepared.spans.get(index) {
                                        parse_ial(ial, &prepared.alds, attrs, 0);
                                    }
                                }
                            }
                        }
                    }
                    if let Some(settings) = settings {
                        typography(text, settings);
                    }
                    if !prepared.abbreviations.is_empty() {
                        if let Some(html) = abbreviate(text, &prepared.abbreviations) {
                            data.value = NodeValue::HtmlInline(html);
                        }
                    }
                }
                NodeValue::List(list) if prepared.is_some() => {
                    list.tight = false;
                    // kramdown writes no start number.
                    list.start = 1;
                    drop(data);
                    for paragraph in bare_paragraphs(node, prepared.expect("checked")) {
                        pass.attrs
                            .entry(("p", position(paragraph)))
                            .or_default()
                            .transparent = true;
                    }
                    if settings.is_some_and(|s| s.input_gfm) {
                        task_list(node, arena, &mut pass.attrs);
                    }
                }
                NodeValue::FootnoteReference(reference) => {
                    if let Some(settings) = settings {
                        let html = footnote_reference(reference, settings.footnote_nr);
                        data.value = NodeValue::HtmlInline(html);
                    }
                }
                NodeValue::FootnoteDefinition(_) if settings.is_some() => footnotes.push(node),
                NodeValue::Heading(heading) => {
                    let level = heading.level;
                    drop(data);
                    let text = node.collect_text();
                    let key = (
                        tag_of(&node.data().value).expect("a heading"),
                        position(sourcepos),
                    );
                    let attrs = pass.attrs.entry(key).or_default();
                    let id = match (attrs.id(), &ids) {
                        (Some(id), _) => id.to_string(),
                        (None, Ids::None) => String::new(),
                        (None, Ids::Kramdown(prefix)) => {
                            let id = kramdown_id(&text, prefix, &mut counter);
                            attrs.set("id", &id);
                            id
                        }
                        (None, Ids::GhPages) => {
                            let id = gh_pages_id(&text, &mut counter);
                            attrs.set("id", &id);
                            id
                        }
                    };
                    let text = unprotected(text);
                    pass.headings.push(FoundHeading { level, text, id });
                }
                _ => {}
            }
        }
        for node in detach {
            node.detach();
        }
        if let Some(settings) = settings {
            kramdown_footnotes(arena, &footnotes, settings.footnote_nr);
        }
        pass
    }

    /// Each block IAL goes to the block ending just above it, or else to the next block.
    fn block_ials<'a>(&mut self, root: &'a AstNode<'a>, prepared: &Prepared) {
        for (line, attached, ial) in &prepared.block_ials {
            let target = root.descendants().skip(1).find(|node| {
                let data = node.data();
                tag_of(&data.value).is_some()
                    && !is_inline(&data.value)
                    && if *attached {
                        data.sourcepos.end.line + 1 == *line
                    } else {
                        data.sourcepos.start.line > *line
                    }
            });
            if let Some(node) = target {
                let data = node.data();
                let tag = tag_of(&data.value).expect("filtered");
                let attrs = self
                    .attrs
                    .entry((tag, position(data.sourcepos)))
                    .or_default();
                parse_ial(ial, &prepared.alds, attrs, 0);
            }
        }
    }
}

fn is_inline(value: &NodeValue) -> bool {
    matches!(
        value,
        NodeValue::Emph
            | NodeValue::Strong
            | NodeValue::Link(_)
            | NodeValue::Image(_)
            | NodeValue::Code(_)
            | NodeValue::Strikethrough
    )
}

/// The first paragraphs of a list's items that kramdown writes without `<p>` (its list parser's
/// rule): one not followed by a blank line in its item (for the last item, a trailing blank line
/// does not count unless `^` ends the list); the last item's only when an earlier item is bare.
fn bare_paragraphs<'a>(list: &'a AstNode<'a>, prepared: &Prepared) -> Vec<Sourcepos> {
    let eob_found = list.next_sibling().is_some_and(|next| {
        matches!(&next.data().value, NodeValue::HtmlBlock(b) if b.literal.starts_with(&format!("{BLOCK_MARK}{END_OF_BLOCK}")))
    });
    let items: Vec<_> = list.children().collect();
    let mut bare = Vec::new();
    let mut earlier_bare = false;
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        let Some(first) = item.first_child() else {
            earlier_bare = true;
            continue;
        };
        let data = first.data();
        if !matches!(data.value, NodeValue::Paragraph) {
            earlier_bare = true;
            continue;
        }
        let blank_after = prepared
            .blank
            .get(data.sourcepos.end.line)
            .copied()
            .unwrap_or(false);
        let more = first.next_sibling().is_some();
        let alone = !blank_after || (last && !more && !eob_found);
        let allowed = !last || items.len() == 1 || earlier_bare;
        if alone && allowed {
            bare.push(data.sourcepos);
            earlier_bare = true;
        }
    }
    bare
}

/// kramdown-parser-gfm's task lists: an item whose first paragraph starts with `[ ]` or `[x]` and a
/// space starts with a disabled checkbox; from the first such item on, items are `task-list-item`,
/// and the list is a `task-list`.
fn task_list<'a>(
    list: &'a AstNode<'a>,
    arena: &'a Arena<'a>,
    attrs: &mut FxHashMap<(&'static str, Position), Attrs>,
) {
    let mut found = false;
    for item in list.children() {
        let text_node = item
            .first_child()
            .filter(|p| matches!(p.data().value, NodeValue::Paragraph))
            .and_then(|p| p.first_child());
        if let Some(text_node) = text_node {
            let mut data = text_node.data_mut();
            if let NodeValue::Text(text) = &mut data.value {
                if let Some((checked, len)) = task_marker(text) {
                    *text = text[len..].to_string().into();
                    drop(data);
                    let checkbox = if checked {
                        r#"<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />"#
                    } else {
                        r#"<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />"#
                    };
                    let html = NodeValue::HtmlInline(checkbox.to_string());
                    text_node.insert_before(arena.alloc(html.into()));
                    found = true;
                }
            }
        }
        if found {
            attrs
                .entry(("li", position(item.data().sourcepos)))
                .or_default()
                .add_class("task-list-item");
        }
    }
    if found {
        let data = list.data();
        if let Some(tag) = tag_of(&data.value) {
            attrs
                .entry((tag, position(data.sourcepos)))
                .or_default()
                .add_class("task-list");
        }
    }
}

/// `[ ] rest` or `[x] rest` (kramdown-parser-gfm's `\A\s*\[[ xX]\]\s+`): whether it is checked, and
/// the length of the marker with the spaces around it.
fn task_marker(text: &str) -> Option<(bool, usize)> {
    let trimmed = text.trim_start();
    let mark = trimmed.get(..3)?;
    let checked = match mark {
        "[ ]" => false,
        "[x]" | "[X]" => true,
        _ => return None,
    };
    let after = &trimmed[3..];
    let rest = after.trim_start();
    (rest.len() < after.len()).then(|| (checked, text.len() - rest.len()))
}

/// A footnote reference written as kramdown writes it, numbered from `footnote_nr`.
fn footnote_reference(reference: &NodeFootnoteReference, footnote_nr: u32) -> String {
    let name = escape::html(&reference.name);
    let again = if reference.ref_num > 1 {
        format!(":{}", reference.ref_num - 1)
    } else {
        String::new()
    };
    format!(
        "<sup id=\"fnref:{name}{again}\" role=\"doc-noteref\"><a href=\"#fn:{name}\" class=\"footnote\" rel=\"footnote\">{}</a></sup>",
        reference.ix + footnote_nr - 1
    )
}

/// Turns comrak's footnote definitions (at the end of the document, in order) into kramdown's
/// list: each definition renders only its content, inside the `<div>`, `<ol>` and `<li>` written
/// around it, with kramdown's links back to the references at the end of its last paragraph.
fn kramdown_footnotes<'a>(arena: &'a Arena<'a>, footnotes: &[&'a AstNode<'a>], footnote_nr: u32) {
    let html_block = |html: String| {
        let block = comrak::nodes::NodeHtmlBlock {
            block_type: 6,
            literal: html,
        };
        arena.alloc(NodeValue::HtmlBlock(block).into())
    };
    let (Some(first), Some(last)) = (footnotes.first(), footnotes.last()) else {
        return;
    };
    let start = if footnote_nr == 1 {
        String::new()
    } else {
        format!(" start=\"{footnote_nr}\"")
    };
    first.insert_before(html_block(format!(
        "<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol{start}>\n"
    )));
    last.insert_after(html_block("  </ol>\n</div>\n".to_string()));
    for &definition in footnotes {
        let (name, references) = match &definition.data().value {
            NodeValue::FootnoteDefinition(d) => (escape::html(&d.name), d.total_references),
            _ => continue,
        };
        let mut links = String::new();
        for k in 1..=references {
            let (again, mark) = if k > 1 {
                (format!(":{}", k - 1), format!("<sup>{k}</sup>"))
            } else {
                (String::new(), String::new())
            };
            let _ = write!(
                links,
                " <a href=\"#fnref:{name}{again}\" class=\"reversefootnote\" role=\"doc-backlink\">&#8617;{mark}</a>"
            );
        }
        match definition
            .last_child()
            .filter(|p| matches!(p.data().value, NodeValue::Paragraph))
        {
            Some(paragraph) => paragraph.append(arena.alloc(NodeValue::HtmlInline(links).into())),
            None => definition.append(html_block(format!("<p>{}</p>\n", links.trim_start()))),
        }
        definition.insert_before(html_block(format!(
            "<li id=\"fn:{name}\" role=\"doc-endnote\">\n"
        )));
        definition.insert_after(html_block("</li>\n".to_string()));
        definition.data_mut().value = NodeValue::Document;
    }
}

/// Takes the span markers out of a text, returning the text and their indexes.
fn take_span_markers(text: &str) -> (String, Vec<usize>) {
    let mut clean = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(SPAN_START) {
        clean.push_str(&rest[..at]);
        let after = &rest[at + SPAN_START.len_utf8()..];
        match after.find(SPAN_END) {
            Some(end) => {
                if let Ok(index) = after[..end].parse() {
                    found.push(index);
                }
                rest = &after[end + SPAN_END.len_utf8()..];
            }
            None => rest = after,
        }
    }
    clean.push_str(rest);
    (clean, found)
}

/// The configured quotes and symbols in place of comrak's typographic punctuation.
fn typography(text: &mut std::borrow::Cow<'static, str>, settings: &Kramdown) {
    const DEFAULT_QUOTES: [&str; 4] = ["\u{2018}", "\u{2019}", "\u{201c}", "\u{201d}"];
    let custom_quotes = settings.smart_quotes != DEFAULT_QUOTES;
    let needs = (custom_quotes && text.contains(['\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}']))
        || (!settings.typographic_symbols.is_empty()
            && text.contains(['\u{2026}', '\u{2014}', '\u{2013}']));
    if !needs {
        return;
    }
    let mut out = text.to_string();
    if custom_quotes {
        out = out
            .chars()
            .map(|c| match c {
                '\u{2018}' => settings.smart_quotes[0].clone(),
                '\u{2019}' => settings.smart_quotes[1].clone(),
                '\u{201c}' => settings.smart_quotes[2].clone(),
                '\u{201d}' => settings.smart_quotes[3].clone(),
                c => c.to_string(),
            })
            .collect();
    }
    for (name, default) in [
        ("hellip", "\u{2026}"),
        ("mdash", "\u{2014}"),
        ("ndash", "\u{2013}"),
    ] {
        if let Some((_, value)) = settings.typographic_symbols.iter().find(|(k, _)| k == name) {
            out = out.replace(default, value);
        }
    }
    *text = out.into();
}

/// The text with each abbreviation (whole word) wrapped in `<abbr>`, escaped; `None` when it holds none.
fn abbreviate(text: &str, abbreviations: &[(String, String)]) -> Option<String> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::new();
    let mut last = 0;
    let mut at = 0;
    let mut found = false;
    while at < text.len() {
        let before_ok = text[..at].chars().next_back().is_none_or(|c| !is_word(c));
        let hit = before_ok
            .then(|| {
                abbreviations.iter().find(|(abbr, _)| {
                    text[at..].starts_with(abbr.as_str())
                        && text[at + abbr.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !is_word(c))
                })
            })
            .flatten();
        if let Some((abbr, title)) = hit {
            out.push_str(&escape::html(&text[last..at]));
            if title.is_empty() {
                let _ = write!(out, "<abbr>{}</abbr>", escape::html(abbr));
            } else {
                let _ = write!(
                    out,
                    "<abbr title=\"{}\">{}</abbr>",
                    escape::html(title),
                    escape::html(abbr)
                );
            }
            at += abbr.len();
            last = at;
            found = true;
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found.then(|| {
        out.push_str(&escape::html(&text[last..]));
        out
    })
}

/// kramdown-parser-gfm's header id: lowercased, characters other than word characters, `-`, space
/// and tab dropped, spaces and tabs made `-`; a repeated id gets `-1`, `-2`...
pub fn kramdown_id(text: &str, prefix: &str, counter: &mut HashMap<String, i64>) -> String {
    let mut id: String = text
        .to_lowercase()
        .chars()
        .filter(|&c| is_word_char(c) || matches!(c, '-' | ' ' | '\t'))
        .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
        .collect();
    let seen = counter.entry(id.clone()).or_insert(-1);
    *seen += 1;
    if *seen > 0 {
        let _ = write!(id, "-{seen}");
    }
    format!("{prefix}{id}")
}

/// jekyll-commonmark-ghpages' heading id: the heading's HTML without its leading characters up to
/// the first ASCII letter, keeping ASCII letters, digits, spaces and `-`, spaces made `-`,
/// lowercased; `section` when nothing is left; `-1`, `-2`... on repeats. Markup inside the heading
/// is not seen here (the plugin keeps the tag names' letters).
pub fn gh_pages_id(text: &str, counter: &mut HashMap<String, i64>) -> String {
    let html = escape::html(text);
    let start = html
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(html.len());
    let mut id: String = html[start..]
        .chars()
        .filter(|&c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if id.is_empty() {
        id = "section".to_string();
    }
    let seen = counter.entry(id.clone()).or_insert(-1);
    *seen += 1;
    if *seen > 0 {
        let _ = write!(id, "-{seen}");
    }
    id
}

/// Ruby's `\p{Word}`: letters, marks, numbers and connector punctuation.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || unicode_mark_or_connector(c)
}

fn unicode_mark_or_connector(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036f | 0x203f | 0x2040 | 0x2054 | 0xfe33 | 0xfe34 | 0xfe4d..=0xfe4f | 0xff3f)
}

/// The table of contents kramdown writes for `{:toc}`.
fn toc_html(headings: &[FoundHeading], levels: &[u8]) -> String {
    let entries: Vec<&FoundHeading> = headings
        .iter()
        .filter(|h| levels.contains(&h.level) && !h.id.is_empty())
        .collect();
    let mut out = String::from("<ul id=\"markdown-toc\">\n");
    let mut stack: Vec<u8> = Vec::new();
    for (i, heading) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&l| l > heading.level) {
            stack.pop();
            out.push_str("</ul>\n</li>\n");
        }
        if stack.last().is_some_and(|&l| l == heading.level) {
            // a sibling: the previous item was already closed
        }
        let _ = write!(
            out,
            "<li><a href=\"#{id}\" id=\"markdown-toc-{id}\">{text}</a>",
            id = escape::html(&heading.id),
            text = escape::html(&heading.text)
        );
        match entries.get(i + 1) {
            Some(next) if next.level > heading.level => {
                out.push_str("<ul>\n");
                stack.push(next.level);
            }
            _ => out.push_str("</li>\n"),
        }
    }
    while stack.pop().is_some() {
        out.push_str("</ul>\n</li>\n");
    }
    out.push_str("</ul>\n");
    out
}

/// Rewrites comrak's `data-sourcepos` attributes into the attributes [`Pass`] decided, drops the
/// `<p>` of transparent paragraphs and puts the table of contents in place of its list. Linear.
pub fn finish(html: &str, pass: &Pass, settings: Option<&Kramdown>) -> String {
    const ATTR: &str = " data-sourcepos=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut drop_close_p = false;
    // Searched for once per element: a prebuilt searcher, not one set up on each call.
    let attribute = memchr::memmem::Finder::new(ATTR);
    while let Some(at) = attribute.find(rest.as_bytes()) {
        let chunk = &rest[..at];
        let chunk = if drop_close_p {
            match chunk.find("</p>") {
                Some(close) => {
                    drop_close_p = false;
                    out.push_str(&chunk[..close]);
                    let after = &chunk[close + 4..];
                    after.strip_prefix('\n').unwrap_or(after)
                }
                None => chunk,
            }
        } else {
            chunk
        };
        out.push_str(chunk);
        let value_start = at + ATTR.len();
        let Some(len) = memchr::memchr(b'"', &rest.as_bytes()[value_start..]) else {
            rest = &rest[at..];
            break;
        };
        let value = &rest[value_start..value_start + len];
        rest = &rest[value_start + len + 1..];
        if pass.attrs.is_empty() {
            continue;
        }
        let at_position = parse_position(value);
        let tag_start = memchr::memrchr(b'<', out.as_bytes()).unwrap_or(0);
        let tag = &out[tag_start + 1..];
        let Some(attrs) = HTML_TAGS
            .iter()
            .find(|t| **t == tag)
            .zip(at_position)
            .and_then(|(t, p)| pass.attrs.get(&(*t, p)))
        else {
            continue;
        };
        if attrs.transparent {
            out.truncate(tag_start);
            // The item's own line break before its (now bare) paragraph goes too.
            if out.ends_with(">\n")
                && out
                    .rfind('<')
                    .is_some_and(|lt| out[lt..].starts_with("<li"))
            {
                out.pop();
            }
            rest = rest.strip_prefix('>').unwrap_or(rest);
            drop_close_p = true;
            continue;
        }
        if attrs.toc {
            if let Some(settings) = settings {
                let name = tag.to_string();
                out.truncate(tag_start);
                let toc = toc_html(&pass.headings, &settings.toc_levels);
                out.push_str(toc.trim_end_matches('\n'));
                rest = skip_element(rest, &name);
                continue;
            }
        }
        for (key, value) in &attrs.pairs {
            let _ = write!(out, " {key}=\"{}\"", escape::html(value));
        }
    }
    if drop_close_p {
        if let Some(close) = rest.find("</p>") {
            out.push_str(&rest[..close]);
            let after = &rest[close + 4..];
            rest = after.strip_prefix('\n').unwrap_or(after);
        }
    }
    out.push_str(rest);
    if !pass.raw.is_empty() {
        out = put_back_raw(&out, &pass.raw);
    }
    if let Some(output) = settings
        .map(|s| s.entity_output)
        .filter(|&o| o != EntityOutput::AsChar)
    {
        out = typographic_entities(&out, output);
    }
    out
}

/// The raw HTML of inline extensions in place of their markers.
fn put_back_raw(html: &str, raw: &[String]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(RAW_START) {
        out.push_str(&rest[..at]);
        let after = &rest[at + RAW_START.len_utf8()..];
        match after
            .find(RAW_END)
            .and_then(|end| Some((end, after[..end].parse::<usize>().ok()?)))
        {
            Some((end, index)) => {
                out.push_str(raw.get(index).map_or("", String::as_str));
                rest = &after[end + RAW_END.len_utf8()..];
            }
            None => {
                out.push(RAW_START);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const HTML_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "dl",
    "dt",
    "dd",
    "em",
    "strong",
    "a",
    "img",
    "code",
    "del",
];

/// The text after the element whose start tag `rest` is inside (nested elements of the same
/// name counted).
fn skip_element<'h>(rest: &'h str, name: &str) -> &'h str {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 1;
    let mut at = 0;
    while depth > 0 {
        let next_open = rest[at..].find(&open).map(|i| i + at);
        let next_close = rest[at..].find(&close).map(|i| i + at);
        match (next_open, next_close) {
            (Some(o), Some(c)) if o < c => {
                depth += 1;
                at = o + open.len();
            }
            (_, Some(c)) => {
                depth -= 1;
                at = c + close.len();
            }
            _ => return "",
        }
    }
    &rest[at..]
}

/// Each expected string is the output of kramdown 2.4.0 with kramdown-parser-gfm 1.1.0, as
/// installed with Jekyll 4.3.1, squeezed (see `squeeze`).
#[cfg(test)]
mod tests {
    use super::super::markdown::{Excerpt, Markdown};
    use crate::markdown::{Dialect, EntityOutput, Kramdown};

    #[test]
    fn positions_read_as_comrak_writes_them() {
        assert_eq!(super::parse_position("12:3-140:5"), Some([12, 3, 140, 5]));
        for wrong in [
            "1:2-3", "1:2:3-4", "a:1-2:3", "1:2-3:4:", ":2-3:4", "1:2-3:4-", "",
        ] {
            assert_eq!(super::parse_position(wrong), None, "{wrong}");
        }
    }

    /// Renders as Jekyll's default kramdown set-up would, code highlighting off.
    fn kramdown(text: &str) -> String {
        with(text, Kramdown::default())
    }

    fn with(text: &str, settings: Kramdown) -> String {
        let dialect = Dialect::Kramdown(Box::new(settings));
        let html = Markdown::new(false, false, &dialect)
            .render(text, Excerpt::None)
            .unwrap()
            .content_html;
        squeeze(&html)
    }

    /// Whitespace between tags dropped: kramdown indents its output, comrak does not.
    fn squeeze(html: &str) -> String {
        let mut out = String::new();
        for line in html.lines() {
            let line = line.trim();
            if !out.is_empty() && !out.ends_with('>') && !line.starts_with('<') && !line.is_empty()
            {
                out.push('\n');
            }
            out.push_str(line);
        }
        out.replace(">    <", "><")
    }

    // Each expected string is kramdown 2.4.0's output (kramdown-parser-gfm 1.1.0, with the options
    // Jekyll 4.3.1 passes: input GFM, auto_ids, entity_output as_char, hard_wrap false), squeezed.

    #[test]
    fn block_ial_after_a_block() {
        assert_eq!(
            kramdown("para\n{: .x #y}\n"),
            r#"<p class="x" id="y">para</p>"#
        );
    }

    #[test]
    fn block_ial_before_a_block() {
        assert_eq!(kramdown("{: .next}\npara\n"), r#"<p class="next">para</p>"#);
    }

    #[test]
    fn span_ials() {
        assert_eq!(
            kramdown("*em*{: .z} and [l](u){:.btn}\n"),
            r#"<p><em class="z">em</em> and <a class="btn" href="u">l</a></p>"#
        );
    }

    #[test]
    fn attribute_list_definitions() {
        assert_eq!(
            kramdown("{:ref: .big}\npara\n{: ref}\n"),
            r#"<p class="big">para</p>"#
        );
    }

    #[test]
    fn table_of_contents() {
        assert_eq!(
            kramdown("* TOC\n{:toc}\n\n# One\n\n## Two\n"),
            concat!(
                r##"<ul id="markdown-toc"><li><a href="#one" id="markdown-toc-one">One</a><ul>"##,
                r##"<li><a href="#two" id="markdown-toc-two">Two</a></li></ul></li></ul>"##,
                r#"<h1 id="one">One</h1><h2 id="two">Two</h2>"#
            )
        );
    }

    #[test]
    fn header_ids_follow_the_gfm_parser() {
        assert_eq!(
            kramdown("# Hé llo + World\n\n## Hé llo + World\n"),
            r#"<h1 id="hé-llo--world">Hé llo + World</h1><h2 id="hé-llo--world-1">Hé llo + World</h2>"#
        );
        let prefixed = Kramdown {
            auto_id_prefix: "p-".into(),
            ..Kramdown::default()
        };
        assert_eq!(with("# A\n", prefixed), r#"<h1 id="p-a">A</h1>"#);
        let none = Kramdown {
            auto_ids: false,
            ..Kramdown::default()
        };
        assert_eq!(with("# A\n", none), "<h1>A</h1>");
    }

    #[test]
    fn end_of_block_marker_splits_lists() {
        assert_eq!(
            kramdown("- a\n- b\n^\n- c\n"),
            "<ul><li>a</li><li>b</li></ul><ul><li>c</li></ul>"
        );
    }

    #[test]
    fn list_items_get_paragraphs_only_before_a_blank_line() {
        assert_eq!(
            kramdown("- a\n- b\n\n- c\n\npara\n"),
            "<ul><li>a</li><li><p>b</p></li><li>c</li></ul><p>para</p>"
        );
        assert_eq!(
            kramdown("1. a\n\n2. b\n"),
            "<ol><li><p>a</p></li><li><p>b</p></li></ol>"
        );
        assert_eq!(
            kramdown("- a\n  - b\n- c\n"),
            "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"
        );
    }

    #[test]
    fn definition_lists() {
        assert_eq!(
            kramdown("term\n: def\n"),
            "<dl><dt>term</dt><dd>def</dd></dl>"
        );
    }

    #[test]
    fn abbreviations() {
        assert_eq!(
            kramdown("*[CSS]: Cascading Style Sheets\n\nCSS is CSSy.\n"),
            r#"<p><abbr title="Cascading Style Sheets">CSS</abbr> is CSSy.</p>"#
        );
    }

    #[test]
    fn typography() {
        assert_eq!(
            kramdown("<< a >> and \"q\" -- --- ...\n"),
            "<p>«\u{a0}a\u{a0}» and “q” – — …</p>"
        );
    }

    #[test]
    fn french_quotes_from_settings() {
        let french = Kramdown {
            smart_quotes: ["lsaquo", "rsaquo", "laquo", "raquo"]
                .map(|n| crate::markdown::entity_char(n).unwrap().to_string()),
            ..Kramdown::default()
        };
        // kramdown with smart_quotes: lsaquo,rsaquo,laquo,raquo
        assert_eq!(with("\"oui\" 'non'\n", french), "<p>«oui» ‹non›</p>");
    }

    #[test]
    fn comments() {
        assert_eq!(
            kramdown("{::comment}\nhidden\n{:/comment}\n"),
            "<!-- hidden -->"
        );
    }

    #[test]
    fn nomarkdown() {
        assert_eq!(
            kramdown("{::nomarkdown}\n<b>*x*</b>\n{:/nomarkdown}\n"),
            "<b>*x*</b>"
        );
    }

    #[test]
    fn html_blocks_stay_raw_across_blank_lines() {
        assert_eq!(kramdown("<div>\n\n*md*\n\n</div>\n"), "<div>*md*</div>");
    }

    #[test]
    fn markdown_attribute_parses_the_content() {
        assert_eq!(
            kramdown("<div markdown=\"1\">\n*md*\n</div>\n"),
            "<div><p><em>md</em></p></div>"
        );
    }

    #[test]
    fn bare_urls_stay_text() {
        assert_eq!(
            kramdown("see http://example.com\n"),
            "<p>see http://example.com</p>"
        );
    }

    #[test]
    fn inline_comments_and_nomarkdown() {
        assert_eq!(
            kramdown("Text {::comment}hidden{:/comment} and {::nomarkdown}<b>raw *x*</b>{:/nomarkdown} end {::comment}a{:/} z.\n"),
            "<p>Text <!-- hidden --> and <b>raw *x*</b> end <!-- a --> z.</p>"
        );
    }

    #[test]
    fn task_lists() {
        assert_eq!(
            kramdown("- [ ] todo\n- [x] done\n- plain\n"),
            r#"<ul class="task-list"><li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />todo</li><li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />done</li><li class="task-list-item">plain</li></ul>"#
        );
        // Items before the first task stay plain; `[ ]` needs a space after it.
        assert_eq!(
            kramdown("- plain\n- [X] Done\n- [ ]no\n"),
            r#"<ul class="task-list"><li>plain</li><li class="task-list-item"><input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />Done</li><li class="task-list-item">[ ]no</li></ul>"#
        );
    }

    #[test]
    fn footnotes() {
        assert_eq!(
            kramdown("A[^n] B[^n] C[^m].\n\n[^m]: Em.\n\n[^n]: First.\n\n    Second para.\n"),
            concat!(
                r##"<p>A<sup id="fnref:n" role="doc-noteref"><a href="#fn:n" class="footnote" rel="footnote">1</a></sup> B<sup id="fnref:n:1" role="doc-noteref"><a href="#fn:n" class="footnote" rel="footnote">1</a></sup> C<sup id="fnref:m" role="doc-noteref"><a href="#fn:m" class="footnote" rel="footnote">2</a></sup>.</p>"##,
                r##"<div class="footnotes" role="doc-endnotes"><ol><li id="fn:n" role="doc-endnote"><p>First.</p><p>Second para. <a href="#fnref:n" class="reversefootnote" role="doc-backlink">&#8617;</a> <a href="#fnref:n:1" class="reversefootnote" role="doc-backlink">&#8617;<sup>2</sup></a></p></li>"##,
                r##"<li id="fn:m" role="doc-endnote"><p>Em. <a href="#fnref:m" class="reversefootnote" role="doc-backlink">&#8617;</a></p></li></ol></div>"##
            )
        );
    }

    #[test]
    fn footnote_numbers_start_at_footnote_nr() {
        let settings = Kramdown {
            footnote_nr: 5,
            ..Kramdown::default()
        };
        assert_eq!(
            with(
                "A note[^1] and another[^b].\n\n[^1]: First.\n[^b]: Second.\n",
                settings
            ),
            concat!(
                r##"<p>A note<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">5</a></sup> and another<sup id="fnref:b" role="doc-noteref"><a href="#fn:b" class="footnote" rel="footnote">6</a></sup>.</p>"##,
                r##"<div class="footnotes" role="doc-endnotes"><ol start="5"><li id="fn:1" role="doc-endnote"><p>First. <a href="#fnref:1" class="reversefootnote" role="doc-backlink">&#8617;</a></p></li>"##,
                r##"<li id="fn:b" role="doc-endnote"><p>Second. <a href="#fnref:b" class="reversefootnote" role="doc-backlink">&#8617;</a></p></li></ol></div>"##
            )
        );
    }

    #[test]
    fn any_bullet_continues_a_list() {
        assert_eq!(kramdown("* a\n- b\n"), "<ul><li>a</li><li>b</li></ul>");
        assert_eq!(
            kramdown("* a\n\n- b\n"),
            "<ul><li><p>a</p></li><li><p>b</p></li></ul>"
        );
        assert_eq!(
            kramdown("* a\n  1. x\n- c\n"),
            "<ul><li>a<ol><li>x</li></ol></li><li>c</li></ul>"
        );
    }

    #[test]
    fn a_list_of_the_other_kind_under_an_item_is_nested() {
        assert_eq!(
            kramdown("1. a\n* b\n"),
            "<ol><li>a<ul><li>b</li></ul></li></ol>"
        );
        assert_eq!(
            kramdown("1. ordered item\n2. ordered item \n  * **unordered**\n  * **unordered** \n    1. ordered item\n    2. ordered item\n3. ordered item\n"),
            "<ol><li>ordered item</li><li>ordered item<ul><li><strong>unordered</strong></li><li><strong>unordered</strong></li></ul><ol><li>ordered item</li><li>ordered item</li></ol></li><li>ordered item</li></ol>"
        );
    }

    #[test]
    fn ordered_lists_have_no_start_number() {
        assert_eq!(kramdown("3. a\n4. b\n"), "<ol><li>a</li><li>b</li></ol>");
        assert_eq!(
            kramdown("1. a\n   2. b\n"),
            "<ol><li>a<ol><li>b</li></ol></li></ol>"
        );
    }

    #[test]
    fn entity_output() {
        let text = "Lit \u{201c}q\u{201d} \u{e9} \u{2014} x... and \"s\" -- y <<a>>\n";
        let output_as = |output| Kramdown {
            entity_output: output,
            ..Kramdown::default()
        };
        assert_eq!(
            with(text, output_as(EntityOutput::Symbolic)),
            "<p>Lit \u{201c}q\u{201d} \u{e9} \u{2014} x&hellip; and &ldquo;s&rdquo; &ndash; y &laquo;a&raquo;</p>"
        );
        assert_eq!(
            with(text, output_as(EntityOutput::Numeric)),
            "<p>Lit \u{201c}q\u{201d} \u{e9} \u{2014} x&#8230; and &#8220;s&#8221; &#8211; y &#171;a&#187;</p>"
        );
    }

    #[test]
    fn nested_lists_keep_their_own_bullet() {
        assert_eq!(
            kramdown("* a\n  - b\n  + c\n* d\n"),
            "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"
        );
    }

    #[test]
    fn a_list_under_a_nested_one_stays_in_the_outer_item() {
        assert_eq!(
            kramdown("1. a\n2. b\n  * **u**\n  * **u**\n    * item\n    * item\n3. c\n"),
            "<ol><li>a</li><li>b<ul><li><strong>u</strong></li><li><strong>u</strong></li></ul><ul><li>item</li><li>item</li></ul></li><li>c</li></ol>"
        );
    }

    #[test]
    fn code_is_left_alone() {
        assert_eq!(
            kramdown("a\\_b and `{:a => 1}`\n"),
            "<p>a_b and <code>{:a =&gt; 1}</code></p>"
        );
        assert_eq!(
            kramdown("```\n{: .x}\n^\n```\n"),
            // (squeezed: the last line break inside the code is dropped too)
            "<pre><code>{: .x}\n^</code></pre>"
        );
    }
}
