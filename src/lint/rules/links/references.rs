//! Reference links and their definitions: `undefined-reference`, `unused-reference`,
//! `duplicate-reference`.

use rustc_hash::{FxHashMap, FxHashSet};

use super::scan::Text;
use super::{DUPLICATE_REFERENCE, UNDEFINED_REFERENCE, UNUSED_REFERENCE};
use crate::lint::document::{escaped, in_ranges, normalize_label};
use crate::lint::{Checker, Diagnostic};
use crate::liquid::{has_markup, tokenize, Tag};
use crate::post::Post;

/// How many unused labels a grouped `unused-reference` finding names before counting the rest.
const UNUSED_LISTED: usize = 12;

/// Runs the three reference rules.
pub fn check(checker: &mut Checker, text: &Text) {
    let doc = text.doc;
    // The definition that counts: CommonMark keeps a label's first, kramdown its last.
    let last_wins = checker.site.config.markdown.last_definition_wins();
    let mut kept: FxHashMap<&str, usize> = FxHashMap::default();
    let mut order: Vec<usize> = Vec::new();
    for (i, def) in doc.definitions.iter().enumerate() {
        if in_ranges(&doc.liquid_blocks, def.span.start) {
            continue;
        }
        order.push(i);
        if last_wins || !kept.contains_key(def.key.as_str()) {
            kept.insert(&def.key, i);
        }
    }
    for &i in &order {
        let def = &doc.definitions[i];
        let winner = kept[def.key.as_str()];
        if winner == i {
            continue;
        }
        let line = checker
            .post
            .position(doc.definitions[winner].span.start)
            .line;
        let label = &text.text[def.label.clone()];
        let message = if last_wins {
            format!("`[{label}]` is defined again on line {line}; kramdown keeps that last definition and ignores this one")
        } else {
            format!("`[{label}]` is already defined on line {line}; CommonMark keeps that first definition and ignores this one")
        };
        checker.report(&DUPLICATE_REFERENCE, def.span.clone(), message);
    }
    let first = kept;
    let used: FxHashSet<&str> = doc
        .links
        .iter()
        .filter_map(|l| l.label.as_deref())
        .collect();
    let mut firsts: Vec<usize> = first.into_values().collect();
    firsts.sort_unstable();
    for i in firsts {
        let def = &doc.definitions[i];
        if used.contains(def.key.as_str()) || has_markup(&def.key) {
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

/// Folds a post's `unused-reference` findings (those left after suppressions) into one, at the first
/// unused definition, naming every unused label: a post with a block of definitions nobody cares about
/// gets one finding, not one per line.
pub fn group_unused(post: &Post, diagnostics: &mut Vec<Diagnostic>) {
    let unused: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| diagnostics[i].rule == &UNUSED_REFERENCE)
        .collect();
    let Some((&first, rest)) = unused.split_first() else {
        return;
    };
    if rest.is_empty() {
        return;
    }
    let named: Vec<String> = unused
        .iter()
        .take(UNUSED_LISTED)
        .map(|&i| {
            let d = &diagnostics[i];
            format!("`[{}]` (line {})", definition_label(post, d), d.start.line)
        })
        .collect();
    let more = unused.len() - named.len();
    let mut message = format!(
        "{} reference definitions that no link uses: {}",
        unused.len(),
        named.join(", ")
    );
    if more > 0 {
        message.push_str(&format!(" and {more} more"));
    }
    diagnostics[first].message = message;
    let mut i = 0;
    diagnostics.retain(|_| {
        i += 1;
        rest.binary_search(&(i - 1)).is_err()
    });
}

/// The label of the definition a finding points at, as written.
fn definition_label<'p>(post: &'p Post, diagnostic: &Diagnostic) -> &'p str {
    let span = &post.text[diagnostic.span.clone()];
    let inner = span.trim_start().strip_prefix('[').unwrap_or(span);
    inner.find("]:").map_or(inner, |end| &inner[..end])
}

