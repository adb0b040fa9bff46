//! `--fix`: apply the safe repairs attached to findings, changing no other byte of the file.

use std::collections::BTreeMap;
use std::ops::Range;

use super::{check_post, Edit, Fix, Settings};
use crate::post::Post;
use crate::site::{Site, SourceFile};

/// How many times a file is re-checked after fixing, in case one repair reveals another.
const MAX_PASSES: usize = 10;

/// Applies the fixes that do not overlap an earlier one (in text order); returns the new text and
/// how many fixes it applied. Fixes left out, or out of bounds, wait for the next pass.
///
/// O(n log n) in the number of edits: a line may carry a hundred thousand fixes.
pub fn apply(text: &str, fixes: &[Fix]) -> (String, usize) {
    let mut order: Vec<&Fix> = fixes.iter().filter(|f| !f.edits.is_empty()).collect();
    order.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min());
    let mut accepted = Accepted::default();
    let mut applied = 0;
    for fix in order {
        let valid = fix.edits.iter().enumerate().all(|(i, edit)| {
            in_text(text, &edit.range)
                && !fix.edits[..i]
                    .iter()
                    .any(|other| conflict(&other.range, &edit.range))
                && !accepted.conflicts(&edit.range)
        });
        if valid {
            for edit in &fix.edits {
                accepted.by_start.insert(edit.range.start, edit);
            }
            applied += 1;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in accepted.by_start.values() {
        out.push_str(&text[copied..edit.range.start]);
        out.push_str(&edit.replacement);
        copied = edit.range.end;
    }
    out.push_str(&text[copied..]);
    (out, applied)
}

/// The accepted edits by start. No two conflict, so sorted by start they are sorted by end too.
#[derive(Default)]
struct Accepted<'a> {
    by_start: BTreeMap<usize, &'a Edit>,
}

impl Accepted<'_> {
    /// Whether `range` conflicts with an accepted edit: one starting at the same place, or the
    /// last one starting before `range` ends (it reaches furthest) running past `range`'s start.
    fn conflicts(&self, range: &Range<usize>) -> bool {
        self.by_start.contains_key(&range.start)
            || self
                .by_start
                .range(..range.end)
                .next_back()
                .is_some_and(|(_, edit)| conflict(&edit.range, range))
    }
}

fn in_text(text: &str, range: &Range<usize>) -> bool {
    range.start <= range.end
        && range.end <= text.len()
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end)
}

