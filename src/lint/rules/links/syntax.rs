//! Links that are written wrong: empty destination or text, image without alt text, and the two
//! near-links CommonMark prints as text, `(text)[url]` and `[text] (url)`.

use std::collections::HashMap;
use std::ops::Range;

use super::scan::{looks_like_url, starts_with_ignore_case, Claimed, Text};
use super::{EMPTY_LINK, EMPTY_LINK_TEXT, IMAGE_ALT, LINK_SPACING, REVERSED_LINK};
use crate::lint::document::{escaped, Document, LinkKind};
use crate::lint::{Checker, Edit, Fix};
use crate::post::Post;

/// `empty-link`, `empty-link-text` and `image-alt` over the links comrak parsed.
pub fn parsed(checker: &mut Checker, text: &Text) {
    for link in &text.doc.links {
        match link.kind {
            LinkKind::Link => {
                let url = link.url.trim();
                if url.is_empty() || url == "#" {
                    let what = if url.is_empty() {
                        "empty"
                    } else {
                        "a lone `#`"
                    };
                    checker.report(
                        &EMPTY_LINK,
                        link.span.clone(),
                        format!("link destination is {what}: the link goes nowhere"),
                    );
                }
                if link.text.trim().is_empty() {
                    checker.report(
                        &EMPTY_LINK_TEXT,
                        link.span.clone(),
                        "link has no text: readers see nothing to click",
                    );
                }
            }
            LinkKind::Image if link.text.trim().is_empty() => {
                checker.report(
                    &IMAGE_ALT,
                    link.span.clone(),
                    "image has no alt text for screen readers",
                );
            }
            _ => {}
        }
    }
}

/// `reversed-link`: `(text)[url]`; the spans found are added to `claimed`.
pub fn reversed(checker: &mut Checker, text: &Text, claimed: &mut Claimed) {
    let bytes = text.bytes;
    let mut found: Vec<Reversed> = Vec::new();
    for q in text.find_all(b")[") {
        if !text.prose(q) || !text.prose(q + 1) || escaped(bytes, q) {
            continue;
        }
        let line_start = text.line_start(q);
        let Some(open) = (line_start..q)
            .rev()
            .find(|&i| matches!(bytes[i], b'(' | b')'))
        else {
            continue;
        };
        if bytes[open] != b'(' || escaped(bytes, open) || !text.prose(open) {
            continue;
        }
        let inner = &text.text[open + 1..q];
        if inner.trim().is_empty() {
            continue;
        }
        let line_end = text.line_end(q);
        let Some(close) = (q + 2..line_end).find(|&i| matches!(bytes[i], b'[' | b']')) else {
            continue;
        };
        if bytes[close] != b']' || bytes.get(close + 1) == Some(&b'(') {
            continue;
        }
        let url = &text.text[q + 2..close];
        if url.starts_with('^') || !looks_like_url(url) {
            continue;
        }
        let span = open..close + 1;
        claimed.push(span.clone());
        found.push(Reversed {
            span,
            replacement: format!("[{inner}]({url})"),
            url: url.to_string(),
        });
    }
    if found.is_empty() || checker.settings.severity(&REVERSED_LINK).is_none() {
        return;
    }
    let sound = fixes_read_as_links(checker.post, text, &found);
    for (reversed, sound) in found.into_iter().zip(sound) {
        let mut message =
            "link written `(text)[url]`: Markdown prints it as text; write `[text](url)`"
                .to_string();
        if !sound {
            message.push_str(&format!(
                "; not fixed: `{}` would not read as a link to `{}` here",
                reversed.replacement, reversed.url
            ));
        }
        if let Some(d) = checker.report(&REVERSED_LINK, reversed.span.clone(), message) {
            d.fix = sound.then(|| Fix {
                edits: vec![Edit {
                    range: reversed.span,
                    replacement: reversed.replacement,
                }],
            });
        }
    }
}

/// A `(text)[url]` found, and the `[text](url)` it should become.
struct Reversed {
    span: Range<usize>,
    replacement: String,
    url: String,
}

/// How many times the fixes are checked again without those that failed: a failed one may have
/// been what made a later one parse.
const FIX_CHECKS: usize = 3;