/// `[text][label]` and `[label][]` left as text because no definition matches.
fn undefined(checker: &mut Checker, text: &Text) {
    let bytes = text.bytes;
    let defined: FxHashSet<&str> = text
        .doc
        .definitions
        .iter()
        .map(|d| d.key.as_str())
        .collect();
    let lines = definition_lines(text);
    let patterns = liquid_labels(&lines);
    let Some(included) = included_labels(checker, text) else {
        return;
    };
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
        if defined.contains(key.as_str())
            || included.contains(&key)
            || patterns.iter().any(|p| p.matches(&key))
        {
            continue;
        }
        last_end = close + 1;
        let mut message = format!(
            "no definition for `[{written}]`, so Markdown prints this link as text; add `[{written}]: URL`"
        );
        if let Some((_, line_start)) = lines
            .iter()
            .find(|(label, _)| normalize_label(label) == key)
        {
            let line = checker.post.position(*line_start).line;
            let after_text = *line_start > text.body_start
                && !text.text[text.line_start(line_start - 1)..*line_start]
                    .trim()
                    .is_empty();
            let why = if after_text {
                "it follows a line of text without a blank line between"
            } else {
                "check its destination"
            };
            message = format!(
                "no definition for `[{written}]`, so Markdown prints this link as text: line {line} looks like \
                 its definition but is not read as one ({why})"
            );
        }
        checker.report(&UNDEFINED_REFERENCE, start..close + 1, message);
    }
}

/// Labels defined in the files the post pulls in with `{% include %}` or `{% include_relative %}`,
/// which Jekyll inserts before Markdown runs; `None` when an included file cannot be known.
fn included_labels(checker: &Checker, text: &Text) -> Option<FxHashSet<String>> {
    let mut labels = FxHashSet::default();
    for tag in &text.doc.liquid {
        if text.doc.in_code(tag.start) || in_ranges(&text.doc.liquid_blocks, tag.start) {
            continue;
        }
        let Some(tag) = Tag::parse(&text.text[tag.clone()]) else {
            continue;
        };
        let Some(kind) = crate::site::include::IncludeTag::of_tag(tag.name) else {
            continue;
        };
        let file = tag.args.split_whitespace().next()?;
        if file.contains(['{', '}']) {
            return None;
        }
        // A refused include is reported by `unsafe-include`; its labels are unknown.
        let included =
            match crate::site::include::read(file, kind, &checker.site.root, checker.post.path()) {
                Ok(Some(text)) => text,
                Ok(None) => continue,
                Err(_) => return None,
            };
        for line in included.lines() {
            let Some((label, _)) = line
                .trim_start()
                .strip_prefix('[')
                .and_then(|l| l.split_once("]:"))
            else {
                continue;
            };
            labels.insert(normalize_label(label));
        }
    }
    Some(labels)
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

/// Lines shaped like a definition, `[label]:` after optional indentation, whether or not CommonMark
/// reads them as one: the label as written and where the line starts.
fn definition_lines<'t>(text: &Text<'t>) -> Vec<(&'t str, usize)> {
    let mut out = Vec::new();
    for colon in text.find_all(b"]:") {
        let start = text.line_start(colon);
        let Some(label) = text.text[start..colon].trim_start().strip_prefix('[') else {
            continue;
        };
        if !label.is_empty()
            && !label.contains(['[', ']'])
            && !label.starts_with('^')
            && text.doc.in_prose(colon)
        {
            out.push((label, start));
        }
    }
    out
}