/// Two edits conflict when they overlap, or insert at the same place (their order would be a guess).
fn conflict(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

/// Fixes `text` until `check` finds nothing more to fix (bounded); returns the text and the count.
pub fn fix_text(mut text: String, check: impl Fn(&str) -> Vec<Fix>) -> (String, usize) {
    let mut total = 0;
    for _ in 0..MAX_PASSES {
        let fixes = check(&text);
        if fixes.is_empty() {
            break;
        }
        let (fixed, applied) = apply(&text, &fixes);
        if applied == 0 || fixed == text {
            break;
        }
        text = fixed;
        total += applied;
    }
    (text, total)
}

/// Repairs one post in place, writing it atomically when something changed; returns the count.
///
/// The post is re-read and re-checked here, so the edits always apply to the text they were made
/// for. Suppressed findings are not fixed.
pub fn fix_file(file: &SourceFile, site: &Site, settings: &Settings) -> anyhow::Result<usize> {
    fix_file_with(file, site, settings, &[])
}

/// Like [`fix_file`], first applying `found`: the fixes this run found on the text as it was
/// read, which spares checking the post once more before the first pass and repairs the site-wide
/// rules that re-checking the post alone cannot find again. The BOM, line endings and every other
/// byte are kept.
///
/// A post that is a symbolic link is written through (its target is replaced, the link kept),
/// but only when the target is inside the site: a post leading outside it is left alone.
pub fn fix_file_with(
    file: &SourceFile,
    site: &Site,
    settings: &Settings,
    found: &[Fix],
) -> anyhow::Result<usize> {
    let target = crate::fs::resolve_inside(&site.root, &file.path)?;
    let post = Post::read(file.clone(), site)?;
    if post.text.starts_with('\u{feff}') {
        // A second BOM would be stripped again on re-reading and shift every span: leave it be.
        return Ok(0);
    }
    let bom = post.bom;
    let (text, first) = apply(&post.text, found);
    let (text, count) = fix_text(text, |text| {
        let post = Post::from_text(file.clone(), text.to_string(), site);
        check_post(&post, site, settings)
            .diagnostics
            .into_iter()
            .filter_map(|d| d.fix)
            .collect()
    });
    let count = count + first;
    if count > 0 {
        let mut bytes = Vec::with_capacity(text.len() + 3);
        if bom {
            bytes.extend_from_slice("\u{feff}".as_bytes());
        }
        bytes.extend_from_slice(text.as_bytes());
        crate::fs::write_atomic(&target, &bytes)?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: Range<usize>, replacement: &str) -> Edit {
        Edit {
            range,
            replacement: replacement.to_string(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix { edits }
    }

    #[test]
    fn applies_back_to_front_and_keeps_other_bytes() {
        let text = "a  [x] (u)  \r\nb (t)[v]\r\n";
        let fixes = [
            fix(vec![edit(6..7, "")]),
            fix(vec![edit(16..19, "[t]"), edit(19..22, "(v)")]),
        ];
        let (out, n) = apply(text, &fixes);
        assert_eq!(out, "a  [x](u)  \r\nb [t](v)\r\n");
        assert_eq!(n, 2);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let text = "abcdef";
        let fixes = [
            fix(vec![edit(2..4, "X")]),
            fix(vec![edit(3..5, "Y")]),
            fix(vec![edit(0..0, "<")]),
            fix(vec![edit(0..0, ">")]),
        ];
        let (out, n) = apply(text, &fixes);
        assert_eq!(n, 2);
        assert_eq!(out, "<abXef");
    }

    #[test]
    fn a_fix_conflicting_with_any_accepted_edit_waits() {
        // Accepted: 0..2 and 10..12 (one fix), then 20..20. Each later fix touches one of them.
        let text = "abcdefghijklmnopqrstuvwxyz";
        let fixes = [
            fix(vec![edit(0..2, "AB"), edit(10..12, "KL")]),
            fix(vec![edit(1..1, "!")]),
            fix(vec![edit(5..6, "F"), edit(11..13, "?")]),
            fix(vec![edit(12..12, "|"), edit(20..20, "<")]),
            fix(vec![edit(20..20, ">")]),
            fix(vec![edit(19..21, "?")]),
            fix(vec![edit(2..2, "^")]),
        ];
        let (out, n) = apply(text, &fixes);
        assert_eq!(out, "AB^cdefghijKL|mnopqrst<uvwxyz");
        assert_eq!(n, 3);
    }

    #[test]
    fn out_of_bounds_or_split_characters_are_refused() {
        let text = "été";
        let fixes = [fix(vec![edit(1..2, "e")]), fix(vec![edit(3..9, "")])];
        assert_eq!(apply(text, &fixes), (text.to_string(), 0));
    }

    #[test]
    fn fix_text_loops_until_clean_and_is_idempotent() {
        // A checker that repairs one `teh` per pass, as a rule reporting only the first would.
        let check = |text: &str| -> Vec<Fix> {
            text.find("teh")
                .map(|i| fix(vec![edit(i..i + 3, "the")]))
                .into_iter()
                .collect()
        };
        let (out, n) = fix_text("teh cat, teh dog\n".to_string(), check);
        assert_eq!((out.as_str(), n), ("the cat, the dog\n", 2));
        assert_eq!(fix_text(out.clone(), check), (out, 0));
    }

    #[test]
    fn fix_text_stops_on_a_fix_that_changes_nothing_or_never_ends() {
        let same = |text: &str| vec![fix(vec![edit(0..1, &text[..1])])];
        assert_eq!(fix_text("ab".into(), same), ("ab".to_string(), 0));
        let grow = |_: &str| vec![fix(vec![edit(0..0, "x")])];
        assert_eq!(fix_text("".into(), grow).1, MAX_PASSES);
    }
}
