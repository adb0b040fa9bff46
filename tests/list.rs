//! `carnet list` and `carnet tags` over the demo site and temporary sites.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

mod common;

/// Before the 2031 post of the demo site, after all the others.
const NOW: &str = "2026-01-01T00:00:00+01:00";

fn demo() -> PathBuf {
    common::fixture("demo")
}

/// `carnet --now NOW` run from `dir`, with no width or colour forced by the environment.
fn carnet(dir: &Path) -> Command {
    carnet_at(dir, NOW)
}

fn carnet_at(dir: &Path, now: &str) -> Command {
    let mut cmd = common::carnet();
    cmd.current_dir(dir)
        .env_remove("COLUMNS")
        .args(["--now", now]);
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output = carnet(dir).args(args).output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// `carnet list ARGS --format paths` in `dir`: the listed paths, in order.
fn paths(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = run(dir, &[&["list", "--format", "paths"], args].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout.lines().map(str::to_string).collect()
}

fn demo_paths(args: &[&str]) -> Vec<String> {
    paths(&demo(), args)
}

fn json(dir: &Path, args: &[&str]) -> Vec<Value> {
    let out = run(dir, &[&["list", "--format", "json"], args].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    match serde_json::from_str(&out.stdout).unwrap() {
        Value::Array(items) => items,
        other => panic!("not an array: {other}"),
    }
}

/// A strict RFC 4180 reader: every record ends with CRLF, quotes are doubled inside quoted fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(field.is_empty(), "quote inside an unquoted field: {field}");
                quoted = true;
            }
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            '\n' => panic!("LF without CR outside quotes"),
            c => field.push(c),
        }
    }
    assert!(!quoted, "unclosed quote");
    assert!(
        field.is_empty() && record.is_empty(),
        "last record not ended by CRLF"
    );
    records
}

/// A site in a temporary folder: `_config.yml` and the given files.
fn site(config: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    common::site_with_config(config, files)
}

const PUBLISHED: [&str; 9] = [
    "_posts/2020-06-10-une-soiree-au-cafe-reparation.md",
    "_posts/2020-03-01-time-zones-and-post-dates.md",
    "_posts/2019-11-15-showing-liquid-without-running-it.md",
    "_posts/2019-03-04-keep-your-front-matter-boring.md",
    "voyages/_posts/2018-08-12-trois-jours-a-velo-dans-les-vosges.md",
    "_posts/2018-05-20-oeuvrer-pour-la-mediation-numerique.md",
    "_posts/2018-02-03-linting-front-matter-in-rust.md",
    "_posts/2017-09-14-open-data-ville-moyenne.md",
    "_posts/2017-06-22-intercotour-barometre.md",
];
const DRAFT: &str = "_drafts/un-brouillon-en-cours.md";
const FUTURE: &str = "_posts/2031-04-01-scheduled-posts-and-the-build-clock.md";
const UNPUBLISHED: &str = "_posts/2021-01-17-un-oeil-sur-les-compteurs-velo.md";

// Statuses.

#[test]
fn published_posts_newest_first_by_default() {
    assert_eq!(demo_paths(&[]), PUBLISHED);
}

#[test]
fn flags_add_drafts_future_and_unpublished_posts() {
    let with = |flag: &str, extra: &str| {
        let listed = demo_paths(&[flag]);
        assert_eq!(listed.len(), PUBLISHED.len() + 1, "{flag}: {listed:?}");
        assert!(listed.iter().any(|p| p == extra), "{flag}: {listed:?}");
    };
    with("--drafts", DRAFT);
    with("--future", FUTURE);
    with("--unpublished", UNPUBLISHED);
    let all = demo_paths(&["--all"]);
    assert_eq!(all.len(), 12);
    assert_eq!(all[0], FUTURE, "newest first");
    assert_eq!(all[1], UNPUBLISHED);
    assert_eq!(all[11], DRAFT, "undated drafts last");
    assert_eq!(demo_paths(&["--drafts", "--future", "--unpublished"]), all);
}

