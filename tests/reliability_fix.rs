//! `lint --fix` as a property: on generated posts mixing fixable mistakes with prose, CRLF or LF
//! line endings and an optional BOM, fixing gives exactly the text with each mistake repaired
//! (every other byte kept), a second pass changes nothing, and no fixable finding is left.

use std::path::Path;

use carnet::lint::config::LintConfig;
use carnet::lint::{check_post, fix, Settings};
use carnet::post::Post;
use carnet::site::date::parse_date;
use carnet::site::{Kind, Site, SiteConfig, SourceFile};
use proptest::prelude::*;

/// The separator the generated near-misses miss.
const SEPARATOR: &str = "<!--more-->";

/// One piece of a generated body: what is written, and what `--fix` should make of it.
#[derive(Debug, Clone)]
enum Piece {
    /// Prose that no rule fixes.
    Prose(&'static str),
    /// `(text)[url]`, fixed to `[text](url)`.
    Reversed(&'static str, &'static str),
    /// `[text] (url)`, fixed to `[text](url)`.
    Spaced(&'static str, &'static str, &'static str),
    /// A comment that almost is the separator, fixed to it when it is the first comment and no
    /// separator follows (the fix would then leave two and change the excerpt).
    NearMiss(&'static str),
    /// The separator itself.
    Separator,
    /// A space, a line break or a blank line between pieces.
    Gap(&'static str),
}

impl Piece {
    fn written(&self, newline: &str) -> String {
        match self {
            Piece::Prose(text) => text.to_string(),
            Piece::Reversed(text, url) => format!("({text})[{url}]"),
            Piece::Spaced(text, space, url) => format!("[{text}]{space}({url})"),
            Piece::NearMiss(comment) => comment.to_string(),
            Piece::Separator => SEPARATOR.to_string(),
            Piece::Gap(gap) => gap.replace('\n', newline),
        }
    }

    /// What `--fix` makes of the piece; `html` says that it shares a line opened by an HTML comment,
    /// which Markdown reads as raw HTML, links and all.
    fn fixed(
        &self,
        newline: &str,
        comment_seen: bool,
        separator_follows: bool,
        html: bool,
    ) -> String {
        match self {
            Piece::Reversed(text, url) | Piece::Spaced(text, _, url) if !html => {
                format!("[{text}]({url})")
            }
            Piece::NearMiss(_) if !comment_seen && !separator_follows => SEPARATOR.to_string(),
            other => other.written(newline),
        }
    }

    fn is_comment(&self) -> bool {
        matches!(self, Piece::NearMiss(_) | Piece::Separator)
    }
}

fn piece() -> impl Strategy<Value = Piece> {
    let prose = prop::sample::select(vec![
        "Lorem ipsum",
        "dolor sit amet.",
        "Été, naïve façade ;",
        "日本語のテキスト",
        "🙂 emoji",
        "a: b",
        "\"quoted\" and 'single'",
        "trailing spaces  ",
        "tab\tinside",
        "- a list item",
        "1. numbered",
        "# A heading",
        "https://bare.example.org",
    ]);
    let text = prop::sample::select(vec!["the docs", "ici", "Été 🙂", "a.b", "deux mots"]);
    let url = prop::sample::select(vec![
        "https://example.org",
        "https://example.org/a/b?c=d&e=f#g",
        "http://exemple.fr/été",
        "/about/",
    ]);
    prop_oneof![
        4 => prose.prop_map(Piece::Prose),
        2 => (text.clone(), url.clone()).prop_map(|(t, u)| Piece::Reversed(t, u)),
        2 => (text, prop::sample::select(vec![" ", "  "]), url)
            .prop_map(|(t, s, u)| Piece::Spaced(t, s, u)),
        1 => prop::sample::select(vec!["<!-- more -->", "<!--More-->", "<!-- more-->", "<!--MORE -->"])
            .prop_map(Piece::NearMiss),
        1 => Just(Piece::Separator),
    ]
}

/// Pieces with a gap after each, so that no two constructs touch.
fn body() -> impl Strategy<Value = Vec<Piece>> {
    let gap = prop::sample::select(vec![" ", " ", "\n", "\n\n"]).prop_map(Piece::Gap);
    prop::collection::vec((piece(), gap), 0..24)
        .prop_map(|pairs| pairs.into_iter().flat_map(|(p, g)| [p, g]).collect())
}

fn site(root: &Path) -> Site {
    let config = format!("timezone: UTC\nexcerpt_separator: \"{SEPARATOR}\"\n");
    Site {
        root: root.to_path_buf(),
        config: SiteConfig::parse(Path::new("_config.yml"), &config).unwrap(),
    }
}

fn settings(site: &Site) -> Settings {
    let now = parse_date("2024-06-01")
        .unwrap()
        .in_zone(site.config.timezone);
    Settings::new(&LintConfig::default(), &[], &[], now).unwrap()
}

/// The rules whose findings `--fix` repairs.
const FIXABLE: [&str; 3] = ["reversed-link", "link-spacing", "excerpt-near-miss"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fix_repairs_exactly_the_mistakes_and_is_idempotent(
        pieces in body(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        final_newline in any::<bool>(),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let head = format!("{}---{newline}title: Fixes{newline}---{newline}{newline}", if bom { "\u{feff}" } else { "" });
        let mut written = head.clone();
        let mut expected = head;
        let (mut comment_seen, mut line_start, mut html) = (false, true, false);
        // The first comment is a near miss that stays as written, still reported.
        let mut near_miss_kept = false;
        for (i, piece) in pieces.iter().enumerate() {
            let separator_follows = pieces[i + 1..].iter().any(|p| matches!(p, Piece::Separator));
            html |= line_start && piece.is_comment();
            written.push_str(&piece.written(newline));
            expected.push_str(&piece.fixed(newline, comment_seen, separator_follows, html));
            near_miss_kept |= !comment_seen && separator_follows && matches!(piece, Piece::NearMiss(_));
            comment_seen |= piece.is_comment();
            line_start = matches!(piece, Piece::Gap(gap) if gap.contains('\n'));
            html &= !line_start;
        }
        if final_newline {
            written.push_str(newline);
            expected.push_str(newline);
        }

        let dir = tempfile::tempdir().unwrap();
        let site = site(dir.path());
        let settings = settings(&site);
        let rel = "_posts/2024-01-01-fixes.md";
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &written).unwrap();
        let file = SourceFile { rel: rel.to_string(), path: path.clone(), kind: Kind::Post };

        fix::fix_file(&file, &site, &settings).unwrap();
        let fixed = std::fs::read(&path).unwrap();
        // (ii) every byte outside the repaired constructs is kept: BOM, line endings, prose, spaces.
        prop_assert_eq!(String::from_utf8(fixed.clone()).unwrap(), expected);

        // (i) a second pass finds nothing to do and leaves the file alone.
        prop_assert_eq!(fix::fix_file(&file, &site, &settings).unwrap(), 0);
        prop_assert_eq!(std::fs::read(&path).unwrap(), fixed);

        // (iii) no finding of a fixable rule is left, but for a near miss left unfixed on purpose.
        let post = Post::read(file.clone(), &site).unwrap();
        let left: Vec<String> = check_post(&post, &site, &settings)
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some() || FIXABLE.contains(&d.rule.name))
            .filter(|d| !(near_miss_kept && d.rule.name == "excerpt-near-miss"))
            .map(|d| format!("{}:{} {}", d.start.line, d.start.column, d.rule.name))
            .collect();
        prop_assert!(left.is_empty(), "{:?}", left);
    }
}
