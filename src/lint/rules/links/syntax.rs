//! Links that are written wrong: empty destination or text, image without alt text, and the two
//! near-links CommonMark prints as text, `(text)[url]` and `[text] (url)`.

use super::scan::{looks_like_url, Claimed, Text};
use super::{EMPTY_LINK, EMPTY_LINK_TEXT, IMAGE_ALT, LINK_SPACING, REVERSED_LINK};
use crate::lint::document::{escaped, LinkKind};
use crate::lint::{Checker, Edit, Fix};

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
        if let Some(d) = checker.report(
            &REVERSED_LINK,
            span.clone(),
            "link written `(text)[url]`: Markdown prints it as text; write `[text](url)`",
        ) {
            d.fix = Some(Fix {
                edits: vec![Edit {
                    range: span,
                    replacement: format!("[{inner}]({url})"),
                }],
            });
        }
    }
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