/// Whether each fix, applied with the others, reads back as a link to its URL spanning exactly
/// its replacement. Brackets in the text (`(a [ b)[u]`), a backslash or a `)` at the end of the URL,
/// a reference title or a bare URL around it would otherwise give broken Markdown or another link.
/// The post is parsed again once per round, not once per fix: a line may hold thousands.
fn fixes_read_as_links(post: &Post, text: &Text, found: &[Reversed]) -> Vec<bool> {
    let mut sound: Vec<bool> = found
        .iter()
        .map(|r| !in_bare_url(text, r.span.start))
        .collect();
    for _ in 0..FIX_CHECKS {
        let mut fixed = post.clone();
        // Each replacement is as long as what it replaces: offsets and lines stay where they were.
        let mut bytes = std::mem::take(&mut fixed.text).into_bytes();
        for (reversed, _) in found.iter().zip(&sound).filter(|(_, ok)| **ok) {
            bytes[reversed.span.clone()].copy_from_slice(reversed.replacement.as_bytes());
        }
        let Ok(swapped) = String::from_utf8(bytes) else {
            break;
        };
        fixed.text = swapped;
        let document = Document::parse(&fixed);
        let links: HashMap<(usize, usize), &str> = document
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Link)
            .map(|l| ((l.span.start, l.span.end), l.url.as_str()))
            .collect();
        let mut failed = false;
        for (reversed, ok) in found.iter().zip(sound.iter_mut()).filter(|(_, ok)| **ok) {
            let key = (reversed.span.start, reversed.span.end);
            if links
                .get(&key)
                .is_none_or(|url| *url != unescape(&reversed.url))
            {
                *ok = false;
                failed = true;
            }
        }
        if !failed {
            return sound;
        }
    }
    // Still changing after the last round: keep no fix rather than one not checked.
    vec![false; found.len()]
}

/// Whether `offset` is inside a bare URL, which the export turns into one link, `(text)[url]` and
/// all.
fn in_bare_url(text: &Text, offset: usize) -> bool {
    let start = text.text[text.line_start(offset)..offset]
        .rfind(char::is_whitespace)
        .map_or(text.line_start(offset), |i| text.line_start(offset) + i + 1);
    let word = &text.text[start..offset];
    word.contains("://")
        || starts_with_ignore_case(word.trim_start_matches(['(', '*', '_']), "www.")
}