/// Definition labels written with Liquid, wherever they are: Liquid may turn a paragraph into definitions.
fn liquid_labels(lines: &[(&str, usize)]) -> Vec<LiquidLabel> {
    let mut out = Vec::new();
    for (label, _) in lines {
        if !has_markup(label) {
            continue;
        }
        let mut pieces = Vec::new();
        let mut from = 0;
        for tag in tokenize(label).spans() {
            pieces.push(normalize_label(&label[from..tag.start]));
            from = tag.end;
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

#[cfg(test)]
mod tests {
    use super::super::testing::{lint, lint_at, lint_commonmark, lint_rule};

    #[test]
    fn full_and_collapsed_references_without_definition() {
        let body = "A [text][nope], a [nada][] and a [shortcut].\n";
        assert_eq!(
            lint(body),
            ["undefined-reference 1:3", "undefined-reference 1:19"]
        );
    }

    #[test]
    fn labels_match_as_commonmark_says() {
        let body = "[One][Foo  Bar] [foo bar][] [ÉTÉ][]\n\n[FOO BAR]: /a\n[été]: /b\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }

    #[test]
    fn references_in_code_and_indexes_are_not_links() {
        let body = "`[a][b]` and matrix[i][j]\n\n```\n[c][d]\n```\n\n{% highlight ruby %}\nx[1][2]\n{% endhighlight %}\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }

    #[test]
    fn footnotes_are_not_references() {
        let body = "Text[^1] and [a][^2].\n\n[^1]: A note.\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }

    #[test]
    fn unused_and_duplicate_definitions() {
        let body = "Use [a][ref].\n\n[ref]: /one\n[REF]: /two\n[other]: /three\n";
        assert_eq!(
            lint_commonmark(body),
            ["duplicate-reference 4:1", "unused-reference 5:1"]
        );
    }

    #[test]
    fn kramdown_keeps_the_last_duplicate_definition() {
        let body = "Use [a][ref].\n\n[ref]: /one\n[REF]: /two\n";
        assert_eq!(lint(body), ["duplicate-reference 3:1"]);
    }

    #[test]
    fn image_references_and_shortcuts_use_definitions() {
        let body = "![logo] and [site].\n\n[logo]: /l.png\n[site]: https://a.org\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }

    #[test]
    fn a_definition_cannot_interrupt_a_paragraph() {
        let body = "Text [a][x].\n[x]: /url\n";
        assert_eq!(lint_rule(body, "undefined-reference"), ["1:6"]);
        assert_eq!(lint_rule(body, "unused-reference"), Vec::<String>::new());
    }

    #[test]
    fn definitions_opening_a_paragraph_keep_positions() {
        let body = "[x]: /url\n[y]: /unused\nThen [a][x] and [b]().\n";
        assert_eq!(lint(body), ["unused-reference 2:1", "empty-link 3:17"]);
    }

    #[test]
    fn definitions_written_by_liquid() {
        let body = "Fixed [#12][] and [`find`][find-filter].\n\n{% for i in list %}\n[#{{ i }}]: https://a.org/{{ i }}\n{% endfor %}\n[{{ f }}-filter]: /x\n";
        assert_eq!(lint(body), Vec::<String>::new());
    }

    #[test]
    fn definitions_from_included_files() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("_includes")).unwrap();
        std::fs::create_dir_all(site.path().join("_posts")).unwrap();
        std::fs::write(site.path().join("_includes/links.md"), "[Shared]: /s\n").unwrap();
        std::fs::write(site.path().join("_posts/refs.md"), "  [near]: /n\n").unwrap();
        let body = "[a][shared] [b][near] [c][missing]\n\n{% include links.md %}\n{% include_relative refs.md %}\n";
        assert_eq!(lint_at(site.path(), body), ["undefined-reference 1:23"]);
        let unknown = "[a][shared] [c][missing]\n\n{% include {{ page.links }} %}\n";
        assert_eq!(lint_at(site.path(), unknown), Vec::<String>::new());
    }

    #[test]
    fn crlf_definitions() {
        let body = "See [a][b].\r\n\r\n[b]: /x\r\n[c]: /y\r\n";
        assert_eq!(lint(body), ["unused-reference 4:1"]);
    }
}