#[test]
fn status_shows_one_kind_only() {
    assert_eq!(demo_paths(&["--status", "draft"]), [DRAFT]);
    assert_eq!(demo_paths(&["--status", "future"]), [FUTURE]);
    assert_eq!(demo_paths(&["--status", "unpublished"]), [UNPUBLISHED]);
    assert_eq!(demo_paths(&["--status", "published"]), PUBLISHED);
    assert!(demo_paths(&["--status", "invalid"]).is_empty());
}

#[test]
fn status_conflicts_with_the_inclusion_flags() {
    for flag in ["--all", "--drafts", "--future", "--unpublished"] {
        let out = run(&demo(), &["list", "--status", "draft", flag]);
        assert_eq!(out.code, 2, "{flag}");
        assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
    }
}

#[test]
fn statuses_in_json() {
    let items = json(&demo(), &["--all"]);
    let status = |path: &str| {
        items
            .iter()
            .find(|i| i["path"] == path)
            .map(|i| i["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status(FUTURE).as_deref(), Some("future"));
    assert_eq!(status(UNPUBLISHED).as_deref(), Some("unpublished"));
    assert_eq!(status(DRAFT).as_deref(), Some("draft"));
    assert_eq!(status(PUBLISHED[0]).as_deref(), Some("published"));
}

#[test]
fn the_clock_decides_what_is_future() {
    let out = carnet_at(&demo(), "2031-04-01T12:00:00+02:00")
        .args(["list", "--format", "paths"])
        .output()
        .unwrap();
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(listed.lines().next(), Some(FUTURE), "{listed}");
}

#[test]
fn a_future_true_site_lists_future_posts_by_default() {
    let post: &[u8] = b"---\ntitle: Later\n---\nSoon.\n";
    let dir = site(
        "timezone: Europe/Paris\nfuture: true\n",
        &[("_posts/2030-01-01-later.md", post)],
    );
    let items = json(dir.path(), &[]);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "future");
    let dir = site(
        "timezone: Europe/Paris\n",
        &[("_posts/2030-01-01-later.md", post)],
    );
    assert!(json(dir.path(), &[]).is_empty());
}

// Filters.

#[test]
fn tags_match_ignoring_case_and_all_given_tags_must_match() {
    assert_eq!(
        demo_paths(&["--tag", "JEKYLL"]),
        [
            "_posts/2020-03-01-time-zones-and-post-dates.md",
            "_posts/2019-11-15-showing-liquid-without-running-it.md",
            "_posts/2019-03-04-keep-your-front-matter-boring.md",
        ]
    );
    assert_eq!(
        demo_paths(&["--tag", "jekyll", "--tag", "yaml"]),
        ["_posts/2019-03-04-keep-your-front-matter-boring.md"]
    );
    assert!(demo_paths(&["--tag", "jekyll", "--tag", "rust"]).is_empty());
    assert!(demo_paths(&["--tag", "jek"]).is_empty(), "whole tags only");
}

#[test]
fn categories_include_the_folders_above_posts() {
    assert_eq!(
        demo_paths(&["--category", "Voyages"]),
        ["voyages/_posts/2018-08-12-trois-jours-a-velo-dans-les-vosges.md"]
    );
    assert_eq!(
        demo_paths(&["--category", "territoires", "--all"]),
        [UNPUBLISHED, "_posts/2017-09-14-open-data-ville-moyenne.md"]
    );
    assert_eq!(
        demo_paths(&["--category", "dev", "--category", "rust"]),
        ["_posts/2018-02-03-linting-front-matter-in-rust.md"]
    );
}

#[test]
fn since_and_until_are_inclusive_days_in_the_site_zone() {
    assert_eq!(
        demo_paths(&["--since", "2018-05-20", "--until", "2019-03-04"]),
        [
            "_posts/2019-03-04-keep-your-front-matter-boring.md",
            "voyages/_posts/2018-08-12-trois-jours-a-velo-dans-les-vosges.md",
            "_posts/2018-05-20-oeuvrer-pour-la-mediation-numerique.md",
        ]
    );
    // Written 2020-02-29 23:30 -0500: the first of March in Paris.
    let leap = ["_posts/2020-03-01-time-zones-and-post-dates.md"];
    assert_eq!(
        demo_paths(&["--since", "2020-03-01", "--until", "2020-03-01"]),
        leap
    );
    assert!(demo_paths(&["--since", "2020-02-29", "--until", "2020-02-29"]).is_empty());
    assert_eq!(
        demo_paths(&["--since", "2021-01-01", "--all"]),
        [FUTURE, UNPUBLISHED]
    );
    let undated = demo_paths(&["--until", "2100-01-01", "--status", "draft"]);
    assert!(
        undated.is_empty(),
        "undated drafts have no day: {undated:?}"
    );
}

#[test]
fn malformed_filters_are_usage_errors() {
    for (args, message) in [
        (
            &["--since", "2020-02-30"][..],
            "--since 2020-02-30: not a day",
        ),
        (
            &["--until", "yesterday"][..],
            "--until yesterday: not a day",
        ),
        (
            &["--since", "2021-01-01", "--until", "2020-01-01"][..],
            "is after --until",
        ),
        (
            &["--field", "layout"][..],
            "--field layout: expected KEY=VALUE",
        ),
        (&["--field", "=post"][..], "expected KEY=VALUE"),
    ] {
        let out = run(&demo(), &[&["list"], args].concat());
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn search_looks_at_titles_and_front_matter_ignoring_case() {
    assert_eq!(
        demo_paths(&["--search", "BAROMÈTRE"]),
        ["_posts/2017-06-22-intercotour-barometre.md"]
    );
    assert_eq!(
        demo_paths(&["--search", "vosges"]),
        ["voyages/_posts/2018-08-12-trois-jours-a-velo-dans-les-vosges.md"],
        "a tag is front matter"
    );
    assert_eq!(
        demo_paths(&["--search", "good_job"]),
        ["_posts/2017-06-22-intercotour-barometre.md"]
    );
    assert!(
        demo_paths(&["--search", "Nancy"]).is_empty(),
        "the body is not searched"
    );
    assert!(
        demo_paths(&["--search", "layout"]).is_empty(),
        "keys are not searched"
    );
}

#[test]
fn fields_compare_values_as_strings_with_defaults_applied() {
    assert_eq!(demo_paths(&["--field", "layout=post"]), PUBLISHED);
    assert_eq!(
        demo_paths(&["--field", "published=false", "--all"]),
        [UNPUBLISHED]
    );
    assert_eq!(
        demo_paths(&["--field", "tags=tooling", "--all"]),
        [FUTURE, "_posts/2018-02-03-linting-front-matter-in-rust.md"]
    );
    assert_eq!(
        demo_paths(&[
            "--field",
            "category=notes",
            "--field",
            "date=2018-05-20 14:00"
        ]),
        ["_posts/2018-05-20-oeuvrer-pour-la-mediation-numerique.md"]
    );
    assert!(demo_paths(&["--field", "layout=Post"]).is_empty());
}

#[test]
fn filters_combine() {
    assert_eq!(
        demo_paths(&[
            "--all",
            "--tag",
            "jekyll",
            "--since",
            "2019-06-01",
            "--search",
            "liquid",
        ]),
        ["_posts/2019-11-15-showing-liquid-without-running-it.md"]
    );
    assert_eq!(
        demo_paths(&["--all", "--tag", "collectivites", "--category", "good_job"]),
        ["_posts/2017-06-22-intercotour-barometre.md"]
    );
    assert_eq!(
        demo_paths(&["--drafts", "--tag", "collectivites", "--sort", "path"]),
        [
            DRAFT,
            "_posts/2017-06-22-intercotour-barometre.md",
            "_posts/2017-09-14-open-data-ville-moyenne.md",
        ]
    );
    assert_eq!(
        demo_paths(&[
            "--status",
            "future",
            "--tag",
            "tooling",
            "--until",
            "2031-04-01"
        ]),
        [FUTURE]
    );
}

// Sorting.

#[test]
fn titles_sort_alphabetically_ignoring_case_accents_and_punctuation() {
    let items = json(&demo(), &["--all", "--sort", "title"]);
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "« Faire avec » : une soirée au café réparation",
            "IntercoTOUR : un baromètre du numérique dans les collectivités",
            "Keep your front matter boring",
            "L'open data à l'échelle d'une ville moyenne",
            "Linting front matter with a few lines of Rust",
            "Œuvrer pour la médiation numérique, ça s'apprend",
            "Scheduled posts and the build clock",
            "Showing Liquid code without running it",
            "Time zones: the day my post moved",
            "Trois jours à vélo dans les Vosges",
            "Un brouillon en cours sur les tiers-lieux",
            "Un œil sur les compteurs vélo de la ville",
        ]
    );
    let reversed = json(&demo(), &["--all", "--sort", "title", "--reverse"]);
    let mut back: Vec<&str> = reversed
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    back.reverse();
    assert_eq!(back, titles);
}

#[test]
fn words_sort_longest_first_and_paths_alphabetically() {
    let items = json(&demo(), &["--all", "--sort", "words"]);
    let words: Vec<u64> = items.iter().map(|i| i["words"].as_u64().unwrap()).collect();
    assert!(words.windows(2).all(|w| w[0] >= w[1]), "{words:?}");
    assert_eq!(words.len(), 12);
    let by_path = demo_paths(&["--all", "--sort", "path"]);
    let mut sorted = by_path.clone();
    sorted.sort();
    assert_eq!(by_path, sorted);
    assert_eq!(by_path[0], DRAFT);
    // A list of paths counts no words, unless it is sorted by them.
    let longest_first: Vec<String> = items
        .iter()
        .map(|i| i["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(demo_paths(&["--all", "--sort", "words"]), longest_first);
}

#[test]
fn reverse_and_limit() {
    let mut oldest_first = PUBLISHED.to_vec();
    oldest_first.reverse();
    assert_eq!(demo_paths(&["--reverse"]), oldest_first);
    assert_eq!(demo_paths(&["--limit", "2"]), PUBLISHED[..2]);
    assert_eq!(demo_paths(&["--reverse", "--limit", "1"]), [PUBLISHED[8]]);
    assert!(demo_paths(&["--limit", "0"]).is_empty());
}

// Formats.

#[test]
fn json_has_every_field_with_its_value() {
    let items = json(&demo(), &["--all"]);
    assert_eq!(items.len(), 12);
    let keys: Vec<&str> = items[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "path",
            "title",
            "date",
            "status",
            "categories",
            "tags",
            "words",
            "url",
            "slug"
        ]
    );
    let post = items
        .iter()
        .find(|i| i["path"] == "_posts/2017-06-22-intercotour-barometre.md")
        .unwrap();
    assert_eq!(
        post["title"],
        "IntercoTOUR : un baromètre du numérique dans les collectivités"
    );
    assert_eq!(post["date"], "2017-06-22T10:30:00+02:00");
    assert_eq!(post["status"], "published");
    assert_eq!(post["categories"], serde_json::json!(["good_job"]));
    assert_eq!(
        post["tags"],
        serde_json::json!(["evenement", "collectivites"])
    );
    assert!(post["words"].as_u64().unwrap() > 200);
    assert_eq!(
        post["url"],
        "https://carnet.example.org/good_job/2017/06/22/intercotour-barometre.html"
    );
    assert_eq!(post["slug"], "intercotour-barometre");
    let leap = items
        .iter()
        .find(|i| i["path"] == "_posts/2020-03-01-time-zones-and-post-dates.md")
        .unwrap();
    assert_eq!(
        leap["date"], "2020-03-01T05:30:00+01:00",
        "in the site's zone"
    );
    let draft = items.iter().find(|i| i["path"] == DRAFT).unwrap();
    assert_eq!(draft["date"], Value::Null);
    assert_eq!(draft["url"], Value::Null);
    assert_eq!(draft["slug"], "un-brouillon-en-cours");
    assert_eq!(draft["categories"], serde_json::json!([]));
}

#[test]
fn urls_without_a_site_url_start_at_the_root_with_the_baseurl() {
    let dir = site(
        "timezone: UTC\nbaseurl: /blog\npermalink: pretty\n",
        &[("_posts/2020-01-02-a.md", b"---\ntitle: A\n---\n")],
    );
    let items = json(dir.path(), &[]);
    assert_eq!(items[0]["url"], "/blog/2020/01/02/a/");
    assert_eq!(items[0]["date"], "2020-01-02T00:00:00+00:00");
}

#[test]
fn empty_listings_are_valid_documents() {
    assert_eq!(
        run(&demo(), &["list", "--tag", "nope", "--format", "json"]).stdout,
        "[]\n"
    );
    let csv = run(&demo(), &["list", "--tag", "nope", "--format", "csv"]).stdout;
    assert_eq!(
        csv,
        "path,title,date,status,categories,tags,words,url,slug\r\n"
    );
    let table = run(&demo(), &["list", "--tag", "nope"]);
    assert_eq!(table.code, 0);
    assert!(table.stdout.is_empty());
    assert!(table.stderr.contains("no post matches"), "{}", table.stderr);
    assert!(run(&demo(), &["--quiet", "list", "--tag", "nope"])
        .stderr
        .is_empty());
}

#[test]
fn csv_parses_back_to_the_json_values() {
    let out = run(&demo(), &["list", "--all", "--format", "csv"]);
    assert_eq!(out.code, 0);
    let records = parse_csv(&out.stdout);
    assert_eq!(
        records[0],
        [
            "path",
            "title",
            "date",
            "status",
            "categories",
            "tags",
            "words",
            "url",
            "slug"
        ]
    );
    let items = json(&demo(), &["--all"]);
    assert_eq!(records.len(), items.len() + 1);
    for (record, item) in records[1..].iter().zip(&items) {
        let text = |key: &str| match &item[key] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Array(list) => list
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(";"),
            other => panic!("{other}"),
        };
        let expected: Vec<String> = records[0].iter().map(|k| text(k)).collect();
        assert_eq!(record, &expected);
    }
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks() {
    let dir = site(
        "timezone: Europe/Paris\n",
        &[
            (
                "_posts/2020-05-01-quotes.md",
                "---\ntitle: 'Bonjour, « monde » et \"guillemets\"'\ntags: [a, b]\n---\nUn mot.\n"
                    .as_bytes(),
            ),
            (
                "_posts/2020-04-01-lines.md",
                b"---\ntitle: \"deux\\r\\nlignes\"\n---\n",
            ),
        ],
    );
    let out = run(dir.path(), &["list", "--format", "csv"]);
    let line = out.stdout.lines().nth(1).unwrap();
    assert!(
        line.starts_with(
            "_posts/2020-05-01-quotes.md,\"Bonjour, « monde » et \"\"guillemets\"\"\",2020-05-01T00:00:00+02:00,published,,a;b,2,"
        ),
        "{line}"
    );
    let records = parse_csv(&out.stdout);
    assert_eq!(records[1][1], "Bonjour, « monde » et \"guillemets\"");
    assert_eq!(records[1][6], "2");
    assert_eq!(records[2][1], "deux\r\nlignes");
    assert_eq!(records.len(), 3);
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let dir = site(
        "timezone: Europe/Paris\n",
        &[(
            "_posts/2020-05-01-formula.md",
            "---\ntitle: '=HYPERLINK(\"https://evil.example\",\"click\")'\ntags: ['@SUM(A1)', '+1']\ncategory: '-2'\n---\nText.\n"
                .as_bytes(),
        )],
    );
    let records = parse_csv(&run(dir.path(), &["list", "--format", "csv"]).stdout);
    assert_eq!(
        records[1][1],
        "'=HYPERLINK(\"https://evil.example\",\"click\")"
    );
    assert!(records[1][4].starts_with("'-2"), "{:?}", records[1]);
    assert!(records[1][5].starts_with("'@SUM(A1)"), "{:?}", records[1]);
    let tags = parse_csv(&run(dir.path(), &["tags", "--format", "csv"]).stdout);
    let names: Vec<&str> = tags[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(names, ["'+1", "'@SUM(A1)", "'-2"]);
}

#[test]
fn paths_are_relative_to_the_current_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = paths(root, &["--site", "fixtures/demo", "--limit", "1"]);
    assert_eq!(listed, [format!("fixtures/demo/{}", PUBLISHED[0])]);
    let listed = paths(&demo().join("voyages"), &["--category", "voyages"]);
    assert_eq!(
        listed,
        ["_posts/2018-08-12-trois-jours-a-velo-dans-les-vosges.md"]
    );
}

// The table.

#[test]
fn piped_tables_have_no_colour_and_no_truncation() {
    let out = run(&demo(), &["list", "--all"]);
    assert_eq!(out.code, 0);
    assert!(!out.stdout.contains('\u{1b}'));
    assert!(!out.stdout.contains('…'));
    assert!(out
        .stdout
        .contains("IntercoTOUR : un baromètre du numérique dans les collectivités"));
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 13);
    assert!(
        lines[0].starts_with("date        status       title"),
        "{}",
        lines[0]
    );
    assert!(
        lines.iter().all(|l| l == &l.trim_end()),
        "no trailing spaces"
    );
}

#[test]
fn accented_titles_truncate_to_a_narrow_width() {
    let out = carnet(&demo())
        .env("COLUMNS", "40")
        .args(["list"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.width() <= 40, "{line:?} is {} wide", line.width());
    }
    assert!(
        text.contains("2018-05-20  published  Œuvrer po…    260"),
        "{text}"
    );
    assert!(text.contains("« Faire a…"), "{text}");
    assert!(
        !text.contains("tags"),
        "the tags column gives way first: {text}"
    );
}

#[test]
fn truncation_never_separates_an_accent_from_its_letter() {
    // "Été" written with combining accents: E + U+0301, t, e + U+0301.
    let title = "E\u{301}te\u{301} e\u{301}tonnant a\u{300} l'e\u{301}cole";
    let dir = site(
        "timezone: Europe/Paris\n",
        &[(
            "_posts/2020-05-01-ete.md",
            format!("---\ntitle: \"{title}\"\n---\nUn mot.\n").as_bytes(),
        )],
    );
    for columns in 33..=45 {
        let out = carnet(dir.path())
            .env("COLUMNS", columns.to_string())
            .arg("list")
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.width() <= columns.max(40), "{row:?} at {columns}");
        let shown = row["2020-05-01  published  ".len()..]
            .trim_end_matches(|c: char| c == ' ' || c.is_ascii_digit());
        let kept = shown.trim_end_matches('…');
        assert!(title.starts_with(kept), "{shown:?} at {columns}");
        assert!(
            !title[kept.len()..].starts_with('\u{301}')
                && !title[kept.len()..].starts_with('\u{300}'),
            "accent cut off at {columns}: {shown:?}"
        );
    }
}

#[test]
fn colour_is_kept_only_when_asked_for() {
    let out = run(&demo(), &["--color", "always", "list", "--limit", "1"]);
    assert!(
        out.stdout.contains("\u{1b}[32mpublished\u{1b}[0m"),
        "{:?}",
        out.stdout
    );
    assert!(out.stdout.contains("\u{1b}[1mdate\u{1b}[0m"));
}

// Broken posts.

#[test]
fn broken_posts_are_listed_as_invalid_with_a_warning() {
    let dir = site(
        "timezone: Europe/Paris\n",
        &[
            (
                "_posts/2020-01-01-good.md",
                b"---\ntitle: Good\n---\nFine.\n",
            ),
            (
                "_posts/2020-01-02-colon.md",
                b"---\ntitle: Notes: an unquoted colon\n---\nBody.\n",
            ),
            ("_posts/2020-01-03-latin1.md", b"---\ntitle: caf\xe9\n---\n"),
            ("_drafts/unclosed.md", b"---\ntitle: never closed\n"),
        ],
    );
    let out = run(dir.path(), &["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(rows.len(), 5, "{}", out.stdout);
    assert!(
        rows[1].starts_with("2020-01-03  invalid    _posts/2020-01-03-latin1.md"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].starts_with("2020-01-02  invalid    _posts/2020-01-02-colon.md"),
        "{}",
        rows[2]
    );
    assert!(
        rows[3].starts_with("2020-01-01  published  Good"),
        "{}",
        rows[3]
    );
    assert!(
        rows[4].starts_with("-           invalid    _drafts/unclosed.md"),
        "a broken draft is shown too: {}",
        rows[4]
    );
    let warnings: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        warnings,
        [
            "carnet: warning: _drafts/unclosed.md: front matter opened with `---` is never closed; run `carnet lint _drafts/unclosed.md` for details",
            "carnet: warning: _posts/2020-01-02-colon.md:2:13: invalid YAML: mapping values are not allowed in this context; a value holding `: ` must be quoted: title: \"Notes: an unquoted colon\"; run `carnet lint _posts/2020-01-02-colon.md` for details",
            "carnet: warning: _posts/2020-01-03-latin1.md:2:11: not valid UTF-8 (byte offset 14); run `carnet lint _posts/2020-01-03-latin1.md` for details",
        ]
    );
    let items = json(dir.path(), &["--status", "invalid"]);
    let invalid: Vec<&Value> = items.iter().filter(|i| i["status"] == "invalid").collect();
    assert_eq!(invalid.len(), 3);
    assert_eq!(invalid[2]["path"], "_drafts/unclosed.md");
    assert_eq!(invalid[2]["date"], Value::Null);
    assert_eq!(invalid[0]["title"], Value::Null);
    assert_eq!(invalid[0]["words"], Value::Null);
    assert_eq!(invalid[0]["date"], "2020-01-03T00:00:00+01:00");
    assert!(paths(dir.path(), &["--status", "published"]) == ["_posts/2020-01-01-good.md"]);
}

#[test]
fn the_broken_fixture_lists_without_failing() {
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/broken");
    let out = run(
        &broken,
        &[
            "list", "--status", "invalid", "--format", "paths", "--sort", "path",
        ],
    );
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        [
            "_posts/2020-01-01-front-matter-missing.md",
            "_posts/2020-01-02-front-matter-toml.md",
            "_posts/2020-01-03-front-matter-unclosed.md",
            "_posts/2020-01-04-front-matter-invalid.md",
            "_posts/2020-01-06-front-matter-not-mapping.md",
            "_posts/2020-13-45-bad-file-date.md",
            "_posts/not-a-dated-name.md",
        ]
    );
    assert_eq!(out.stderr.lines().count(), 7, "{}", out.stderr);
    assert!(out.stderr.lines().all(|l| l.contains("run `carnet lint")));
}

#[test]
fn a_closed_pipe_ends_the_listing_quietly() {
    let posts: Vec<(String, Vec<u8>)> = (0..3000)
        .map(|i| {
            (
                format!("_posts/2020-01-01-post-number-{i:05}.md"),
                format!("---\ntitle: Post {i}\n---\nText.\n").into_bytes(),
            )
        })
        .collect();
    let files: Vec<(&str, &[u8])> = posts
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_slice()))
        .collect();
    let dir = site("timezone: UTC\n", &files);
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("carnet"))
        .current_dir(dir.path())
        .args(["list", "--format", "paths"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

// `carnet tags`.

#[test]
fn tags_counts_every_post_most_used_first() {
    let out = run(&demo(), &["tags", "--format", "json"]);
    assert_eq!(out.code, 0);
    let groups: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        groups[0],
        serde_json::json!({"kind": "category", "name": "notes", "posts": 5, "variants": []})
    );
    assert_eq!(
        groups[1],
        serde_json::json!({"kind": "tag", "name": "jekyll", "posts": 4, "variants": []})
    );
    let collectivites = groups
        .iter()
        .find(|g| g["name"] == "collectivites")
        .unwrap();
    assert_eq!(collectivites["posts"], 3, "drafts count too");
    let posts: Vec<u64> = groups
        .iter()
        .map(|g| g["posts"].as_u64().unwrap())
        .collect();
    assert!(posts.windows(2).all(|w| w[0] >= w[1]), "{posts:?}");
    let categories = run(&demo(), &["tags", "--categories", "--format", "json"]);
    let categories: Vec<Value> = serde_json::from_str(&categories.stdout).unwrap();
    assert!(categories.iter().all(|g| g["kind"] == "category"));
    assert!(categories.iter().any(|g| g["name"] == "voyages"));
    assert_eq!(categories.len(), 7);
}

#[test]
fn tag_variants_are_grouped_on_one_line() {
    let post = |tags: &str| format!("---\ntitle: x\ntags: [{tags}]\n---\n").into_bytes();
    let files = [
        ("_posts/2020-01-01-a.md", post("open-data, rust")),
        ("_posts/2020-01-02-b.md", post("open-data, rust")),
        ("_posts/2020-01-03-c.md", post("Open Data, opendata")),
        ("_posts/2020-01-04-d.md", post("Rust")),
        ("_drafts/e.md", post("ÉVÉNEMENT")),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_slice())).collect();
    let dir = site("timezone: UTC\n", &files);
    let out = run(dir.path(), &["tags"]);
    assert_eq!(
        out.stdout,
        "kind  name       posts  variants\n\
         tag   open-data      3  Open Data (1), opendata (1)\n\
         tag   rust           3  Rust (1)\n\
         tag   ÉVÉNEMENT      1\n"
    );
    let csv = parse_csv(&run(dir.path(), &["tags", "--format", "csv"]).stdout);
    assert_eq!(
        csv,
        [
            ["kind", "name", "posts", "variants"],
            ["tag", "open-data", "3", "Open Data;opendata"],
            ["tag", "rust", "3", "Rust"],
            ["tag", "ÉVÉNEMENT", "1", ""],
        ]
    );
    let json: Vec<Value> =
        serde_json::from_str(&run(dir.path(), &["tags", "--format", "json"]).stdout).unwrap();
    assert_eq!(
        json[0]["variants"],
        serde_json::json!([{"name": "Open Data", "posts": 1}, {"name": "opendata", "posts": 1}])
    );
    let none = run(dir.path(), &["tags", "--categories"]);
    assert!(none.stdout.is_empty());
    assert!(none.stderr.contains("no post has a category"));
}

// Snapshots of the demo site.

#[test]
fn snapshot_table() {
    insta::assert_snapshot!("table", run(&demo(), &["list", "--all"]).stdout);
}

#[test]
fn snapshot_table_at_60_columns() {
    let out = carnet(&demo())
        .env("COLUMNS", "60")
        .args(["list", "--all"])
        .output()
        .unwrap();
    insta::assert_snapshot!("table_60", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!(
        "json",
        run(&demo(), &["list", "--all", "--format", "json"]).stdout
    );
}

#[test]
fn snapshot_csv() {
    let csv = run(&demo(), &["list", "--all", "--format", "csv"]).stdout;
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    insta::assert_snapshot!("csv", csv.replace("\r\n", "\n"));
}

#[test]
fn snapshot_tags() {
    insta::assert_snapshot!("tags", run(&demo(), &["tags"]).stdout);
}
