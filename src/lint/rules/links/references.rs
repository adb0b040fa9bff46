//! Reference links and their definitions: `undefined-reference`, `unused-reference`,
//! `duplicate-reference`.

use std::collections::{HashMap, HashSet};

use super::scan::Text;
use super::{DUPLICATE_REFERENCE, UNDEFINED_REFERENCE, UNUSED_REFERENCE};
use crate::lint::document::{escaped, in_ranges, liquid_tags, normalize_label};
use crate::lint::Checker;

/// Runs the three reference rules.
pub fn check(checker: &mut Checker, text: &Text) {
    let doc = text.doc;
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, def) in doc.definitions.iter().enumerate() {
        if let Some(&earlier) = first.get(def.key.as_str()) {
            let line = checker.post.position(doc.definitions[earlier].span.start).line;
            let label = &text.text[def.label.clone()];
            checker.report(
                &DUPLICATE_REFERENCE,
                def.span.clone(),
                format!("`[{label}]` is already defined on line {line}; CommonMark keeps that first definition and ignores this one"),
            );
        } else {
            first.insert(&def.key, i);
        }
    }
    let used: HashSet<&str> = doc.links.iter().filter_map(|l| l.label.as_deref()).collect();
    let mut firsts: Vec<usize> = first.into_values().collect();
    firsts.sort_unstable();
    for i in firsts {
        let def = &doc.definitions[i];
        if used.contains(def.key.as_str())
            || in_ranges(&doc.liquid_blocks, def.span.start)
            || def.key.contains("{{")
            || def.key.contains("{%")
        {
            continue;
        }
        let label = &text.text[def.label.clone()];
        checker.report(
            &UNUSED_REFERENCE,
            def.span.clone(),
            format!("`[{label}]` is defined but no link uses it"),
        );
    }
    undefined(checker, text);
}

/// `[text][label]` and `[label][]` left as text because no definition matches.
fn undefined(checker: &mut Checker, text: &Text) {
    let bytes = text.bytes;
    let defined: HashSet<&str> = text.doc.definitions.iter().map(|d| d.key.as_str()).collect();
    let patterns = liquid_labels(text);
    let mut last_end = 0;
    for q in text.find_all(b"][") {
        if !text.prose(q) || !text.prose(q + 1) || escaped(bytes, q) {
            continue;
        }
        let Some(close) = label_close(bytes, q + 1) else {
            continue;
        };
        let Some(open) = text.open_bracket(q) else {
            continue;
        };
        let start = text.construct_start(open);
        if start < last_end || escaped(bytes, open) {
            continue;
        }
        if text.text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            // `matrix[i][j]`: an index in prose, not a link.
            continue;
        }
        let link_text = &text.text[open + 1..q];
        let label = &text.text[q + 2..close];
        if link_text.starts_with('^') || label.starts_with('^') {
            continue;
        }
        let (written, key) = if label.trim().is_empty() {
            if link_text.trim().is_empty() || link_text.contains(['[', ']']) {
                continue;
            }
            (link_text, normalize_label(link_text))
        } else {
            (label, normalize_label(label))
        };
        if defined.contains(key.as_str()) || patterns.iter().any(|p| p.matches(&key)) {
            continue;
        }
        last_end = close + 1;
        checker.report(
            &UNDEFINED_REFERENCE,
            start..close + 1,
            format!("no definition for `[{written}]`, so Markdown prints this link as text; add `[{written}]: URL`"),
        );
    }
}

/// A definition label holding Liquid (`[#{{ issue }}]:` in a `for` loop), as the pieces of text between
/// its tags: Jekyll writes those definitions, so any label matching the pieces is defined.
struct LiquidLabel {
    pieces: Vec<String>,
}

impl LiquidLabel {
    fn matches(&self, key: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some(split) => split,
            None => return true,
        };
        let Some(mut remaining) = key.strip_prefix(first.as_str()) else {
            return false;
        };
        for (i, piece) in rest.iter().enumerate() {
            if i + 1 == rest.len() {
                return remaining.ends_with(piece.as_str());
            }
            match remaining.find(piece.as_str()) {
                Some(at) => remaining = &remaining[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

/// Definition labels written with Liquid, wherever they are: Liquid may turn a paragraph into definitions.
fn liquid_labels(text: &Text) -> Vec<LiquidLabel> {
    let mut out = Vec::new();
    for colon in text.find_all(b"]:") {
        let start = text.line_start(colon);
        let line = &text.text[start..colon];
        let Some(label) = line.trim_start().strip_prefix('[') else {
            continue;
        };
        if !(label.contains("{{") || label.contains("{%")) || label.contains(['[', ']']) {
            continue;
        }
        let mut pieces = Vec::new();
        let mut from = 0;
        for (tag_start, tag_end) in liquid_tags(label) {
            pieces.push(normalize_label(&label[from..tag_start]));
            from = tag_end;
        }
        pieces.push(normalize_label(&label[from..]));
        out.push(LiquidLabel { pieces });
    }
    out
}

/// The `]` closing a label opened at `open`: no brackets inside, at most 999 characters.
fn label_close(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() && i - open <= 1000 {
        match bytes[i] {
            b']' => return Some(i),
            b'[' => return None,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    None
}