/// A URL as CommonMark reads it from a link destination: backslash escapes removed.
fn unescape(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut chars = url.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

/// `link-spacing`: `[text] (url)`; the spans found are added to `claimed`.
pub fn spacing(checker: &mut Checker, text: &Text, claimed: &mut Claimed) {
    let bytes = text.bytes;
    for q in text.find_all(b"] ") {
        if !text.prose(q) || escaped(bytes, q) || claimed.contains(q) {
            continue;
        }
        let paren = q
            + 1
            + bytes[q + 1..]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
        if bytes.get(paren) != Some(&b'(') || !text.prose(paren) {
            continue;
        }
        let Some(open) = text.open_bracket(q) else {
            continue;
        };
        let inner = &text.text[open + 1..q];
        if inner.trim().is_empty() || inner.starts_with('^') || is_task_marker(text, open, inner) {
            continue;
        }
        let Some(close) = destination_close(text, paren) else {
            continue;
        };
        let start = text.construct_start(open);
        let span = start..close + 1;
        claimed.push(span.clone());
        if let Some(d) = checker.report(
            &LINK_SPACING,
            span,
            "space between `]` and `(`: Markdown prints the text and the URL instead of a link",
        ) {
            d.fix = Some(Fix {
                edits: vec![Edit {
                    range: q + 1..paren,
                    replacement: String::new(),
                }],
            });
        }
    }
}

/// The `)` closing `(destination "title")` opened at `paren`, on the same line, when the destination
/// looks like a URL.
fn destination_close(text: &Text, paren: usize) -> Option<usize> {
    let bytes = text.bytes;
    let line_end = text.line_end(paren);
    let mut dest_start = paren + 1;
    while dest_start < line_end && matches!(bytes[dest_start], b' ' | b'\t') {
        dest_start += 1;
    }
    let (i, _) = text.destination_end(dest_start)?;
    if !looks_like_url(text.text.get(dest_start..i)?) {
        return None;
    }
    let rest = text.text.get(i..line_end)?;
    let trimmed = rest.trim_start();
    if trimmed.starts_with(')') {
        return Some(line_end - trimmed.len());
    }
    let quote = trimmed.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let after_title = trimmed[1..].find(quote)? + 2;
    let tail = trimmed[after_title..].trim_start();
    tail.starts_with(')').then(|| line_end - tail.len())
}

/// Whether `[ ]` or `[x]` at `open` opens a task list item.
fn is_task_marker(text: &Text, open: usize, inner: &str) -> bool {
    if !matches!(inner, " " | "x" | "X") {
        return false;
    }
    let before = text.text[text.line_start(open)..open].trim_start_matches([' ', '\t', '>']);
    let marker = before.trim_end();
    matches!(marker, "-" | "*" | "+")
        || marker
            .strip_suffix(['.', ')'])
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fixed, lint, lint_rule};

    #[test]
    fn empty_destinations() {
        let body = "[a]() [b](<>) [c](#) [d](#top) [e](/x)\n";
        assert_eq!(lint_rule(body, "empty-link"), ["1:1", "1:7", "1:15"]);
    }

    #[test]
    fn empty_link_in_code_is_not_a_link() {
        assert!(lint("`[a]()`\n\n```\n[b]()\n```\n\n    [c]()\n").is_empty());
    }

    #[test]
    fn empty_text_and_alt() {
        let body = "[](https://a.org) [ ](https://b.org) [`x`](https://c.org)\n\n![](/i.png) ![alt](/j.png)\n";
        assert_eq!(lint_rule(body, "empty-link-text"), ["1:1", "1:19"]);
        assert_eq!(lint_rule(body, "image-alt"), ["3:1"]);
    }

    #[test]
    fn a_linked_image_is_link_text() {
        assert_eq!(
            lint("[![logo](/l.png)](https://a.org)\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(lint("Été 🙂 : [voir]()\n"), ["empty-link 1:9"]);
    }

    #[test]
    fn reversed_links() {
        let body = "See (the docs)[https://a.org/docs] and (this)[#part].\n";
        assert_eq!(lint(body), ["reversed-link 1:5", "reversed-link 1:40"]);
        assert_eq!(
            fixed(body),
            "See [the docs](https://a.org/docs) and [this](#part).\n"
        );
    }

    #[test]
    fn reversed_links_are_fixed_only_into_the_link_meant() {
        let unfixable = [
            "(a ] b)[https://x.org]\n",
            "(a [ b)[https://x.org]\n",
            "(a)[https://x.org\\]\n",
            "(a)[https://x.y)]\n",
            "See https://example.org/(a)[https://x.org/] there.\n",
            "[x]\n\n[x]: https://a.org \"(t)[https://b.org]\"\n",
        ];
        for body in unfixable {
            assert_eq!(lint_rule(body, "reversed-link").len(), 1, "{body}");
            assert_eq!(fixed(body), body);
        }
        assert_eq!(
            fixed("(a [ b)[https://x.org] then (c)[https://y.org]\n"),
            "(a [ b)[https://x.org] then [c](https://y.org)\n"
        );
        assert_eq!(
            fixed("(a `b`)[https://c.org] (d)[{{ site.url }}/x] (e)[/a_(b)]\n"),
            "[a `b`](https://c.org) [d]({{ site.url }}/x) [e](/a_(b))\n"
        );
    }

    #[test]
    fn reversed_needs_a_url_in_brackets() {
        let body =
            "(see below)[1] and (a)[b] and (x)[y](z) and \\(a)[/b]\n\n`(a)[https://a.org]`\n";
        assert_eq!(lint_rule(body, "reversed-link"), Vec::<String>::new());
    }

    #[test]
    fn spaced_links() {
        let body = "A [link] (https://a.org \"Title\") and ![img]  (/i.png).\n";
        assert_eq!(lint(body), ["link-spacing 1:3", "link-spacing 1:38"]);
        assert_eq!(
            fixed(body),
            "A [link](https://a.org \"Title\") and ![img](/i.png).\n"
        );
    }

    #[test]
    fn spacing_leaves_prose_and_task_lists_alone() {
        let body = "- [ ] (optional) step\n- [x] (https://a.org) done\n\n[note] (see above)\n\n[^1] (https://a.org)\n";
        assert_eq!(lint_rule(body, "link-spacing"), Vec::<String>::new());
    }

    #[test]
    fn spacing_after_a_reference_link_is_fine() {
        let body = "[a] (https://b.org)\n\n[a]: https://a.org\n";
        assert_eq!(lint_rule(body, "link-spacing"), Vec::<String>::new());
    }

    #[test]
    fn fixes_are_idempotent_and_do_not_collide() {
        let body = "(a)[https://x.org] (https://y.org) and [b] (/c) and (d)[#e]\n";
        assert_eq!(
            lint(body),
            [
                "reversed-link 1:1",
                "bare-url 1:21",
                "link-spacing 1:40",
                "reversed-link 1:53"
            ]
        );
        let once = fixed(body);
        assert_eq!(
            once,
            "[a](https://x.org) (https://y.org) and [b](/c) and [d](#e)\n"
        );
        assert_eq!(fixed(&once), once);
        assert_eq!(lint(&once), ["bare-url 1:21"]);
    }

    #[test]
    fn crlf_and_accents() {
        let body = "Légère [faute] (https://a.org).\r\n";
        assert_eq!(lint(body), ["link-spacing 1:8"]);
        assert_eq!(fixed(body), "Légère [faute](https://a.org).\r\n");
    }
}
